"""The booking policy holds on the customer's own routes: a move from the manage page cannot
dodge the cancellation fee (moved far out, then cancelled for a full refund)."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.catalog.domain.catalog import CancellationPolicy, RefundTier
from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_balance_api import balance_shop
from tests.api.test_payments_api import hold, pay_for
from tests.builders import room_type, stay_offering

# Nothing back under 72 hours before check-in, all of it back before that.
TIERS = CancellationPolicy((RefundTier(0, 0), RefundTier(72, 10000)))
# The clock stands at 2026-11-24 09:00 UTC: 2026-11-25 is inside the window, 2026-12-24 not.
NEAR, FAR = "2026-11-25", "2026-12-24"


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def hotel(api):
    tenant = api.signup("policy-inn")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=2), expected_rev=None)
    data.catalog.put_offering(stay_offering(cancellation=TIERS), expected_rev=None)
    return tenant


def _booked(api: Any, hotel: dict[str, Any], check_in: str, *, confirm: bool) -> dict[str, Any]:
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": check_in, "nights": 2}],
    }
    made = api.call("POST", "/v1/public/orders", auth=hotel["publishable_key"], body=body)
    assert made.status_code == 201, made.body
    if confirm:
        path = f"/v1/orders/{made.data['id']}/confirm"
        ok = api.call("POST", path, auth=hotel["secret_key"], headers={"If-Match": '"1"'})
        assert ok.status_code == 200, ok.body
    return dict(made.data)


def _own(api: Any, hotel: dict[str, Any], order: dict[str, Any], action: str, body: Any) -> Any:
    return api.call(
        "POST",
        f"/v1/public/orders/{order['id']}/{action}",
        auth=hotel["publishable_key"],
        headers={"X-Manage-Token": order["manage_token"]},
        body=body,
    )


def _move_to(check_in: str) -> dict[str, Any]:
    return {"lines": [{"offering_id": "off_stay", "check_in": check_in, "nights": 2}]}


def _paid(api: Any, hotel: dict[str, Any], order: dict[str, Any], amount: int) -> None:
    r = api.call(
        "POST",
        f"/v1/orders/{order['id']}/payments",
        auth=hotel["secret_key"],
        body={"amount": amount, "method": "cash"},
    )
    assert r.status_code == 201, r.body


def test_the_customer_cannot_move_a_booking_that_would_cost_a_fee_to_cancel(api, hotel):
    order = _booked(api, hotel, NEAR, confirm=True)
    _paid(api, hotel, order, 5000)  # a deposit at the desk: a cancellation would keep it
    before = api.call("GET", f"/v1/orders/{order['id']}", auth=hotel["secret_key"]).data

    refused = _own(api, hotel, order, "reschedule", _move_to("2027-02-20"))

    error = assert_error(refused, 409, "move_needs_the_business")
    assert error["details"] == {"fee": 5000, "currency": "EUR"}
    after = api.call("GET", f"/v1/orders/{order['id']}", auth=hotel["secret_key"]).data
    assert after == before  # nothing moved, no version spent
    buckets = api.container.tenant_data.data[hotel["tenant_id"]].orders.buckets
    assert buckets[("res_double", "N#2026-11-25")] == 1
    assert buckets.get(("res_double", "N#2027-02-20"), 0) == 0
    # Cancelling asks the whole fee the tiers say, and keeps what was paid of it (P7A 1).
    cancelled = _own(api, hotel, order, "cancel", {})
    assert cancelled.status_code == 200, cancelled.body
    assert cancelled.data["cancellation"]["policy_fee"] == 24000
    assert cancelled.data["cancellation"]["fee"] == 5000


def test_the_customer_moves_an_unpaid_booking_a_cancellation_would_keep_nothing_of(api, hotel):
    """A restaurant tester's unpaid table inside the window was refused a move while its
    cancellation, keeping nothing of nothing paid, was free: moved, it stays a booking."""
    order = _booked(api, hotel, NEAR, confirm=True)
    moved = _own(api, hotel, order, "reschedule", _move_to("2027-02-20"))
    assert moved.status_code == 200, moved.body
    assert moved.data["lines"][0]["date"] == "2027-02-20"


def test_the_customers_move_does_not_add_lines_to_the_booking(api, hotel):
    """A tester's link grew a confirmed booking of one line into two: a move is of what was
    booked, and the extra is a new booking (held under the widget's budget)."""
    order = _booked(api, hotel, FAR, confirm=True)
    before = api.call("GET", f"/v1/orders/{order['id']}", auth=hotel["secret_key"]).data
    two = {"lines": [*_move_to("2026-12-28")["lines"], *_move_to("2027-01-10")["lines"]]}
    error = assert_error(_own(api, hotel, order, "reschedule", two), 409, "move_adds_lines")
    assert error["details"] == {"lines": 1}
    after = api.call("GET", f"/v1/orders/{order['id']}", auth=hotel["secret_key"]).data
    assert after == before


def test_staff_still_move_a_booking_inside_the_cancellation_window(api, hotel):
    order = _booked(api, hotel, NEAR, confirm=True)
    moved = api.call(
        "POST",
        f"/v1/orders/{order['id']}/reschedule",
        auth=hotel["secret_key"],
        headers={"If-Match": '"2"'},
        body=_move_to("2027-02-20"),
    )
    assert moved.status_code == 200, moved.body
    assert moved.data["lines"][0]["date"] == "2027-02-20"


def test_the_customer_moves_a_booking_that_costs_nothing_to_cancel(api, hotel):
    far = _booked(api, hotel, FAR, confirm=True)
    moved = _own(api, hotel, far, "reschedule", _move_to("2026-12-28"))
    assert moved.status_code == 200, moved.body
    assert moved.data["lines"][0]["date"] == "2026-12-28"
    # A hold was never paid: cancelling it costs nothing, so it moves even inside the window.
    held = _booked(api, hotel, NEAR, confirm=False)
    moved = _own(api, hotel, held, "reschedule", _move_to("2026-11-26"))
    assert moved.status_code == 200, moved.body
    assert moved.data["lines"][0]["date"] == "2026-11-26"


def test_the_customer_cannot_move_once_the_window_has_come(api, hotel):
    """Free to move when booked; 72 hours before check-in the fee applies, and the move with it."""
    order = _booked(api, hotel, "2026-11-30", confirm=True)
    _paid(api, hotel, order, 5000)  # a cancellation would keep it, once the window came
    api.container.clock.advance(4 * 86400)  # 2026-11-28 09:00 UTC: under 72 hours
    refused = _own(api, hotel, order, "reschedule", _move_to("2027-01-10"))
    assert_error(refused, 409, "move_needs_the_business")


def test_a_holds_balance_is_refused_with_a_code_not_answered_as_nothing_owed(api):
    """The balance is a confirmed booking's: a hold's deposit is what confirms it, and the
    hold's payment route asks it (an answer of `owed: 0` belied that)."""
    shop = balance_shop(api)
    order = hold(api, shop)
    asked = pay_for(api, shop, order)
    assert asked["amount"] == 7200 and asked["kind"] == "deposit"
    path = f"/v1/public/orders/{order['id']}/balance"
    headers = {"X-Manage-Token": order["manage_token"]}
    refused = api.call("GET", path, auth=shop["publishable_key"], headers=headers)
    error = assert_error(refused, 409, "order_not_confirmed")
    assert "/payment" in error["message"]
    refused = api.call("POST", path, auth=shop["publishable_key"], headers=headers)
    assert_error(refused, 409, "order_not_confirmed")


def test_a_window_that_ends_before_it_starts_says_what_it_must_be(api, hotel):
    r = api.call(
        "GET",
        "/v1/public/availability?offering=off_stay&from=2027-03-15&to=2027-03-14",
        auth=hotel["publishable_key"],
    )
    error = assert_error(r, 422, "invalid_window")
    assert error["message"] == "`to` must be after `from`."


@pytest.fixture
def inn_with_suite(api):
    """Doubles at 120.00 a night (off_stay) and suites at 300.00 (off_suite); a code, half off
    the doubles only."""
    tenant = api.signup("coupon-move-inn")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=5), expected_rev=None)
    data.catalog.put_resource(room_type("res_suite", rooms=2), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    suite = stay_offering("res_suite", amount=30000, oid="off_suite")
    data.catalog.put_offering(suite, expected_rev=None)
    terms = {"code": "roomonly", "kind": "percent", "value": 5000, "offering_ids": ["off_stay"]}
    made = api.call("POST", "/v1/coupons", auth=tenant["secret_key"], body=terms)
    assert made.status_code == 201, made.body
    return tenant


def _staff_move(api: Any, tenant: dict[str, Any], order: dict[str, Any], line: Any) -> Any:
    return api.call(
        "POST",
        f"/v1/orders/{order['id']}/reschedule",
        auth=tenant["secret_key"],
        headers={"If-Match": "*"},
        body={"lines": [line]},
    )


def _coupon_booking(api: Any, tenant: dict[str, Any]) -> dict[str, Any]:
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2027-01-20", "nights": 1}],
        "coupon": "roomonly",
    }
    made = api.call("POST", "/v1/orders", auth=tenant["secret_key"], body=body)
    assert made.status_code == 201, made.body
    assert made.data["totals"]["total"] == 6000
    return dict(made.data)


