"""Suggestions on a fixed history with known answers (tests/unit/suggestion_history.py holds
the history as a table and the counts worked out by hand): which orders count, the co-booking
counts, the ranking with its shares and ties, the minimum support, and the usual stylist and
hour, across both daylight-saving changes of 2026 in Berlin."""

from __future__ import annotations

from collections import defaultdict

import pytest

from chalicelib.customers.domain.suggestions import (
    CoBooking,
    Usual,
    Visit,
    booked_set,
    co_bookings,
    is_customer_id,
    local_hour,
    row_changes,
    share_percent,
    suggest,
    usual_staff,
    usual_time,
    visit_of,
    with_visit,
)
from tests.unit.suggestion_history import BOTH, CUSTOMERS, HISTORY, cid, order_of

STAFF = {"res_alex", "res_bea"}


def histories() -> dict[str, tuple[Visit, ...]]:
    """Each customer's counted visits, folded in the history's order as the consumer does."""
    visits: dict[str, tuple[Visit, ...]] = defaultdict(tuple)
    for row in HISTORY:
        order = order_of(row)
        who = row[1]
        visits[who] = with_visit(visits[who], order.id, visit_of(order))
    return visits


def rows() -> dict[str, CoBooking]:
    return co_bookings(booked_set(v) for v in histories().values())


def answer(who: str, **kw) -> list[tuple[str, str, int, int, int]]:
    booked = booked_set(histories()[who])
    return [
        (s.offering_id, s.because, s.support, s.base, s.percent)
        for s in suggest(booked, rows(), **kw)
    ]


def test_only_confirmed_checked_in_and_completed_orders_count():
    counted = {row[0] for row in HISTORY if visit_of(order_of(row)) is not None}
    assert counted == {row[0] for row in HISTORY} - {"o05", "o23", "o25", "o26", "o27"}
    assert booked_set(histories()["jon"]) == ("off_cut",)  # expired and no-show left out
    assert histories()["kim"] == ()  # a hold is not a booking yet


def test_the_counts_are_those_worked_out_by_hand():
    found = rows()
    assert {o: r.customers for o, r in found.items()} == CUSTOMERS
    for (a, b), n in BOTH.items():
        assert found[a].pairs[b] == n and found[b].pairs[a] == n
    assert "off_beard" not in found["off_colour"].pairs  # nobody booked both


def test_counting_change_by_change_adds_up_to_counting_all_at_once():
    running: dict[str, CoBooking] = {}
    visits: dict[str, tuple[Visit, ...]] = defaultdict(tuple)
    # Every order first confirmed, then moved to its final status: the consumer's path.
    for row in HISTORY:
        for order in (order_of((*row[:2], HISTORY[0][2], *row[3:]), 2), order_of(row)):
            who = row[1]
            after = with_visit(visits[who], order.id, visit_of(order))
            for change in row_changes(booked_set(visits[who]), booked_set(after)):
                held = running.get(change.offering_id, CoBooking(change.offering_id))
                running[change.offering_id] = held.applied(change)
            visits[who] = after
    assert running == rows()


def test_a_customer_who_booked_a_cut_is_offered_colour_first_then_beard_and_nails():
    # colour: 4 of the 10 cut customers; beard and nails: 3 of 10 each, tied: by id.
    assert answer("ida") == [
        ("off_colour", "off_cut", 4, 10, 40),
        ("off_beard", "off_cut", 3, 10, 30),
        ("off_nails", "off_cut", 3, 10, 30),
    ]
    assert answer("jon") == answer("ida")  # his expired and no-show orders change nothing


def test_each_suggestion_is_explained_by_the_booking_that_backs_it_best():
    # hal booked colour and nails: a cut is 4 of 5 colour customers (80 %), 3 of 4 nails
    # customers (75 %): the colour explains it. Beard: only fay booked nails and beard.
    assert answer("hal") == [("off_cut", "off_colour", 4, 5, 80)]
    assert answer("dan") == [
        ("off_colour", "off_cut", 4, 10, 40),
        ("off_nails", "off_cut", 3, 10, 30),
    ]
    assert answer("ann") == [
        ("off_beard", "off_cut", 3, 10, 30),
        ("off_nails", "off_cut", 3, 10, 30),
    ]


