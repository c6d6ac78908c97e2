"""Domain errors -> HTTP status and the one JSON error body.

Body: {"error": {"code": "...", "message": "...", "details": {...}}}
"""

from __future__ import annotations

import json
from typing import Any

from chalice import Response

from chalicelib.kernel.domain import errors as e
from chalicelib.tenancy.domain.plans import PlanLimitReached
from chalicelib.tenancy.domain.rate_limits import RateLimited

# Most specific class first: the first match wins.
STATUS: tuple[tuple[type[e.DomainError], int], ...] = (
    (e.Unauthenticated, 401),
    (e.Forbidden, 403),
    (e.NotFound, 404),
    (e.SlotUnavailable, 409),
    (e.HoldExpired, 409),
    (e.TenantNotReady, 409),
    (e.Conflict, 409),
    (e.PreconditionFailed, 412),
    (e.NotAcceptable, 406),
    (e.PreconditionRequired, 428),
    (e.PayloadTooLarge, 413),
    (PlanLimitReached, 402),
    (e.PaymentDeclined, 402),
    (RateLimited, 429),
    (e.UpstreamRefused, 502),
    (e.PolicyViolation, 422),
    (e.InvalidInput, 422),
    (e.TransientFailure, 503),
    (e.DomainError, 400),
)


def status_for(error: e.DomainError) -> int:
    return status_of_class(type(error))


def status_of_class(error_class: type[e.DomainError]) -> int:
    """The status of every error of this class (the OpenAPI document derives its statuses
    from the classes a route can raise, through this same table)."""
    for cls, status in STATUS:
        if issubclass(error_class, cls):
            return status
    return 400


def error_response(
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body = {"error": {"code": code, "message": message, "details": details or {}}}
    return Response(
        body=json.dumps(body, default=str),
        status_code=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def domain_error_response(error: e.DomainError) -> Response:
    status = status_for(error)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if isinstance(error, e.TransientFailure):
        headers = {"Retry-After": "1"}
    if isinstance(error, RateLimited):
        headers = {"Retry-After": str(error.retry_after)}
    return error_response(status, error.code, error.message, error.details, headers)


def validation_details(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """Pydantic's errors, reduced to what a client can act on (no echo of the input)."""
    return {
        "fields": [
            {
                "field": ".".join(str(p) for p in err.get("loc", ())) or "(body)",
                "problem": err.get("type", "invalid"),
                "message": err.get("msg", ""),
            }
            for err in errors
        ]
    }
