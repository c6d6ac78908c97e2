"""The OpenAPI fuzz's machinery, shared by tests/api/test_fuzz_api.py (in process, over
chalice.test) and bench/fuzz.py (over HTTP against `chalice local`).

schemathesis generates each case from the app's own OpenAPI document; `run_operation` sends
it with credentials and ids that exist, then runs schemathesis's checks on the answer: no 5xx,
a documented status, the documented content type and body schema, and (for the negative
cases, which break the schema on purpose) a 4xx. The transport is a function, so the same run
goes through chalice.test in the suite and through a socket in the bench.

Cases are biased, not only random: most of them name path ids that exist in the tenant (a
resource, an order, a key, ...) and half of the positive ones name offerings and resources that
exist in their body or query, so the fuzz reaches the code behind the 404; public order routes
get the order's manage token. Credentials never include the key the run itself authenticates
with among the ids, so no operation revokes the run's own credential.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import hypothesis
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st

Send = Callable[[str, str, dict[str, str], bytes], tuple[int, dict[str, str], bytes]]


@dataclass
class World:
    """One tenant with something of everything, and the credentials to call it with."""

    tenant_auth: list[str | None]  # for the tenant's routes: most useful first
    public_auth: list[str | None]  # for the widget's routes
    ids: dict[str, list[str]]  # path parameter name -> values that exist
    # body or query field name -> values that exist (an offering id in an order's lines)
    fields: dict[str, list[str]] = field(default_factory=dict)
    manage_tokens: dict[str, str] = field(default_factory=dict)  # order id -> its token
    # For the partner routes (`/octo/*`, `/v1/partner/*`): a partner key; empty: tenant_auth.
    partner_auth: list[str | None] = field(default_factory=list)


PARTNER_PATHS = ("/octo/", "/v1/partner/")


@dataclass
class Outcome:
    operation: str
    cases: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failure: str | None = None


def load_schema(document: dict[str, Any]) -> Any:
    import schemathesis

    # Credentials are the run's own (World); schemathesis does not make up Authorization.
    config = schemathesis.Config.from_dict({"generation": {"with-security-parameters": False}})
    return schemathesis.openapi.from_dict(document, config=config)


def checks() -> list[Any]:
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        negative_data_rejection,
        response_schema_conformance,
        status_code_conformance,
    )

    return [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
        negative_data_rejection,
    ]


def _params(operation: Any, where: str) -> set[str]:
    return {p["name"] for p in operation.definition.raw.get("parameters", []) if p["in"] == where}


def strategy(operation: Any, world: World) -> Any:
    """Positive and negative cases, each with random ids or ids that exist."""
    from schemathesis import GenerationMode

    path_names = sorted(_params(operation, "path"))
    headers = _params(operation, "header")
    fixed: list[tuple[dict[str, str], dict[str, str]]] = [({}, {})]
    if path_names and all(world.ids.get(n) for n in path_names):
        for i in range(max(len(world.ids[n]) for n in path_names)):
            path = {n: world.ids[n][i % len(world.ids[n])] for n in path_names}
            fixed_headers = {}
            token = world.manage_tokens.get(path.get("order_id", ""))
            if "X-Manage-Token" in headers and token:
                fixed_headers["X-Manage-Token"] = token
            fixed.append((path, fixed_headers))
    cases = [
        operation.as_strategy(mode, path_parameters=path or None, headers=hdrs or None)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        for path, hdrs in fixed
    ]
    access = operation.definition.raw.get("security")
    if access == []:
        auth = [None]
    elif operation.path.startswith("/v1/public/"):
        auth = world.public_auth
    elif world.partner_auth and operation.path.startswith(PARTNER_PATHS):
        auth = world.partner_auth
    else:
        auth = world.tenant_auth
    return st.tuples(st.one_of(cases), st.sampled_from(auth), st.integers(0, 7))


def _with_known_fields(value: Any, fields: dict[str, list[str]], pick: int) -> Any:
    """`value` with every field named in `fields` set to one that exists."""
    if isinstance(value, dict):
        return {
            k: fields[k][pick % len(fields[k])]
            if k in fields and isinstance(v, str)
            else _with_known_fields(v, fields, pick)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_with_known_fields(v, fields, pick) for v in value]
    return value


def bias(case: Any, world: World, pick: int) -> None:
    """Half of the positive cases name fields that exist (a negative case keeps its fields:
    replacing one could repair the very part that was made invalid)."""
    from schemathesis import GenerationMode

    meta = case.meta
    if pick % 2 or meta is None or meta.generation.mode is not GenerationMode.POSITIVE:
        return
    if isinstance(case.body, dict | list):
        case.body = _with_known_fields(case.body, world.fields, pick // 2)
    if case.query:
        case.query = _with_known_fields(dict(case.query), world.fields, pick // 2)


def _request(case: Any, auth: str | None) -> Any:
    import requests

    kwargs = case.as_transport_kwargs(base_url="http://localhost")
    headers = dict(kwargs.get("headers") or {})
    if auth is not None:
        headers["Authorization"] = f"Bearer {auth}"
    return requests.Request(
        method=kwargs["method"],
        url=kwargs["url"],
        headers=headers,
        params=kwargs.get("params"),
        json=kwargs.get("json"),
        data=kwargs.get("data"),
    ).prepare()


def run_operation(
    operation: Any,
    world: World,
    send: Send,
    *,
    examples: int,
    seed: int | None = None,
) -> Outcome:
    """`examples` cases of one operation; stops at its first failure. Derandomised (the same
    cases every run) unless a `seed` is given."""
    from schemathesis import Response

    label = f"{operation.method.upper()} {operation.path}"
    outcome = Outcome(label)
    selected = checks()

    @hypothesis.seed(seed or 0)
    @hypothesis.settings(
        max_examples=examples,
        derandomize=seed is None,
        database=None,
        deadline=None,
        phases=[Phase.generate],  # no shrinking: the run is bounded, the report says the case
        suppress_health_check=list(HealthCheck),
        verbosity=hypothesis.Verbosity.quiet,
    )
    @hypothesis.given(strategy(operation, world))
    def fuzz(drawn: tuple[Any, str | None, int]) -> None:
        case, auth, pick = drawn
        bias(case, world, pick)
        prepared = _request(case, auth)
        url = prepared.path_url
        body = prepared.body or b""
        started = time.perf_counter()
        status, headers, content = send(
            prepared.method or "GET",
            url,
            dict(prepared.headers),
            body.encode() if isinstance(body, str) else body,
        )
        response = Response(
            status_code=status,
            headers={k.lower(): [v] for k, v in headers.items()},
            content=content,
            request=prepared,
            elapsed=time.perf_counter() - started,
            verify=False,
        )
        outcome.cases += 1
        outcome.statuses[status] = outcome.statuses.get(status, 0) + 1
        case.validate_response(response, checks=selected)

    try:
        fuzz()
    # schemathesis's FailureGroup is a BaseExceptionGroup: any failure is reported with its case.
    except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001
        outcome.failure = f"{type(exc).__name__}: {exc}"
    return outcome


def summary(outcomes: list[Outcome], seconds: float) -> dict[str, Any]:
    statuses: dict[str, int] = {}
    for o in outcomes:
        for status, n in o.statuses.items():
            statuses[str(status)] = statuses.get(str(status), 0) + n
    return {
        "operations": len(outcomes),
        "cases": sum(o.cases for o in outcomes),
        "failures": sum(1 for o in outcomes if o.failure),
        "seconds": round(seconds, 1),
        "statuses": dict(sorted(statuses.items())),
    }


def report(outcomes: list[Outcome]) -> str:
    return "\n\n".join(f"{o.operation}\n{o.failure}" for o in outcomes if o.failure)


def as_json(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True)
