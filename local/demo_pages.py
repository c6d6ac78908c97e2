"""The demo businesses' websites, with the booking widget embedded: what `make dev` prints.

A small static site on 127.0.0.1 (a thread of the process that starts it, stopped by it):
`/widget/` serves the built widget (web/dist/widget, `node web/build.mjs`), and each page is a
business's home page carrying the one tag a business adds. The browser tests serve their own
pages (a hostile one, say) through the same class.
"""

from __future__ import annotations

import html
import mimetypes
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WIDGET_DIR = ROOT / "web" / "dist" / "widget"
CONSOLE_DIR = ROOT / "web" / "dist" / "console"

TAGLINES = {
    "hotel": "Rooms by the water, breakfast on the terrace.",
    "appointments": "Cuts, colour and care, six days a week.",
    "tours": "Small groups to the quiet stretches of the Great Wall.",
}


def widget_tag(
    *,
    key: str,
    api: str,
    stripe_js: str = "",
    payment_form: str = "",
    offering: str = "",
    lang: str = "",
    extra: str = "",
) -> str:
    """The one tag a business adds to its page (the script is loaded once per page)."""
    attributes = {
        "key": key,
        "api": api,
        "offering": offering,
        "lang": lang,
        "stripe-js": stripe_js,
        "payment-form": payment_form,
    }
    written = " ".join(f'{k}="{html.escape(v)}"' for k, v in attributes.items() if v)
    return f"<reservoir-booking {written}{extra}></reservoir-booking>"


def business_page(
    *, name: str, business_type: str, lang: str, tag: str, head: str = "", body_style: str = ""
) -> str:
    """A business's home page with the widget: its own fonts and colours around it, and a
    language switch that sets the widget's `lang`."""
    return f"""<!doctype html>
<html lang="{html.escape(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(name)}</title>
<style>
  body {{ margin: 0; font-family: Georgia, "Times New Roman", serif; background: #f6f1e7;
    color: #2b2118; {body_style} }}
  header {{ background: #23395b; color: #fff; padding: 1.5rem 1rem; }}
  header h1 {{ margin: 0 0 .25rem; }}
  main {{ max-width: 60rem; margin: 0 auto; padding: 1rem; }}
  nav button {{ font: inherit; margin-inline-end: .5rem; }}
</style>
<script src="/widget/reservoir-widget.js" defer></script>
{head}
</head>
<body>
<header>
  <h1>{html.escape(name)}</h1>
  <p>{html.escape(TAGLINES.get(business_type, ""))}</p>
  <nav aria-label="Language">
    <button type="button" data-lang="en">English</button>
    <button type="button" data-lang="zh-Hans">中文</button>
  </nav>
</header>
<main>
  <h2>Book online</h2>
  {tag}
</main>
<script>
  for (const b of document.querySelectorAll("[data-lang]")) {{
    b.addEventListener("click", () => {{
      document.documentElement.lang = b.dataset.lang;
      for (const w of document.querySelectorAll("reservoir-booking")) {{
        w.setAttribute("lang", b.dataset.lang);
      }}
    }});
  }}
</script>
</body>
</html>
"""


class _Handler(BaseHTTPRequestHandler):
    site: StaticSite  # set on the subclass each site makes

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        path = self.path.split("?", 1)[0]
        body: bytes | None = None
        kind = "text/html; charset=utf-8"
        if path in self.site.pages:
            body = self.site.pages[path].encode()
            if path.endswith(".js"):
                kind = "application/javascript; charset=utf-8"
            elif path.endswith(".json"):
                kind = "application/json"
        else:
            for prefix, folder in self.site.folders.items():
                if not path.startswith(prefix):
                    continue
                file = (folder / (path.removeprefix(prefix) or "index.html")).resolve()
                if file.parent == folder.resolve() and file.is_file():
                    body = file.read_bytes()
                    kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
                    if kind.startswith("text/") or kind.endswith("javascript"):
                        kind += "; charset=utf-8"
                break
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        return


class StaticSite:
    """Pages (path -> text) and built files (`folders`: a path prefix -> the folder it serves,
    the built widget under `/widget/` by default), on 127.0.0.1:`port` from a thread."""

    name = "pages"

    def __init__(
        self,
        port: int,
        pages: Mapping[str, str] | None = None,
        widget_dir: Path = WIDGET_DIR,
        *,
        folders: Mapping[str, Path] | None = None,
        name: str = "pages",
    ) -> None:
        self.port = port
        self.pages: dict[str, str] = dict(pages or {})
        self.widget_dir = widget_dir
        self.folders: dict[str, Path] = (
            dict(folders) if folders is not None else {"/widget/": widget_dir}
        )
        self.name = name
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> StaticSite:
        for folder in self.folders.values():
            if not any(folder.glob("*")):
                raise RuntimeError(f"nothing built in {folder}: run `node web/build.mjs` first")
        handler = type("SiteHandler", (_Handler,), {"site": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="static-site", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> StaticSite:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()
