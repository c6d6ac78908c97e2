"""Domain errors -> HTTP status and the one JSON error body.

Body: {"error": {"code": "...", "message": "...", "details": {...}}}
"""

from __future__ import annotations

import json
import re
from datetime import date
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


# The tags Pydantic puts in an error's location for the member of a union it tried
# ("function-after[_real_day(), constrained-str]", "literal['']", "str"): not a field. A
# dict's "[key]" is kept: it says the key, not the value, was wrong.
_UNION_TAG = re.compile(r"^[a-z-]+\[|^(str|int|float|bool|none|constrained-(str|int|float))$")


def validation_details(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """Pydantic's errors, reduced to what a client can act on (no echo of the input): one
    entry per field, named by the request's own path; a value no member of a union took
    (a birthday "--02-30": neither a day nor "") is one error at the field, the first
    member's, not one per member under Pydantic's tags (an outside tester's finding)."""
    fields: dict[str, dict[str, Any]] = {}
    for err in errors:
        path = [str(p) for p in err.get("loc", ()) if not _UNION_TAG.search(str(p))]
        field = ".".join(path) or "(body)"
        fields.setdefault(
            field,
            {"field": field, "problem": err.get("type", "invalid"), "message": plain(err)},
        )
    return {"fields": list(fields.values())}


_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}")  # a bound that is a day or an instant
_DATE_REPR = re.compile(r"^datetime\.date\(([0-9]+), ([0-9]+), ([0-9]+)\)$")


def _bound(bound: Any) -> str:
    """A bound as a person writes it: Pydantic's context holds a date, or its repr."""
    if isinstance(bound, date):
        return bound.isoformat()
    found = _DATE_REPR.match(str(bound))
    if found:
        return date(*(int(n) for n in found.groups())).isoformat()
    return str(bound)


def plain(err: dict[str, Any]) -> str:
    """Pydantic's message in words that say what to send, not how it was checked: an outside
    tester was answered an e-mail's regular expression, `datetime.date(2000, 1, 1)` and
    "Value error, ..." (its other messages say what they mean: kept)."""
    kind, ctx, msg = err.get("type", ""), err.get("ctx") or {}, str(err.get("msg", ""))
    if kind == "string_pattern_mismatch":
        return _form(str(ctx.get("pattern", "")))
    bounds = {
        "greater_than_equal": ("ge", "at least", "on or after"),
        "less_than_equal": ("le", "at most", "on or before"),
        "greater_than": ("gt", "more than", "after"),  # an amount of 0 or less (a tester's)
        "less_than": ("lt", "less than", "before"),
    }
    if kind in bounds and bounds[kind][0] in ctx:
        key, number, day = bounds[kind]
        bound = ctx[key]
        shown = _bound(bound)
        words = day if _ISO_DAY.match(shown) else number
        return f"Should be {words} {shown}."
    if kind in _SAID:
        return _SAID[kind](ctx)
    if kind == "extra_forbidden":
        return "This request takes no field by that name."
    if kind == "value_error":
        said = msg.removeprefix("Value error, ")
        if _NO_SUCH_DAY.search(said):  # Python's date(): the form is right, the day is not
            return NO_SUCH_DAY
        return said[:1].upper() + said[1:]
    return msg


NO_SUCH_DAY = (
    "There is no such day: enter a date of the calendar as YYYY-MM-DD, such as 2027-02-28."
)
_NO_SUCH_DAY = re.compile(
    r"(day|month) (value )?is out(side)? (of )?(expected )?range|month must be in"
)


def _at_least(ctx: dict[str, Any], what: str) -> str:
    least = int(ctx.get("min_length", 1))
    return "Should not be empty." if least == 1 else f"Should have at least {least} {what}."


def _at_most(ctx: dict[str, Any], what: str) -> str:
    return f"Should have at most {ctx.get('max_length')} {what}."


