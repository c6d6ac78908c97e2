"""The rules of money taken after the booking (payments/domain/collection.py): when a balance
is due on the business's clock (across daylight-saving changes), calendar months for
instalments (31 January + 1 month), amounts that add up exactly, and the tries."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.catalog.domain.catalog import DepositKind, DepositPolicy
from chalicelib.catalog.domain.instalments import add_months, instalment_amounts
from chalicelib.catalog.domain.payment_policy import UnpaidRule, check_deposit
from chalicelib.catalog.domain.pricing import deposit_due
from chalicelib.kernel.domain.calendar import iso_utc
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.payments.domain.collection import (
    balance_due_at,
    collect_instant,
    instalment_plan,
    next_try,
    schedule_name,
    try_at,
)

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"


def test_the_balance_is_due_at_nine_on_the_business_clock_n_days_before() -> None:
    # A stay from 24 December (local midnight in Berlin: 23:00 UTC the day before).
    assert iso_utc(balance_due_at("2026-12-23T23:00Z", 7, BERLIN)) == "2026-12-17T08:00Z"


def test_across_the_autumn_change_nine_local_moves_the_utc_instant() -> None:
    # Start 2 November 2026 in Berlin (CET, UTC+1); 7 days before is 26 October (CET too:
    # the change was on 25 October), and 3 days before a start on 27 October is 24 October
    # (still CEST, UTC+2).
    assert iso_utc(balance_due_at("2026-11-02T09:00Z", 7, BERLIN)) == "2026-10-26T08:00Z"
    assert iso_utc(balance_due_at("2026-10-27T09:00Z", 3, BERLIN)) == "2026-10-24T07:00Z"


def test_across_the_spring_change_in_new_york() -> None:
    # 8 March 2026 is the change (EST -> EDT): 09:00 the day before is 14:00 UTC, the day
    # after 13:00 UTC.
    assert iso_utc(collect_instant(date(2026, 3, 7), NEW_YORK)) == "2026-03-07T14:00Z"
    assert iso_utc(collect_instant(date(2026, 3, 9), NEW_YORK)) == "2026-03-09T13:00Z"


def test_a_balance_due_on_the_day_of_a_morning_start_is_taken_an_hour_before_it() -> None:
    # 08:00 local start, 0 days: 09:00 would be after the start.
    assert iso_utc(balance_due_at("2026-12-24T07:00Z", 0, BERLIN)) == "2026-12-24T06:00Z"


def test_retries_come_one_and_three_days_later_at_nine_and_never_at_or_after_the_start() -> None:
    due = balance_due_at("2026-12-23T23:00Z", 7, BERLIN)  # 17 December 09:00
    assert iso_utc(try_at(due, 2, BERLIN)) == "2026-12-18T08:00Z"
    assert iso_utc(try_at(due, 3, BERLIN)) == "2026-12-20T08:00Z"
    start = datetime.fromisoformat("2026-12-23T23:00+00:00")
    assert next_try(due, 1, BERLIN, before=start) == try_at(due, 2, BERLIN)
    assert next_try(due, 3, BERLIN, before=start) is None  # the last try
    # Due two days before the start: the third try (three days after) would be too late.
    late = balance_due_at("2026-12-23T23:00Z", 2, BERLIN)
    assert next_try(late, 1, BERLIN, before=start) is not None
    assert next_try(late, 2, BERLIN, before=start) is None


def test_a_retry_across_the_autumn_change_stays_at_nine_local() -> None:
    due = collect_instant(date(2026, 10, 24), BERLIN)  # CEST: 07:00 UTC
    assert iso_utc(due) == "2026-10-24T07:00Z"
    assert iso_utc(try_at(due, 2, BERLIN)) == "2026-10-25T08:00Z"  # CET from that day


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # a leap year
        (date(2027, 1, 31), 2, date(2027, 3, 31)),  # counted from the booking's day again
        (date(2026, 11, 30), 3, date(2027, 2, 28)),  # across the year
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_months_are_calendar_months_clamped_to_the_months_end(
    day: date, months: int, expected: date
) -> None:
    assert add_months(day, months) == expected


def test_three_monthly_instalments_booked_on_31_january_across_the_month_ends() -> None:
    plan = instalment_plan(10000, 3, 1, date(2027, 1, 31), date(2027, 6, 1))
    assert [(i.due, i.amount) for i in plan] == [
        ("2027-01-31", 3334),
        ("2027-02-28", 3333),
        ("2027-03-31", 3333),
    ]


def test_instalments_across_the_dst_change_are_collected_at_nine_local() -> None:
    # Booked 10 March 2026 in New York: the first one at booking; the plan's later ones on
    # 10 April and 10 May, at 09:00 EDT (13:00 UTC), where 10 February's would be 14:00 UTC.
    plan = instalment_plan(30000, 3, 1, date(2026, 3, 10), date(2026, 6, 1))
    times = [iso_utc(collect_instant(date.fromisoformat(i.due), NEW_YORK)) for i in plan[1:]]
    assert times == ["2026-04-10T13:00Z", "2026-05-10T13:00Z"]
    assert iso_utc(collect_instant(date(2026, 2, 10), NEW_YORK)) == "2026-02-10T14:00Z"


@given(st.integers(0, 10**9), st.integers(2, 12))
def test_instalments_add_up_to_the_total_exactly_the_remainder_first(
    total: int, count: int
) -> None:
    amounts = instalment_amounts(total, count)
    assert len(amounts) == count and sum(amounts) == total
    assert len(set(amounts[1:])) <= 1 and amounts[0] - amounts[1] < count


def test_the_first_instalment_is_the_deposit_taken_at_booking() -> None:
    policy = DepositPolicy(instalments=3)
    assert deposit_due(policy, 10000) == 3334


@pytest.mark.parametrize(
    "policy",
    [
        DepositPolicy(DepositKind.PERCENT, 3000, balance_due_days_before=-1),
        DepositPolicy(DepositKind.PERCENT, 3000, balance_due_days_before=366),
        DepositPolicy(instalments=13),
        DepositPolicy(instalments=3, instalment_months=0),
        DepositPolicy(DepositKind.PERCENT, 3000, instalments=3),  # one plan, not two
        DepositPolicy(instalments=3, balance_due_days_before=7),
        DepositPolicy(DepositKind.FULL, manual_capture=True, balance_due_days_before=7),
    ],
)
def test_a_schedule_that_cannot_work_is_refused(policy: DepositPolicy) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_deposit(policy)
    assert caught.value.code in ("invalid_balance_due", "invalid_instalments")


def test_a_balance_rule_is_accepted() -> None:
    check_deposit(
        DepositPolicy(
            DepositKind.PERCENT, 3000, balance_due_days_before=7, if_unpaid=UnpaidRule.CANCEL
        )
    )
    check_deposit(DepositPolicy(instalments=12, instalment_months=1))


def test_each_try_of_each_due_has_its_own_schedule_name_within_eventbridges_limits() -> None:
    names = {
        schedule_name("t1", "ord_1", due, attempt)
        for due in ("2026-12-17T08:00:00.000000Z", "2027-01-17T08:00:00.000000Z")
        for attempt in (1, 2, 3)
    }
    assert len(names) == 6
    assert all(len(n) <= 64 and n.replace("-", "").isalnum() for n in names)
    assert schedule_name("t1", "ord_1", "x", 1) == schedule_name("t1", "ord_1", "x", 1)
