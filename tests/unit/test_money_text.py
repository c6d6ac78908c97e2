"""Amounts in messages (kernel/domain/money.amount_text): major units with the currency's
code, as many decimals as the currency has."""

from __future__ import annotations

import pytest

from chalicelib.kernel.domain.money import amount_text


@pytest.mark.parametrize(
    ("amount", "currency", "said"),
    [
        (25940, "EUR", "259.40 EUR"),
        (5, "USD", "0.05 USD"),
        (0, "EUR", "0.00 EUR"),
        (1500, "JPY", "1500 JPY"),
        (0, "JPY", "0 JPY"),
        (12345, "KWD", "12.345 KWD"),
        (7, "BHD", "0.007 BHD"),
        (-2500, "CNY", "-25.00 CNY"),
        (199, "XXX", "1.99 XXX"),  # a code the table does not know: two decimals
    ],
)
def test_an_amount_reads_in_major_units_with_its_currency(amount, currency, said):
    assert amount_text(amount, currency) == said