def test_a_code_for_one_offering_gives_no_discount_once_moved_to_another(api, inn_with_suite):
    order = _coupon_booking(api, inn_with_suite)
    suite = {"offering_id": "off_suite", "check_in": "2027-01-20", "nights": 3}

    moved = _staff_move(api, inn_with_suite, order, suite)

    assert moved.status_code == 200, moved.body
    assert moved.data["totals"]["total"] == 90000  # 3 x 300.00, nothing off
    assert [c for c in moved.data.get("charges", []) if c["kind"] == "discount"] == []
    tenant_data = api.container.tenant_data.data[inn_with_suite["tenant_id"]]
    stored = tenant_data.orders.get(order["id"])
    [voided] = [c for c in stored.charges if not c.live]
    assert voided.label == "Code ROOMONLY" and voided.total == 6000
    assert voided.void_reason == "Priced again for the booking as moved."
    [redemption] = stored.redemptions
    assert (redemption.ref, redemption.amount) == ("ROOMONLY", 0)  # its use stays counted
    names = [r["event"]["name"] for r in api.container.relayed_events()]
    assert names[-2:] == ["OrderRescheduled", "ChargeVoided"]


def test_a_percent_code_follows_the_moved_bookings_price(api, inn_with_suite):
    order = _coupon_booking(api, inn_with_suite)
    longer = {"offering_id": "off_stay", "check_in": "2027-01-21", "nights": 2}
    moved = _staff_move(api, inn_with_suite, order, longer)
    assert moved.status_code == 200, moved.body
    assert moved.data["totals"]["total"] == 12000  # half of 2 x 120.00
    [discount] = [c for c in moved.data["charges"] if c["kind"] == "discount"]
    assert discount["total"] == -12000 and discount["label"] == "Code ROOMONLY"
    # Moved again to the same price: nothing changes on the folio.
    again = _staff_move(api, inn_with_suite, order, {**longer, "check_in": "2027-01-25"})
    assert [c["id"] for c in again.data["charges"]] == [discount["id"]]
    names = [r["event"]["name"] for r in api.container.relayed_events()]
    assert names[-1] == "OrderRescheduled"


