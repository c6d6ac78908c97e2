"""The tenant's stored events read by time and cursor on DynamoDB Local (the alerts feed's
reads): a cursor of the day itself continues after its event, never fails to parse."""

from __future__ import annotations

from datetime import date, timedelta

from chalicelib.booking.domain.orders import Channel, Customer
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.kernel.domain.timefmt import add_seconds
from chalicelib.kernel.services.context import system_context
from tests.integration.support import live_hotel


def test_events_are_read_on_from_a_cursor_of_today(live):
    c, t, data = live_hotel(live, "eventlog", rooms=5)
    ctx = system_context(t, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
    start = add_seconds(c.now(), -60)
    for n in range(3):
        line = LineInput("off_stay", check_in=date.today() + timedelta(days=30 + n), nights=1)
        request = HoldInput(Customer(f"G{n}", f"g{n}@example.com"), [line], Channel.API)
        hold_order(ctx, c.catalog_cache, request, order_id=f"ord_{c.new_id()}")
    end = add_seconds(c.now(), 5)
    everything = data.event_log.between(start, end, after=None, limit=50)
    assert [r.name for _, r in everything] == ["OrderHeld"] * 3
    first_cursor = everything[0][0]
    rest = data.event_log.between(start, end, after=first_cursor, limit=50)
    assert [cursor for cursor, _ in rest] == [cursor for cursor, _ in everything[1:]]
