"""The folio: staff charge extras from the price list (or their own), give discounts with a
reason, and void either; the order's total, tax per rate, balance and payment status follow;
a retried request changes nothing twice; bad input changes nothing; check-out asks for the
balance to be settled or explicitly left open."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.catalog.domain.catalog import DepositKind
from tests.api.support import assert_error, forbid_server_errors, snapshot
from tests.api.test_desk_payments_api import booked, money, take
from tests.api.test_key_roles_api import make_key
from tests.api.test_payments_api import setup_shop


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def shop(api) -> dict[str, Any]:
    """A hotel paid at the venue: 2 nights at 120.00 with 7 % tax included."""
    return setup_shop(api, "folio-inn", connected=False, deposit=DepositKind.NONE)


def tenant_data(api, shop) -> Any:
    c = api.container
    return c.tenant_data.for_tenant(c.platform.get_tenant(shop["tenant_id"]))


def add_item(api, shop, auth: str | None = None, **body) -> Any:
    return api.call("POST", "/v1/price-list", auth=auth or shop["secret_key"], body=body)


def minibar(api, shop) -> dict[str, Any]:
    r = add_item(api, shop, name="Minibar: sparkling water", unit_amount=450, tax_rate_bp=2000)
    assert r.status_code == 201, r.body
    return r.data


def charge(api, shop, order_id: str, key: str | None = None, auth: str | None = None, **body):
    headers = {"Idempotency-Key": key} if key else {}
    return api.call(
        "POST",
        f"/v1/orders/{order_id}/charges",
        auth=auth or shop["secret_key"],
        body=body,
        headers=headers,
    )


def discount(api, shop, order_id: str, auth: str | None = None, **body):
    return api.call(
        "POST", f"/v1/orders/{order_id}/discounts", auth=auth or shop["secret_key"], body=body
    )


def void(api, shop, order_id: str, charge_id: str, auth: str | None = None, **body):
    return api.call(
        "POST",
        f"/v1/orders/{order_id}/charges/{charge_id}/void",
        auth=auth or shop["secret_key"],
        body=body,
    )


def test_the_price_list_is_kept_by_managers_and_read_by_every_role(api, shop):
    item = minibar(api, shop)
    assert (item["name"], item["unit_amount"], item["tax_rate_bp"], item["open_price"]) == (
        "Minibar: sparkling water",
        450,
        2000,
        False,
    )
    staff = make_key(api, shop["secret_key"], role="staff")["key"]
    listed = api.call("GET", "/v1/price-list", auth=staff)
    assert [i["id"] for i in listed.data["items"]] == [item["id"]]
    before = snapshot(api.container)
    assert_error(add_item(api, shop, auth=staff, name="Tip", unit_amount=0, tax_rate_bp=0), 403)
    assert snapshot(api.container) == before

    changed = api.call(
        "PUT",
        f"/v1/price-list/{item['id']}",
        auth=shop["secret_key"],
        body={"name": "Sparkling water", "unit_amount": 500, "tax_rate_bp": 2000},
    )
    assert changed.status_code == 200 and (changed.data["unit_amount"], changed.data["rev"]) == (
        500,
        2,
    )
    gone = api.call("DELETE", f"/v1/price-list/{item['id']}", auth=shop["secret_key"])
    assert gone.status_code == 204
    assert api.call("GET", "/v1/price-list", auth=staff).data["items"] == []
    missing = api.call("DELETE", f"/v1/price-list/{item['id']}", auth=shop["secret_key"])
    assert_error(missing, 404, "price_item_not_found")


def test_a_price_list_item_with_a_bad_rate_or_name_is_refused(api, shop):
    before = snapshot(api.container)
    for body in (
        {"name": "x", "unit_amount": 100, "tax_rate_bp": 10_001},
        {"name": " ", "unit_amount": 100, "tax_rate_bp": 0},
        {"name": "x", "unit_amount": -1, "tax_rate_bp": 0},
    ):
        assert add_item(api, shop, **body).status_code in (400, 422)
    assert snapshot(api.container) == before


def test_a_minibar_charge_at_its_own_rate_makes_a_paid_stay_owe_again(api, shop):
    order = booked(api, shop)
    total = order["totals"]["total"]
    assert (
        take(api, shop, order["id"], amount=total, method="cash").data["payment_status"] == "paid"
    )
    item = minibar(api, shop)

    r = charge(api, shop, order["id"], key="minibar-1", item_id=item["id"], quantity=2)
    assert r.status_code == 201, r.body
    m = r.data
    assert (m["lines_total"], m["total"], m["balance"]) == (total, total + 900, 900)
    assert m["payment_status"] == "partially_paid"
    [added] = m["charges"]
    assert (added["label"], added["quantity"], added["total"], added["tax"]) == (
        "Minibar: sparkling water",
        2,
        900,
        150,  # 20 % included in 9.00: 1.50
    )
    bands = {b["tax_rate_bp"]: b for b in m["tax_bands"]}
    assert set(bands) == {700, 2000} and bands[2000]["tax"] == 150
    assert sum(b["total"] for b in m["tax_bands"]) == m["total"]
    assert sum(b["tax"] for b in m["tax_bands"]) == m["tax"]

    again = charge(api, shop, order["id"], key="minibar-1", item_id=item["id"], quantity=2)
    assert again.status_code == 201 and len(again.data["charges"]) == 1
    assert take(api, shop, order["id"], amount=900, method="cash").data["payment_status"] == "paid"
    events = [e for e in tenant_data(api, shop).orders.events if e.name == "ChargeAdded"]
    assert len(events) == 1 and events[0].data["amount"] == 900
    assert events[0].data["charge_id"] == added["id"]


def test_an_open_priced_tip_needs_its_amount_and_a_fixed_price_is_not_changed(api, shop):
    order = booked(api, shop)
    tip = add_item(api, shop, name="Tip", category="tip", unit_amount=0, tax_rate_bp=0).data
    water = minibar(api, shop)
    before = snapshot(api.container)
    assert_error(charge(api, shop, order["id"], item_id=tip["id"]), 422, "amount_needed")
    assert_error(
        charge(api, shop, order["id"], item_id=water["id"], unit_amount=1), 422, "price_fixed"
    )
    assert_error(charge(api, shop, order["id"], item_id="pli_nope"), 404, "price_item_not_found")
    assert_error(charge(api, shop, order["id"], label="Cake"), 422, "charge_incomplete")
    assert snapshot(api.container) == before
    r = charge(api, shop, order["id"], item_id=tip["id"], unit_amount=1000)
    assert r.status_code == 201 and r.data["charges"][0]["tax"] == 0
    assert r.data["total"] == order["totals"]["total"] + 1000


def test_a_hold_takes_no_charge_and_an_inactive_item_is_not_sold(api, shop):
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 2}],
    }
    held = api.call("POST", "/v1/orders", auth=shop["secret_key"], body=body).data
    water = minibar(api, shop)
    before = snapshot(api.container)
    assert_error(charge(api, shop, held["id"], item_id=water["id"]), 409, "folio_closed")
    assert snapshot(api.container) == before
    confirmed = api.call("POST", f"/v1/orders/{held['id']}/confirm", auth=shop["secret_key"])
    assert confirmed.status_code == 200
    off = {"name": water["name"], "unit_amount": 450, "tax_rate_bp": 2000, "active": False}
    api.call("PUT", f"/v1/price-list/{water['id']}", auth=shop["secret_key"], body=off)
    assert_error(charge(api, shop, held["id"], item_id=water["id"]), 422, "price_item_inactive")


def test_a_discount_has_a_reason_a_manager_and_at_most_the_order(api, shop):
    order = booked(api, shop)
    total = order["totals"]["total"]
    staff = make_key(api, shop["secret_key"], role="staff")["key"]
    before = snapshot(api.container)
    assert_error(discount(api, shop, order["id"], auth=staff, amount=100, reason="Noisy room"), 403)
    assert_error(
        discount(api, shop, order["id"], amount=total + 1, reason="x"), 422, "discount_too_large"
    )
    assert_error(discount(api, shop, order["id"], reason="x"), 422, "discount_incomplete")
    assert discount(api, shop, order["id"], amount=100).status_code == 422  # no reason
    assert snapshot(api.container) == before

    r = discount(api, shop, order["id"], percent_bp=1000, reason="Noisy room")
    assert r.status_code == 201, r.body
    [given] = r.data["charges"]
    assert given["kind"] == "discount" and given["total"] == -(total // 10)
    assert given["reason"] == "Noisy room" and given["by"]
    assert r.data["total"] == total - total // 10
    # Of what it came off, which a move or a stay's change does not alter (a tester's "100 %"
    # took 12.50 of 135.00 once the booking was moved to a dearer date).
    assert given["label"] == f"10 % × {total // 100}.{total % 100:02d} EUR"


def test_a_mixed_rate_order_says_which_rate_a_discount_comes_off(api, shop):
    order = booked(api, shop)
    charge(api, shop, order["id"], label="Late check-out", unit_amount=3000, tax_rate_bp=2000)
    assert_error(discount(api, shop, order["id"], amount=500, reason="x"), 422, "tax_rate_needed")
    r = discount(api, shop, order["id"], amount=500, reason="Loyal guest", tax_rate_bp=2000)
    bands = {b["tax_rate_bp"]: b for b in r.data["tax_bands"]}
    assert bands[2000]["total"] == 2500 and bands[2000]["tax"] == 417  # 5.00 of 20 % is 0.83


def test_a_free_booking_takes_no_discount_and_says_so(api, shop):
    """Probe of 2026-12-03: a discount on an order billing nothing was 422 `tax_rate_needed`
    with no rate to name; there is nothing to take off."""
    from tests.builders import stay_offering

    free = stay_offering(oid="off_free", amount=0)
    tenant_data(api, shop).catalog.put_offering(free, expected_rev=None)
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_free", "check_in": "2026-12-28", "nights": 1}],
    }
    held = api.call("POST", "/v1/orders", auth=shop["secret_key"], body=body).data
    assert held["totals"]["total"] == 0
    order = api.call("POST", f"/v1/orders/{held['id']}/confirm", auth=shop["secret_key"]).data
    assert order["status"] == "confirmed"
    before = snapshot(api.container)
    refused = discount(api, shop, order["id"], amount=500, reason="Loyal guest")
    assert assert_error(refused, 422, "discount_too_large")["details"]["billed"] == 0
    assert snapshot(api.container) == before
    # Cancelled, its folio is closed: that is said first, whatever it bills (review).
    cancelled = api.call(
        "POST", f"/v1/orders/{order['id']}/cancel", auth=shop["secret_key"], body={}
    )
    assert cancelled.status_code == 200, cancelled.body
    closed = discount(api, shop, order["id"], amount=500, reason="Loyal guest")
    assert_error(closed, 409, "folio_closed")


def test_a_voided_charge_stays_on_record_and_leaves_the_total(api, shop):
    order = booked(api, shop)
    total = order["totals"]["total"]
    made = charge(api, shop, order["id"], label="Room service", unit_amount=2500, tax_rate_bp=700)
    charge_id = made.data["charges"][0]["id"]
    gave = discount(api, shop, order["id"], amount=total + 1000, reason="Comped stay")
    assert gave.status_code == 201
    assert_error(
        void(api, shop, order["id"], charge_id, reason="Wrong room"),
        409,
        "charge_needed_by_discount",
    )
    dis_id = gave.data["charges"][1]["id"]
    assert void(api, shop, order["id"], dis_id, reason="Manager said no").status_code == 200
    r = void(api, shop, order["id"], charge_id, reason="Wrong room")
    assert r.status_code == 200 and r.data["total"] == total
    voided = r.data["charges"][0]
    assert voided["voided"] and voided["void_reason"] == "Wrong room" and voided["voided_by"]
    again = void(api, shop, order["id"], charge_id, reason="Again")
    assert again.data == r.data
    assert_error(void(api, shop, order["id"], "chg_nope", reason="x"), 404, "charge_not_found")


def test_check_out_asks_for_the_balance_or_leaves_it_open_on_purpose(api, shop):
    order = booked(api, shop)
    path = f"/v1/orders/{order['id']}"
    api.container.clock.moment = api.container.clock.moment.replace(day=24, month=12, hour=15)
    assert api.call("POST", f"{path}/check-in", auth=shop["secret_key"]).status_code == 200
    charge(api, shop, order["id"], label="Minibar", unit_amount=600, tax_rate_bp=2000)
    owing = api.call("POST", f"{path}/complete", auth=shop["secret_key"])
    assert_error(owing, 409, "balance_outstanding")
    assert owing.data["error"]["details"]["balance"] == order["totals"]["total"] + 600
    take(api, shop, order["id"], amount=order["totals"]["total"] + 600, method="cash")
    done = api.call("POST", f"{path}/complete", auth=shop["secret_key"])
    assert done.status_code == 200 and done.data["status"] == "completed"
    assert money(api, shop, order["id"])["balance"] == 0
    late = charge(
        api, shop, order["id"], label="Minibar found later", unit_amount=300, tax_rate_bp=2000
    )
    assert late.status_code == 201 and late.data["balance"] == 300


def test_a_shorter_stay_cannot_leave_its_discount_bigger_than_its_lines(api, shop):
    """Two nights with 200.00 off, then one night: refused, nothing changed (void or reduce
    the discount first); with money already taken it is refused the same, never a 500."""
    order = booked(api, shop)
    gave = discount(api, shop, order["id"], amount=20000, reason="Long-stay deal")
    assert gave.status_code == 201, gave.body
    take(api, shop, order["id"], amount=1000, method="cash")
    before = snapshot(api.container)
    shorter = api.call(
        "POST", f"/v1/orders/{order['id']}/stay", auth=shop["secret_key"], body={"nights": 1}
    )
    assert_error(shorter, 409, "discounts_exceed_lines")
    assert snapshot(api.container) == before


def test_a_discount_names_a_rate_the_order_bills_at(api, shop):
    order = booked(api, shop)
    before = snapshot(api.container)
    assert_error(
        discount(api, shop, order["id"], amount=100, reason="x", tax_rate_bp=10_000),
        422,
        "tax_rate_not_billed",
    )
    minibar_only = discount(api, shop, order["id"], amount=100, reason="x", tax_rate_bp=2000)
    assert_error(minibar_only, 422, "tax_rate_not_billed")
    assert snapshot(api.container) == before


def test_check_out_with_money_owed_back_asks_for_it_too(api, shop):
    order = booked(api, shop)
    path = f"/v1/orders/{order['id']}"
    api.container.clock.moment = api.container.clock.moment.replace(day=24, month=12, hour=15)
    assert api.call("POST", f"{path}/check-in", auth=shop["secret_key"]).status_code == 200
    take(api, shop, order["id"], amount=order["totals"]["total"], method="cash")
    discount(api, shop, order["id"], amount=5000, reason="Broken heating")
    owed_back = api.call("POST", f"{path}/complete", auth=shop["secret_key"])
    assert_error(owed_back, 409, "refund_due")
    assert owed_back.data["error"]["details"]["balance"] == -5000
    left = api.call(
        "POST", f"{path}/complete", auth=shop["secret_key"], body={"leave_balance_open": True}
    )
    assert left.status_code == 200 and left.data["status"] == "completed"


def test_two_managers_changing_one_price_do_not_overwrite_each_other_unseen(api, shop):
    item = minibar(api, shop)
    path = f"/v1/price-list/{item['id']}"
    body = {"name": item["name"], "unit_amount": 500, "tax_rate_bp": 2000}
    first = api.call("PUT", path, auth=shop["secret_key"], body=body, headers={"If-Match": '"1"'})
    assert first.status_code == 200 and first.data["rev"] == 2
    before = snapshot(api.container)
    late = {**body, "unit_amount": 480}
    second = api.call("PUT", path, auth=shop["secret_key"], body=late, headers={"If-Match": '"1"'})
    assert_error(second, 412, "version_mismatch")
    assert snapshot(api.container) == before
    anyway = api.call("PUT", path, auth=shop["secret_key"], body=late)  # no If-Match: last wins
    assert anyway.status_code == 200 and anyway.data["unit_amount"] == 480


def test_two_desks_giving_back_the_same_money_owed_give_it_once(api, shop):
    """A discount after payment leaves 20.00 owed to the customer; two desks (an outside
    tester's two tabs) each give it back, naming what their page said was owed: the second is
    409 `owed_back_changed` with what is owed now, not a second 20.00 out of the drawer."""
    order = booked(api, shop)
    total = order["totals"]["total"]
    take(api, shop, order["id"], amount=total, method="cash")
    assert discount(api, shop, order["id"], amount=2000, reason="Noisy").status_code == 201
    path = f"/v1/orders/{order['id']}/refunds"
    body = {"amount": 2000, "reason": "Noisy", "method": "cash", "owed_back": 2000}
    first = api.call("POST", path, auth=shop["secret_key"], body=body)
    assert first.status_code == 201 and first.data["balance"] == 0, first.body
    second = api.call("POST", path, auth=shop["secret_key"], body=body)
    refused = assert_error(second, 409, "owed_back_changed")
    assert refused["details"] == {"owed_back": 0}
    assert [r["amount"] for r in refunds_of(api, shop, order["id"])] == [2000]


def refunds_of(api, shop, order_id: str) -> list[dict[str, Any]]:
    got = api.call("GET", f"/v1/orders/{order_id}/payments", auth=shop["secret_key"])
    return list(got.data["refunds"])