def test_a_moved_booking_keeps_the_terms_its_code_was_booked_under(api, inn_with_suite):
    """An outside tester's code, withdrawn and then raised from 5 % to 50 %, gave a booking
    moved afterwards 50 %: a booking keeps the terms it was sold with, and the code's any
    other offering is still not its own."""
    order = _coupon_booking(api, inn_with_suite)  # 50 % of the double, booked
    key = inn_with_suite["secret_key"]
    assert api.call("POST", "/v1/coupons/roomonly/disable", auth=key, body={}).status_code == 200
    wider = {"kind": "percent", "value": 1000, "offering_ids": ["off_stay", "off_suite"]}
    assert api.call("PUT", "/v1/coupons/roomonly", auth=key, body=wider).status_code == 200
    longer = {"offering_id": "off_stay", "check_in": "2027-01-21", "nights": 2}
    moved = _staff_move(api, inn_with_suite, order, longer)
    assert moved.status_code == 200, moved.body
    assert moved.data["totals"]["total"] == 12000  # still half of 2 x 120.00, not 10 % off
    suite = {"offering_id": "off_suite", "check_in": "2027-01-21", "nights": 1}
    assert _staff_move(api, inn_with_suite, order, suite).data["totals"]["total"] == 30000


def test_a_booking_moved_back_to_the_codes_offering_gets_its_discount_again(api, inn_with_suite):
    """PROBE 43: moved to the suite (no discount) and back to a double, the booking stayed at
    full price with the code's use counted; the code's rules price it again, as promised."""
    order = _coupon_booking(api, inn_with_suite)
    suite = {"offering_id": "off_suite", "check_in": "2027-01-20", "nights": 1}
    assert _staff_move(api, inn_with_suite, order, suite).data["totals"]["total"] == 30000
    double = {"offering_id": "off_stay", "check_in": "2027-01-20", "nights": 1}

    back = _staff_move(api, inn_with_suite, order, double)

    assert back.status_code == 200, back.body
    assert back.data["totals"]["total"] == 6000
    [discount] = [c for c in back.data["charges"] if c["kind"] == "discount"]
    assert (discount["total"], discount["label"]) == (-6000, "Code ROOMONLY")
    stored = api.container.tenant_data.data[inn_with_suite["tenant_id"]].orders.get(order["id"])
    [redemption] = stored.redemptions
    assert (redemption.ref, redemption.amount) == ("ROOMONLY", 6000)
    names = [r["event"]["name"] for r in api.container.relayed_events()]
    assert names[-2:] == ["OrderRescheduled", "ChargeAdded"]


def test_a_discount_staff_voided_stays_voided_when_the_booking_moves(api, inn_with_suite):
    order = _coupon_booking(api, inn_with_suite)
    [discount] = [c for c in order["charges"] if c["kind"] == "discount"]
    confirm = f"/v1/orders/{order['id']}/confirm"
    assert api.call("POST", confirm, auth=inn_with_suite["secret_key"]).status_code == 200
    r = api.call(
        "POST",
        f"/v1/orders/{order['id']}/charges/{discount['id']}/void",
        auth=inn_with_suite["secret_key"],
        body={"reason": "Not for this guest"},
    )
    assert r.status_code == 200, r.body
    later = {"offering_id": "off_stay", "check_in": "2027-01-22", "nights": 1}
    moved = _staff_move(api, inn_with_suite, order, later)
    assert moved.status_code == 200, moved.body
    assert moved.data["totals"]["total"] == 12000
    assert [c for c in moved.data["charges"] if c["kind"] == "discount"] == []
