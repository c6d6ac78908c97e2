"""Instalment plans as an outside tester (a revenue manager) found them: two thirds of a tour
booked on 6 December for 20 December were due in January and February, after the tour; a
move that lowered the total still listed the old amounts everywhere. Now no part is due after
the day before the service (the whole at booking when none fits), and the parts still to pay
follow the total (catalog/domain/instalments.py, booking/domain/plan_fit.py)."""

from __future__ import annotations

from typing import Any

from chalicelib.catalog.domain.catalog import DepositPolicy
from chalicelib.queues import REMINDERS
from tests.api.test_balance_api import at, balance_shop, dues, fire, plan_first_paid
from tests.api.test_notifications_api import deliver_events, invoke
from tests.api.test_payments_api import deliver, hold, intent_event, pay_for, post_event

PLAN = DepositPolicy(instalments=3, instalment_months=1)


def plan_of(api, shop, order) -> list[tuple[str, int, bool]]:
    money = api.call("GET", f"/v1/orders/{order['id']}/payments", auth=shop["secret_key"]).data
    return [(i["due"], i["amount"], i["paid"]) for i in money["plan"]]


def owed_plan(api, shop, order, headers) -> dict[str, Any]:
    path = f"/v1/public/orders/{order['id']}/balance"
    return api.call("GET", path, auth=shop["publishable_key"], headers=headers).data


def test_no_instalment_is_due_after_the_stay_the_late_ones_fall_on_the_day_before(api):
    # Booked 24 November for 24 December: 24 December and 24 January would be on the
    # arrival's day and after it; both are taken on 23 December, as one charge.
    shop, order, headers = plan_first_paid(api, check_in="2026-12-24")
    assert plan_of(api, shop, order) == [
        ("2026-11-24", 8000, True),
        ("2026-12-23", 16000, False),
    ]
    assert [p["due"] for p in owed_plan(api, shop, order, headers)["plan"]] == [
        "2026-11-24",
        "2026-12-23",
    ]
    [(when, due)] = dues(api)
    assert when == "2026-12-23T08:00:00.000000Z" and due["step"] == 1
    [confirmed] = [e for e in api.container.mailer.sent if e.subject.startswith("Confirmed")]
    assert "- Wednesday 23 December 2026: EUR 160.00" in confirmed.text
    assert "January 2027" not in confirmed.text
    at(api, "2026-12-23T08:00:30.000000Z")
    fire(api)
    assert plan_of(api, shop, order) == [
        ("2026-11-24", 8000, True),
        ("2026-12-23", 16000, True),
    ]


def paid_whole_the_day_before(api) -> tuple[dict[str, Any], dict[str, Any]]:
    """Booked on 24 November for the 25th: no second part fits, the whole taken at booking."""
    shop = balance_shop(api, policy=PLAN)
    order = hold(api, shop, "2026-11-25")
    assert order["totals"]["deposit_due"] == order["totals"]["total"] == 24000
    pay = pay_for(api, shop, order)
    assert pay["amount"] == 24000 and pay["plan"] == []
    api.container.gateway.pay(shop["account"], pay["payment_id"])
    post_event(api, intent_event(shop, "succeeded", pay["payment_id"], 1))
    deliver(api)
    deliver_events(api)
    return shop, order


def test_booked_the_day_before_the_whole_is_taken_at_booking_and_there_is_no_plan(api):
    shop, order = paid_whole_the_day_before(api)
    assert plan_of(api, shop, order) == [] and dues(api) == []
    [confirmed] = [e for e in api.container.mailer.sent if e.subject.startswith("Confirmed")]
    assert "instalments" not in confirmed.text


def test_the_availability_and_the_payment_step_say_the_plan_before_paying(api):
    shop = balance_shop(api, policy=PLAN)
    q = "offering=off_stay&from=2026-12-24&to=2026-12-25&nights=2"
    options = api.call("GET", f"/v1/public/availability?{q}", auth=shop["publishable_key"])
    assert options.status_code == 200, options.body
    assert options.data["options"][0]["price"]["deposit"] == 8000
    order = hold(api, shop, "2026-12-24")
    pay = pay_for(api, shop, order)
    assert [(i["due"], i["amount"], i["paid"]) for i in pay["plan"]] == [
        ("2026-11-24", 8000, False),
        ("2026-12-23", 16000, False),
    ]


def move(api, shop, order, nights: int, check_in: str = "2027-03-24") -> dict[str, Any]:
    body = {"lines": [{"offering_id": "off_stay", "check_in": check_in, "nights": nights}]}
    path = f"/v1/orders/{order['id']}/reschedule"
    r = api.call("POST", path, auth=shop["secret_key"], body=body, headers={"If-Match": "*"})
    assert r.status_code == 200, r.body
    deliver(api)
    deliver_events(api)
    return r.data


