"""A stay that a move to another room type split (booking/services/room_moves.py) is one
guest's stay in two lines: the part another part continues (a line of the order beginning the
night it ends, with the same party and quantity) must never share a night with it, or one guest
would hold two rooms that night. A stay change (services/stays.py) and a reschedule
(services/orders.reschedule) check the lines as they would be against the parts as they are:
409 `stay_overlaps_itself`, nothing changed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from chalicelib.booking.domain.orders import Line
from chalicelib.kernel.domain.errors import Conflict

Span = tuple[date, int] | None  # a stay's check-in and nights as they would be; None: no stay


def continues(line: Line, part: Line) -> bool:
    """`part` goes on the night `line` ends, for the same party and quantity."""
    if not (line.nights and part.nights):
        return False
    ends = (date.fromisoformat(line.local_date) + timedelta(days=line.nights)).isoformat()
    return part.local_date == ends and (part.party, part.quantity) == (line.party, line.quantity)


def check_parts_apart(lines: Sequence[Line], spans: Sequence[Span]) -> None:
    """Refuse `spans` (the lines as they would be, by index) when a part of a split stay would
    share a night with the part that continues it."""
    kept = list(lines[: len(spans)])
    for i, line in enumerate(kept):
        for j, part in enumerate(kept):
            first, then = spans[i], spans[j]
            if i == j or first is None or then is None or not continues(line, part):
                continue
            night = max(first[0], then[0])
            if night < min(first[0] + timedelta(days=first[1]), then[0] + timedelta(days=then[1])):
                raise Conflict(
                    f"This stay goes on in another room (line {j}): the two parts would share "
                    f"the night of {night.isoformat()}, one guest in two rooms. Make the later "
                    "part longer instead, or move both.",
                    code="stay_overlaps_itself",
                    line=j,
                    night=night.isoformat(),
                )
