"""An invoice's lines as the customer reads them: the bill's lines (booking/domain/bill.py),
a stay's line naming its nights and dates in the document's language ("Double room ·
2026-12-01 – 2026-12-03, 2 nights"), so a 2-night stay is not read as one night of its first
date (probe5). The amounts are the bill's, untouched; the line stays one line of quantity 1
(the stay), whose nights may be priced differently."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from chalicelib.booking.domain.bill import BillKind, BillLine, bill_lines
from chalicelib.booking.domain.orders import Order


def invoice_lines(order: Order, language: str) -> tuple[BillLine, ...]:
    out = []
    for line in bill_lines(order):
        booked = order.lines[int(line.ref)] if line.kind is BillKind.BOOKING else None
        if booked is not None and booked.nights > 0 and booked.local_date:
            stay = stay_words(booked.local_date, booked.nights, language)
            line = replace(line, label=f"{line.label} · {stay}")
        out.append(line)
    return tuple(out)


def stay_words(first: str, nights: int, language: str) -> str:
    """ "2026-12-01 – 2026-12-03, 2 nights" (zh: "2026-12-01 至 2026-12-03，2 晚")."""
    last = (date.fromisoformat(first) + timedelta(days=nights)).isoformat()
    if language == "zh-Hans":
        return f"{first} 至 {last}，{nights} 晚"
    return f"{first} – {last}, {nights} night{'' if nights == 1 else 's'}"
