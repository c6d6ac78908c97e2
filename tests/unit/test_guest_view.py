"""What of a booking its guest sees (booking/domain/orders.Line.seen): a change of only which
resource serves a line leaves the guest's view (`seen_version`) where it was, so no "Changed"
message goes for it; a change they see moves it to the change's own version; both survive
the order's stored document."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.booking.adapters.codec import order_doc, order_from
from chalicelib.booking.domain.orders import Allocation, Line
from tests.unit.test_folio import confirmed

AT = "2026-11-25T09:00:00.000000Z"


def _served_by(line: Line, resource_id: str) -> Line:
    allocations = tuple(replace(a, resource_id=resource_id) for a in line.allocations)
    return replace(line, allocations=allocations)


def _alloc(line: Line) -> Allocation:
    return line.allocations[0]


def test_another_resource_only_leaves_the_guests_view_where_it_was():
    unchosen = confirmed()
    line = replace(unchosen.lines[0], chosen=())  # nothing named: booked with "anyone"
    order = replace(unchosen, lines=(line,))
    moved = order.rescheduled((_served_by(line, "res_other"),), at=AT, actor="test")
    assert moved.version == order.version + 1 and moved.seen_version == order.version
    again = moved.rescheduled((_served_by(line, "res_third"),), at=AT, actor="test")
    assert again.seen_version == order.version  # still as the guest last saw it


def test_a_change_the_guest_sees_is_its_own_version():
    order = confirmed()
    line = order.lines[0]
    for change in (
        replace(line, party=line.party + 1),
        replace(line, total=line.total + 100),
        replace(line, start="2026-12-25T10:00Z"),
        replace(line, offering_id="off_other"),
        replace(_served_by(line, "res_other"), chosen=(_alloc(line).requirement,)),
    ):
        before = replace(order, lines=(replace(line, chosen=change.chosen),))
        after = before.rescheduled((change,), at=AT, actor="test")
        assert after.seen_version == after.version, change


def test_the_guests_choice_and_view_survive_the_stored_order():
    order = confirmed()
    chosen = replace(order, lines=(replace(order.lines[0], chosen=(0,)),), seen_version=3)
    assert order_from(order_doc(chosen)) == chosen
    assert "seen_version" not in order_doc(order)
    assert "chosen" not in order_doc(order)["lines"][0]  # not known: every resource seen
    none = replace(order, lines=(replace(order.lines[0], chosen=()),))
    assert order_from(order_doc(none)).lines[0].chosen == ()  # none chosen, kept apart


def test_a_line_whose_choice_is_not_known_sees_every_resource():
    """An order kept before lines recorded the guest's choice: a swap of its stylist is
    news, as the change messages always told it (a reviewer's finding)."""
    order = confirmed()
    assert order.lines[0].chosen is None
    moved = order.rescheduled((_served_by(order.lines[0], "res_other"),), at=AT, actor="t")
    assert moved.seen_version == moved.version
