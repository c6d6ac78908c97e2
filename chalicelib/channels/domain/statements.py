"""A partner's monthly statement: every order the partner booked in a month of the tenant's
calendar (by when it was booked, not when it takes place), with its status and commission as
they stand, and per currency what counts (booking/domain/partner_refs.py `COMMISSIONED`:
confirmed, checked in, completed, no-show): how many orders, their total, the commission and
what remains to the business (net). Held, cancelled and expired orders are listed with no
commission and are not counted."""

from __future__ import annotations

from collections.abc import Sequence

from chalicelib.booking.domain.partner_refs import COMMISSIONED, PartnerEntry
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.untrusted import ascii_int
from chalicelib.kernel.domain.values import value


@value
class CurrencyTotals:
    orders: int = 0
    total: int = 0
    commission: int = 0

    @property
    def net(self) -> int:
        return self.total - self.commission


@value
class Statement:
    connection_id: str
    name: str
    month: str
    zone: str
    lines: tuple[PartnerEntry, ...]
    totals: tuple[tuple[str, CurrencyTotals], ...]  # by currency code


def check_month(month: str) -> str:
    """`YYYY-MM` (ASCII digits, month 01-12, years 2000-2999)."""
    year, _, mm = month.partition("-")
    y, m = ascii_int(year, max_digits=4), ascii_int(mm, max_digits=2)
    if (
        len(year) != 4
        or len(mm) != 2
        or y is None
        or m is None
        or not (2000 <= y <= 2999)
        or not 1 <= m <= 12
    ):
        raise InvalidInput(
            "A month reads YYYY-MM, such as 2026-12.", code="invalid_month", field="month"
        )
    return month


def statement(
    connection_id: str, name: str, month: str, zone: str, entries: Sequence[PartnerEntry]
) -> Statement:
    lines = tuple(sorted(entries, key=lambda e: (e.booked_at, e.order_id)))
    totals: dict[str, CurrencyTotals] = {}
    for e in lines:
        if e.status not in COMMISSIONED:
            continue
        t = totals.get(e.currency, CurrencyTotals())
        totals[e.currency] = CurrencyTotals(
            t.orders + 1, t.total + e.total, t.commission + e.commission
        )
    return Statement(connection_id, name, month, zone, lines, tuple(sorted(totals.items())))
