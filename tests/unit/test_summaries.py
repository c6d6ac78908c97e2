"""The morning summary: due at the chosen hour of the business's wall clock across
daylight-saving changes and in zones with half- and quarter-hour offsets; only the tenants due
are queued; each recipient gets a day's summary once, however often a run is retried or two
runs overlap; the e-mail tells yesterday's figures in the business's language and currencies."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from chalicelib.kernel.domain.errors import InvalidInput, TransientFailure
from chalicelib.kernel.domain.tenant import TenantStatus
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.services.messaging_ports import Email
from chalicelib.queues import SUMMARIES
from chalicelib.reports.domain.summaries import (
    next_due,
    recipients_of,
    summary_day,
    validated,
)
from chalicelib.reports.services import summaries
from chalicelib.reports.services.summary_mail import basis_lines, summary_email
from tests.builders import Shop
from tests.fakes import FakeMailer, day_figures
from tests.stage import Stage


def utc(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M").replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "hour", "after", "due"),
    [
        # London: 07:00 is 07:00 UTC in winter, 06:00 UTC in summer.
        ("Europe/London", 7, "2026-11-30T12:00", "2026-12-01T07:00"),
        ("Europe/London", 7, "2026-07-01T00:00", "2026-07-01T06:00"),
        # Spring forward on Sunday 29 March 2026 at 01:00 UTC: the day before in GMT, the day
        # itself in BST; 01:00 does not exist that day and becomes 02:00 BST, the first wall
        # time after the gap.
        ("Europe/London", 7, "2026-03-27T08:00", "2026-03-28T07:00"),
        ("Europe/London", 7, "2026-03-28T07:00", "2026-03-29T06:00"),
        ("Europe/London", 1, "2026-03-28T07:00", "2026-03-29T01:00"),
        # Fall back on Sunday 25 October 2026: 01:00 happens twice; the first (BST) is taken.
        ("Europe/London", 1, "2026-10-24T12:00", "2026-10-25T00:00"),
        ("Europe/London", 7, "2026-10-24T12:00", "2026-10-25T07:00"),
        # New York springs forward on 8 March 2026 at 02:00 (02:00 becomes 03:00 EDT) ...
        ("America/New_York", 7, "2026-03-07T13:00", "2026-03-08T11:00"),
        ("America/New_York", 2, "2026-03-07T13:00", "2026-03-08T07:00"),
        ("America/New_York", 7, "2026-03-06T13:00", "2026-03-07T12:00"),
        # ... and falls back on 1 November 2026: 01:00 EDT first.
        ("America/New_York", 1, "2026-10-31T12:00", "2026-11-01T05:00"),
        ("America/New_York", 7, "2026-10-31T12:00", "2026-11-01T12:00"),
        # Half- and quarter-hour offsets: due at :30 and :45 past a UTC hour.
        ("Asia/Kolkata", 7, "2026-11-30T12:00", "2026-12-01T01:30"),
        ("Asia/Kolkata", 0, "2026-11-30T12:00", "2026-11-30T18:30"),
        ("Asia/Kathmandu", 7, "2026-11-30T12:00", "2026-12-01T01:15"),
        # Due exactly now: the next one is tomorrow's.
        ("Europe/London", 7, "2026-12-01T07:00", "2026-12-02T07:00"),
    ],
)
def test_the_summary_is_due_at_the_chosen_hour_of_the_wall_clock(zone, hour, after, due):
    assert next_due(utc(after), hour, zone) == utc(due)


def test_a_run_every_quarter_hour_meets_every_due_time_through_a_year_of_changes():
    for zone in ("Europe/London", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu"):
        at = utc("2026-01-01T00:00")
        for _ in range(365):
            at = next_due(at, 7, zone)
            assert at.minute % 15 == 0 and at.second == 0, (zone, at)


def test_successive_mornings_follow_the_clock_over_the_spring_change():
    at, gaps = utc("2026-03-26T12:00"), []
    for _ in range(4):
        following = next_due(at, 7, "Europe/London")
        gaps.append((following - at).total_seconds() / 3600)
        at = following
    # 27 Mar 07:00 GMT, 28 Mar 07:00 GMT, 29 Mar 07:00 BST (23 h later), 30 Mar 07:00 BST.
    assert gaps[1:] == [24, 23, 24]


def test_a_summary_tells_of_the_local_day_before_its_own():
    assert summary_day(utc("2026-12-01T07:00"), "Europe/London") == date(2026, 11, 30)
    # Midnight in Kolkata is 18:30 UTC the evening before: yesterday is Kolkata's.
    assert summary_day(utc("2026-11-30T18:30"), "Asia/Kolkata") == date(2026, 11, 30)


def test_the_settings_are_checked_with_a_code_for_each_rule():
    s = validated(True, [" Ana@Example.com", "ana@example.com", "bo@example.org"], 6)
    assert s.recipients == ("ana@example.com", "bo@example.org") and s.hour == 6
    cases = [
        ((True, [], 24), "invalid_summary_hour"),
        ((True, [], -1), "invalid_summary_hour"),
        ((True, ["a@example.com", "not an address"], 7), "invalid_recipient"),
        ((True, ["<script>@example.com"], 7), "invalid_recipient"),
        ((True, [f"p{n}@example.com" for n in range(6)], 7), "too_many_recipients"),
    ]
    for args, code in cases:
        with pytest.raises(InvalidInput) as refused:
            validated(*args)
        assert refused.value.code == code
    with pytest.raises(InvalidInput) as refused:
        validated(True, ["a@example.com", "nope"], 7)
    assert refused.value.details["field"] == "recipients.1"


def test_the_owner_named_among_the_recipients_takes_no_place_of_the_five():
    others = [f"p{n}@example.com" for n in range(5)]
    s = validated(True, ["Owner@Shop.example", *others], 7, owner="owner@shop.example")
    assert s.recipients == tuple(others)


def test_occupancy_in_the_e_mail_is_rounded_as_the_dashboard_rounds_it():
    lines = basis_lines(
        {"bookings": 2, "occupancy_bp": 869, "units_sold": 8, "units_available": 92, "money": {}},
        "service",
        "en",
    )
    assert any("Occupancy: 8.7% (8 of 92)" in line for line in lines)


def test_a_business_selling_seats_and_staff_time_is_told_each_occupancy_not_one_mix():
    figures = {
        "occupancy_bp": 869,
        "occupancy_by_kind": {"session": 4500, "timed": 1250},
        "units_sold": 8,
        "units_available": 92,
        "money": {},
    }
    lines = basis_lines(figures, "service", "en")
    assert "Seats filled: 45.0%" in lines and "Time booked: 12.5%" in lines
    assert not any("Occupancy" in line for line in lines)
    zh = basis_lines(figures, "service", "zh-Hans")
    assert "座位上座率：45.0%" in zh


def test_the_owner_always_gets_it_first_and_once():
    s = validated(True, ["o@shop.example", "ana@example.com"], 7)
    assert recipients_of(s, "O@shop.example") == ("o@shop.example", "ana@example.com")


# -- the run and the sending, on the fakes -----------------------------------------------------


def london(now: str = "2026-11-30T12:00:00.000000Z") -> Stage:
    stage = Stage(Shop(tz="Europe/London", now=now))
    tenant = stage.c.platform.tenants["t_shop"]
    stage.c.platform.tenants["t_shop"] = replace(tenant, timezone="Europe/London")
    return stage


def ask(stage: Stage, hour: int = 7, recipients=("ana@example.com",), enabled=True):
    return summaries.choose(
        stage.ctx,
        stage.c.summary_schedules,
        enabled=enabled,
        recipients=list(recipients),
        hour=hour,
    )


def run(stage: Stage) -> list[str]:
    """A run, then every record it queued delivered: the outcomes."""
    summaries.queue_due(stage.c.summary_schedules, stage.c.bus, stage.c.now())
    return [
        summaries.send_due(stage.system, body["due"], stage.c)
        for body in stage.c.bus.take(SUMMARIES.name)
    ]


def move_to(stage: Stage, stamp: str) -> None:
    stage.c.clock.advance((parse(stamp) - parse(stage.c.now())).total_seconds())


def test_a_due_tenant_gets_yesterdays_figures_once_at_its_hour():
    stage = london()
    chosen = ask(stage)
    assert chosen.due == "2026-12-01T07:00:00.000000Z"
    move_to(stage, "2026-12-01T06:59:00.000000Z")
    assert run(stage) == []  # not yet due: nothing queued
    move_to(stage, "2026-12-01T07:00:00.000000Z")
    assert run(stage) == ["sent"]
    assert sorted(e.to for e in stage.c.mailer.sent) == ["ana@example.com", "o@shop.example"]
    assert stage.c.summary_figures.read == [
        ("t_shop", "booked", "2026-11-30"),
        ("t_shop", "service", "2026-11-30"),
    ]
    # The next one is tomorrow's; a run before then sends nothing.
    assert stage.c.summary_schedules.get("t_shop").due == "2026-12-02T07:00:00.000000Z"
    move_to(stage, "2026-12-01T07:15:00.000000Z")
    assert run(stage) == [] and len(stage.c.mailer.sent) == 2


def test_only_the_tenants_that_asked_are_queued():
    stage = london()
    ask(stage)
    stage.c.summary_schedules.save(
        replace(stage.c.summary_schedules.get("t_shop"), tenant_id="t_other", due=None)
    )
    move_to(stage, "2026-12-01T07:00:00.000000Z")
    summaries.queue_due(stage.c.summary_schedules, stage.c.bus, stage.c.now())
    assert stage.c.bus.take(SUMMARIES.name) == [
        {"tenant_id": "t_shop", "due": "2026-12-01T07:00:00.000000Z"}
    ]


class FailOnce(FakeMailer):
    """Sends to everyone but fails the first e-mail to `address`, as SES may in passing."""

    def __init__(self, address: str) -> None:
        super().__init__()
        self.address = address

    def send(self, email: Email) -> str:
        if email.to == self.address:
            self.address = ""
            raise TransientFailure("simulated mail outage")
        return super().send(email)


def test_a_retried_record_sends_only_what_was_not_sent():
    stage = london()
    stage.c.mailer = FailOnce("ana@example.com")
    ask(stage)
    move_to(stage, "2026-12-01T07:00:00.000000Z")
    summaries.queue_due(stage.c.summary_schedules, stage.c.bus, stage.c.now())
    (record,) = stage.c.bus.take(SUMMARIES.name)
    with pytest.raises(TransientFailure):
        summaries.send_due(stage.system, record["due"], stage.c)
    assert [e.to for e in stage.c.mailer.sent] == ["o@shop.example"]
    # Still due: the schedule moves on only once every e-mail went.
    assert stage.c.summary_schedules.get("t_shop").due == record["due"]
    assert summaries.send_due(stage.system, record["due"], stage.c) == "sent"
    assert [e.to for e in stage.c.mailer.sent] == ["o@shop.example", "ana@example.com"]


def test_two_overlapping_runs_send_each_e_mail_once():
    stage = london()
    ask(stage)
    move_to(stage, "2026-12-01T07:00:00.000000Z")
    for _ in range(2):  # two runs before either record is handled: two records
        summaries.queue_due(stage.c.summary_schedules, stage.c.bus, stage.c.now())
    first, second = stage.c.bus.take(SUMMARIES.name)
    assert first == second
    assert summaries.send_due(stage.system, first["due"], stage.c) == "sent"
    assert summaries.send_due(stage.system, second["due"], stage.c) == "moved"
    # Even when the due time was not moved on (the first record's advance lost), the day's
    # claim holds: nobody gets it twice.
    stage.c.summary_schedules.save(
        replace(stage.c.summary_schedules.get("t_shop"), due=first["due"])
    )
    assert summaries.send_due(stage.system, first["due"], stage.c) == "duplicate"
    assert len(stage.c.mailer.sent) == 2


def test_moving_the_hour_later_on_a_day_already_sent_sends_nothing_more():
    stage = london()
    ask(stage, hour=7)
    move_to(stage, "2026-12-01T07:00:00.000000Z")
    assert run(stage) == ["sent"]
    assert ask(stage, hour=9).due == "2026-12-01T09:00:00.000000Z"
    move_to(stage, "2026-12-01T09:00:00.000000Z")
    assert run(stage) == ["duplicate"]
    assert len(stage.c.mailer.sent) == 2
    assert stage.c.summary_schedules.get("t_shop").due == "2026-12-02T09:00:00.000000Z"


def test_turned_off_it_is_no_longer_due_and_a_record_in_flight_sends_nothing():
    stage = london()
    ask(stage)
    move_to(stage, "2026-12-01T07:00:00.000000Z")
    summaries.queue_due(stage.c.summary_schedules, stage.c.bus, stage.c.now())
    assert ask(stage, enabled=False).due is None
    (record,) = stage.c.bus.take(SUMMARIES.name)
    assert summaries.send_due(stage.system, record["due"], stage.c) == "moved"
    assert run(stage) == [] and stage.c.mailer.sent == []


def test_a_summary_found_long_after_its_morning_is_skipped_not_sent_late():
    stage = london()
    ask(stage)
    move_to(stage, "2026-12-01T19:01:00.000000Z")  # 12 hours and a minute late
    assert run(stage) == ["stale"]
    assert stage.c.mailer.sent == []
    assert stage.c.summary_schedules.get("t_shop").due == "2026-12-02T07:00:00.000000Z"


def test_after_a_zone_change_the_next_morning_is_the_new_zones():
    stage = london()
    ask(stage)
    move_to(stage, "2026-12-01T07:00:00.000000Z")
    tenant = stage.c.platform.tenants["t_shop"]
    stage.c.platform.tenants["t_shop"] = replace(tenant, timezone="Asia/Kolkata")
    assert run(stage) == ["sent"]
    assert stage.c.summary_schedules.get("t_shop").due == "2026-12-02T01:30:00.000000Z"


# -- the e-mail ------------------------------------------------------------------------------


FIGURES = {
    "booked": day_figures(
        bookings=12,
        cancellations=1,
        guests=30,
        new_customers=5,
        returning_customers=7,
        money={
            "EUR": {"gross": 123450, "discounts": 0, "refunds": 0, "net": 110000, "tax": 0},
            "GBP": {"gross": 5000, "discounts": 0, "refunds": 500, "net": 4500, "tax": 0},
        },
    ),
    "service": day_figures(
        bookings=10,
        no_shows=1,
        guests=25,
        units_sold=15,
        units_available=20,
        occupancy_bp=7525,
        money={"EUR": {"gross": 90000, "net": 90000, "adr": 6000, "revpar": 4500}},
    ),
}


def mail(locale: str = "en", name: str = "Shop", origin: str = "https://console.example"):
    tenant = replace(Shop(tz="Europe/London").tenant, locale=locale, name=name)
    return summary_email(
        tenant,
        date(2026, 11, 30),
        FIGURES,
        to="o@shop.example",
        hour=7,
        sender="bookings@reservoir.example",
        console_origin=origin,
    )


def test_the_e_mail_tells_both_bases_with_money_in_each_currency_and_links_the_dashboard():
    email = mail()
    assert email.subject == "Shop: yesterday's figures (Monday 30 November 2026)"
    text = email.text
    assert "Bookings: 12 · Cancellations: 1 · Guests: 30" in text
    assert "EUR: Gross EUR 1,234.50 · Net EUR 1,100.00" in text
    assert "GBP: Gross GBP 50.00 · Net GBP 45.00 · Refunds GBP 5.00" in text
    assert "Bookings: 10 · No-shows: 1 · Guests: 25" in text
    assert "Occupancy: 75.3% (15 of 20)" in text  # 7525 bp, rounded half up as the console
    assert "Average daily rate EUR 60.00 · Revenue per available room EUR 45.00" in text
    assert "https://console.example/#/dashboard" in text
    assert '<a href="https://console.example/#/dashboard">' in email.html
    assert email.tags == {"tenant": "t_shop", "kind": "morning_summary"}


def test_the_e_mail_is_in_chinese_for_a_chinese_business_and_escapes_its_name():
    email = mail(locale="zh-Hans-CN", name="<茶> & Co")
    assert email.subject.startswith("<茶> & Co：昨日数据（2026年11月30日 星期一）")
    assert "预订：12 · 取消：1" in email.text
    assert "入住率：75.3%（已售 15，共 20）" in email.text
    assert "EUR：总额 EUR 1,234.50 · 净额 EUR 1,100.00" in email.text
    assert "&lt;茶&gt; &amp; Co" in email.html and "<茶>" not in email.html


def test_a_day_without_money_says_so_and_no_link_without_a_console():
    email = summary_email(
        Shop().tenant,
        date(2026, 11, 30),
        {"booked": day_figures(), "service": day_figures()},
        to="o@shop.example",
        hour=7,
        sender="bookings@reservoir.example",
        console_origin="",
    )
    assert email.text.count("Revenue: none") == 2
    assert "dashboard" not in email.text and "<a " not in email.html


def test_a_suspended_tenant_is_passed_over_to_its_next_morning_and_a_gone_one_unscheduled():
    stage = london()
    ask(stage)
    move_to(stage, "2026-12-01T07:00:00.000000Z")
    schedules = stage.c.summary_schedules
    suspended = replace(stage.tenant, status=TenantStatus.SUSPENDED)
    due = "2026-12-01T07:00:00.000000Z"
    assert summaries.pass_over(schedules, "t_shop", suspended, due, stage.c.now()) == "inactive"
    assert schedules.get("t_shop").due == "2026-12-02T07:00:00.000000Z"
    tomorrow = "2026-12-02T07:00:00.000000Z"
    assert summaries.pass_over(schedules, "t_shop", None, tomorrow, "") == "gone"
    assert schedules.get("t_shop").due is None
    assert stage.c.mailer.sent == []
