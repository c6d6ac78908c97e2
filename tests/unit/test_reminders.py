"""Reminders: at the tenant's offsets, once each, never for a cancelled or moved booking, and
at the right instant across daylight-saving changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.kernel.domain.timefmt import format_utc
from chalicelib.notifications.services.reminders import fire_at
from tests.stage import Stage


def confirmed(stage: Stage, start=datetime(2026, 12, 1, 10, 0)):
    order = stage.book(start=start)
    order_service.confirm(stage.ctx, order.id)
    stage.drain()
    return order


def reminders_sent(stage: Stage) -> list[str]:
    return [e.subject for e in stage.emails() if e.subject.startswith("Reminder")]


@pytest.mark.parametrize(
    ("start", "offset", "due"),
    [
        # Berlin springs forward on 29 March 2026 at 02:00: the day before at the same wall
        # clock is 25 real hours earlier, two hours before is two real hours.
        ("2026-03-30T08:00Z", 1440, "2026-03-29T08:00"),  # Mon 10:00 CEST <- Sun 10:00 CEST
        ("2026-03-29T08:00Z", 1440, "2026-03-28T09:00"),  # Sun 10:00 CEST <- Sat 10:00 CET
        ("2026-03-29T08:00Z", 120, "2026-03-29T06:00"),
        # ...and falls back on 25 October 2026 at 03:00.
        ("2026-10-25T09:00Z", 1440, "2026-10-24T08:00"),  # Sun 10:00 CET <- Sat 10:00 CEST
        ("2026-10-25T01:30Z", 90, "2026-10-25T00:00"),  # elapsed, through the repeated hour
        # A wall time that does not exist the day before (02:30 on 29 March): elapsed instead.
        ("2026-03-30T00:30Z", 1440, "2026-03-29T00:30"),
    ],
)
def test_reminders_fire_at_the_tenants_wall_clock_across_dst(start, offset, due):
    assert format_utc(fire_at(start, offset, "Europe/Berlin")).startswith(due)


def test_a_confirmed_booking_gets_the_default_reminders_each_sent_once():
    stage = Stage()
    order = confirmed(stage)
    schedules = sorted(at for at, _ in stage.c.reminders.schedules.values())
    assert schedules == ["2026-11-30T09:00:00.000000Z", "2026-12-01T07:00:00.000000Z"]
    stage.c.clock.advance(
        (datetime(2026, 11, 30, 9, 0) - datetime(2026, 11, 24, 9, 0)).total_seconds()
    )
    assert stage.fire_due_reminders() == ["sent"]
    stage.c.clock.advance(22 * 3600)
    assert stage.fire_due_reminders() == ["sent"]
    assert len(reminders_sent(stage)) == 2
    assert "in 1 day" in stage.emails()[-2].text and "in 2 hours" in stage.emails()[-1].text
    # The same schedule firing again (a retried delivery) sends nothing more.
    from chalicelib.notifications.services.reminders import planned, send_reminder

    stage.c.clock.moment = stage.c.clock.moment.replace(hour=7)
    _, _, payload = planned(stage.tenant, stage.data.orders.get(order.id), "2026-11-01")[1]
    assert send_reminder(stage.system, payload, stage.c) == "duplicate"
    assert len(reminders_sent(stage)) == 2


def test_a_cancelled_booking_gets_no_reminder_even_if_its_schedule_fires():
    stage = Stage()
    order = confirmed(stage)
    leftover = dict(stage.c.reminders.schedules)
    order_service.cancel(stage.ctx, stage.shop.cache, order.id)
    stage.drain()
    assert stage.c.reminders.schedules == {}  # deleted...
    stage.c.reminders.schedules.update(leftover)  # ...but say the deletion had failed
    stage.c.clock.advance(8 * 86400)
    assert stage.fire_due_reminders() == ["not_confirmed", "not_confirmed"]
    assert reminders_sent(stage) == []


def test_a_moved_booking_is_reminded_of_its_new_time_only():
    stage = Stage()
    order = confirmed(stage)
    old = dict(stage.c.reminders.schedules)
    order_service.reschedule(
        stage.ctx,
        stage.shop.cache,
        order.id,
        [LineInput("off_cut", start=datetime(2026, 12, 2, 15, 0))],
        expected_version=None,
    )
    stage.drain()
    assert set(stage.c.reminders.schedules).isdisjoint(old)
    assert sorted(at for at, _ in stage.c.reminders.schedules.values()) == [
        "2026-12-01T14:00:00.000000Z",
        "2026-12-02T12:00:00.000000Z",
    ]
    stage.c.reminders.schedules.update(old)  # the old ones were not deleted after all
    until(stage, datetime(2026, 12, 1, 14, 0))
    assert sorted(stage.fire_due_reminders()) == ["moved", "moved", "sent"]
    until(stage, datetime(2026, 12, 2, 12, 0))
    assert stage.fire_due_reminders() == ["sent"]
    subjects = reminders_sent(stage)
    assert len(subjects) == 2
    assert all("Wednesday 2 December 2026, 15:00" in s for s in subjects)


def until(stage: Stage, moment: datetime) -> None:
    now = stage.c.clock.moment
    stage.c.clock.advance((moment.replace(tzinfo=now.tzinfo) - now).total_seconds())


def test_the_tenants_offsets_are_used_and_past_ones_skipped():
    stage = Stage()
    tenant = stage.tenant
    stage.c.platform.tenants[tenant.id] = replace(
        tenant, settings=replace(tenant.settings, reminder_offsets_minutes=(10080, 30))
    )
    confirmed(stage)  # a week ahead: the 7-day reminder is already past
    assert sorted(at for at, _ in stage.c.reminders.schedules.values()) == [
        "2026-12-01T08:30:00.000000Z"
    ]


def test_reminders_are_per_tenant():
    stage = Stage()
    confirmed(stage)
    assert {p["tenant_id"] for _, p in stage.c.reminders.schedules.values()} == {stage.tenant.id}


def test_a_reminder_due_while_the_events_were_behind_is_sent_late_not_dropped():
    """Confirmed two days ahead, but its event is handled only an hour before the start (a
    backlog): both reminders are overdue; the later one (two hours before) goes at once,
    once, and the earlier one is not sent on top of it."""
    stage = Stage()
    order = stage.book(start=datetime(2026, 11, 26, 10, 0))  # 26 Nov 10:00 Berlin = 09:00Z
    stage.drain()
    order_service.confirm(stage.ctx, order.id)  # at 24 Nov 09:00Z
    stage.c.clock.advance(48 * 3600 - 3600)  # the event is handled at 26 Nov 08:00Z
    stage.drain()
    assert stage.c.reminders.schedules == {}  # nothing ahead to schedule
    assert len(reminders_sent(stage)) == 1
    assert "in 1 hour:" in stage.emails()[-1].text  # the time really left, not "2 hours"


def test_a_reminder_due_before_the_booking_was_made_is_not_sent():
    """Booked and confirmed an hour before the start: the day-before and two-hours-before
    reminders were due before it existed. The confirmation says it all; no reminder."""
    stage = Stage()
    stage.c.clock.advance(2 * 86400 - 3600)  # 26 Nov 08:00Z
    order = stage.book(start=datetime(2026, 11, 26, 10, 0))
    order_service.confirm(stage.ctx, order.id)
    stage.drain()
    assert stage.c.reminders.schedules == {}
    assert reminders_sent(stage) == []


def test_a_day_before_reminder_on_time_across_a_dst_change_says_one_day():
    """Due 25 real hours before a start just after the autumn change: on time, "in 1 day"."""
    from chalicelib.notifications.services.reminders import minutes_ahead

    start = "2026-10-25T09:00Z"  # Sunday 10:00 CET, after the clocks went back
    due = format_utc(fire_at(start, 1440, "Europe/Berlin"))  # Saturday 10:00 CEST
    payload = {"offset_minutes": 1440, "due": due}
    assert minutes_ahead(due, start, payload) == 1440
    assert minutes_ahead("2026-10-25T07:00:00.000000Z", start, payload) == 120  # late: 2 h left


def _sms_down(*args, **kwargs):
    raise TimeoutError("SMS gateway down")


def test_a_reminders_email_and_text_are_marked_on_one_claim_and_a_retry_sends_only_the_text():
    """Its e-mail and text share one claim of the reminder (once.run_claimed): three ledger
    writes where an item per channel took four; a text that failed is sent by the retry, the
    e-mail not again."""
    from chalicelib.notifications.services.reminders import planned, send_reminder

    stage = Stage()
    order = confirmed(stage)
    stage.c.clock.advance(
        (datetime(2026, 11, 30, 9, 0) - datetime(2026, 11, 24, 9, 0)).total_seconds()
    )
    (_, _, first), (_, _, second) = planned(
        stage.tenant, stage.data.orders.get(order.id), "2026-11-01"
    )
    ledger, texts = stage.data.ledger, len(stage.c.sms.sent)
    ledger.writes = 0
    assert send_reminder(stage.system, first, stage.c) == "sent"
    assert ledger.writes == 3  # the claim, the e-mail's mark, the finish with the text's
    assert ledger.events[f"reminder#{first['id']}"]["state"] == "done"
    assert len(stage.c.sms.sent) == texts + 1

    stage.c.clock.advance(22 * 3600)
    stage.c.sms.send = _sms_down  # type: ignore[method-assign]
    with pytest.raises(TimeoutError):
        send_reminder(stage.system, second, stage.c)
    claim = ledger.events[f"reminder#{second['id']}"]
    assert claim["state"] == "released"
    assert claim["done"] == {f"reminder#{second['id']}#email"}
    del stage.c.sms.send
    assert send_reminder(stage.system, second, stage.c) == "sent"
    assert len(reminders_sent(stage)) == 2  # each e-mail once
    assert len(stage.c.sms.sent) == texts + 2
    assert send_reminder(stage.system, second, stage.c) == "duplicate"
