"""The API reference page: Swagger UI, installed from npm (`swagger-ui-dist`, pinned in
package-lock.json) and served by the API itself from the same origin, so "Try it out" sends
requests to this API with no CORS and no CDN. `make web` (web/build.mjs) copies its two files
into `docs_assets/` next to this module, which the Lambda package carries.

The page names the three ways to authenticate (the document's security schemes: a secret key,
a publishable key, a staff login's ID token); "Authorize" takes one.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "docs_assets"
# The files the page loads, and their media types; nothing else is served from the folder.
FILES = {
    "swagger-ui-bundle.js": "application/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
}

PAGE = r"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Reservoir API reference</title>
<link rel="stylesheet" href="docs/swagger-ui.css">
<style>body { margin: 0; } .topbar { display: none; }</style>
</head>
<body>
<div id="reference"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script>
  // The API's base is where this page is, one level up (on AWS that keeps the stage, /api):
  // "Try it out" sends requests there.
  var base = new URL("..", location.href).href.replace(/\/$/, "");
  fetch("openapi.json").then(function (answer) { return answer.json(); }).then(function (spec) {
    spec.servers = [{ url: base }];
    window.ui = SwaggerUIBundle({
      spec: spec,
      dom_id: "#reference",
      deepLinking: true,
      tryItOutEnabled: true,
      persistAuthorization: false,
      displayRequestDuration: true,
      docExpansion: "none",
      filter: true,
    });
  });
</script>
</body>
</html>
"""


@lru_cache(maxsize=len(FILES))
def asset(name: str) -> bytes | None:
    """One of the page's files, or None (not one of them, or not built: `make web`)."""
    if name not in FILES:
        return None
    path = ASSETS / name
    return path.read_bytes() if path.is_file() else None
