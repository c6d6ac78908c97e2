"""A line's `quantity` takes what its price counts (probe of 2026-12-03): a tour line of party 5
and quantity 4 was charged for 20 people but took 5 seats, so 15 seats were sold twice; a dorm
line of party 3 and quantity 2 was billed 6 beds and took 3."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.booking.domain.placement import LineRequest, plan_line
from chalicelib.catalog.domain.catalog import (
    Offering,
    PriceBasis,
    Pricing,
    Requirement,
    ResourceKind,
    Selector,
    UnitsPer,
)
from chalicelib.catalog.domain.pricing import price_line
from chalicelib.kernel.domain.errors import SlotUnavailable
from tests.builders import departure, room_type

TZ = "Europe/Berlin"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
DAY = date(2026, 3, 10)

TOUR = Offering(
    id="off_tour",
    name="Tour",
    kind=ResourceKind.SESSION,
    requirements=(Requirement(Selector(resource_id="res_wall"), per=UnitsPer.PERSON),),
    pricing=Pricing(amount=1000, basis=PriceBasis.PERSON),
    party_max=20,
)
DORM = Offering(
    id="off_dorm",
    name="Dorm bed",
    kind=ResourceKind.NIGHTLY,
    requirements=(Requirement(Selector(resource_id="res_dorm"), per=UnitsPer.PERSON),),
    pricing=Pricing(amount=2500, basis=PriceBasis.PERSON_NIGHT),
    party_max=8,
)


def _taken(placement) -> dict[str, int]:
    units: dict[str, int] = {}
    for take in (t for c in placement.choices for t in c.takes):
        units[take.bucket.key] = units.get(take.bucket.key, 0) + take.units
    return units


@given(party=st.integers(1, 20), quantity=st.integers(1, 5))
def test_a_tour_line_takes_the_seats_its_price_counts(party, quantity):
    tour = departure(seats=500, times=(9 * 60,))
    request = LineRequest(TOUR, party, quantity, start_local=datetime(2026, 3, 10, 9))
    placement = plan_line(request, [[tour]], {}, tz=TZ, now=NOW)
    price = price_line(TOUR.pricing, days=[DAY], party=party, quantity=quantity)
    people = price.subtotal // TOUR.pricing.amount
    assert list(_taken(placement).values()) == [people] == [party * quantity]


@given(party=st.integers(1, 8), quantity=st.integers(1, 5), nights=st.integers(1, 4))
def test_a_dorm_line_takes_the_beds_its_price_counts_every_night(party, quantity, nights):
    dorm = room_type("res_dorm", rooms=100)
    request = LineRequest(DORM, party, quantity, check_in=DAY, nights=nights)
    placement = plan_line(request, [[dorm]], {}, tz=TZ, now=NOW)
    price = price_line(DORM.pricing, days=list(placement.days), party=party, quantity=quantity)
    taken = _taken(placement)
    assert len(taken) == nights
    assert set(taken.values()) == {party * quantity}
    assert sum(taken.values()) == price.subtotal // DORM.pricing.amount


def test_more_people_than_seats_left_is_refused_however_they_are_counted():
    tour = departure(seats=5, times=(9 * 60,))
    start = datetime(2026, 3, 10, 9)
    assert _taken(
        plan_line(LineRequest(TOUR, 5, 1, start_local=start), [[tour]], {}, tz=TZ, now=NOW)
    )
    with pytest.raises(SlotUnavailable):
        plan_line(LineRequest(TOUR, 5, 4, start_local=start), [[tour]], {}, tz=TZ, now=NOW)
    with pytest.raises(SlotUnavailable):
        plan_line(LineRequest(TOUR, 2, 3, start_local=start), [[tour]], {}, tz=TZ, now=NOW)
