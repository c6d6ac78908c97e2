"""A discount's tax is what leaves its rate the tax of what the rate still bills
(folio.discount_taxed): discounts one after another, tax in the price or added to it, never
take a rate's total or tax below nothing, and a rate discounted to nothing keeps no tax (an
outside tester: a code and points on a JPY 839 line billed -1 with -1 of tax)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.booking.domain.folio import discount_taxed, taxed


def test_a_code_then_points_on_a_line_with_tax_added_bring_it_to_nothing():
    tax, total = taxed(777, 800, False)  # 839 with 62 of tax
    code_tax, code_total = discount_taxed(258, 800, False, billed=total, billed_tax=tax)
    billed, billed_tax = total - code_total, tax - code_tax
    assert (billed, billed_tax) == (561, 42)  # 519 and the tax of 519
    pts_tax, pts_total = discount_taxed(519, 800, False, billed=billed, billed_tax=billed_tax)
    assert (billed - pts_total, billed_tax - pts_tax) == (0, 0)


@given(
    prices=st.lists(st.integers(1, 100_000), min_size=1, max_size=5),
    rate=st.integers(0, 3000),
    inclusive=st.booleans(),
    cuts=st.lists(st.integers(1, 10_000), min_size=1, max_size=4),
)
def test_discounts_in_turn_leave_the_tax_of_what_is_billed(prices, rate, inclusive, cuts):
    lines = [taxed(p, rate, inclusive) for p in prices]
    billed, billed_tax = sum(t for _, t in lines), sum(x for x, _ in lines)
    for bp in cuts:  # each takes bp of what is left as priced (with or without its tax)
        priced = billed if inclusive else billed - billed_tax
        amount = priced * bp // 10_000
        if amount <= 0:
            continue
        tax, total = discount_taxed(amount, rate, inclusive, billed=billed, billed_tax=billed_tax)
        assert 0 <= tax <= billed_tax and total <= billed
        billed, billed_tax = billed - total, billed_tax - tax
        assert 0 <= billed_tax <= billed
        if billed == 0:
            assert billed_tax == 0
