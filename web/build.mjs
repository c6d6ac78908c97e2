// Builds the front ends with esbuild and Preact (nothing is fetched at run time but the API,
// the staff login service and, for payments, Stripe.js):
//
//   node web/build.mjs            -> web/dist/widget/reservoir-widget.js (+ a content-hashed copy
//                                    and manifest.json naming it, for long-lived caching),
//                                    web/dist/console/ (index.html naming its content-hashed
//                                    script and style sheet; config.json is written where it is
//                                    served: local/dev.py, the infra), and Swagger UI's files
//                                    into chalicelib/web/docs_assets/
//
// RESERVOIR_WIDGET_API sets the API address the widget calls when its tag names none.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "dist", "widget");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

/** One minified script from a TypeScript entry, Preact's JSX, everything bundled. */
async function bundle(entry, define = {}) {
  const result = await build({
    entryPoints: [join(here, entry)],
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2020",
    jsx: "automatic",
    jsxImportSource: "preact",
    define,
    legalComments: "none",
    write: false,
    logLevel: "warning",
  });
  return result.outputFiles[0].contents;
}

const code = await bundle("widget/main.tsx", {
  __RESERVOIR_API__: JSON.stringify(process.env.RESERVOIR_WIDGET_API ?? ""),
});
const hash = createHash("sha256").update(code).digest("hex").slice(0, 12);
const versioned = `reservoir-widget.${hash}.js`;
writeFileSync(join(out, "reservoir-widget.js"), code);
writeFileSync(join(out, versioned), code);
writeFileSync(join(out, "manifest.json"), JSON.stringify({ widget: versioned }, null, 2) + "\n");
console.log(`widget: ${versioned} (${code.length} bytes)`);

// The staff console: index.html names its script and style sheet by content hash, so they are
// cached for a year and only index.html (and config.json) must be fresh.
const consoleOut = join(here, "dist", "console");
rmSync(consoleOut, { recursive: true, force: true });
mkdirSync(consoleOut, { recursive: true });
const consoleCode = await bundle("console/main.tsx");
// uPlot's own rules (the dashboard's charts; the library is bundled from node_modules), then
// the console's, which may override them.
const uplotCss = join(here, "..", "node_modules", "uplot", "dist", "uPlot.min.css");
const styles = Buffer.concat([readFileSync(uplotCss), Buffer.from("\n"), readFileSync(join(here, "console", "console.css"))]);
const short = (bytes) => createHash("sha256").update(bytes).digest("hex").slice(0, 12);
const js = `console.${short(consoleCode)}.js`;
const css = `console.${short(styles)}.css`;
writeFileSync(join(consoleOut, js), consoleCode);
writeFileSync(join(consoleOut, css), styles);
const page = readFileSync(join(here, "console", "index.html"), "utf8").replace("%JS%", js).replace("%CSS%", css);
writeFileSync(join(consoleOut, "index.html"), page);
console.log(`console: ${js} (${consoleCode.length} bytes), ${css}`);

// The API reference page's Swagger UI (chalicelib/web/docs_page.py), served by the API itself.
const docs = join(here, "..", "chalicelib", "web", "docs_assets");
mkdirSync(docs, { recursive: true });
const swagger = join(here, "..", "node_modules", "swagger-ui-dist");
for (const name of ["swagger-ui-bundle.js", "swagger-ui.css"]) {
  copyFileSync(join(swagger, name), join(docs, name));
}
console.log(`docs: Swagger UI into ${docs}`);
