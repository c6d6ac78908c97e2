"""A stay's reminders count from its check-in time (15:00 on the tenant's wall clock; no
setting or offering names one yet), not from the local midnight its line starts at: the
day-before one at 15:00 the day before, "tomorrow, check-in from 15:00"; the 2-hour one at
13:00 on the day, "today, check-in from 15:00"; across a daylight-saving change in New York
and in Berlin, in English and in Chinese."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from chalicelib.booking.domain.orders import Customer
from chalicelib.booking.services import orders as order_service
from chalicelib.kernel.domain.timefmt import parse
from tests.builders import Shop, room_type, stay_offering
from tests.stage import ADA, Stage

LI = Customer(name="李雷", email="li@example.cn", locale="zh-Hans-CN")


@dataclass(frozen=True)
class Case:
    tz: str
    check_in: date
    day_before: str  # 15:00 local the day before, in UTC
    on_the_day: str  # 13:00 local on the day, in UTC


CASES = [
    # New York springs forward at 02:00 on Sunday 14 March 2027: 15:00 EST the day before,
    # 13:00 EDT on the day (23 real hours apart from 15:00 to 15:00).
    Case("America/New_York", date(2027, 3, 14), "2027-03-13T20:00", "2027-03-14T17:00"),
    # Berlin falls back at 03:00 on Sunday 31 October 2027: 15:00 CEST, then 13:00 CET.
    Case("Europe/Berlin", date(2027, 10, 31), "2027-10-30T13:00", "2027-10-31T12:00"),
]


def hotel(tz: str) -> Stage:
    return Stage(Shop(tz=tz, now="2027-03-01T09:00:00.000000Z").add(room_type(), stay_offering()))


def confirmed_stay(stage: Stage, check_in: date, customer: Customer = ADA):
    order = stage.book_stay(customer=customer, check_in=check_in, nights=2)
    order_service.confirm(stage.ctx, order.id)
    stage.drain()
    return order


def fire_at(stage: Stage, due: str) -> list[str]:
    stage.c.clock.moment = parse(f"{due}:00.000000Z")
    return stage.fire_due_reminders()


@pytest.mark.parametrize("case", CASES, ids=[c.tz for c in CASES])
def test_a_stays_reminders_go_before_its_check_in_time_and_say_so(case):
    stage = hotel(case.tz)
    confirmed_stay(stage, case.check_in)
    dues = sorted(at for at, _ in stage.c.reminders.schedules.values())
    assert dues == [f"{case.day_before}:00.000000Z", f"{case.on_the_day}:00.000000Z"]
    assert fire_at(stage, case.day_before) == ["sent"]
    assert fire_at(stage, case.on_the_day) == ["sent"]
    day_before, on_the_day = stage.emails()[-2:]
    assert "tomorrow, check-in from 15:00" in day_before.text
    assert "today, check-in from 15:00" in on_the_day.text
    for email in (day_before, on_the_day):
        assert email.subject.startswith("Reminder")
        assert "in 1 day" not in email.text and "in 2 hours" not in email.text


def test_a_stays_reminder_in_chinese_says_tomorrow_and_the_check_in_time():
    case = CASES[0]
    stage = hotel(case.tz)
    confirmed_stay(stage, case.check_in, customer=LI)
    assert fire_at(stage, case.day_before) == ["sent"]
    [reminder] = [e for e in stage.emails(LI.email) if e.subject.startswith("预订提醒")]
    assert "明天（15:00 起可入住）" in reminder.text


def test_a_stay_is_not_reminded_once_its_check_in_time_has_come():
    """Late (the schedule fired after 15:00 on the day): nothing, as for a timed booking that
    began; before 15:00 on the day it still goes, though the day began at midnight."""
    from chalicelib.notifications.services.reminders import planned, send_reminder

    case = CASES[0]
    stage = hotel(case.tz)
    order = confirmed_stay(stage, case.check_in)
    _, _, payload = planned(stage.tenant, stage.data.orders.get(order.id), "2027-03-01")[1]
    stage.c.clock.moment = parse("2027-03-14T19:00:00.000000Z")  # 15:00 EDT
    assert send_reminder(stage.system, payload, stage.c) == "too_late"
    stage.c.clock.moment = parse("2027-03-14T18:00:00.000000Z")  # 14:00 EDT, late but ahead
    assert send_reminder(stage.system, payload, stage.c) == "sent"
    assert "today, check-in from 15:00" in stage.emails()[-1].text
