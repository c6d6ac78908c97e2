"""Words of the customer's messages that depend on a number (content.py builds the rest): a
stay's nights ("1 night", "2 nights", "2 晚": Chinese has no plural), and what a booking has
paid and still owes, so a confirmation names the deposit taken and the rest (probe5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.booking.domain.order_money import balance, received, refunded
from chalicelib.booking.domain.orders import Order


def nights_text(nights: int, locale: str) -> str:
    if locale == "zh-Hans":
        return f"{nights} 晚"
    return f"{nights} night" if nights == 1 else f"{nights} nights"


def money_of(order: Order, money: Callable[[int], str]) -> dict[str, Any]:
    """The order's total and deposit, what it has kept of what it was paid (`paid`) and what
    it still owes (`to_pay`), each with a flag for a template's `if` (`has_paid`,
    `has_to_pay`), the amounts formatted by `money`."""
    paid, owed = received(order) - refunded(order), balance(order)
    return {
        "total": money(order.total),
        "deposit": money(order.deposit),
        "paid": money(max(0, paid)),
        "to_pay": money(max(0, owed)),
        "has_paid": paid > 0,
        "has_to_pay": paid > 0 and owed > 0,
    }


def sample_money(money: Callable[[int], str]) -> dict[str, Any]:
    """`money_of`'s part of a sample message (a 50.00 deposit paid of 240.00)."""
    return {"paid": money(5000), "to_pay": money(19000), "has_paid": True, "has_to_pay": True}
