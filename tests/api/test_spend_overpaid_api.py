"""A customer's spend is what their completed orders billed (customers/services/figures.py).
An outside tester found two gaps: money paid beyond a total that then went down (a stay made
shorter, a discount after payment) was taken off the spend a second time when it was given
back, and a charge paid after check-out (the folio stays open: the minibar) never reached it."""

from __future__ import annotations

import pytest

from tests.api.support import forbid_server_errors
from tests.api.test_folio_api import charge, discount, minibar, void
from tests.api.test_money_messages_api import captured_stay, money, settle_all
from tests.api.test_refund_failed_spend_api import completed, spend


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def cash_back(api, shop, order_id: str, amount: int, key: str) -> None:
    r = api.call(
        "POST",
        f"/v1/orders/{order_id}/refunds",
        auth=shop["secret_key"],
        body={"amount": amount, "method": "cash", "reason": "paid beyond the total"},
        headers={"Idempotency-Key": key},
    )
    assert r.status_code == 201, r.body
    settle_all(api)


def less(api, shop, order_id: str, amount: int) -> None:
    r = discount(api, shop, order_id, amount=amount, tax_rate_bp=700, reason="late start")
    assert r.status_code == 201, r.body
    settle_all(api)


def test_the_overpayment_given_back_before_completion_is_not_taken_off_again(api):
    shop, order, _ = captured_stay(api, "overpaid1")
    less(api, shop, order["id"], 1000)
    cash_back(api, shop, order["id"], 1000, "overpaid1-back")
    completed(api, shop, order["id"])
    total = money(api, shop, order["id"])["total"]
    assert spend(api, shop) == total  # not total - 1000


def test_the_overpayment_given_back_after_completion_is_not_taken_off(api):
    shop, order, _ = captured_stay(api, "overpaid2")
    less(api, shop, order["id"], 1000)
    completed(api, shop, order["id"])
    total = money(api, shop, order["id"])["total"]
    assert spend(api, shop) == total
    cash_back(api, shop, order["id"], 1000, "overpaid2-back")
    assert spend(api, shop) == total
    cash_back(api, shop, order["id"], 500, "overpaid2-goodwill")  # beyond it: taken off
    assert spend(api, shop) == total - 500


def test_a_charge_or_discount_after_completion_changes_the_spend(api):
    shop, order, _ = captured_stay(api, "afterout")
    completed(api, shop, order["id"])
    billed = spend(api, shop)
    item = minibar(api, shop)
    added = charge(api, shop, order["id"], key="afterout-water", item_id=item["id"], quantity=2)
    assert added.status_code == 201, added.body
    settle_all(api)
    assert spend(api, shop) == billed + 900
    less(api, shop, order["id"], 300)
    assert spend(api, shop) == billed + 600
    water = next(c["id"] for c in added.data["charges"] if c["total"] > 0)
    r = void(api, shop, order["id"], water, reason="not taken")
    assert r.status_code == 200, r.body
    settle_all(api)
    assert spend(api, shop) == billed - 300
