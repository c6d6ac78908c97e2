"""Money changes that lose a race to another change of the same order: the caller sent no
version (If-Match), so the change is read again and decided again on the order as it now is;
it is never answered `version_mismatch` for a version it never saw, and it never leaves money
moved at Stripe that the order does not record.

The race is staged in-process: the use case's read of the order is wrapped so that, right
after the read, another request changes the same order (what a second desk does at the same
moment); the first request then writes over a version that is no longer there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from chalicelib.catalog.domain.catalog import DepositKind
from chalicelib.payments.services import desk
from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_desk_payments_api import booked, money, take
from tests.api.test_payments_api import setup_shop


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def shop(api) -> dict[str, Any]:
    return setup_shop(api, "race-inn", connected=False, deposit=DepositKind.NONE)


def after_first_read(monkeypatch, module: Any, meanwhile: Callable[[], Any]) -> list[Any]:
    """Run `meanwhile` once, right after `module.get_order`'s first read (its answer kept)."""
    real = module.get_order
    done: list[Any] = []

    def read_then_race(ctx, order_id):
        order = real(ctx, order_id)
        if not done:
            done.append(None)
            done[0] = meanwhile()
        return order

    monkeypatch.setattr(module, "get_order", read_then_race)
    return done


def test_two_desk_payments_at_once_both_land_without_a_version_mismatch(api, shop, monkeypatch):
    order = booked(api, shop)
    other = after_first_read(
        monkeypatch, desk, lambda: take(api, shop, order["id"], amount=100, method="cash")
    )
    r = take(api, shop, order["id"], amount=200, method="card_terminal")
    assert other[0].status_code == 201, other[0].body
    assert r.status_code == 201, r.body
    got = money(api, shop, order["id"])
    assert got["received"] == 300
    assert sorted(p["amount"] for p in got["payments"]) == [100, 200]


def test_a_desk_payment_that_lost_a_race_is_checked_against_what_is_owed_now(
    api, shop, monkeypatch
):
    order = booked(api, shop)
    total = order["totals"]["total"]
    other = after_first_read(
        monkeypatch, desk, lambda: take(api, shop, order["id"], amount=total - 50, method="cash")
    )
    r = take(api, shop, order["id"], amount=100, method="cash")
    assert other[0].status_code == 201
    assert assert_error(r, 422, "payment_too_large")["details"]["owed"] == 50
    assert money(api, shop, order["id"])["received"] == total - 50


def test_two_desk_refunds_at_once_both_land_and_the_rule_is_checked_anew(api, shop, monkeypatch):
    order = booked(api, shop)
    assert take(api, shop, order["id"], amount=1000, method="cash").status_code == 201
    path = f"/v1/orders/{order['id']}/refunds"

    def back(amount: int):
        body = {"amount": amount, "method": "cash", "reason": "race"}
        return api.call("POST", path, auth=shop["secret_key"], body=body)

    other = after_first_read(monkeypatch, desk, lambda: back(600))
    r = back(300)
    assert other[0].status_code == 201 and r.status_code == 201, r.body
    assert money(api, shop, order["id"])["refunded"] == 900
    # A third that no longer fits, raced the same way, is refused on the order as it now is.
    monkeypatch.undo()
    other = after_first_read(monkeypatch, desk, lambda: back(50))
    late = back(100)
    assert other[0].status_code == 201
    assert_error(late, 422, "refund_too_large")
    assert money(api, shop, order["id"])["refunded"] == 950


def test_two_tabs_paying_the_balance_at_once_get_the_same_payment(api, monkeypatch):
    """A tester's double click on the manage page's "Pay now": the loser used to answer 409
    `version_mismatch` ("The order was changed since it was read.") to a customer who sent
    no version; it now finds the winner's attempt and offers the same card form."""
    from chalicelib.payments.services import pay_balance
    from tests.api.test_balance_api import balance_shop, deposit_paid

    shop = balance_shop(api)
    order = deposit_paid(api, shop)
    path = f"/v1/public/orders/{order['id']}/balance"
    headers = {"X-Manage-Token": order["manage_token"]}

    def pay():
        return api.call("POST", path, auth=shop["publishable_key"], headers=headers)

    real = pay_balance.own_order_to_change
    other: list[Any] = []

    def read_then_race(*args, **kwargs):
        got = real(*args, **kwargs)
        if not other:
            other.append(None)
            other[0] = pay()
        return got

    monkeypatch.setattr(pay_balance, "own_order_to_change", read_then_race)
    r = pay()
    assert other[0].status_code == 200, other[0].body
    assert r.status_code == 200, r.body
    assert r.data["payment_id"] == other[0].data["payment_id"]
    balances = [p for p in money(api, shop, order["id"])["payments"] if p["kind"] == "balance"]
    assert len(balances) == 1
