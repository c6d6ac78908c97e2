"""Ids in the path longer than a DynamoDB key (2,048 bytes) are a 4xx, not a 500 from the
database's ValidationException: checked against DynamoDB Local, which enforces the limit
as DynamoDB does (the fakes do not)."""

from __future__ import annotations

import pytest

from chalicelib.web.route_spec import REGISTRY

LONG = "x" * 3000


@pytest.fixture
def tenant(live):
    tenant = live.signup("longids")
    live.provision(tenant["tenant_id"])
    return tenant


def test_no_get_route_answers_500_for_an_id_longer_than_a_key(live, tenant):
    import app  # noqa: F401 - registers the routes

    paths = sorted(
        {
            spec.path
            for spec in REGISTRY
            if spec.method == "GET" and "{" in spec.path and spec.access.value != "none"
        }
    )
    assert "/v1/orders/{order_id}" in paths
    answers = {}
    for template in paths:
        path = template
        while "{" in path:
            start, end = path.index("{"), path.index("}")
            path = path[:start] + LONG + path[end + 1 :]
        r = live.call("GET", path, auth=tenant["secret_key"])
        answers[template] = r.status_code
    assert {t: s for t, s in answers.items() if s >= 500} == {}
    assert answers["/v1/orders/{order_id}"] == answers["/v1/resources/{resource_id}"] == 404
