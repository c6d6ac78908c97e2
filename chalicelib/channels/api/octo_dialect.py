"""OCTO's conventions on the `/octo/*` routes: its error shape and statuses, and how the
OpenAPI document describes them. The route pipeline answers every refusal in our shape
(`{"error": {"code", "message", "details"}}`); the middleware hands each answer of an OCTO
route to `OCTO.answer`, which says it in OCTO's:

    {"error": "INVALID_PRODUCT_ID", "errorMessage": "...", "productId": "..."}

Statuses, as OCTO's documentation and resellers' validators expect them: 400 for every
refusal of the request (OCTO's INVALID_* errors, BAD_REQUEST, UNPROCESSABLE_ENTITY), 401
UNAUTHORIZED (no credential, or an unknown or revoked key), 403 FORBIDDEN (a key that is not
a partner's, a disabled connection). A dependency that is busy stays a 503 with Retry-After
(`SERVICE_UNAVAILABLE`): the caller should retry, and it is no error of OCTO's list. Nothing
answers INTERNAL_SERVER_ERROR: no request ends in a 500.

Which of our codes is which: the OCTO refusals (channels/domain/octo_errors.py) by name; the
request's form (bad JSON, wrong types, unknown media type, a missing field) BAD_REQUEST;
everything the engine refuses of a well-formed request (sold out, an illegal transition, a
rule of the offering) UNPROCESSABLE_ENTITY, with the engine's message.
"""

from __future__ import annotations

import json
from typing import Any

from chalice import Response

from chalicelib.web.route_spec import RouteSpec

# Our code -> (OCTO's error, the field of the body that names the culprit).
NAMED: dict[str, tuple[str, str | None]] = {
    "invalid_product_id": ("INVALID_PRODUCT_ID", "productId"),
    "invalid_option_id": ("INVALID_OPTION_ID", "optionId"),
    "invalid_unit_id": ("INVALID_UNIT_ID", "unitId"),
    "invalid_availability_id": ("INVALID_AVAILABILITY_ID", "availabilityId"),
    "invalid_booking_uuid": ("INVALID_BOOKING_UUID", "uuid"),
    "octo_bad_request": ("BAD_REQUEST", None),
    "octo_unprocessable": ("UNPROCESSABLE_ENTITY", None),
}
# The request's form: OCTO's BAD_REQUEST.
FORM = frozenset(
    {
        "validation_failed",
        "malformed_json",
        "unsupported_media_type",
        "method_not_allowed",
        "bad_request",
        "error",
    }
)
# A path id too long to name anything (web/routing.MAX_PATH_PARAM_BYTES), by parameter.
PATH_IDS = {
    "uuid": ("INVALID_BOOKING_UUID", "uuid"),
    "product_id": ("INVALID_PRODUCT_ID", "productId"),
}
BUSY = "SERVICE_UNAVAILABLE"

_ERROR = {
    "type": "object",
    "required": ["error", "errorMessage"],
    "properties": {
        "error": {"type": "string"},
        "errorMessage": {"type": "string"},
        **{field: {"type": "string"} for _, field in NAMED.values() if field},
    },
}
RESPONSES: dict[str, tuple[str, dict[str, Any]]] = {
    "400": (
        "OCTO's refusals: INVALID_PRODUCT_ID, INVALID_OPTION_ID, INVALID_UNIT_ID, "
        "INVALID_AVAILABILITY_ID, INVALID_BOOKING_UUID, BAD_REQUEST, UNPROCESSABLE_ENTITY.",
        {},
    ),
    "401": ("UNAUTHORIZED: no partner key, or an unknown or revoked one.", {}),
    "403": ("FORBIDDEN: a key that is not a partner's, or a disabled connection.", {}),
    "503": (
        "SERVICE_UNAVAILABLE: busy; retry after Retry-After.",
        {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}},
    ),
}


def octo_error(status: int, error: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Our error (`code`, `message`, `details`) of `status` as OCTO's status and body."""
    code = str(error.get("code", ""))
    message = str(error.get("message", "")) or "The request was refused."
    details = error.get("details") or {}
    named = NAMED.get(code)
    if named is None and code == "not_found":
        named = PATH_IDS.get(str(details.get("parameter", "")))
    if named is not None:
        name, field = named
        body: dict[str, Any] = {"error": name, "errorMessage": message}
        if field is not None:
            body[field] = str(details.get(field, ""))
        return 400, body
    if status == 401:
        return 401, {"error": "UNAUTHORIZED", "errorMessage": message}
    if status == 403:
        return 403, {"error": "FORBIDDEN", "errorMessage": message}
    if status in (429, 503):
        return 503, {"error": BUSY, "errorMessage": message}
    if status >= 500:  # a bug, never a refusal: said as what it is (the tests allow none)
        return status, {"error": "INTERNAL_SERVER_ERROR", "errorMessage": message}
    name = "BAD_REQUEST" if code in FORM else "UNPROCESSABLE_ENTITY"
    if name == "BAD_REQUEST" and details.get("fields"):
        first = details["fields"][0]
        message = f"{message} {first.get('field')}: {first.get('message')}".strip()
    return 400, {"error": name, "errorMessage": message}


class OctoDialect:
    """The OCTO routes' answers and documentation (web/route_spec.Dialect)."""

    def answer(self, response: Response) -> Response:
        if response.status_code < 400:
            return response
        body = response.body
        try:
            parsed = json.loads(body) if isinstance(body, str | bytes) and body else body
        except ValueError:
            parsed = None
        error = parsed.get("error") if isinstance(parsed, dict) else None
        if not isinstance(error, dict):
            error = {"code": "error", "message": "The request was refused."}
        status, out = octo_error(response.status_code, error)
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        headers["Content-Type"] = "application/json"
        if status != 503:
            headers.pop("Retry-After", None)
        return Response(body=json.dumps(out), status_code=status, headers=headers)

    def document(self, operation: dict[str, Any], spec: RouteSpec) -> dict[str, Any]:
        success = {k: v for k, v in operation["responses"].items() if k.startswith("2")}
        for answer in success.values():
            answer["headers"] = {
                "Octo-Capabilities": {
                    "description": "The capabilities applied to this answer.",
                    "schema": {"type": "string"},
                }
            }
        errors = {
            status: {
                "description": text,
                "content": {"application/json": {"schema": _ERROR}},
                **({"headers": headers} if headers else {}),
            }
            for status, (text, headers) in RESPONSES.items()
        }
        return {**operation, "responses": {**success, **errors}}


OCTO = OctoDialect()
