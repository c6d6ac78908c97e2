"""The OPTIONS view of every path: a browser's preflight before a cross-origin request.

Registered by `routing.route()`, once per path. Not a RouteSpec: a preflight takes no
credential and no input, and is not an operation of the API's document. What it answers is
web/cors.py's decision.
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib import bootstrap
from chalicelib.web import cors
from chalicelib.web.errors import error_response
from chalicelib.web.route_spec import REGISTRY, Access

_PATHS: set[str] = set()


def add(bp: Blueprint, path: str) -> None:
    """Register `path`'s OPTIONS view on `bp`, unless some blueprint has it already."""
    if path in _PATHS:
        return
    _PATHS.add(path)

    def view(**_: str) -> Response:
        return answer(path, bp.current_request)

    view.__name__ = "preflight_" + "".join(c if c.isalnum() else "_" for c in path)
    bp.route(path, methods=["OPTIONS"])(view)


def answer(path: str, request: Any) -> Response:
    """The entry point of a preflight: the one place it takes the process's container."""
    specs = [s for s in REGISTRY if s.path == path]
    origin = {k.lower(): v for k, v in (request.headers or {}).items()}.get("origin")
    status, headers = cors.preflight(
        origin,
        public=all(s.access is Access.PUBLIC for s in specs),
        console_origin=bootstrap.container().settings.console_origin,
        methods=sorted({s.method for s in specs}),
    )
    if status >= 400:
        return error_response(
            status,
            "origin_not_allowed",
            "This route answers browsers on the console's origin only.",
            {"origin": origin},
            dict(headers),
        )
    return Response(body="", status_code=status, headers=dict(headers))
