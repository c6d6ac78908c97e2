"""Points a change of the bill after completion takes back: a booking earned points on what it
billed; a discount given afterwards, or a charge voided afterwards, bills less, and takes back
the points of what it removed, once per change however often its event comes, never below
zero (what was spent stays spent, and the ledger says how many could not be taken back). A
discount and the refund of the money it leaves overpaid remove the same euros: their points
go back once, not twice."""

from __future__ import annotations

import pytest

from tests.api.support import forbid_server_errors
from tests.api.test_coupons_api import book
from tests.api.test_folio_api import charge, discount, void
from tests.api.test_loyalty_api import balance
from tests.api.test_loyalty_api import inn as inn  # noqa: F401  (the fixture)
from tests.api.test_points_takeback_api import (
    BILL,
    complete,
    deliver_three_times,
    money,
    paid,
    paid_and_completed,
    taken_back,
)


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def given(r) -> str:
    assert r.status_code in (200, 201), r.body
    return str(r.data["charges"][-1]["id"])


def test_a_discount_after_completion_takes_back_its_points_once(api, inn):
    order_id = paid_and_completed(api, inn)
    assert balance(api, inn)["points"] == 240
    given(discount(api, inn, order_id, amount=6000, reason="noisy room"))  # a quarter
    deliver_three_times(api)  # its event three times: taken back once
    assert balance(api, inn)["points"] == 180
    assert taken_back(api, inn) == [(60, None)]
    # The discount left 60.00 overpaid; refunding it takes back nothing more.
    money(api, inn, order_id, "refunds", 6000)
    deliver_three_times(api)
    assert balance(api, inn)["points"] == 180 and taken_back(api, inn) == [(60, None)]


def test_a_charge_voided_after_completion_takes_back_its_points(api, inn):
    order_id = paid(api, inn)
    r = charge(api, inn, order_id, key="mini-1", label="Minibar", unit_amount=1000, tax_rate_bp=0)
    minibar = given(r)
    money(api, inn, order_id, "payments", 1000)
    complete(api, inn, order_id)
    assert balance(api, inn)["points"] == 250  # billed 250.00
    given(void(api, inn, order_id, minibar, reason="not taken from the minibar"))
    deliver_three_times(api)
    assert balance(api, inn)["points"] == 240
    assert taken_back(api, inn) == [(10, None)]


def test_a_discount_after_the_points_were_spent_goes_to_zero_and_says_so(api, inn):
    order_id = paid_and_completed(api, inn)
    spent = book(api, inn, points=200)  # Ada spends 200 of her 240 on her next stay
    assert spent.status_code == 201, spent.body
    given(discount(api, inn, order_id, amount=BILL // 2, reason="cold shower"))
    deliver_three_times(api)
    assert balance(api, inn)["points"] == 0  # never below zero
    assert taken_back(api, inn) == [(40, 80)]  # 120 due: 40 taken, 80 spent already


def test_a_discount_voided_after_completion_gives_no_points_and_takes_none(api, inn):
    order_id = paid_and_completed(api, inn)
    discount_id = given(discount(api, inn, order_id, amount=2400, reason="late check-in"))
    deliver_three_times(api)
    assert balance(api, inn)["points"] == 216
    given(void(api, inn, order_id, discount_id, reason="given by mistake"))
    deliver_three_times(api)
    assert balance(api, inn)["points"] == 216  # what was taken back stays taken back
    assert taken_back(api, inn) == [(24, None)]


def test_a_discount_before_completion_earns_on_the_lower_bill_and_takes_nothing(api, inn):
    order_id = paid(api, inn)
    given(discount(api, inn, order_id, amount=4000, reason="loyal guest"))
    complete(api, inn, order_id)
    assert balance(api, inn)["points"] == 200 and taken_back(api, inn) == []
