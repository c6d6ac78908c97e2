"""What an order bills, line by line and tax rate by tax rate: the booked lines, then the
folio's live charges and discounts. An invoice is drawn from this, a checkout's balance
counts the same figures (the order's total and tax are their sums), so a document and the
money never disagree.
"""

from __future__ import annotations

from enum import StrEnum

from chalicelib.booking.domain.folio import ChargeKind
from chalicelib.booking.domain.orders import Order
from chalicelib.kernel.domain.values import value


class BillKind(StrEnum):
    BOOKING = "booking"  # a booked line: a stay, a table, a service, seats
    CHARGE = "charge"
    DISCOUNT = "discount"


@value
class BillLine:
    kind: BillKind
    ref: str  # the order line's index, or the charge's id
    label: str
    quantity: int
    unit_amount: int  # as priced: tax included when the line's price included it
    tax_bp: int
    tax: int  # negative for a discount
    total: int  # what it adds to what the customer pays; negative for a discount
    local_date: str = ""  # a booked line's first local date

    @property
    def net(self) -> int:
        return self.total - self.tax


@value
class TaxBand:
    tax_bp: int
    net: int
    tax: int
    total: int


def bill_lines(order: Order) -> tuple[BillLine, ...]:
    booked = tuple(
        BillLine(
            kind=BillKind.BOOKING,
            ref=str(index),
            label=line.offering_name,
            quantity=1,
            unit_amount=line.subtotal,
            tax_bp=line.tax_bp,
            tax=line.tax,
            total=line.total,
            local_date=line.local_date,
        )
        for index, line in enumerate(order.lines)
    )
    folio = tuple(
        BillLine(
            kind=BillKind.DISCOUNT if c.kind is ChargeKind.DISCOUNT else BillKind.CHARGE,
            ref=c.id,
            # a discount says why ("10 % · Noisy room"), once when its name says it already
            # ("100 points", PROBE 43 read "100 points · 100 points"); a charge its name
            label=" · ".join(p for p in dict.fromkeys((c.label, c.reason)) if p)
            if c.kind is ChargeKind.DISCOUNT
            else c.label,
            quantity=c.quantity,
            unit_amount=c.unit_amount,
            tax_bp=c.tax_bp,
            tax=c.signed_tax,
            total=c.signed_total,
        )
        for c in order.charges
        if c.live
    )
    return booked + folio


def tax_bands(lines: tuple[BillLine, ...]) -> tuple[TaxBand, ...]:
    """The lines' figures summed per tax rate, lowest rate first (rates with nothing left
    after discounts are kept: an invoice states each rate it used)."""
    bands: dict[int, list[int]] = {}
    for line in lines:
        band = bands.setdefault(line.tax_bp, [0, 0])
        band[0] += line.tax
        band[1] += line.total
    return tuple(
        TaxBand(tax_bp=rate, net=total - tax, tax=tax, total=total)
        for rate, (tax, total) in sorted(bands.items())
    )
