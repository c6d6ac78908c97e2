"""booking/services/same_lines.py: which moves ask for what an order already has (no change)
and which do not, in the tenant's wall clock; a start in the repeated autumn hour names two
instants and is never taken as the same (it is planned as any move)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from chalicelib.booking.domain.orders import Allocation, Line
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.booking.services.same_lines import same_lines
from tests.unit.test_day_sheet_units import line


def _line(local_start: str, *, nights: int = 0, party: int = 1) -> Line:
    return replace(
        line(nights=nights),
        offering_id="off_cut",
        local_start=local_start,
        local_date=local_start[:10],
        party=party,
        allocations=(Allocation(0, "res_alex", "Alex", ()),),
    )


TZ = "Europe/Berlin"
CUT = _line("2026-12-10T10:00:00+01:00")
STAY = _line("2026-12-26T00:00:00+01:00", nights=2, party=2)


def test_the_same_start_party_and_staff_is_the_same():
    ask = LineInput("off_cut", start=datetime(2026, 12, 10, 10))
    assert same_lines([CUT], [ask], TZ)
    assert same_lines(
        [CUT],
        [LineInput("off_cut", start=datetime(2026, 12, 10, 10), resource_ids={0: "res_alex"})],
        TZ,
    )


def test_another_start_staff_party_offering_or_line_count_is_a_move():
    at = datetime(2026, 12, 10, 10)
    assert not same_lines([CUT], [LineInput("off_cut", start=datetime(2026, 12, 10, 11))], TZ)
    assert not same_lines([CUT], [LineInput("off_cut", start=at, resource_ids={0: "res_bea"})], TZ)
    assert not same_lines([CUT], [LineInput("off_cut", start=at, party=2)], TZ)
    assert not same_lines([CUT], [LineInput("off_color", start=at)], TZ)
    assert not same_lines([CUT], [LineInput("off_cut", start=at)] * 2, TZ)
    assert not same_lines([CUT], [LineInput("off_cut", check_in=date(2026, 12, 10))], TZ)


def test_a_stay_is_the_same_with_its_check_in_nights_and_party():
    same = LineInput("off_cut", check_in=date(2026, 12, 26), nights=2, party=2)
    assert same_lines([STAY], [same], TZ)
    assert not same_lines(
        [STAY], [LineInput("off_cut", check_in=date(2026, 12, 26), nights=3, party=2)], TZ
    )
    assert not same_lines(
        [STAY], [LineInput("off_cut", check_in=date(2026, 12, 27), nights=2, party=2)], TZ
    )


def test_a_start_in_the_repeated_autumn_hour_is_never_taken_as_the_same():
    # Europe/Berlin, 25 October 2026: 02:30 happens at +02:00 and again at +01:00.
    for offset in ("+02:00", "+01:00"):
        line = _line(f"2026-10-25T02:30:00{offset}")
        assert not same_lines(
            [line], [LineInput("off_cut", start=datetime(2026, 10, 25, 2, 30))], TZ
        )
    spring = _line("2026-03-29T03:30:00+02:00")  # the day the clocks go forward: one instant
    assert same_lines([spring], [LineInput("off_cut", start=datetime(2026, 3, 29, 3, 30))], TZ)
