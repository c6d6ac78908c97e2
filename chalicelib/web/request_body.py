"""A request's JSON body, validated by its route's model: strictly (wrong types are errors,
never silently coerced), by pydantic's own JSON parser, which refuses a number longer than it
takes as invalid JSON. Such a body is valid JSON (an outside tester's 5,000 nines in a party
were "not valid JSON"): it is read again by the product's parser (kernel/domain/untrusted.py),
the number as infinity, and refused as a 422 naming each field that has one (no field takes a
number that long)."""

from __future__ import annotations

from typing import Any

from chalicelib.kernel.domain.untrusted import loads_json
from chalicelib.web.route_spec import RouteSpec


def parse_body(spec: RouteSpec, request: Any) -> Any:
    if spec.body is None:
        return None
    from pydantic import ValidationError  # loaded with the route's model: no cold-start cost

    raw = request.raw_body or b"{}"
    try:
        return spec.body.model_validate_json(raw, strict=True)
    except ValidationError as exc:
        if not _number_too_long(exc):
            raise
        try:  # the parser stopped at the number: the rest may still be malformed (400)
            found = _infinite(loads_json(raw), ())
        except ValueError:
            raise exc from None
        if not found:
            raise
    too_long = [{"type": "finite_number", "loc": loc, "input": None} for loc in found]
    raise ValidationError.from_exception_data(spec.body.__name__, too_long)  # type: ignore[arg-type]


def _number_too_long(exc: Any) -> bool:
    """The parser's own refusal of a long number (not a value that says those words)."""
    return any(
        e.get("type") == "json_invalid"
        and str(e.get("ctx", {}).get("error", "")).startswith("number out of range")
        for e in exc.errors(include_url=False, include_input=False)
    )


def _infinite(doc: Any, at: tuple[str | int, ...]) -> list[tuple[str | int, ...]]:
    """Where `doc` holds an infinite number (a number too long: untrusted._json_int)."""
    if isinstance(doc, float) and doc in (float("inf"), float("-inf")):
        return [at]
    if isinstance(doc, dict):
        return [loc for k, v in doc.items() for loc in _infinite(v, (*at, k))]
    if isinstance(doc, list):
        return [loc for i, v in enumerate(doc) for loc in _infinite(v, (*at, i))]
    return []
