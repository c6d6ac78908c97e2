"""An order's guests in the daily figures are the most people it has at one time
(reports/domain/guests.py): a course booked as its three sessions counted one student as
three guests, and a tour line of party 5 four times over as 5."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.booking.domain.orders import Allocation, BookingStatus, Line
from chalicelib.booking.services import orders as order_service
from chalicelib.reports.domain.figures import (
    BOOKINGS,
    CANCELLATIONS,
    GUESTS,
    NO_SHOWS,
    contribution,
    key_of,
)
from chalicelib.reports.domain.figures_report import figures
from chalicelib.reports.domain.guests import most_at_once, most_at_once_by
from tests.builders import Shop, haircut, stylist
from tests.stage import Stage


def line(start: str, end: str, *, party: int = 1, quantity: int = 1, rid: str = "res_a") -> Line:
    return Line(
        offering_id="off",
        offering_name="Course",
        start=start,
        end=end,
        local_start=start.replace("Z", "+00:00"),
        local_date=start[:10],
        party=party,
        quantity=quantity,
        allocations=(Allocation(0, rid, rid, ()),),
        price_items=(),
        subtotal=0,
        tax=0,
        total=0,
        deposit=0,
    )


MON = line("2026-12-07T09:00Z", "2026-12-07T12:00Z", party=2)


def test_a_course_of_three_sessions_is_its_party_once():
    sessions = [
        MON,
        replace(MON, start="2026-12-08T09:00Z", end="2026-12-08T12:00Z"),
        replace(MON, start="2026-12-09T09:00Z", end="2026-12-09T12:00Z"),
    ]
    assert most_at_once(sessions) == 2


def test_back_to_back_services_are_one_person():
    cut = line("2026-12-07T09:00Z", "2026-12-07T10:00Z")
    colour = line("2026-12-07T10:00Z", "2026-12-07T11:30Z")
    assert most_at_once([cut, colour]) == 1


def test_lines_at_the_same_time_are_other_people_and_quantity_counts():
    rooms = line("2026-12-07T00:00Z", "2026-12-09T00:00Z", party=2, quantity=3)
    suite = line("2026-12-08T00:00Z", "2026-12-10T00:00Z", party=4)
    tour = line("2026-12-07T09:00Z", "2026-12-07T17:00Z", party=5, quantity=4)
    assert most_at_once([rooms]) == 6
    assert most_at_once([rooms, suite]) == 10
    assert most_at_once([tour]) == 20


def test_each_key_counts_its_own_lines():
    a = line("2026-12-07T09:00Z", "2026-12-07T10:00Z", party=2)
    b = line("2026-12-07T09:30Z", "2026-12-07T10:30Z", party=3, rid="res_b")
    pairs = [("t", a), ("t", b), ("R:a", a), ("R:b", b)]
    assert most_at_once_by(pairs) == {"t": 5, "R:a": 2, "R:b": 3}


def test_the_figures_count_a_course_booked_as_its_sessions_once():
    stage = Stage(Shop().add(stylist("res_a", "Alex"), haircut()))
    order = order_service.confirm(stage.ctx, stage.book().id)
    first = order.lines[0]
    sessions = tuple(
        replace(first, start=f"2026-12-0{d}T10:00Z", end=f"2026-12-0{d}T11:00Z", party=2)
        for d in (1, 2, 3)
    )
    counters = contribution(replace(order, lines=sessions), "UTC", first_booking=True)
    for basis in ("booked", "service"):
        [day] = [c for (b, _), c in counters.items() if b == basis and c.get("t||bk")]
        assert day["t||gu"] == 2
        assert day[f"O|{key_of(first.offering_id)}|gu"] == 2


def test_a_cancelled_or_no_show_party_brings_no_guests():
    """An outside tester's restaurant: a party of 4 cancelled and one of 1 that never came
    left the night at 5 guests, its covers forecast with them."""
    stage = Stage(Shop().add(stylist("res_a", "Alex"), haircut()))
    order = order_service.confirm(stage.ctx, stage.book().id)
    party = replace(order, lines=tuple(replace(line, party=4) for line in order.lines))
    live = contribution(party, "UTC", first_booking=True)
    assert any(c.get("t||gu") == 4 for c in live.values())
    for status in (BookingStatus.CANCELLED, BookingStatus.NO_SHOW):
        gone = contribution(replace(party, status=status), "UTC", first_booking=True)
        assert all("t||gu" not in c for c in gone.values()), status
        assert any(c.get("t||bk") == 1 for c in gone.values())


def test_the_average_party_is_of_the_bookings_that_brought_guests():
    counters = {BOOKINGS: 3, CANCELLATIONS: 1, NO_SHOWS: 0, GUESTS: 6}
    assert figures(counters, "booked")["party_size_average"] == 3.0
    assert figures({BOOKINGS: 1, CANCELLATIONS: 1}, "booked")["party_size_average"] is None
