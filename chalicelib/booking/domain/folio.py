"""The folio: what an order bills beyond its booked lines. Extra charges (a minibar, a late
check-out, a product sold at the salon, a tip), each with its own tax rate, and discounts with
a reason and who gave them. The order's total, tax and balance count them (orders.py), so the
payment status, the balance the desk collects and the invoice follow every change.

A charge is never deleted: a mistaken one is voided, with who voided it and why, and stays on
the record (an invoice issued before shows it; the next one does not).
"""

from __future__ import annotations

from enum import StrEnum

from chalicelib.catalog.domain.pricing import with_tax
from chalicelib.kernel.domain.values import value

MAX_CHARGES = 200  # a long stay's minibar, night after night; each record is about 200 bytes
MAX_QUANTITY = 999
MAX_TAX_BP = 10_000  # 100 %


class ChargeKind(StrEnum):
    CHARGE = "charge"
    DISCOUNT = "discount"  # off what the customer pays: its tax part comes off the tax


@value
class Charge:
    id: str
    kind: ChargeKind
    label: str
    quantity: int
    unit_amount: int  # as priced: tax included when `tax_inclusive`; always positive
    tax_bp: int
    tax_inclusive: bool
    tax: int  # positive; a discount's comes off the order's tax
    total: int  # what it adds to (a discount: takes off) what the customer pays
    at: str
    by: str  # the staff member (a login's e-mail, a key's label)
    item_id: str = ""  # the price list's item it was priced from, if any
    reason: str = ""  # a discount's reason, a charge's note
    voided_at: str = ""
    voided_by: str = ""
    void_reason: str = ""

    @property
    def live(self) -> bool:
        return not self.voided_at

    @property
    def signed_total(self) -> int:
        return -self.total if self.kind is ChargeKind.DISCOUNT else self.total

    @property
    def signed_tax(self) -> int:
        return -self.tax if self.kind is ChargeKind.DISCOUNT else self.tax

    @property
    def net(self) -> int:
        return self.total - self.tax

    @property
    def as_priced(self) -> int:
        """What it adds to the order's subtotal: its price (with the tax in it when priced
        with tax; without the tax added to it otherwise), signed."""
        amount = self.total if self.tax_inclusive else self.total - self.tax
        return -amount if self.kind is ChargeKind.DISCOUNT else amount


def taxed(amount: int, tax_bp: int, inclusive: bool) -> tuple[int, int]:
    """(tax, total) of `amount` as priced: the catalog's own rule (pricing.with_tax), so a
    charge and a booked line of the same price and rate carry the same tax."""
    price = with_tax(amount, tax_bp, inclusive, ())
    return price.tax, price.total


def discount_taxed(
    amount: int, tax_bp: int, inclusive: bool, *, billed: int, billed_tax: int
) -> tuple[int, int]:
    """(tax, total) of a discount of `amount` as priced, off a rate that bills `billed` with
    `billed_tax` in it. The rate keeps the tax of what it still bills, so a rate discounted to
    nothing keeps no tax and discounts one after another (a code, then points) never round its
    tax below that: each discount taxed on its own left EUR 22.50 at 5.5 % discounted to 0
    with 0.01 of tax, and a code and points on a JPY 839 line billed -1 with -1 of tax."""
    if inclusive:
        kept, _ = taxed(max(0, billed - amount), tax_bp, True)
        tax = max(0, min(billed_tax - kept, amount))
        return tax, amount
    kept, _ = taxed(max(0, billed - billed_tax - amount), tax_bp, False)
    tax = max(0, billed_tax - kept)
    return tax, amount + tax


def discounts_taxed(
    bands: dict[int, tuple[int, int]], groups: dict[tuple[int, bool], int]
) -> list[tuple[int, bool, int, int, int]]:
    """Each group's discount (`(rate, inclusive)`: its amount as priced), lowest rate first,
    taxed off its rate by `discount_taxed`: (rate, inclusive, amount, tax, total). `bands`
    (each rate's total and tax) is carried from one discount to the next, and left as they
    leave it, so a code then points are taxed as one after the other."""
    out = []
    for (rate, inclusive), amount in sorted(groups.items()):
        billed, billed_tax = bands.get(rate, (0, 0))
        tax, total = discount_taxed(amount, rate, inclusive, billed=billed, billed_tax=billed_tax)
        bands[rate] = (billed - total, billed_tax - tax)
        out.append((rate, inclusive, amount, tax, total))
    return out


def live_charges(charges: tuple[Charge, ...]) -> tuple[Charge, ...]:
    return tuple(c for c in charges if c.live)


def charges_total(charges: tuple[Charge, ...]) -> int:
    return sum(c.signed_total for c in charges if c.live)


def charges_tax(charges: tuple[Charge, ...]) -> int:
    return sum(c.signed_tax for c in charges if c.live)
