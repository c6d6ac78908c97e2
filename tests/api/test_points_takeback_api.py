"""Points a refund takes back (the outside probe's defect 6): money refunded on a booking that
earned points takes back the refunded share of them, adding up over partial refunds to no more
than it earned, once per refund however often its event comes, never below zero (what was
spent stays spent, and the ledger says how many could not be taken back)."""

from __future__ import annotations

import pytest

from tests.api.support import forbid_server_errors
from tests.api.test_coupons_api import book
from tests.api.test_loyalty_api import balance
from tests.api.test_loyalty_api import inn as inn  # noqa: F401  (the fixture)
from tests.api.test_notifications_api import deliver_events

BILL = 24000  # Ada's stay: 240.00, 240 points


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def deliver_three_times(api):
    for _ in range(3):
        assert deliver_events(api) == {"batchItemFailures": []}


def money(api, inn, order_id: str, kind: str, amount: int) -> None:
    body = {"amount": amount, "method": "cash"} | (
        {"reason": "heating"} if kind == "refunds" else {}
    )
    r = api.call("POST", f"/v1/orders/{order_id}/{kind}", auth=inn["secret_key"], body=body)
    assert r.status_code == 201, r.body


def paid(api, inn, email="ada@example.com") -> str:
    """A stay booked, confirmed and paid at the desk."""
    order_id = book(api, inn, email=email).data["id"]
    confirmed = api.call("POST", f"/v1/orders/{order_id}/confirm", auth=inn["secret_key"])
    assert confirmed.status_code == 200, confirmed.body
    money(api, inn, order_id, "payments", BILL)
    return order_id


def complete(api, inn, order_id: str) -> None:
    for step, body in (("check-in", {"early": True}), ("complete", {"leave_balance_open": True})):
        r = api.call("POST", f"/v1/orders/{order_id}/{step}", auth=inn["secret_key"], body=body)
        assert r.status_code == 200, (step, r.body)
    deliver_three_times(api)


def paid_and_completed(api, inn) -> str:
    order_id = paid(api, inn)
    complete(api, inn, order_id)
    return order_id


def taken_back(api, inn) -> list[tuple[int, str]]:
    ledger = balance(api, inn)["ledger"]
    return [(e["points"], e.get("not_taken_back")) for e in ledger if e["movement"] == "taken_back"]


def test_partial_refunds_take_back_their_share_adding_up_to_what_was_earned(api, inn):
    order_id = paid_and_completed(api, inn)
    assert balance(api, inn)["points"] == 240
    points = []
    for refund in (999, 999, 999):  # 4.1625 % each: 9.99 points
        money(api, inn, order_id, "refunds", refund)
        deliver_three_times(api)  # each refund taken back once
        points.append(balance(api, inn)["points"])
    # Cumulative: 9.99 -> 9, 19.98 -> 19, 29.97 -> 29 (not 9 + 9 + 9).
    assert points == [231, 221, 211]
    money(api, inn, order_id, "refunds", BILL - 3 * 999)  # the rest: all 240 back
    deliver_three_times(api)
    assert balance(api, inn)["points"] == 0
    assert sorted(p for p, _ in taken_back(api, inn)) == [9, 10, 10, 211]


def test_points_already_spent_stay_spent_and_the_ledger_says_how_many(api, inn):
    order_id = paid_and_completed(api, inn)
    spent = book(api, inn, points=200)  # staff spend 200 of Ada's 240 on her next stay
    assert spent.status_code == 201, spent.body
    money(api, inn, order_id, "refunds", BILL)
    deliver_three_times(api)
    assert balance(api, inn)["points"] == 0  # never below zero
    assert taken_back(api, inn) == [(40, 200)]
    ledger = balance(api, inn)["ledger"]
    assert ledger[0]["movement"] == "taken_back" and ledger[0]["order_id"] == order_id


def test_a_refund_before_the_booking_earned_is_taken_back_when_it_earns(api, inn):
    order_id = paid(api, inn)
    money(api, inn, order_id, "refunds", BILL // 2)  # a goodwill refund before check-out
    deliver_three_times(api)
    complete(api, inn, order_id)
    assert balance(api, inn)["points"] == 120
    assert taken_back(api, inn) == [(120, None)]


def test_a_refund_of_a_booking_that_earned_nothing_takes_nothing(api, inn):
    earned_id = paid_and_completed(api, inn)
    other = paid(api, inn)  # Ada's next stay, paid, not completed
    money(api, inn, other, "refunds", BILL)
    deliver_three_times(api)
    assert balance(api, inn)["points"] == 240 and taken_back(api, inn) == []
    assert earned_id != other
