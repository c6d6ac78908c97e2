"""What the widget showed is what the booking takes: a price changed while the customer looked
is refused with the new price (409 `price_changed`), never held silently at it; a code's check
says the discount the booking's line takes off (tax included); the discount line is worded in
the customer's language. A hotel in Berlin, the clock at 2026-11-24 09:00 UTC; its rooms priced
tax added (8.25 %), as a US business prices them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from chalicelib.catalog.domain.catalog import DepositKind, DepositPolicy, PriceBasis, Pricing
from tests.api.support import assert_error, forbid_server_errors, snapshot
from tests.builders import room_type, stay_offering

STAY = [{"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 2}]


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def set_price(api, tenant: dict[str, Any], amount: int) -> None:
    """The owner prices the stay anew (as Catalog saves it), the cache told."""
    c = api.container
    data = c.tenant_data.for_tenant(c.platform.get_tenant(tenant["tenant_id"]))
    old = data.catalog.get_offering("off_stay")
    pricing = Pricing(amount=amount, basis=PriceBasis.NIGHT, tax_bp=825, tax_inclusive=False)
    data.catalog.put_offering(replace(old, pricing=pricing), expected_rev=old.rev)
    c.catalog_cache.invalidate(tenant["tenant_id"])


@pytest.fixture
def inn(api) -> dict[str, Any]:
    tenant = api.signup("price-inn")
    c = api.container
    data = c.tenant_data.for_tenant(c.platform.get_tenant(tenant["tenant_id"]))
    data.catalog.put_resource(room_type(rooms=5), expected_rev=None)
    data.catalog.put_offering(
        stay_offering(deposit=DepositPolicy(DepositKind.NONE)), expected_rev=None
    )
    set_price(api, tenant, 4500)
    return tenant


def shown_total(api, inn) -> int:
    q = "/v1/public/availability?offering=off_stay&from=2026-12-24&to=2026-12-25&nights=2"
    r = api.call("GET", q, auth=inn["publishable_key"])
    assert r.status_code == 200, r.body
    return r.data["options"][0]["price"]["total"]


def hold(api, inn, **extra) -> Any:
    body = {"customer": {"name": "Ada", "email": "ada@example.com"}, "lines": STAY, **extra}
    return api.call("POST", "/v1/public/orders", auth=inn["publishable_key"], body=body)


def test_a_price_changed_since_it_was_shown_is_refused_with_the_new_one(api, inn):
    shown = shown_total(api, inn)
    assert shown == 9743  # 2 x 45.00 + 8.25 % tax
    set_price(api, inn, 5000)
    before = snapshot(api.container)
    r = hold(api, inn, expected_total=shown)
    assert_error(r, 409, "price_changed")
    details = r.data["error"]["details"]
    assert (details["total"], details["subtotal"], details["tax"]) == (10825, 10000, 825)
    assert details["expected_total"] == shown
    assert snapshot(api.container) == before  # nothing held
    # Booked at the price said: held at it.
    again = hold(api, inn, expected_total=details["total"])
    assert again.status_code == 201, again.body
    assert again.data["totals"]["total"] == 10825


def test_the_same_price_is_held_and_an_api_client_need_not_say_it(api, inn):
    r = hold(api, inn, expected_total=shown_total(api, inn))
    assert r.status_code == 201, r.body
    assert r.data["totals"]["total"] == 9743
    staff = api.call(
        "POST",
        "/v1/orders",
        auth=inn["secret_key"],
        body={"customer": {"name": "Bo", "email": "bo@example.com"}, "lines": STAY},
    )
    assert staff.status_code == 201 and staff.data["totals"]["total"] == 9743
    wrong = api.call(
        "POST",
        "/v1/orders",
        auth=inn["secret_key"],
        body={
            "customer": {"name": "Cy", "email": "cy@example.com"},
            "lines": STAY,
            "expected_total": 1,
        },
    )
    assert_error(wrong, 409, "price_changed")


def checked_and_held(api, inn, make: dict[str, Any]) -> tuple[int, dict[str, Any], int]:
    """The code `make` created, checked on the stay and booked with: (the check's discount,
    the booking's discount line, the total the stay was shown at)."""
    assert api.call("POST", "/v1/coupons", auth=inn["secret_key"], body=make).status_code == 201
    q = "/v1/public/availability?offering=off_stay&from=2026-12-24&to=2026-12-25&nights=2"
    price = api.call("GET", q, auth=inn["publishable_key"]).data["options"][0]["price"]
    lines = [{"offering_id": "off_stay", "amount": price["subtotal"]}]
    body = {"code": make["code"], "lines": lines}
    check = api.call("POST", "/v1/public/coupons/check", auth=inn["publishable_key"], body=body)
    assert check.status_code == 200, check.body
    r = hold(api, inn, coupon=make["code"].upper(), expected_total=price["total"])
    assert r.status_code == 201, r.body
    (line,) = [c for c in r.data["charges"] if c["kind"] == "discount"]
    assert r.data["totals"]["total"] == price["total"] + line["total"]
    return int(check.data["discount"]), line, int(price["total"])


def test_the_code_check_says_the_discount_the_booking_takes_off(api, inn):
    make = {"code": "winter15", "kind": "percent", "value": 1500}
    said, line, shown = checked_and_held(api, inn, make)
    # 15 % of 90.00 is 13.50: 76.50 bills 6.31 of 8.25 % tax where 90.00 billed 7.43, so
    # 13.50 and 1.12 of tax, 14.62 off the 97.43 shown.
    assert (said, -line["total"], shown) == (1462, 1462, 9743)
    assert line["label"] == "Code WINTER15"


def test_the_check_taxes_an_amount_off_as_the_booking_does(api, inn):
    """The rate keeps the tax of what it still bills (folio.discount_taxed): the check taxed
    its discount on its own and said a cent less than the booking took off (the widget's
    total, which follows the check, would have been a cent off too)."""
    said, line, _ = checked_and_held(api, inn, {"code": "five", "kind": "amount", "value": 500})
    # 90.00 bills 7.43 of 8.25 % tax, 85.00 bills 7.01: 5.00 off takes 5.42, not 5.00 + 0.41.
    assert said == -line["total"] == 542


def test_the_discount_line_is_in_the_customers_language(api, inn):
    make = {"code": "winter15", "kind": "percent", "value": 1500}
    assert api.call("POST", "/v1/coupons", auth=inn["secret_key"], body=make).status_code == 201
    body = {
        "customer": {"name": "李华", "email": "li@example.com", "locale": "zh-CN"},
        "lines": STAY,
        "coupon": "winter15",
    }
    r = api.call("POST", "/v1/public/orders", auth=inn["publishable_key"], body=body)
    assert r.status_code == 201, r.body
    (line,) = [c for c in r.data["charges"] if c["kind"] == "discount"]
    assert line["label"] == "优惠码 WINTER15"
