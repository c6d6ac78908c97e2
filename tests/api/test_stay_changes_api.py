"""`POST /v1/orders/{id}/stay`: a stay extended, shortened or ended early, before and after
check-in; a night sold out refuses the whole change; the nights begun stay the guest's; the
buckets and the invariant follow."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.booking.domain.orders import PaymentStatus
from chalicelib.booking.domain.payment_records import AttemptStatus, Payment, PaymentKind
from tests.api.support import assert_error, forbid_server_errors
from tests.builders import haircut, room_type, stay_offering, stylist


@pytest.fixture
def hotel(api):
    forbid_server_errors(api)
    tenant = api.signup("stays")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=2), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    data.catalog.put_resource(stylist("res_alex", "Alex"), expected_rev=None)
    data.catalog.put_offering(haircut(), expected_rev=None)
    return tenant


def book(api, hotel, check_in="2026-12-24", nights=2, email="ada@example.com", confirm=True):
    body = {
        "customer": {"name": "Ada", "email": email},
        "lines": [{"offering_id": "off_stay", "check_in": check_in, "nights": nights}],
    }
    r = api.call("POST", "/v1/orders", auth=hotel["secret_key"], body=body)
    assert r.status_code == 201, r.body
    if confirm:
        r = api.call("POST", f"/v1/orders/{r.data['id']}/confirm", auth=hotel["secret_key"])
        assert r.status_code == 200, r.body
    return r.data


def stay(api, hotel, order_id, nights, **extra):
    return api.call(
        "POST",
        f"/v1/orders/{order_id}/stay",
        auth=extra.pop("auth", hotel["secret_key"]),
        body={"nights": nights, **extra.pop("body", {})},
        headers=extra.pop("headers", None),
    )


def used(api, hotel, night):
    buckets = api.container.tenant_data.data[hotel["tenant_id"]].orders.buckets
    return buckets.get(("res_double", f"N#{night}"), 0)


def invariant_holds(api, hotel):
    r = api.call(
        "GET", "/v1/admin/invariant?from=2026-12-01&to=2027-01-10", auth=hotel["secret_key"]
    )
    assert r.status_code == 200, r.body
    return r.data["ok"] and r.data["differences"] == []


def test_a_stay_is_extended_by_a_night_at_the_offerings_price(api, hotel):
    order = book(api, hotel)
    r = stay(api, hotel, order["id"], 3)
    assert r.status_code == 200, r.body
    line = r.data["lines"][0]
    assert line["nights"] == 3 and line["date"] == "2026-12-24"
    assert line["end"].startswith("2026-12-27")
    assert r.data["totals"]["total"] == 3 * 12000 and r.data["status"] == "confirmed"
    assert [used(api, hotel, n) for n in ("2026-12-24", "2026-12-25", "2026-12-26")] == [1, 1, 1]
    assert r.headers["ETag"] == f'"{order["version"] + 1}"'
    names = [e["event"]["name"] for e in api.container.relayed_events()]
    assert names[-1] == "OrderRescheduled"
    assert invariant_holds(api, hotel)


def test_a_shortened_stay_gives_its_last_nights_back(api, hotel):
    order = book(api, hotel, nights=4)
    r = stay(api, hotel, order["id"], 1)
    assert r.status_code == 200, r.body
    assert r.data["totals"]["total"] == 12000
    assert [used(api, hotel, n) for n in ("2026-12-24", "2026-12-25", "2026-12-27")] == [1, 0, 0]
    assert invariant_holds(api, hotel)


def test_the_nights_kept_keep_their_booked_price_and_the_nights_gained_cost_todays(api, hotel):
    """An outside tester's revenue manager raised the season's rate while a four-night stay
    was booked; the guest shortened it by a night and paid the new rate for the three kept."""
    order = book(api, hotel, nights=3)  # 3 x 120.00
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(hotel["tenant_id"])
    )
    dearer = stay_offering(amount=15000)
    data.catalog.put_offering(dearer, expected_rev=data.catalog.get_offering("off_stay").rev)
    api.container.catalog_cache.invalidate(hotel["tenant_id"])
    shorter = stay(api, hotel, order["id"], 2)
    assert shorter.status_code == 200, shorter.body
    assert shorter.data["totals"]["total"] == 2 * 12000  # as booked, not 2 x 150.00
    longer = stay(api, hotel, order["id"], 4)
    assert longer.status_code == 200, longer.body
    assert longer.data["totals"]["total"] == 2 * 12000 + 2 * 15000  # the nights gained: now


def test_a_stay_shortened_by_a_move_to_its_same_check_in_keeps_its_booked_prices(api, hotel):
    """A reviewer's: the manage page and the desk shorten a stay by a move to the same check-in,
    which still priced every night now while `/stay` kept them."""
    order = book(api, hotel, nights=3)
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(hotel["tenant_id"])
    )
    dearer = stay_offering(amount=15000)
    data.catalog.put_offering(dearer, expected_rev=data.catalog.get_offering("off_stay").rev)
    api.container.catalog_cache.invalidate(hotel["tenant_id"])
    line = {"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 2}

    def moved(line: dict, version: int) -> dict:
        path = f"/v1/orders/{order['id']}/reschedule"
        headers = {"If-Match": f'"{version}"'}
        r = api.call(
            "POST", path, auth=hotel["secret_key"], body={"lines": [line]}, headers=headers
        )
        assert r.status_code == 200, r.body
        return dict(r.data)

    shorter = moved(line, order["version"])
    assert shorter["totals"]["total"] == 2 * 12000
    later = moved({**line, "check_in": "2026-12-28"}, shorter["version"])  # a move: priced now
    assert later["totals"]["total"] == 2 * 15000


def test_a_night_sold_out_refuses_the_extension_and_changes_nothing(api, hotel):
    order = book(api, hotel)
    book(api, hotel, check_in="2026-12-26", nights=1, email="b@example.com")
    book(api, hotel, check_in="2026-12-26", nights=1, email="c@example.com")  # both rooms
    r = stay(api, hotel, order["id"], 3)
    assert_error(r, 409, "unavailable")
    again = api.call("GET", f"/v1/orders/{order['id']}", auth=hotel["secret_key"]).data
    assert again["version"] == order["version"] and again["lines"][0]["nights"] == 2
    assert used(api, hotel, "2026-12-24") == 1 and used(api, hotel, "2026-12-26") == 2
    assert invariant_holds(api, hotel)


def test_a_checked_in_guest_extends_and_leaves_early_but_keeps_the_nights_begun(api, hotel):
    order = book(api, hotel, nights=3)
    clock = api.container.clock
    clock.moment = clock.moment.replace(year=2026, month=12, day=24, hour=15)
    r = api.call("POST", f"/v1/orders/{order['id']}/check-in", auth=hotel["secret_key"])
    assert r.status_code == 200, r.body
    clock.advance(2 * 86400)  # the 26th: two nights begun
    assert_error(stay(api, hotel, order["id"], 1), 422, "nights_begun")
    longer = stay(api, hotel, order["id"], 5)
    assert longer.status_code == 200, longer.body
    assert longer.data["status"] == "checked_in" and longer.data["lines"][0]["nights"] == 5
    early = stay(api, hotel, order["id"], 2)  # leaving today, the 26th
    assert early.status_code == 200, early.body
    assert early.data["lines"][0]["end"].startswith("2026-12-26")
    assert [used(api, hotel, n) for n in ("2026-12-25", "2026-12-26", "2026-12-28")] == [1, 0, 0]
    assert invariant_holds(api, hotel)


def test_the_same_length_changes_nothing(api, hotel):
    order = book(api, hotel)
    r = stay(api, hotel, order["id"], 2)
    assert r.status_code == 200 and r.data["version"] == order["version"]


def test_a_stale_if_match_is_409_and_a_fresh_one_applies(api, hotel):
    order = book(api, hotel)
    stale = stay(api, hotel, order["id"], 3, headers={"If-Match": '"1"'})
    assert_error(stale, 409, "version_mismatch")
    fresh = stay(api, hotel, order["id"], 3, headers={"If-Match": f'"{order["version"]}"'})
    assert fresh.status_code == 200, fresh.body


def test_what_is_no_stay_or_no_longer_held_cannot_change(api, hotel):
    cut = api.call(
        "POST",
        "/v1/orders",
        auth=hotel["secret_key"],
        body={
            "customer": {"name": "B", "email": "b@example.com"},
            "lines": [{"offering_id": "off_cut", "start": "2026-12-01T10:00"}],
        },
    ).data
    assert_error(stay(api, hotel, cut["id"], 2), 422, "not_a_stay")
    order = book(api, hotel)
    assert_error(stay(api, hotel, order["id"], 2, body={"line": 3}), 404, "not_found")
    api.call("POST", f"/v1/orders/{order['id']}/cancel", auth=hotel["secret_key"])
    assert_error(stay(api, hotel, order["id"], 3), 409, "not_reschedulable")


@pytest.mark.parametrize("nights", [0, 31, "2", None])
def test_a_length_out_of_bounds_is_422(api, hotel, nights):
    order = book(api, hotel)
    r = stay(api, hotel, order["id"], nights)
    assert_error(r, 422, "validation_failed")


def test_a_viewer_may_not_change_a_stay(api, hotel):
    order = book(api, hotel)
    r = stay(api, hotel, order["id"], 3, auth=api.staff_token(hotel, "viewer"))
    assert r.status_code == 403


def test_a_held_stay_changes_too_and_stays_held(api, hotel):
    order = book(api, hotel, confirm=False)
    r = stay(api, hotel, order["id"], 1)
    assert r.status_code == 200 and r.data["status"] == "held"
    assert r.data["hold_expires_at"] == order["hold_expires_at"]


def paid_in_full(api, hotel, order):
    """The order as if its total were paid by card (the payment flows are tested elsewhere)."""
    store = api.container.tenant_data.data[hotel["tenant_id"]].orders
    current = store.orders[order["id"]]
    payment = Payment(
        "pi_test", PaymentKind.FULL, current.total, 1, AttemptStatus.SUCCEEDED, current.total
    )
    store.orders[order["id"]] = replace(
        current, payments=(payment,), payment_status=PaymentStatus.PAID
    )


def test_the_payment_status_follows_the_new_total(api, hotel):
    order = book(api, hotel)
    paid_in_full(api, hotel, order)
    longer = stay(api, hotel, order["id"], 4)
    assert longer.status_code == 200, longer.body
    assert longer.data["payment_status"] == "partially_paid"  # half the new total, no deposit
    shorter = stay(api, hotel, order["id"], 2)
    assert shorter.data["payment_status"] == "paid"


def test_a_stay_change_keeps_the_orders_other_lines_as_they_were(api, hotel):
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [
            {"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 2},
            {"offering_id": "off_cut", "start": "2026-11-25T10:00"},
        ],
    }
    order = api.call("POST", "/v1/orders", auth=hotel["secret_key"], body=body).data
    cut_before = order["lines"][1]
    api.container.clock.advance(2 * 86400)  # the haircut's time has passed
    r = stay(api, hotel, order["id"], 3)
    assert r.status_code == 200, r.body
    assert r.data["lines"][1] == cut_before
    assert r.data["lines"][0]["nights"] == 3


def test_a_cancelled_stay_is_not_changed_even_to_its_own_length(api, hotel):
    order = book(api, hotel)
    api.call("POST", f"/v1/orders/{order['id']}/cancel", auth=hotel["secret_key"])
    assert_error(stay(api, hotel, order["id"], 2), 409, "not_reschedulable")


def test_a_stay_that_began_without_a_check_in_is_not_changed(api, hotel):
    order = book(api, hotel)
    api.container.clock.advance(40 * 86400)  # the 24th came and went; nobody checked in
    assert_error(stay(api, hotel, order["id"], 5), 422, "date_in_past")


def test_a_notice_rule_does_not_stop_a_stay_already_booked_from_changing(api, hotel):
    """Booking needs three days' notice; two days before the check-in the guest still
    shortens the stay: its check-in is booked already."""
    data = api.container.tenant_data.data[hotel["tenant_id"]]
    data.catalog.put_offering(
        stay_offering(oid="off_notice", min_notice_minutes=3 * 1440), expected_rev=None
    )
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_notice", "check_in": "2026-12-24", "nights": 3}],
    }
    order = api.call("POST", "/v1/orders", auth=hotel["secret_key"], body=body).data
    api.container.clock.moment = api.container.clock.moment.replace(month=12, day=22)
    r = stay(api, hotel, order["id"], 1)
    assert r.status_code == 200, r.body
    assert r.data["lines"][0]["nights"] == 1


def test_a_held_plan_stay_changed_the_day_before_still_asks_the_whole(api):
    """A reviewer's: a plan's first part is the whole when no later part fits before the stay;
    a held stay made longer the day before (its nights kept at their booked prices) asked a
    third, and nothing collected the rest."""
    from chalicelib.catalog.domain.catalog import DepositPolicy
    from tests.api.test_balance_api import balance_shop
    from tests.api.test_payments_api import hold, pay_for

    shop = balance_shop(api, policy=DepositPolicy(instalments=3, instalment_months=1))
    order = hold(api, shop, "2026-11-25")  # the clock: 24 Nov
    assert order["totals"]["deposit_due"] == order["totals"]["total"]
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(shop["tenant_id"])
    )
    current = data.catalog.get_offering("off_stay")
    dearer = replace(current, pricing=replace(current.pricing, amount=13000), rev=current.rev + 1)
    data.catalog.put_offering(dearer, expected_rev=current.rev)
    api.container.catalog_cache.invalidate(shop["tenant_id"])
    longer = stay(api, shop, order["id"], 3)
    assert longer.status_code == 200, longer.body
    assert longer.data["totals"]["deposit_due"] == longer.data["totals"]["total"]
    assert pay_for(api, shop, order)["amount"] == longer.data["totals"]["total"]
