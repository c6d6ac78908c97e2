"""The OpenAPI 3.1 document, generated from the route registry and its pydantic models."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chalicelib.kernel.domain.errors import (
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    TenantNotReady,
    TransientFailure,
    Unauthenticated,
)
from chalicelib.tenancy.domain.keys import KeyScope
from chalicelib.tenancy.domain.rate_limits import RateLimited
from chalicelib.web.errors import status_of_class
from chalicelib.web.models import ErrorOut
from chalicelib.web.route_spec import REGISTRY, Access, RouteSpec

REF = "#/components/schemas/{model}"
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}}
RESPONSE_REF = "#/components/responses/{name}"
# Each error status once, as a component response with the one error body (ErrorOut).
ERRORS: dict[int, tuple[str, str]] = {
    400: ("BadRequest", "Malformed request (a body that is not JSON, a bad signature)."),
    401: ("Unauthenticated", "Missing, invalid or expired credentials."),
    402: ("PlanLimitReached", "The plan's limit is reached; upgrade the plan."),
    403: ("Forbidden", "The credentials may not do this (role, key kind, suspended tenant)."),
    404: ("NotFound", "Not found (or it belongs to another tenant)."),
    406: ("NotAcceptable", "The answer is a file of a type the request's Accept does not take."),
    409: ("Conflict", "Conflicts with the current state."),
    412: ("PreconditionFailed", "If-Match names a version that is no longer current."),
    413: ("PayloadTooLarge", "More than the operation takes at once (a file past its limits)."),
    415: ("UnsupportedMediaType", "The body is not application/json."),
    422: ("Unprocessable", "Invalid fields, unknown fields, wrong types, broken rules."),
    428: ("PreconditionRequired", "This change needs If-Match with the current ETag."),
    429: ("RateLimited", "Over budget for this window (rate_limited); retry after Retry-After."),
    502: ("ProviderError", "The payment provider refused the request."),
    503: ("Unavailable", "A dependency is busy; retry after the Retry-After header."),
}


def error_statuses(spec: RouteSpec) -> set[int]:
    """The error statuses an operation can answer, derived from what it can raise: its
    access (401, 403, and 409 while the tenant is set up), its body (400, 415, 422), its
    path parameters (404), the headers it reads, and the errors its use case declares.
    Every route refuses unknown query parameters (422). Statuses come from web/errors.py."""
    raised: list[type[DomainError]] = [*spec.raises, InvalidInput]
    if spec.access is not Access.NONE:
        # Credentials are checked against storage or the user pool: busy is 503.
        raised += [Unauthenticated, Forbidden, TransientFailure]
        if spec.needs_active_tenant:
            raised.append(TenantNotReady)
    if re.search(r"{\w+}", spec.path):
        raised.append(NotFound)
    for header in spec.request_headers:
        raised += header.raises
    if spec.rate_limit is not None:
        raised.append(RateLimited)
    statuses = {status_of_class(cls) for cls in raised}
    if spec.body is not None or spec.method in ("POST", "PUT", "PATCH"):
        statuses |= {400, 415}  # malformed JSON; chalice refuses other content types
    return statuses


def body_required(model: type[BaseModel]) -> bool:
    """Whether an empty body is refused: the pipeline reads no body as `{}`."""
    from pydantic import ValidationError

    try:
        model.model_validate_json(b"{}", strict=True)
    except ValidationError:
        return True
    return False


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
            "name": h.name,
            "in": "header",
            "required": h.required,
            "description": h.description,
            "schema": dict(h.schema),
        }
        for h in spec.request_headers
    ]
    if params:
        op["parameters"] = params
    if spec.body is not None:
        op["requestBody"] = {
            "required": body_required(spec.body),
            "content": {
                "application/json": {"schema": {"$ref": REF.format(model=spec.body.__name__)}}
            },
        }
    op["responses"][str(spec.status)] = _success(spec)
    for status in sorted(error_statuses(spec)):
        op["responses"][str(status)] = {"$ref": RESPONSE_REF.format(name=ERRORS[status][0])}
    if spec.access is Access.NONE:
        op["security"] = []
    else:
        op["security"] = [{"secretKey": []}, {"staffToken": []}]
        if spec.access is Access.PUBLIC:
            op["security"].insert(0, {"publishableKey": []})
        if KeyScope.PARTNER in spec.scopes:  # a partner's key, never a staff login
            op["security"] = [{"secretKey": []}]
        op["description"] = (op.get("description", "") + "\n\n" + _who(spec)).strip()
    if spec.dialect is not None:
        return spec.dialect.document(op, spec)
    return op


SECURITY_SCHEMES = {
    "secretKey": {
        "type": "http",
        "scheme": "bearer",
        "description": "A secret key `sk_...`: the tenant's own servers. It acts with its role "
        "and scope (shown once at sign-up or when made: `POST /v1/keys`).",
    },
    "publishableKey": {
        "type": "http",
        "scheme": "bearer",
        "description": "A publishable key `pk_...`: the booking widget, on `/v1/public/*` only, "
        "from the tenant's widget origins in a browser.",
    },
    "staffToken": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "A staff user's Cognito ID token (the console's sign-in); its role "
        "(owner, manager, staff, viewer) decides what it may do.",
    },
}


def _who(spec: RouteSpec) -> str:
    if KeyScope.PARTNER in spec.scopes:
        return "A channel partner's key only (scope `partner`, made for its connection)."
    roles = ", ".join(sorted(r.value for r in spec.roles))
    who = "A publishable key, or a secret key" if spec.access is Access.PUBLIC else "A secret key"
    narrow = [s.value for s in sorted(spec.scopes) if s is not KeyScope.FULL]
    scopes = "".join(f" (a `{s}` key too)" for s in narrow)
    return f"{who} or staff login with role: {roles}{scopes}."


def _success(spec: RouteSpec) -> dict[str, Any]:
    if spec.response is not None:
        schema: dict[str, Any] = {"$ref": REF.format(model=spec.response.__name__)}
    elif spec.media_type == "application/json":
        schema = {"type": "object"}
    elif spec.media_type is not None and spec.media_type.startswith("text/"):
        schema = {"type": "string"}
    elif spec.media_type is not None:
        schema = {"type": "string", "format": "binary"}
    else:
        return {"description": spec.summary}  # 204: no content
    return {
        "description": spec.summary,
        "content": {spec.media_type or "application/json": {"schema": schema}},
    }


def build_document(server_url: str = "/") -> dict[str, Any]:
    error_ref = REF.format(model="ErrorOut")
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
            "responses": {
                name: {
                    "description": text,
                    "content": {"application/json": {"schema": {"$ref": error_ref}}},
                    **({"headers": RETRY_AFTER} if status in (429, 503) else {}),
                }
                for status, (name, text) in ERRORS.items()
            },
            "securitySchemes": SECURITY_SCHEMES,
        },
    }
