/** The console's entry: read config.json, then the app. */

import { render } from "preact";
import { App } from "./app";
import { loadConfig } from "./config";

const root = document.getElementById("app")!;
loadConfig()
  .then((config) => {
    root.textContent = ""; // the page's "Loading…" goes; render adds to what is there
    render(<App config={config} />, root);
  })
  .catch((error: Error) => {
    root.textContent = `The console cannot start: ${error.message}`;
  });
