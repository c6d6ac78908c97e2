"""The most one payment can take (kernel/domain/money.MAX_AMOUNT): an order's total is checked
against it as the processor would be sent it."""

from __future__ import annotations

import pytest

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.money import MAX_AMOUNT, check_chargeable


@pytest.mark.parametrize("currency", ["EUR", "JPY", "KWD"])
def test_a_total_up_to_the_bound_is_chargeable(currency):
    # KWD charges in steps of 10, rounded down: its bound is the same.
    assert check_chargeable(MAX_AMOUNT, currency) == MAX_AMOUNT
    assert check_chargeable(0, currency) == 0


@pytest.mark.parametrize(
    ("total", "currency"),
    [(MAX_AMOUNT + 1, "EUR"), (MAX_AMOUNT + 1, "JPY"), (MAX_AMOUNT + 10, "KWD")],
)
def test_a_total_past_the_bound_as_sent_is_amount_too_large(total, currency):
    with pytest.raises(InvalidInput) as caught:
        check_chargeable(total, currency)
    assert caught.value.code == "amount_too_large"
    assert caught.value.details == {"total": total, "max_amount": MAX_AMOUNT}
