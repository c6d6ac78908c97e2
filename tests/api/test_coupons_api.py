"""Coupons over HTTP: managers create, change and withdraw codes, staff list them with their
uses and orders, the widget checks a code before booking, and the staff's, the API's and the
widget's bookings redeem one as a discount on the bill. Bad input changes nothing; roles hold.
The hotel is in Berlin, the clock at 2026-11-24 09:00 UTC."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.catalog.domain.catalog import DepositKind, DepositPolicy
from tests.api.support import assert_error, forbid_server_errors, snapshot
from tests.api.test_notifications_api import deliver_events
from tests.builders import room_type, stay_offering

STAY = [{"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 2}]  # 2 x 120.00


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def open_inn(api, slug: str) -> dict[str, Any]:
    """A hotel paid at the venue with twenty double rooms: 120.00 a night, 7 % in."""
    tenant = api.signup(slug)
    c = api.container
    data = c.tenant_data.for_tenant(c.platform.get_tenant(tenant["tenant_id"]))
    data.catalog.put_resource(room_type(rooms=20), expected_rev=None)
    policy = DepositPolicy(DepositKind.NONE)
    data.catalog.put_offering(stay_offering(deposit=policy), expected_rev=None)
    return tenant


@pytest.fixture
def inn(api) -> dict[str, Any]:
    return open_inn(api, "coupon-inn")


def make(api, inn, auth=None, **body):
    terms = {"code": "winter10", "kind": "percent", "value": 1000, **body}
    return api.call("POST", "/v1/coupons", auth=auth or inn["secret_key"], body=terms)


def book(api, inn, path="/v1/orders", auth=None, email="ada@example.com", **extra):
    body = {"customer": {"name": "Ada", "email": email}, "lines": STAY, **extra}
    return api.call("POST", path, auth=auth or inn["secret_key"], body=body)


def test_a_manager_creates_a_coupon_and_staff_read_it(api, inn):
    r = make(api, inn, auth=api.owner_token(inn), max_uses=5, valid_until="2026-12-31")
    assert r.status_code == 201, r.body
    assert r.data["code"] == "WINTER10" and r.data["used"] == 0 and r.data["active"] is True
    staff = api.staff_token(inn, "viewer")
    one = api.call("GET", "/v1/coupons/winter10", auth=staff)
    assert one.status_code == 200 and one.data == r.data
    listed = api.call("GET", "/v1/coupons", auth=staff)
    assert listed.status_code == 200 and [c["code"] for c in listed.data["data"]] == ["WINTER10"]


def test_staff_may_not_create_and_bad_terms_change_nothing(api, inn):
    before = snapshot(api.container)
    assert_error(make(api, inn, auth=api.staff_token(inn, "staff")), 403)
    before = snapshot(api.container)
    assert_error(make(api, inn, value=10_001), 422, "invalid_coupon")
    assert_error(make(api, inn, code="a b"), 422)
    assert_error(make(api, inn, valid_from="2026-12-02", valid_until="2026-12-01"), 422)
    assert_error(make(api, inn, kind="gift"), 422)
    assert_error(make(api, inn, name="   "), 422)  # a tester's coupon named only spaces
    assert snapshot(api.container) == before
    assert api.call("GET", "/v1/coupons", auth=inn["secret_key"]).data["data"] == []


def test_a_code_is_made_once(api, inn):
    assert make(api, inn).status_code == 201
    assert_error(make(api, inn, code="Winter10"), 409, "coupon_exists")


def test_a_booking_with_a_code_shows_the_discount_and_the_coupon_counts_it(api, inn):
    make(api, inn)
    r = book(api, inn, coupon="winter10")
    assert r.status_code == 201, r.body
    assert r.data["totals"]["total"] == 24000 - 2400
    [discount] = r.data["charges"]
    assert discount["kind"] == "discount" and discount["total"] == -2400
    coupon = api.call("GET", "/v1/coupons/WINTER10", auth=inn["secret_key"]).data
    assert coupon["used"] == 1
    uses = api.call("GET", "/v1/coupons/WINTER10/redemptions", auth=inn["secret_key"])
    assert uses.status_code == 200
    assert [(u["order_id"], u["amount"]) for u in uses.data["data"]] == [(r.data["id"], 2400)]


def test_a_refused_code_books_nothing(api, inn):
    make(api, inn, code="ONCE", max_uses=1)
    assert book(api, inn, coupon="once").status_code == 201
    before = snapshot(api.container)
    assert_error(book(api, inn, coupon="once"), 409, "coupon_used_up")
    assert_error(book(api, inn, coupon="nope"), 404, "coupon_not_found")
    assert_error(book(api, inn, coupon="bad code!"), 422)
    assert snapshot(api.container) == before


def test_changing_and_withdrawing_a_code(api, inn):
    made = make(api, inn).data
    path = "/v1/coupons/WINTER10"
    terms = {"kind": "amount", "value": 500, "min_spend": 1000}
    r = api.call("PUT", path, auth=inn["secret_key"], body=terms, headers={"If-Match": '"1"'})
    assert r.status_code == 200, r.body
    assert (r.data["kind"], r.data["value"], r.data["version"]) == ("amount", 500, 2)
    stale = api.call("PUT", path, auth=inn["secret_key"], body=terms, headers={"If-Match": '"1"'})
    assert_error(stale, 409, "version_mismatch")
    off = api.call("POST", f"{path}/disable", auth=inn["secret_key"], body={})
    assert off.status_code == 200 and off.data["active"] is False
    assert_error(book(api, inn, coupon="winter10"), 409, "coupon_inactive")
    assert made["created_at"] == off.data["created_at"]


def test_the_widget_checks_a_code_and_books_with_it(api, inn):
    make(api, inn, per_customer=1)
    key = inn["publishable_key"]
    body = {"code": "winter10", "email": "ada@example.com"}
    check = api.call(
        "POST",
        "/v1/public/coupons/check",
        auth=key,
        body={**body, "lines": [{"offering_id": "off_stay", "amount": 24000}]},
    )
    assert check.status_code == 200, check.body
    assert (check.data["kind"], check.data["discount"]) == ("percent", 2400)
    r = book(api, inn, path="/v1/public/orders", auth=key, coupon="WINTER10")
    assert r.status_code == 201, r.body
    assert r.data["totals"]["total"] == 21600
    # The check answers the same whether the address used the code or not (it would tell
    # anyone who used it); the booking refuses the second use.
    again = api.call("POST", "/v1/public/coupons/check", auth=key, body=body)
    assert again.status_code == 200, again.body
    assert (again.data["code"], again.data["kind"]) == ("WINTER10", "percent")
    twice = book(api, inn, path="/v1/public/orders", auth=key, coupon="WINTER10")
    assert_error(twice, 409, "coupon_customer_limit")
    assert_error(api.call("POST", "/v1/public/coupons/check", auth=key, body={}), 422)


def test_the_check_names_no_discount_off_what_the_business_does_not_sell(api, inn):
    """Probe of 2026-12-03: an unknown offering, or another business's, was answered 200
    with a discount; a booking of it would be refused, so the check is too."""
    make(api, inn)
    other = open_inn(api, "coupon-rival")
    own = {
        "name": "Rival stay",
        "kind": "nightly",
        "requirements": [{"resource_id": "res_double"}],
        "pricing": {"amount": 24000, "basis": "night"},
    }
    made = api.call("POST", "/v1/offerings", auth=other["secret_key"], body=own)
    assert made.status_code == 201, made.body
    rival = made.data["id"]  # an id only the other business has
    key = inn["publishable_key"]
    for offering in ("off_nope", rival):
        line = {"offering_id": offering, "amount": 24000}
        body = {"code": "winter10", "lines": [line]}
        r = api.call("POST", "/v1/public/coupons/check", auth=key, body=body)
        assert assert_error(r, 404, "offering_not_found")["details"]["offering_id"] == offering


def test_a_cancelled_booking_gives_its_use_back_once(api, inn):
    make(api, inn, code="ONCE", max_uses=1)
    order = book(api, inn, coupon="once").data
    deliver_events(api)
    r = api.call("POST", f"/v1/orders/{order['id']}/cancel", auth=inn["secret_key"], body={})
    assert r.status_code == 200, r.body
    for _ in range(2):
        assert deliver_events(api) == {"batchItemFailures": []}
    assert api.call("GET", "/v1/coupons/ONCE", auth=inn["secret_key"]).data["used"] == 0
    assert book(api, inn, coupon="once").status_code == 201
