"""A departure called off offers no seats to the reports' occupancy (a reviewer's report of
a day whose 08:00 was called off counted its 20 seats as still for sale), as a departure the
clocks skip offers none."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from chalicelib.catalog.domain.catalog import DateOverride
from chalicelib.reports.domain.figures_units import units_available
from tests.builders import departure

DAY = date(2026, 12, 10)


def test_a_called_off_departure_offers_no_seats():
    tours = departure(times=(480, 840), seats=20)
    assert units_available(tours, DAY, "Asia/Shanghai") == 40
    off = replace(tours, overrides={DAY: DateOverride(called_off=(480,))})
    assert units_available(off, DAY, "Asia/Shanghai") == 20