def test_one_odd_customer_makes_no_suggestion():
    assert answer("hal", min_support=1)[1] == ("off_beard", "off_nails", 1, 4, 25)
    assert [s[0] for s in answer("hal")] == ["off_cut"]


def test_the_limit_keeps_the_best_and_nothing_is_suggested_to_nobody():
    assert answer("ida", limit=1) == [("off_colour", "off_cut", 4, 10, 40)]
    assert suggest((), rows()) == ()


def test_the_basis_names_what_may_explain_a_suggestion():
    booked = booked_set(histories()["hal"])
    found = suggest(booked, rows(), basis=["off_nails"])
    assert [(s.offering_id, s.because, s.percent) for s in found] == [("off_cut", "off_nails", 75)]


@pytest.mark.parametrize(
    ("support", "base", "percent"),
    [(3, 10, 30), (1, 3, 33), (2, 3, 67), (1, 8, 13), (1, 6, 17), (1, 200, 1), (1, 201, 0)],
)
def test_shares_are_whole_percents_rounded_half_up(support, base, percent):
    assert share_percent(support, base) == percent


def test_the_usual_stylist_and_hour_on_the_business_clock_across_daylight_saving():
    ann = histories()["ann"]
    assert [v.order_id for v in ann] == ["o01", "o02", "o03", "o04"]
    assert usual_staff(ann, STAFF) == Usual("res_alex", 3, 4)
    # 10:00 in winter (09:00Z), on the spring change day (08:00Z) and in summer (08:00Z); the
    # autumn change day's 13:00Z is 14:00. A fixed UTC+1 would have said 09:00 twice.
    assert usual_time(ann, "Europe/Berlin") == Usual("10:00", 3, 4)
    assert usual_time(ann, "UTC") == Usual("08:00", 2, 4)


def test_the_local_hour_around_the_spring_and_autumn_changes():
    assert local_hour("2026-03-29T00:30Z", "Europe/Berlin") == 1  # CET
    assert local_hour("2026-03-29T01:30Z", "Europe/Berlin") == 3  # CEST: 02:xx never happens
    assert local_hour("2026-10-25T00:30Z", "Europe/Berlin") == 2  # CEST
    assert local_hour("2026-10-25T01:30Z", "Europe/Berlin") == 2  # CET: 02:xx twice


def test_a_tie_for_usual_goes_to_the_most_recent_stylist_and_the_earlier_hour():
    def visit(n: int, staff: str, start: str) -> Visit:
        return Visit(f"o{n}", 1, start, ("off_cut",), (staff, "res_chair"), True)

    visits = (
        visit(1, "res_alex", "2026-01-05T15:00Z"),
        visit(2, "res_alex", "2026-02-05T15:00Z"),
        visit(3, "res_bea", "2026-03-05T09:00Z"),
        visit(4, "res_bea", "2026-04-05T08:00Z"),
    )
    assert usual_staff(visits, STAFF) == Usual("res_bea", 2, 4)
    assert usual_time(visits, "Europe/Berlin") == Usual("10:00", 2, 4)  # 10:00 and 16:00
    assert usual_staff(visits[:1] + visits[2:3], STAFF) is None  # once each: no usual
    stays = tuple(Visit(v.order_id, 1, v.start, ("off_room",), (), False) for v in visits)
    assert usual_time(stays, "Europe/Berlin") is None  # a stay has no time of day


def test_a_customer_id_is_recognised_by_its_shape():
    assert is_customer_id(cid("ann"))
    assert not is_customer_id("cus_short")
    assert not is_customer_id(cid("ann").upper())