def test_a_move_that_lowers_the_total_re_splits_what_is_still_to_pay_on_the_same_dates(api):
    shop, order, headers = plan_first_paid(api)
    moved = move(api, shop, order, 1)
    assert moved["totals"]["total"] == 12000
    expected = [
        ("2026-11-24", 8000, True),
        ("2026-12-24", 2000, False),
        ("2027-01-24", 2000, False),
    ]
    assert plan_of(api, shop, order) == expected
    page = owed_plan(api, shop, order, headers)["plan"]
    assert [(i["due"], i["amount"], i["paid"]) for i in page] == expected
    at(api, "2026-12-24T08:00:30.000000Z")
    fire(api)
    [_, second] = [
        p
        for p in api.call(
            "GET", f"/v1/orders/{order['id']}/payments", auth=shop["secret_key"]
        ).data["payments"]
        if p["status"] == "succeeded"
    ]
    assert second["amount"] == 2000  # what the pages said, on that date


def test_a_move_that_raises_the_total_adds_to_the_instalments_still_to_pay(api):
    shop, order, _ = plan_first_paid(api)
    assert move(api, shop, order, 3)["totals"]["total"] == 36000
    assert plan_of(api, shop, order) == [
        ("2026-11-24", 8000, True),
        ("2026-12-24", 14000, False),
        ("2027-01-24", 14000, False),
    ]


def payments_of(api, shop, order) -> list[tuple[int, str]]:
    money = api.call("GET", f"/v1/orders/{order['id']}/payments", auth=shop["secret_key"]).data
    return [(p["amount"], p["status"]) for p in money["payments"]]


def test_a_move_earlier_brings_the_later_instalments_to_the_day_before_the_new_start(api):
    # A reviewer's finding: booked 24 November for 24 March (24 Nov / 24 Dec / 24 Jan), moved
    # to 10 December; the 24 December part was charged after the stay.
    shop, order, headers = plan_first_paid(api)
    [old] = [p for when, p in dues(api) if when == "2026-12-24T08:00:00.000000Z"]
    move(api, shop, order, 2, "2026-12-10")
    expected = [("2026-11-24", 8000, True), ("2026-12-09", 16000, False)]
    assert plan_of(api, shop, order) == expected
    page = owed_plan(api, shop, order, headers)["plan"]
    assert [(i["due"], i["amount"], i["paid"]) for i in page] == expected
    assert ("2026-12-09T08:00:00.000000Z", 1) in [(w, p["step"]) for w, p in dues(api)]
    # The old date's schedule, firing on its own after the stay, takes nothing.
    api.container.reminders.cancel(old["id"])
    at(api, "2026-12-24T08:00:30.000000Z")
    assert invoke(api, "send_reminders", REMINDERS.name, [old]) == {"batchItemFailures": []}
    assert payments_of(api, shop, order) == [(8000, "succeeded")]


def test_the_old_schedules_of_a_move_earlier_charge_nothing_more_than_the_plan(api):
    shop, order, _ = plan_first_paid(api)
    move(api, shop, order, 2, "2026-12-10")
    at(api, "2026-12-09T08:00:30.000000Z")
    fire(api)
    at(api, "2027-01-24T08:00:30.000000Z")
    fire(api)
    assert payments_of(api, shop, order) == [(8000, "succeeded"), (16000, "succeeded")]


def test_a_move_to_tomorrow_makes_the_unpaid_rest_due_now_and_collected_at_once(api):
    # Moved on 24 November to the 25th: no day is left before it, so the two parts still to
    # pay are one, due on the day of the move, and its schedule (a due already past) goes
    # on the queue at once and takes it from the saved card.
    shop, order, _ = plan_first_paid(api)
    move(api, shop, order, 2, "2026-11-25")
    assert plan_of(api, shop, order) == [("2026-11-24", 8000, True), ("2026-11-24", 16000, True)]
    assert payments_of(api, shop, order) == [(8000, "succeeded"), (16000, "succeeded")]


def test_a_booking_paid_whole_at_booking_gets_no_plan_when_moved_far_off(api):
    # A reviewer's finding: booked the day before (the whole taken, no plan), then moved to
    # March for 3 nights: a plan was made from the new start and its extra scheduled.
    shop, order = paid_whole_the_day_before(api)
    moved = move(api, shop, order, 3)
    assert moved["plan"] == [] and plan_of(api, shop, order) == [] and dues(api) == []
    assert moved["totals"]["total"] - moved["totals"]["paid"] == 12000
    assert moved["payment_status"] == "deposit_paid"  # the extra: owed as any balance is
    headers = {"X-Manage-Token": order["manage_token"]}
    assert owed_plan(api, shop, order, headers)["owed"] == 12000


def test_a_move_and_its_quote_answer_the_plan_that_will_be_charged(api):
    # A reviewer's finding: the move's answer listed 80.00 on each date while the stored plan
    # (and the dates) took 20.00 each.
    shop, order, _ = plan_first_paid(api)
    body = {"lines": [{"offering_id": "off_stay", "check_in": "2026-12-10", "nights": 1}]}
    path = f"/v1/orders/{order['id']}/reschedule"
    quote = api.call(
        "POST",
        path,
        auth=shop["secret_key"],
        body={**body, "quote": True},
        headers={"If-Match": "*"},
    )
    assert quote.status_code == 200, quote.body
    expected = [("2026-11-24", 8000), ("2026-12-09", 4000)]
    assert [(p["due"], p["amount"]) for p in quote.data["plan"]] == expected
    moved = move(api, shop, order, 1, "2026-12-10")
    assert [(p["due"], p["amount"]) for p in moved["plan"]] == expected
    assert [(d, a) for d, a, _ in plan_of(api, shop, order)] == expected
