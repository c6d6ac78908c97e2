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
        if "number out of range" not in str(exc):
            raise
    too_long = [
        {"type": "finite_number", "loc": loc, "input": None}
        for loc in _infinite(loads_json(raw), ())
    ]
    raise ValidationError.from_exception_data(spec.body.__name__, too_long)  # type: ignore[arg-type]


def _infinite(doc: Any, at: tuple[str | int, ...]) -> list[tuple[str | int, ...]]:
    """Where `doc` holds an infinite number (a number too long: untrusted._json_int)."""
    if isinstance(doc, float) and doc in (float("inf"), float("-inf")):
        return [at]
    if isinstance(doc, dict):
        return [loc for k, v in doc.items() for loc in _infinite(v, (*at, k))]
    if isinstance(doc, list):
        return [loc for i, v in enumerate(doc) for loc in _infinite(v, (*at, i))]
    return []
