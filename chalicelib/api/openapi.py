"""The OpenAPI 3.1 document, generated from the route registry and its pydantic models."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chalicelib.api.models import ErrorOut
from chalicelib.api.routing import REGISTRY, Access, RouteSpec
from chalicelib.domain.keys import KeyScope

REF = "#/components/schemas/{model}"
ERROR_STATUSES = {
    "400": "Malformed request (for example, a body that is not JSON).",
    "401": "Missing, invalid or expired credentials.",
    "403": "The credentials may not do this (role, key kind, suspended tenant).",
    "404": "Not found (or it belongs to another tenant).",
    "409": "Conflicts with the current state.",
    "412": "If-Match names a version that is no longer current.",
    "415": "The body is not application/json.",
    "422": "Invalid fields, unknown fields, wrong types.",
    "428": "This change needs If-Match with the current ETag.",
    "503": "A dependency is busy; retry after the Retry-After header.",
}


def _models() -> list[type[BaseModel]]:
    seen: dict[str, type[BaseModel]] = {"ErrorOut": ErrorOut}
    for spec in REGISTRY:
        for model in (spec.body, spec.response):
            if model is not None:
                seen[model.__name__] = model
    return list(seen.values())


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(ref_template=REF)
    required = set(schema.get("required", []))
    return [
        {"name": name, "in": "query", "required": name in required, "schema": prop}
        for name, prop in schema.get("properties", {}).items()
    ]


def _operation(spec: RouteSpec) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": spec.name,
        "summary": spec.summary,
        "tags": [spec.tag],
        "responses": {},
    }
    if spec.description:
        op["description"] = spec.description
    params = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"{(\w+)}", spec.path)
    ]
    if spec.query is not None:
        params += _query_parameters(spec.query)
    params += [
        {
            "name": name,
            "in": "header",
            "required": False,
            "description": text,
            "schema": {"type": "string"},
        }
        for name, text in spec.headers
    ]
    if params:
        op["parameters"] = params
    if spec.body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": REF.format(model=spec.body.__name__)}}
            },
        }
    if spec.response is not None:
        op["responses"][str(spec.status)] = {
            "description": spec.summary,
            "content": {
                "application/json": {"schema": {"$ref": REF.format(model=spec.response.__name__)}}
            },
        }
    else:
        op["responses"][str(spec.status)] = {"description": spec.summary}
    error = {"content": {"application/json": {"schema": {"$ref": REF.format(model="ErrorOut")}}}}
    for status, text in ERROR_STATUSES.items():
        if spec.access is Access.NONE and status in {"401", "403"}:
            continue
        if spec.body is None and status in {"400", "415"}:
            continue
        op["responses"][status] = {"description": text, **error}
    if spec.rate_limit is not None:
        op["responses"]["429"] = {
            "description": "Over budget for this window (rate_limited); retry after Retry-After.",
            "headers": {
                "Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}
            },
            **error,
        }
    if spec.access is Access.NONE:
        op["security"] = []
    else:
        op["security"] = [{"apiKey": []}, {"staffToken": []}]
        roles = ", ".join(sorted(r.value for r in spec.roles))
        public = spec.access is Access.PUBLIC
        who = "A publishable key, or a secret key" if public else "A secret key"
        narrow = [s.value for s in sorted(spec.scopes) if s is not KeyScope.FULL]
        scopes = "".join(f" (a `{s}` key too)" for s in narrow)
        op["description"] = (
            op.get("description", "") + f"\n\n{who} or staff login with role: {roles}{scopes}."
        ).strip()
    return op


def build_document(server_url: str = "/") -> dict[str, Any]:
    _, defs = models_json_schema([(m, "serialization") for m in _models()], ref_template=REF)
    paths: dict[str, dict[str, Any]] = {}
    for spec in REGISTRY:
        paths.setdefault(spec.path, {})[spec.method.lower()] = _operation(spec)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Reservoir API",
            "version": "1.0.0",
            "description": (
                "Booking and order management for small businesses. Authenticate with "
                "`Authorization: Bearer <key>`: a secret key (`sk_...`) from your servers, a "
                "publishable key (`pk_...`) from the booking widget (public endpoints only), "
                "or a staff user's Cognito ID token. Errors are "
                '`{"error": {"code", "message", "details"}}`.'
            ),
        },
        "servers": [{"url": server_url}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": defs.get("$defs", {}),
            "securitySchemes": {
                "apiKey": {"type": "http", "scheme": "bearer", "description": "sk_... or pk_..."},
                "staffToken": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            },
        },
    }