# Pydantic's own words for a length or a number, which an outside tester read as the parser's
# ("Dictionary should have at least 1 item after validation, not 0"): said as a person would.
_SAID: dict[str, Any] = {
    "string_too_short": lambda ctx: _at_least(ctx, "characters"),
    "string_too_long": lambda ctx: _at_most(ctx, "characters"),
    "too_short": lambda ctx: _at_least(ctx, "items"),
    "too_long": lambda ctx: _at_most(ctx, "items"),
    "int_parsing": lambda ctx: "Should be a whole number, such as 3.",
    "int_type": lambda ctx: "Should be a whole number, such as 3.",
    "int_from_float": lambda ctx: "Should be a whole number, such as 3, not a fraction.",
    "finite_number": lambda ctx: "Should be a number of at most 40 digits.",  # request_body.py
    # An outside integrator read "Input should have timezone info" and "Input should be a
    # valid list": the parser's words, not what to send.
    "timezone_aware": lambda ctx: "Give the time with its offset, such as 2026-12-05T00:00:00Z.",
    "literal_error": lambda ctx: f"Should be {ctx.get('expected')}.",
    "enum": lambda ctx: f"Should be {ctx.get('expected')}.",
    "list_type": lambda ctx: 'Should be a list in brackets, such as ["a", "b"].',
    "bool_parsing": lambda ctx: "Should be true or false.",
    "bool_type": lambda ctx: "Should be true or false.",
    "date_from_datetime_parsing": lambda ctx: (
        NO_SUCH_DAY
        if _NO_SUCH_DAY.search(str(ctx.get("error", "")))
        else "Enter a date as YYYY-MM-DD, such as 2026-12-24."
    ),
}


# A pattern's form in words, by what the pattern holds (the first that fits): an outside
# tester sent "25:00" and "6pm" as opening hours and "2026-12-30" as a start, and was told
# only that it was "not in the form the field takes".
_FORMS = (
    ("@", "Enter an e-mail address, such as name@example.com."),
    (  # a line's start (booking/api/local_start.py): an option's `start` as it came, too
        r"\(Z\|",
        "Enter the business's wall clock as YYYY-MM-DDTHH:MM, such as 2026-12-24T10:00, or "
        "with the zone's offset then, such as 2026-12-24T10:00+01:00.",
    ),
    (
        "T[0-9]{2}:[0-9]{2}",
        "Enter the business's wall clock as YYYY-MM-DDTHH:MM, such as 2026-12-24T10:00.",
    ),
    ("24:00", "Enter a time as HH:MM on the 24-hour clock, such as 09:30 (24:00 ends a day)."),
    (":[0-5][0-9]", "Enter a time as HH:MM on the 24-hour clock, such as 09:30."),
    ("-(0[1-9]|1[0-2])$", "Enter a month as YYYY-MM, such as 2026-12."),
    ("^[A-Z]{3}$", "Enter a currency's three-letter code, such as EUR."),
    ("^[a-z0-9-]+$", "Use small letters a-z, digits and hyphens only, such as harbour-view."),
    ("^[0-9+()./ -]", "Enter a phone number in digits, with its country code: +4915112345678."),
    ("^[A-Za-z0-9_-]+$", "Use letters, digits, _ and - only: an id as the API gave it."),
)
_CHOICES = re.compile(r"^\^\(([a-z_|]+)\)\(,\(\1\)\)\*\$$")  # search_models._list_of


def _form(pattern: str) -> str:
    """What a value of `pattern` looks like, in words; a pattern not named above: the docs."""
    listed = _CHOICES.match(pattern)
    if listed:
        words = listed.group(1).split("|")
        such = ",".join(words[:2])
        return f"Give one or more of {', '.join(words)}, separated by commas, such as {such}."
    return next(
        (words for part, words in _FORMS if part in pattern),
        "This is not in the form the field takes: see the API reference at /v1/docs.",
    )
