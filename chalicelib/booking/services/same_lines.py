"""Whether a move asks for what the order already has: the same lines, in order, each at its
same start (or check-in and nights), offering, party and quantity, with no other resource,
room or answers named. Such a move is no change (as a stay's same length, or a status an order
already has): answered with the order as it is, no new version, no event, no message.

A start in the repeated hour of an autumn change names two instants: it is planned as any
move, never taken as "the same" here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from chalicelib.booking.domain.orders import Line
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.kernel.domain.calendar import is_repeated, zone


def same_lines(old: Sequence[Line], new: Sequence[LineInput], tz: str) -> bool:
    """`tz`: the tenant's zone, whose wall clock the lines' starts are asked in."""
    return len(old) == len(new) and all(
        _same(line, ask, tz) for line, ask in zip(old, new, strict=True)
    )


def _same(line: Line, ask: LineInput, tz: str) -> bool:
    held = {a.requirement: a.resource_id for a in line.allocations}
    return (
        ask.offering_id == line.offering_id
        and (ask.party, ask.quantity) == (line.party, line.quantity)
        and _same_time(line, ask, tz)
        and all(held.get(index) == rid for index, rid in ask.resource_ids.items())
        and (ask.answers is None or ask.answers == line.answers)
        and (not ask.rooms or tuple(ask.rooms) == tuple(line.rooms))
    )


def _same_time(line: Line, ask: LineInput, tz: str) -> bool:
    if line.nights:
        return ask.start is None and (ask.check_in, ask.nights) == (
            date.fromisoformat(line.local_date),
            line.nights,
        )
    wall = datetime.fromisoformat(line.local_start).replace(tzinfo=None)
    if ask.check_in is not None or ask.start is None or is_repeated(wall.replace(tzinfo=zone(tz))):
        return False
    return ask.start == wall
