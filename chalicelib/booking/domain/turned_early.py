"""A table (or a chair, a room by the hour) turned early is free again, and so is a no-show's
(domain/no_show.py). An appointment's
line takes its resource's slot buckets for the whole booked time; a party that finishes and
is checked out before that time gives back the slots not yet over, so the desk can seat the
next walk-in there (an outside tester's restaurant table, cleared an hour early, stayed
"taken" until its booked end). The line keeps its booked start and end, and its price: what
was sold; only the units held change, so the invariant (units held = units the orders take)
holds. Nights are not slots: a stay left early gives its nights back by the desk's choice
(booking/services/stays.py), and a departure's seat is sold for the departure.

Which slots: of the lines begun by the check-out (a line not begun yet, a later appointment
of the same order, keeps all of its), those whose time is not over, the one under way too
(its table is free now). A slot's length is the step between the allocation's slots, or,
for a line of one slot, up to the line's end (with any buffer after it). Pure.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from chalicelib.booking.domain.orders import Allocation, Line, Order
from chalicelib.catalog.domain.inventory import Take
from chalicelib.kernel.domain.calendar import parse_iso_utc
from chalicelib.kernel.domain.timefmt import parse

SLOT = "S#"


def turned_early(order: Order, now: str, *, remembered: bool = False) -> tuple[Order, list[Take]]:
    """`order` holding only the slots over by `now`, and the takes it gives back.
    `remembered`: they stay named on their allocations (`given_back`), to be taken again
    should the guest come after all (a no-show undone: no_show.py `taken_again`)."""
    at = parse(now)
    lines: list[Line] = []
    freed: list[Take] = []
    for line in order.lines:
        if line.nights or parse_iso_utc(line.start) > at:
            # Not begun (a later appointment of the same order, the spa after the stay): its
            # slots are still the guest's (a reviewer's: checking out the room freed them).
            lines.append(line)
            continue
        allocations = []
        for allocation in line.allocations:
            kept, gone = _split(allocation, line, at)
            freed += gone
            back = (*allocation.given_back, *gone) if remembered else allocation.given_back
            allocations.append(replace(allocation, takes=kept, given_back=back))
        lines.append(replace(line, allocations=tuple(allocations)))
    return (replace(order, lines=tuple(lines)), freed) if freed else (order, [])


def _split(allocation: Allocation, line: Line, at: datetime) -> tuple[tuple[Take, ...], list[Take]]:
    slots = sorted(_start(t) for t in allocation.takes if _slot(t))
    if not slots:
        return allocation.takes, []
    steps = [b - a for a, b in zip(slots, slots[1:], strict=False)]
    last_end = max(parse_iso_utc(line.end), slots[-1])
    step = min(steps) if steps else last_end - slots[0]
    step = step if step > timedelta(0) else timedelta(minutes=1)
    over = {s for s in slots if s + step <= at}
    kept = tuple(t for t in allocation.takes if not _slot(t) or _start(t) in over)
    gone = [t for t in allocation.takes if _slot(t) and _start(t) not in over]
    return kept, gone


def _slot(take: Take) -> bool:
    return take.bucket.key.startswith(SLOT)


def _start(take: Take) -> datetime:
    return parse_iso_utc(take.bucket.key.removeprefix(SLOT))
