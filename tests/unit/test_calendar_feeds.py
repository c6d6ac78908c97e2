"""Unit tests of calendar feeds: tokens, what a feed shows, and valid RFC 5545 with zones."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import icalendar
import pytest

from chalicelib.booking.adapters.ical import render
from chalicelib.booking.domain.orders import Channel, Customer
from chalicelib.booking.services import calendar_feeds
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.kernel.domain.errors import NotFound
from tests.builders import Shop, haircut, room_type, stay_offering, stylist
from tests.fakes import FakePlatform


def salon() -> tuple[Shop, FakePlatform]:
    shop = Shop(tz="Europe/Berlin", now="2026-10-20T08:00:00.000000Z")
    shop.add(stylist("res_anna", "Anna"), haircut(), room_type(), stay_offering())
    platform = FakePlatform()
    platform.tenants[shop.tenant.id] = shop.tenant
    return shop, platform


def book(shop: Shop, order_id: str, line: LineInput):
    hold = HoldInput(Customer("Ada Lovelace", "ada@example.com"), [line], Channel.API)
    return hold_order(shop.ctx, shop.cache, hold, order_id=order_id)


def read(shop: Shop, platform: FakePlatform, token: str) -> icalendar.Calendar:
    ctx, resource_id = calendar_feeds.open_feed(
        token, platform=platform, data_factory=shop.factory, now=shop.clock, new_id=shop.ids
    )
    name, entries, days = calendar_feeds.feed_entries(ctx, resource_id)
    body = render(entries, name=name, tz=ctx.tenant.timezone, now=ctx.now(), first=days[0],
                  last=days[-1])  # fmt: skip
    return icalendar.Calendar.from_ical(body)


def test_a_feed_parses_back_with_zone_status_sequence_and_stable_uids():
    shop, platform = salon()
    token, _ = calendar_feeds.issue_feed(shop.ctx, "res_anna")
    # One on each side of the end of summer time (25 October 2026 in Berlin).
    book(shop, "o_summer", LineInput("off_cut", start=datetime(2026, 10, 23, 10, 0)))
    book(shop, "o_winter", LineInput("off_cut", start=datetime(2026, 10, 27, 10, 0)))
    order_service.confirm(shop.ctx, "o_winter")
    book(shop, "o_room", LineInput("off_stay", check_in=date(2026, 10, 23)))  # not Anna's
    cal = read(shop, platform, token)
    (zone,) = cal.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Berlin"
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {f"o_summer-0@{shop.tenant.id}.reservoir",
                           f"o_winter-0@{shop.tenant.id}.reservoir"}  # fmt: skip
    summer = events[f"o_summer-0@{shop.tenant.id}.reservoir"]
    winter = events[f"o_winter-0@{shop.tenant.id}.reservoir"]
    # Wall clock 10:00 both times, though the UTC offsets differ.
    for event in (summer, winter):
        start = event.decoded("DTSTART")
        assert (start.hour, start.minute) == (10, 0)
        assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert summer.decoded("DTSTART").utcoffset().total_seconds() == 7200
    assert winter.decoded("DTSTART").utcoffset().total_seconds() == 3600
    assert str(summer["STATUS"]) == "TENTATIVE" and int(summer["SEQUENCE"]) == 1
    assert str(winter["STATUS"]) == "CONFIRMED" and int(winter["SEQUENCE"]) == 2
    assert "DTSTAMP" in summer and "Haircut" in str(summer["SUMMARY"])


def test_stays_run_from_check_in_to_check_out_and_cancelled_bookings_drop_out():
    """A stay is 15:00 on its arrival day to 11:00 on its departure day (the defaults of
    business.check_in_time / check_out_time), on the business's wall clock."""
    shop, platform = salon()
    token, _ = calendar_feeds.issue_feed(shop.ctx, "res_double")
    book(shop, "o_stay", LineInput("off_stay", check_in=date(2026, 11, 2), nights=3))
    book(shop, "o_gone", LineInput("off_stay", check_in=date(2026, 11, 9)))
    order_service.cancel(shop.ctx, shop.cache, "o_gone")
    (event,) = read(shop, platform, token).walk("VEVENT")
    assert event.decoded("DTSTART").isoformat() == "2026-11-02T15:00:00+01:00"
    assert event.decoded("DTEND").isoformat() == "2026-11-05T11:00:00+01:00"
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"


def test_a_revoked_or_replaced_token_and_any_malformed_one_are_the_same_404():
    shop, platform = salon()
    first, _ = calendar_feeds.issue_feed(shop.ctx, "res_anna")
    second, _ = calendar_feeds.issue_feed(shop.ctx, "res_anna")
    read(shop, platform, second)
    for bad in (first, second + "x", "nonsense", f"{shop.tenant.id}.res_anna.", "a.b.c.d"):
        with pytest.raises(NotFound) as caught:
            read(shop, platform, bad)
        assert caught.value.code == "feed_not_found"
    calendar_feeds.revoke_feed(shop.ctx, "res_anna")
    with pytest.raises(NotFound):
        read(shop, platform, second)
    with pytest.raises(NotFound):
        calendar_feeds.revoke_feed(shop.ctx, "res_anna")


def test_only_the_tokens_hash_is_stored():
    shop, _ = salon()
    token, _ = calendar_feeds.issue_feed(shop.ctx, "res_anna")
    stored = shop.data.calendar_feeds.get("res_anna")
    assert token.split(".")[-1] not in str(stored)


def test_a_token_for_another_tenant_opens_nothing_here():
    shop, platform = salon()
    token, _ = calendar_feeds.issue_feed(shop.ctx, "res_anna")
    other = replace(shop.tenant, id="t_other", table_name="reservoir-tenant-t_other")
    platform.tenants[other.id] = other
    shop.factory.tables.ensure_table(other.table_name, {})
    forged = token.replace(shop.tenant.id, other.id, 1)
    with pytest.raises(NotFound):
        read(shop, platform, forged)


def test_a_feed_for_an_unknown_resource_is_refused():
    shop, _ = salon()
    with pytest.raises(NotFound):
        calendar_feeds.issue_feed(shop.ctx, "res_nobody")


def test_a_feed_reads_its_resource_and_finds_a_line_whose_order_starts_elsewhere():
    """The feed read the business's day index day by day (every order on each of 105 days,
    by its first line's date): an order whose first line is beyond the window (a room in
    three months) and whose haircut is next week was missing from Anna's calendar."""
    shop, platform = salon()
    token, _ = calendar_feeds.issue_feed(shop.ctx, "res_anna")
    lines = [
        LineInput("off_stay", check_in=date(2027, 2, 1)),  # past the window's 90 days
        LineInput("off_cut", start=datetime(2026, 10, 27, 10, 0)),
    ]
    hold = HoldInput(Customer("Ada Lovelace", "ada@example.com"), lines, Channel.API)
    hold_order(shop.ctx, shop.cache, hold, order_id="o_two")
    book(shop, "o_one", LineInput("off_cut", start=datetime(2026, 10, 28, 10, 0)))
    uids = {str(e["UID"]) for e in read(shop, platform, token).walk("VEVENT")}
    assert uids == {f"o_two-1@{shop.tenant.id}.reservoir", f"o_one-0@{shop.tenant.id}.reservoir"}
