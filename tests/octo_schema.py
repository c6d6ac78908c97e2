"""OCTO's own OpenAPI document (npm `@octocloud/types`, pinned in package.json), read by
`openapi-schema-validator` (pinned in requirements-dev.txt), so the tests check every answer
of our OCTO API against the schema of its OCTO operation rather than against our own idea of it.

The document says "nullable object" as `{type: object, allOf: [$ref], nullable: true}`. OpenAPI
3.0 ignores `nullable` beside an `allOf` whose target is not nullable itself, so the validator
(rightly) refuses null there, although the spec means null to be allowed (a booking's
`cancellation` before a cancellation, `availability`, `voucher`, a unit item's `ticket`).
`nullable_all_of` rewrites each such part into `anyOf: [<the part>, {enum: [null]}]`, which
says the same thing in a form the validator understands; nothing else is changed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = ROOT / "node_modules" / "@octocloud" / "types" / "src" / "openapi.yaml"
BASE = "urn:octo-openapi"
PREFIX = "/octo"


def nullable_all_of(node: Any) -> Any:
    """`node` with every `{allOf: [...], nullable: true}` made `anyOf: [..., {enum: [null]}]`."""
    if isinstance(node, list):
        return [nullable_all_of(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: nullable_all_of(value) for key, value in node.items()}
    if out.get("nullable") is True and "allOf" in out:
        inner = {key: value for key, value in out.items() if key != "nullable"}
        return {"anyOf": [inner, {"enum": [None]}]}
    return out


@cache
def document() -> dict[str, Any]:
    import yaml

    with DOCUMENT.open(encoding="utf-8") as f:
        return nullable_all_of(yaml.safe_load(f))


@cache
def _registry() -> Any:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    resource = Resource.from_contents(document(), default_specification=DRAFT4)
    return Registry().with_resource(BASE, resource)


def _rebased(node: Any) -> Any:
    """Local `#/...` references made absolute, so a schema cut out of the document still
    resolves them against the whole document."""
    if isinstance(node, list):
        return [_rebased(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        key: (BASE + value if key == "$ref" and value.startswith("#") else _rebased(value))
        for key, value in node.items()
    }


def operation(method: str, path: str) -> dict[str, Any]:
    """OCTO's operation for our route `path` (`/octo/bookings/{uuid}`): the same path without
    our prefix, with or without OCTO's trailing slash."""
    paths = document()["paths"]
    bare = path.removeprefix(PREFIX)
    for candidate in (bare, bare + "/"):
        if candidate in paths and method.lower() in paths[candidate]:
            return paths[candidate][method.lower()]
    raise KeyError(f"OCTO's document has no {method} {path}")


def response_schema(method: str, path: str, status: int) -> dict[str, Any]:
    """The schema OCTO gives the answer: its 200's, or for an error its 400's (OCTO lists
    every error under 400), or the base error shape for 401 and 403, which it does not list."""
    responses = operation(method, path)["responses"]
    if status < 400:
        return responses["200"]["content"]["application/json"]["schema"]
    if status == 400 and "400" in responses:
        return responses["400"]["content"]["application/json"]["schema"]
    return {"$ref": "#/components/schemas/BaseError"}


def problems(method: str, path: str, status: int, body: Any) -> list[str]:
    """What is wrong with `body` as OCTO's answer of `status` to `method path` (empty: none)."""
    from openapi_schema_validator import OAS30Validator, oas30_format_checker

    schema = _rebased(response_schema(method, path, status))
    validator = OAS30Validator(schema, registry=_registry(), format_checker=oas30_format_checker)
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(body)'}: {error.message}"
        for error in validator.iter_errors(body)
    ]


def check(method: str, path: str, response: Any) -> Any:
    """Assert that an answer (tests/api/support's response: `status_code`, `headers`, `data`)
    is what OCTO's document says this operation answers; returns its body. A success answer
    also names the capabilities it applied (`Octo-Capabilities`, required by OCTO)."""
    status, body = response.status_code, response.data
    found = problems(method, path, status, body)
    assert not found, f"{method} {path} {status} breaks OCTO's schema: {found[:5]}"
    if status < 400:
        headers = {k.lower(): v for k, v in response.headers.items()}
        assert "octo-capabilities" in headers, f"{method} {path}: no Octo-Capabilities header"
    return body
