"""A booking keeps the cancellation terms it was made under (an outside tester's business made
its policy stricter, and a booking made under free cancellation then cost its whole price to
cancel): each line stores its offering's tiers when planned, the fee is worked out from them,
a move or a stay change keeps them for the offerings the booking had, and a line stored before
they were kept reads the offering's as they are."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.booking.adapters.codec import line_doc, line_from
from chalicelib.booking.services.cancellation_terms import (
    StayClock,
    booked_policy,
    cancellation_terms,
    with_booked_terms,
)
from chalicelib.catalog.domain.payment_policy import CancellationPolicy, RefundTier
from tests.unit.test_folio import confirmed

NOTHING_BACK = CancellationPolicy((RefundTier(0, 0),))
CLOCK = StayClock("Europe/Berlin", 15 * 60)
NOW = "2026-11-01T10:00:00.000000Z"  # weeks before the stay


def test_the_fee_follows_the_terms_booked_under_not_the_offerings_now():
    order = confirmed()
    line = order.lines[0]
    free = replace(order, lines=(replace(line, refund_tiers=((0, 10000),)),))
    policies = {line.offering_id: NOTHING_BACK}  # the offering's terms now
    assert cancellation_terms(free, NOW, policies, CLOCK)["fee"] == 0
    stored_before = replace(order, lines=(replace(line, refund_tiers=None),))
    assert cancellation_terms(stored_before, NOW, policies, CLOCK)["fee"] == order.total
    assert booked_policy(stored_before.lines[0]) is None


def test_a_line_planned_again_keeps_the_terms_of_its_offering_in_the_booking():
    line = confirmed().lines[0]
    before = [replace(line, refund_tiers=((48, 10000), (0, 5000)))]
    moved = replace(line, start="2026-12-30T14:00Z", refund_tiers=((0, 0),))
    other = replace(line, offering_id="off_other", refund_tiers=((0, 0),))
    kept = with_booked_terms(before, [moved, other])
    assert [ln.refund_tiers for ln in kept] == [((48, 10000), (0, 5000)), ((0, 0),)]


def test_the_terms_are_stored_with_the_line_and_read_back():
    line = replace(confirmed().lines[0], refund_tiers=((24, 10000), (0, 2000)))
    assert line_from(line_doc(line)).refund_tiers == ((24, 10000), (0, 2000))
    bare = replace(line, refund_tiers=None)
    assert "cx" not in line_doc(bare) and line_from(line_doc(bare)).refund_tiers is None
