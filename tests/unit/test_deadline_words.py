"""A held booking's e-mail and text say until when, with the business's zone and its offset
at that moment: a traveller in New York holding a Beijing tour read "until 14:00" as their own
clock (an outside tester's finding), thirteen hours off. The offset follows the clock changes."""

from __future__ import annotations

from datetime import datetime

from chalicelib.booking.services.line_planning import LineInput
from chalicelib.notifications.services.content import kind_data
from chalicelib.notifications.services.content_times import format_deadline, format_when
from tests.builders import Shop, day_tour, departure
from tests.unit.test_booking_service import hold

WINTER = "2026-12-24T06:00:00.000000Z"


def test_a_deadline_names_the_zone_and_its_offset_then():
    assert format_deadline(WINTER, "Asia/Shanghai", "en") == (
        "Thursday 24 December 2026, 14:00 (Asia/Shanghai, UTC+8)"
    )
    assert format_deadline(WINTER, "Asia/Kolkata", "zh-Hans") == (
        "2026年12月24日 星期四 11:30（Asia/Kolkata，UTC+5:30）"
    )
    assert format_deadline(WINTER, "America/New_York", "en").endswith(
        "01:00 (America/New_York, UTC-5)"
    )
    assert format_deadline(WINTER, "Europe/London", "en").endswith("06:00 (Europe/London, UTC)")
    summer = "2026-07-24T06:00:00.000000Z"
    assert format_deadline(summer, "Europe/London", "en").endswith("07:00 (Europe/London, UTC+1)")


def test_the_held_message_says_its_end_with_the_zone():
    shop = Shop(tz="Asia/Shanghai", currency="CNY").add(departure(seats=5), day_tour())
    order = hold(shop, LineInput("off_tour", party=1, start=datetime(2026, 12, 5, 8, 0)))
    assert order.hold_expires_at
    words = kind_data("held", shop.tenant, order, {}, "en", shop.ctx.now())
    assert words["hold"]["until"].endswith("(Asia/Shanghai, UTC+8)")
    assert words["hold"]["until"] == format_deadline(order.hold_expires_at, "Asia/Shanghai", "en")


def test_a_time_the_clocks_show_twice_says_which_by_its_offset():
    """An outside tester's booking at 01:30 on New York's autumn change read "01:30" in every
    message, either of two moments an hour apart; other times say no offset."""
    first, second = "2027-11-07T05:30Z", "2027-11-07T06:30Z"  # 01:30 EDT, then 01:30 EST
    assert format_when(first, "America/New_York", "en") == "Sunday 7 November 2027, 01:30 (UTC-4)"
    assert format_when(second, "America/New_York", "zh-Hans").endswith("01:30（UTC-5）")
    assert format_when("2027-11-07T07:30Z", "America/New_York", "en").endswith(", 02:30")
    assert format_when(first, "America/New_York", "en", with_time=False) == (
        "Sunday 7 November 2027"
    )


def test_a_deadline_in_the_repeated_hour_says_its_offset_once():
    """A reviewer: the hold's end at 01:30 EDT on the autumn change read "01:30 (UTC-4)
    (America/New_York, UTC-4)"."""
    assert format_deadline("2027-11-07T05:30Z", "America/New_York", "en") == (
        "Sunday 7 November 2027, 01:30 (America/New_York, UTC-4)"
    )
    assert format_deadline("2027-11-07T06:30Z", "America/New_York", "zh-Hans").endswith(
        "01:30（America/New_York，UTC-5）"
    )
