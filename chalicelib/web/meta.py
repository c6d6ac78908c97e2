"""The API describing itself: OpenAPI document, a human docs page, and a health check."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING

from chalice import Blueprint, Response

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
    from chalicelib.web.docs_page import PAGE

    return Response(
        body=PAGE, status_code=200, headers={"Content-Type": "text/html; charset=utf-8"}
    )


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
