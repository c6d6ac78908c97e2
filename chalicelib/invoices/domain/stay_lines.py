"""An invoice's lines as the customer reads them: the bill's lines (booking/domain/bill.py),
a stay's line naming its nights and dates in the document's language ("Double room ·
2026-12-01 – 2026-12-03, 2 nights"), so a 2-night stay is not read as one night of its first
date (probe5). The amounts are the bill's, untouched; a stay stays one line (of quantity 1, or
of its rooms when it books several), whose nights may be priced differently, and a line
priced at one unit price (tickets, people, hours) says how many at what (3 x 45.00, not
1 x 135.00: an outside tester's concert).

A no-show's invoice bills what the no-show keeps, its fee (order_money.due): one line per tax
rate, the fee spread over the rates as the bill was (an outside tester's no-show invoice
billed the whole stay and asked the guest for money they did not owe)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from chalicelib.booking.domain.bill import BillKind, BillLine, bill_lines, tax_bands
from chalicelib.booking.domain.orders import BookingStatus, Line, Order
from chalicelib.invoices.domain.credits import part_lines

NO_SHOW_WORD = {"en": "No-show fee", "zh-Hans": "未到店费用"}


def invoice_lines(order: Order, language: str) -> tuple[BillLine, ...]:
    if order.status is BookingStatus.NO_SHOW:
        return no_show_lines(order, language)
    out = []
    for line in bill_lines(order):
        booked = order.lines[int(line.ref)] if line.kind is BillKind.BOOKING else None
        if booked is not None and booked.nights > 0 and booked.local_date:
            stay = stay_words(booked.local_date, booked.nights, language)
            line = _rooms(replace(line, label=f"{line.label} · {stay}"), booked)
        elif booked is not None:
            line = _counted(line, booked)
        out.append(line)
    return tuple(out)


def _counted(line: BillLine, booked: Line) -> BillLine:
    """The line as so many at one price, when its one price item makes its whole price."""
    if len(booked.price_items) != 1:
        return line
    _, unit, quantity = booked.price_items[0]
    if quantity <= 1 or unit * quantity != line.unit_amount:
        return line
    return replace(line, quantity=quantity, unit_amount=unit)


def _rooms(line: BillLine, booked: Line) -> BillLine:
    """A stay of several rooms as so many rooms at the stay's price each (3 x 198.00, not
    1 x 594.00: a groups tester's organiser read one room at three times the rate), when the
    rooms cost the same, as one offering's nights do."""
    rooms = booked.quantity
    if rooms <= 1 or line.unit_amount % rooms:
        return line
    return replace(line, quantity=rooms, unit_amount=line.unit_amount // rooms)


def no_show_lines(order: Order, language: str) -> tuple[BillLine, ...]:
    word = NO_SHOW_WORD.get(language, NO_SHOW_WORD["en"])
    fee = order.no_show_fee
    billed = tax_bands(bill_lines(order))
    if fee <= 0 or sum(b.total for b in billed) <= 0:
        return ()
    fee = min(fee, sum(b.total for b in billed if b.total > 0))
    return tuple(
        replace(
            line,
            kind=BillKind.CHARGE,
            ref=f"no_show@{line.tax_bp}",
            label=word,
            tax=-line.tax,
            total=-line.total,
        )
        for line in part_lines(billed, fee)
    )


def stay_words(first: str, nights: int, language: str) -> str:
    """ "2026-12-01 – 2026-12-03, 2 nights" (zh: "2026-12-01 至 2026-12-03，2 晚")."""
    last = (date.fromisoformat(first) + timedelta(days=nights)).isoformat()
    if language == "zh-Hans":
        return f"{first} 至 {last}，{nights} 晚"
    return f"{first} – {last}, {nights} night{'' if nights == 1 else 's'}"
