"""An instalment plan's pure rules: none of its parts due after the day before the service
(catalog/domain/instalments.py) and the parts still to pay following the order's total
(booking/domain/plan_fit.py), as an outside tester (a revenue manager) found them wrong."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.booking.domain.payment_records import Instalment
from chalicelib.booking.domain.plan_fit import fit_plan
from chalicelib.catalog.domain.catalog import DepositPolicy
from chalicelib.catalog.domain.instalments import plan_parts
from chalicelib.catalog.domain.pricing import deposit_due
from chalicelib.payments.domain.collection import instalment_plan

PLAN = DepositPolicy(instalments=3, instalment_months=1)


def test_the_testers_tour_has_no_part_due_after_it() -> None:
    # Booked 6 December 2026 for a tour on 20 December, 3 monthly parts of 1,095.32: the
    # plan was 6 December, 6 January and 6 February (two thirds after the tour).
    plan = instalment_plan(109532, 3, 1, date(2026, 12, 6), date(2026, 12, 20))
    assert [(i.due, i.amount) for i in plan] == [("2026-12-06", 36512), ("2026-12-19", 73020)]


def test_parts_that_fit_keep_their_dates_and_one_that_does_not_is_moved() -> None:
    parts = plan_parts(30000, 4, 1, date(2026, 12, 6), date(2027, 2, 20))
    assert parts == (
        (date(2026, 12, 6), 7500),
        (date(2027, 1, 6), 7500),
        (date(2027, 2, 6), 7500),
        (date(2027, 2, 19), 7500),  # 6 March would be after the stay
    )


def test_booked_the_day_before_or_on_the_day_the_whole_is_taken_at_booking() -> None:
    for start in (date(2026, 12, 7), date(2026, 12, 6)):
        assert instalment_plan(109532, 3, 1, date(2026, 12, 6), start) == ()
        assert deposit_due(PLAN, 109532, booked_on=date(2026, 12, 6), start_day=start) == 109532
    assert deposit_due(PLAN, 109532, booked_on=date(2026, 12, 6), start_day=date(2026, 12, 8))
    assert deposit_due(PLAN, 109532) == 36512  # the plan as the offering states it


@given(
    st.integers(0, 10**9),
    st.integers(2, 12),
    st.integers(1, 12),
    st.dates(date(2026, 1, 1), date(2030, 1, 1)),
    st.integers(0, 800),
)
def test_parts_add_up_and_none_is_due_on_or_after_the_services_day(
    total: int, count: int, months: int, booked_on: date, ahead: int
) -> None:
    start = date.fromordinal(booked_on.toordinal() + ahead)
    parts = plan_parts(total, count, months, booked_on, start)
    assert sum(a for _, a in parts) == total and parts[0][0] == booked_on
    assert len(parts) == 1 or all(day < start for day, _ in parts)
    assert [d for d, _ in parts] == sorted({d for d, _ in parts})  # one charge a day


LATE = date(2099, 1, 1)  # a start far off: no date is moved


def _plan(*amounts: int) -> tuple[Instalment, ...]:
    days = ("2026-12-06", "2027-01-06", "2027-02-06", "2027-03-06")
    return tuple(Instalment(d, a) for d, a in zip(days[: len(amounts)], amounts, strict=True))


def test_a_lower_total_is_re_split_over_what_is_still_to_pay_on_the_same_dates() -> None:
    # The tester's move: 1,095.32 to 1,059.99, the first part paid.
    fitted = fit_plan(_plan(36512, 36510, 36510), 105999, 36512, LATE)
    assert fitted == _plan(36512, 34743, 34744)


def test_a_higher_total_adds_to_the_parts_still_to_pay() -> None:
    assert fit_plan(_plan(8000, 8000, 8000), 36000, 8000, LATE) == _plan(8000, 14000, 14000)


def test_a_total_below_what_was_paid_leaves_no_part_to_pay() -> None:
    assert fit_plan(_plan(36512, 36510, 36510), 30000, 36512, LATE) == _plan(36512)


def test_money_paid_beyond_a_part_does_not_count_it_paid_until_it_is_whole() -> None:
    # 500 kept: the first (334) paid, the second in part; both later ones share the rest.
    assert fit_plan(_plan(334, 333, 333), 1100, 500, LATE) == _plan(334, 383, 383)


@given(
    st.lists(st.integers(0, 10**6), min_size=2, max_size=12),
    st.integers(0, 10**7),
    st.integers(0, 10**7),
)
def test_a_fitted_plan_adds_up_to_the_total_and_fitting_it_again_changes_nothing(
    amounts: list[int], total: int, kept: int
) -> None:
    plan = tuple(Instalment(f"2027-01-{k + 1:02}", a) for k, a in enumerate(amounts))
    fitted = fit_plan(plan, total, kept, LATE)
    assert fit_plan(fitted, total, kept, LATE) == fitted
    assert [i.due for i in fitted] == [i.due for i in plan[: len(fitted)]]
    # Else only what was paid is left (it reaches the total, or nothing is left to pay).
    assert sum(i.amount for i in fitted) == total or fitted == plan[: len(fitted)]


def test_a_move_earlier_brings_the_parts_still_to_pay_to_the_last_day_before_it_as_one() -> None:
    # A reviewer's move: 80.00 paid, 80.00 on 6 January and 6 February, moved to 6 January.
    fitted = fit_plan(_plan(8000, 8000, 8000), 24000, 8000, date(2027, 1, 5))
    assert fitted == (Instalment("2026-12-06", 8000), Instalment("2027-01-05", 16000))


def test_a_paid_part_is_never_merged_with_one_still_to_pay() -> None:
    fitted = fit_plan(_plan(8000, 8000, 8000), 24000, 8000, date(2026, 12, 6))
    assert fitted == (Instalment("2026-12-06", 8000), Instalment("2026-12-06", 16000))


@given(
    st.lists(st.integers(0, 10**6), min_size=2, max_size=12),
    st.integers(0, 10**7),
    st.integers(0, 10**7),
    st.dates(date(2026, 12, 1), date(2027, 2, 1)),
)
def test_no_part_still_to_pay_is_due_after_the_last_day_and_fitting_again_changes_nothing(
    amounts: list[int], total: int, kept: int, last: date
) -> None:
    plan = tuple(Instalment(f"2027-01-{k + 1:02}", a) for k, a in enumerate(amounts))
    fitted = fit_plan(plan, total, kept, last)
    assert fit_plan(fitted, total, kept, last) == fitted
    assert all(i.due <= last.isoformat() for i in fitted)
    assert [i.due for i in fitted] == sorted(i.due for i in fitted)
