"""Every list route that pages with a cursor (`cursor` or `after`) refuses one it never
gave with 422 `invalid_cursor`, rather than answering the first page as if none were sent;
the first page and the cursor it gives still work."""

from __future__ import annotations

import pytest

from tests.api.support import assert_error, forbid_server_errors

CURSOR_FIELDS = ("cursor", "after")
GARBAGE = ("garbage", "2026-12-01", "x" * 60)


@pytest.fixture(scope="module")
def routes():
    import app  # noqa: F401  (registers every route)
    from chalicelib.web.route_spec import REGISTRY

    found = {}
    for s in REGISTRY:
        fields = [f for f in (s.query.model_fields if s.query else ()) if f in CURSOR_FIELDS]
        if s.method == "GET" and fields:
            found[s.path] = fields[0]
    return found


# Each such route with its path filled in: the test below checks none is missing.
PATHS = {
    "/v1/orders": "/v1/orders",
    "/v1/coupons": "/v1/coupons",
    "/v1/customers": "/v1/customers?name=ada",
    "/v1/customers/{customer_id}/orders": "/v1/customers/{customer}/orders",
    "/v1/gift-cards": "/v1/gift-cards",
    "/v1/invoices": "/v1/invoices?month=2026-12",
    "/v1/alerts": "/v1/alerts",
    "/v1/takings/{date}": "/v1/takings/2026-12-01",
    "/v1/audit": "/v1/audit",
    "/v1/webhooks/endpoints/{endpoint_id}/deliveries": (
        "/v1/webhooks/endpoints/{endpoint}/deliveries"
    ),
}
# `after` there is not a page but where the next look at new alerts starts: 422 of its own.
OWN_CODE = {"/v1/alerts": "invalid_after"}
# A coupon list's `after` is a code, and any code is a place in their order.
SHAPED_ALIKE = {("/v1/coupons", "garbage"), ("/v1/coupons", "2026-12-01")}


@pytest.fixture
def shop(api):
    forbid_server_errors(api)
    tenant = api.signup("cursor-shop")
    auth = tenant["secret_key"]
    hook = {"url": "https://hooks.example.com/x", "event_types": ["*"]}
    endpoint = api.call("POST", "/v1/webhooks/endpoints", auth=auth, body=hook).data["id"]
    ids = {"endpoint": endpoint, "customer": "cus_nobody"}  # its first page is 404
    return tenant, ids


def test_every_route_with_a_cursor_is_in_the_list(routes):
    assert set(routes) == set(PATHS)


@pytest.mark.parametrize("route", sorted(PATHS))
@pytest.mark.parametrize("garbage", GARBAGE)
def test_a_cursor_the_list_never_gave_is_422(api, shop, routes, route, garbage):
    if (route, garbage) in SHAPED_ALIKE:
        pytest.skip("a position of the shape the list gives")
    tenant, ids = shop
    path = PATHS[route].format(**ids)
    first = api.call("GET", path, auth=tenant["secret_key"])
    assert first.status_code == (404 if "cus_nobody" in path else 200), first.body
    joined = "&" if "?" in path else "?"
    bad = api.call("GET", f"{path}{joined}{routes[route]}={garbage}", auth=tenant["secret_key"])
    error = assert_error(bad, 422, OWN_CODE.get(route, "invalid_cursor"))
    assert error["details"].get("field", routes[route]) == routes[route]


@pytest.mark.parametrize(
    "forged",
    [
        "/v1/audit?after=2026-19-99T99:99:99Z",  # an instant of the right shape, not a time
        "/v1/audit?after=2026-02-31T25:61:61Z",
        "/v1/takings/2026-12-01?after=2026-12-01T24:00:00Z",
        "/v1/gift-cards?cursor=2026-13-01T00:00:00Z~gc_x",
        "/v1/customers?name=ada&cursor=enp6",  # base64 of "zzz"
        "/v1/webhooks/endpoints/{endpoint}/deliveries?after=ATT%23zz",
    ],
)
def test_a_well_shaped_cursor_the_list_never_gave_is_422_not_a_page(api, shop, forged):
    """Outside testers' findings: each answered 200 with an empty page or an arbitrary one,
    which a client paging through takes for the end of the list or a place in it (the
    orders' own cursor: tests/unit/test_order_search.py)."""
    tenant, ids = shop
    r = api.call("GET", forged.format(**ids), auth=tenant["secret_key"])
    assert_error(r, 422, "invalid_cursor")
