"""Defects an outside tester found in the OCTO API on a running stack, each pinned here through
the route, every answer checked against OCTO's own document (tests/octo_schema.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests import octo_schema
from tests.api.octo_support import Reseller, octo, tour_operator
from tests.api.support import forbid_server_errors

TOUR = {"productId": "off_tour", "optionId": "DEFAULT"}


@pytest.fixture
def shop(api) -> Reseller:
    forbid_server_errors(api)
    return tour_operator(api, "wall-tours")


def _day(api, days: int = 30) -> str:
    return (api.container.clock.moment + timedelta(days=days)).date().isoformat()


def refused(response, method: str, path: str, status: int, error: str) -> dict:
    assert response.status_code == status, response.body
    body = response.data
    assert body["error"] == error and body["errorMessage"], body
    assert not octo_schema.problems(method, path, status, body), body
    return body


@pytest.mark.parametrize(
    ("method", "path"),
    [("DELETE", "/octo/products"), ("GET", "/octo/availability"), ("PUT", "/octo/bookings/x")],
)
def test_a_method_the_route_does_not_take_is_refused_in_octos_shape(api, shop, method, path):
    r = api.call(method, path, auth=shop.key, body={} if method == "PUT" else None)
    assert r.status_code in (400, 405), r.body
    assert isinstance(r.data["error"], str) and r.data["errorMessage"], r.body
    assert r.data["error"] == "BAD_REQUEST"


def test_a_publishable_key_is_told_a_partner_key_is_needed(api, shop):
    r = api.call("GET", "/octo/products", auth=shop.tenant["publishable_key"])
    body = refused(r, "GET", "/octo/products", 403, "FORBIDDEN")
    assert "partner" in body["errorMessage"] and "secret key" not in body["errorMessage"]
