"""The figures export's columns and rows: one row per basis, day and currency of the report
API's day rows (a day with no money is one row with the currency empty), the counts on each
row of the day so that a filter on one currency still shows them. Money in minor units with
the currency in its own column, payments one column per tender (booking's `Tender`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from chalicelib.booking.domain.payment_records import Tender
from chalicelib.reports.domain.export_cells import Row

BASES = ("booked", "service", "paid")
_COUNTS = (
    "bookings",
    "cancellations",
    "no_shows",
    "guests",
    "new_customers",
    "returning_customers",
    "units_sold",
    "units_available",
    "occupancy_bp",
    "nights_sold",
)
_MONEY = ("gross", "discounts", "refunds", "net", "tax", "room_revenue", "adr", "revpar")
FIGURE_COLUMNS = (
    "basis",
    "day",
    *_COUNTS,
    "currency",
    *(f"{name}_minor" for name in _MONEY),
    *(f"paid_{tender.value}_minor" for tender in Tender),
)


def figure_rows(basis: str, row: Mapping[str, Any]) -> Iterator[Row]:
    """The rows of one day row `{"period", "figures": F}` of the report API."""
    f = row["figures"]
    head: Row = (basis, date.fromisoformat(row["period"]), *(f.get(c) for c in _COUNTS))
    money: Mapping[str, Mapping[str, Any]] = f.get("money") or {}
    if not money:
        yield head + (None,) * (1 + len(_MONEY) + len(Tender))
    for currency, m in money.items():
        paid = m.get("payments") or {}
        yield (
            head
            + (currency,)
            + tuple(m.get(name) for name in _MONEY)
            + tuple(paid.get(t.value, 0) for t in Tender)
        )
