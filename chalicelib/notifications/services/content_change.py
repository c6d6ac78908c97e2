"""The words of a changed booking's message (kind `changed`, from OrderRescheduled): whether it
moved (`moved`: its start is another, `previous_when` then says the old one) or changed where
it was (a stay extended or shortened, another party: no "moved to" the same date), and what
each line is now (`now`: a stay's check-in and check-out days and nights, else its time)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalicelib.booking.domain.orders import Line, Order
from chalicelib.notifications.services.arrival import is_stay
from chalicelib.notifications.services.content_words import nights_text


@dataclass(frozen=True)
class Words:
    """How the message says a moment: content_times.format_when, in the tenant's zone and
    locale."""

    format_when: Callable[..., str]
    tz: str
    locale: str

    def when(self, instant: str, *, timed: bool) -> str:
        return self.format_when(instant, self.tz, self.locale, with_time=timed)


def change_words(order: Order, data: dict[str, Any], words: Words) -> dict[str, Any]:
    previous = str(data.get("previous_start") or "")
    moved = bool(previous) and previous != order.start
    return {
        "previous_when": words.when(previous, timed=not is_stay(order)) if moved else "",
        "moved": moved,
        "now": "; ".join(_line_now(line, words) for line in order.lines),
    }


def _line_now(line: Line, words: Words) -> str:
    if not line.nights:
        return words.when(line.start, timed=True)
    first, last = words.when(line.start, timed=False), words.when(line.end, timed=False)
    nights = nights_text(line.nights, words.locale)
    return (
        f"{first}至{last}，{nights}"
        if words.locale == "zh-Hans"
        else f"{first} to {last}, {nights}"
    )
