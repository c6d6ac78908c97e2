"""How many guests an order brings: the most people it has at one time.

A line is `party` x `quantity` people (three rooms of two, a tour's party of 5 four times over:
placement.py takes that many seats or beds). An order's lines are not always other people: a
course booked as its three sessions, or a haircut then a colour, are the same person each
time, and summing the lines' parties counted one student as three guests and put the party
size of a salon's bookings near two (an outside tester's finding). Lines at the same time are
other people (two rooms on the same nights, two tours at once), so the order's guests are the
most people its lines hold at any one time. The figures count that per order, and per
offering or resource over that one's lines (reports/domain/figures.py). Pure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from datetime import datetime
from typing import TypeVar

from chalicelib.booking.domain.orders import Line
from chalicelib.kernel.domain.calendar import parse_iso_utc

K = TypeVar("K", bound=Hashable)


def most_at_once_by(lines: Iterable[tuple[K, Line]]) -> dict[K, int]:
    """`most_at_once` of each key's lines (the total, a channel, an offering, a resource)."""
    by: dict[K, list[Line]] = defaultdict(list)
    for key, line in lines:
        by[key].append(line)
    return {key: most_at_once(its) for key, its in by.items()}


def people(line: Line) -> int:
    return line.party * line.quantity


def most_at_once(lines: Iterable[Line]) -> int:
    """The most people the lines hold at one instant: a line ending when another starts is
    not beside it (back-to-back sessions are one person's morning)."""
    changes: list[tuple[datetime, int]] = []
    for line in lines:
        changes.append((parse_iso_utc(line.start), people(line)))
        changes.append((parse_iso_utc(line.end), -people(line)))
    changes.sort()  # at one instant the ends (negative) come before the starts
    most = now = 0
    for _, n in changes:
        now += n
        most = max(most, now)
    return most
