"""The takings store in memory, and the conditions of its transaction items as
payments/adapters/takings_store.py writes them (FakeTransactions asks it about its items)."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.services.transaction_ports import TransactionItem
from chalicelib.payments.domain.takings import Close, Day, DayClosed, Direction, Entry
from chalicelib.payments.services.takings_ports import DayCount, EntryPut, TakingsStore


class FakeTakings(TakingsStore):
    def __init__(self) -> None:
        self.day_items: dict[str, Day] = {}
        self.entry_items: dict[tuple[str, str], Entry] = {}  # (day, at#id) -> entry
        self.before_close: list[object] = []  # callables run between a close's read and write

    # -- the store -----------------------------------------------------------------------
    def day(self, day: str) -> Day:
        return self.day_items.get(day, Day(day=day))

    def days(self, first: str, last: str) -> list[Day]:
        return [d for k, d in sorted(self.day_items.items()) if first <= k <= last]

    def entries(self, day: str, *, limit: int) -> tuple[list[Entry], bool]:
        mine = [e for (d, _), e in sorted(self.entry_items.items()) if d == day]
        return mine[:limit], len(mine) <= limit

    def close(self, day: str, close: Close) -> None:
        while self.before_close:
            self.before_close.pop(0)()  # type: ignore[operator]
        current = self.day(day)
        if current.close is not None or current.entries != close.entries:
            raise Conflict("Changed.", code="takings_changed")
        self.day_items[day] = replace(current, close=close)

    # -- the transaction items -----------------------------------------------------------
    @staticmethod
    def owns(item: TransactionItem) -> bool:
        return isinstance(item, EntryPut | DayCount)

    def check(self, item: TransactionItem) -> None:
        if isinstance(item, EntryPut):
            e = item.entry
            if (e.day, f"{e.at}#{e.id}") in self.entry_items:
                raise Conflict("The takings entry is written already.")
        elif isinstance(item, DayCount) and self.day(item.entry.day).closed:
            raise DayClosed("The day is closed.", day=item.entry.day)

    def apply(self, item: TransactionItem) -> None:
        if isinstance(item, EntryPut):
            e = item.entry
            self.entry_items[(e.day, f"{e.at}#{e.id}")] = e
        elif isinstance(item, DayCount):
            e = item.entry
            day = self.day(e.day)
            side = "taken" if e.direction is Direction.IN else "given_back"
            totals = dict(getattr(day, side))
            totals[e.method] = totals.get(e.method, 0) + e.amount
            self.day_items[e.day] = replace(day, entries=day.entries + 1, **{side: totals})
