"""The API describing itself: OpenAPI document, a human docs page, and a health check."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING

from chalice import Blueprint, Response

from chalicelib.kernel.domain.errors import NotFound
from chalicelib.web.route_spec import Access
from chalicelib.web.routing import Call, route

if TYPE_CHECKING:
    from chalicelib.web.models import HealthOut

bp = Blueprint(__name__)


@lru_cache(maxsize=1)
def _document_json() -> str:
    from chalicelib.web.openapi import build_document

    return json.dumps(build_document(), indent=None)


@route(
    bp,
    "/v1/openapi.json",
    "GET",
    summary="The OpenAPI 3.1 document",
    tag="meta",
    access=Access.NONE,
    media_type="application/json",
)
def openapi(call: Call) -> Response:
    return Response(
        body=_document_json(), status_code=200, headers={"Content-Type": "application/json"}
    )


@route(
    bp,
    "/v1/docs",
    "GET",
    summary="Human-readable API reference",
    tag="meta",
    access=Access.NONE,
    media_type="text/html",
)
def docs(call: Call) -> Response:
    """Swagger UI over this document, served from this origin: "Try it out" calls this API."""
    from chalicelib.web.docs_page import PAGE

    return Response(
        body=PAGE, status_code=200, headers={"Content-Type": "text/html; charset=utf-8"}
    )


def _asset(name: str) -> Response:
    from chalicelib.web.docs_page import FILES, asset

    body = asset(name)
    if body is None:  # not built: `make web`
        raise NotFound("The reference page's files are not built.", code="not_found")
    headers: dict[str, str | list[str]] = {
        "Content-Type": FILES[name],
        "Cache-Control": "public, max-age=86400",
    }
    return Response(body=body.decode(), status_code=200, headers=headers)


@route(
    bp,
    "/v1/docs/swagger-ui-bundle.js",
    "GET",
    summary="The API reference page's script (Swagger UI)",
    tag="meta",
    access=Access.NONE,
    media_type="application/javascript",
)
def docs_script(call: Call) -> Response:
    return _asset("swagger-ui-bundle.js")


@route(
    bp,
    "/v1/docs/swagger-ui.css",
    "GET",
    summary="The API reference page's styles (Swagger UI)",
    tag="meta",
    access=Access.NONE,
    media_type="text/css",
)
def docs_styles(call: Call) -> Response:
    return _asset("swagger-ui.css")


@route(
    bp,
    "/v1/health",
    "GET",
    summary="Liveness",
    tag="meta",
    access=Access.NONE,
    response="chalicelib.web.models:HealthOut",
)
def health(call: Call) -> HealthOut:
    from chalicelib.web.models import HealthOut

    return HealthOut(status="ok")
