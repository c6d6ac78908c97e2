"""Merging two records of one customer on the fakes (customers/services/merges.py and
merge_job.py): the loser points at the winner at once, the job moves orders, figures and notes
once, resumes after a crash half-way, and a booking made meanwhile ends on the winner."""

from __future__ import annotations

from datetime import datetime

import pytest

from chalicelib.booking.domain.orders import Customer
from chalicelib.booking.services import orders as order_service
from chalicelib.customers.domain.merges import MergeStatus
from chalicelib.customers.services import merge_job, mergers
from chalicelib.customers.services.merge_job import run_merge
from chalicelib.customers.services.merges import merge_customers
from chalicelib.customers.services.profiles import add_note, get_customer, orders_of
from chalicelib.kernel.domain.customer_ids import customer_id_for
from chalicelib.kernel.domain.errors import InvalidInput
from tests.stage import ADA, Stage

TWIN = Customer(name="Ada Lovelace", email="ada.l@example.com", phone=None, locale="en")
A, B = customer_id_for(ADA.email), customer_id_for(TWIN.email)


def _booked(stage: Stage, customer: Customer, day: int):
    order = stage.book(customer=customer, start=datetime(2026, 12, day, 10, 0))
    order_service.confirm(stage.ctx, order.id)
    return order


def _two_customers(stage: Stage, b_orders: int = 3):
    _booked(stage, ADA, 1)
    for n in range(b_orders):
        _booked(stage, TWIN, 2 + n)
    stage.drain()
    add_note(stage.ctx, B, "Prefers the window seat", note_id="note_1")


def test_the_loser_points_at_the_winner_at_once_and_reads_follow_it():
    stage = Stage()
    _two_customers(stage)
    merge_customers(stage.ctx, A, B, event_id="evt_m1")
    assert stage.data.customers.get(B).merged_into == A
    assert get_customer(stage.ctx, B).id == A
    assert get_customer(stage.ctx, A).merged_from == (B,)
    # before the job has moved anything, the winner's history holds the loser's orders
    _, orders, _ = orders_of(stage.ctx, A, after=None, limit=50)
    assert len(orders) == 4
    assert [e.name for e in stage.data.orders.events][-1] == "CustomersMerged"
    assert any(e.action == "customer.merged" for e in stage.data.audit.entries.values())


def test_the_job_moves_orders_figures_and_notes_once():
    stage = Stage()
    _two_customers(stage)
    merge_customers(stage.ctx, A, B, event_id="evt_m1")
    stage.drain()  # CustomersMerged reaches its consumer, the merge job
    orders = stage.data.orders.orders.values()
    assert {o.customer.id for o in orders} == {A}
    winner = stage.data.customers.get(A)
    assert winner.figures.bookings == 4
    assert [n.text for n in stage.data.customers.notes(A, limit=10)] == ["Prefers the window seat"]
    merge = stage.data.customers.merge(A, B)
    assert (merge.status, merge.orders_moved) == (MergeStatus.DONE, 3)
    run_merge(stage.system, A, B)  # again: nothing more
    assert stage.data.customers.get(A).figures.bookings == 4


def test_a_job_that_died_half_way_resumes_without_counting_twice(monkeypatch):
    stage = Stage()
    _two_customers(stage, b_orders=4)
    merge_customers(stage.ctx, A, B, event_id="evt_m1")
    stage.events_queue()  # the event is lost with a process, here: the job is run by hand
    real = merge_job.move_order
    calls = {"n": 0}

    def dies_on_the_third(ctx, order_id, to_id):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("the process died")
        return real(ctx, order_id, to_id)

    monkeypatch.setattr(merge_job, "move_order", dies_on_the_third)
    with pytest.raises(RuntimeError):
        run_merge(stage.system, A, B)
    half = stage.data.customers.merge(A, B)
    assert half.figures_moved and half.status is MergeStatus.MOVING
    monkeypatch.setattr(merge_job, "move_order", real)
    done = run_merge(stage.system, A, B)
    assert done.status is MergeStatus.DONE
    assert {o.customer.id for o in stage.data.orders.orders.values()} == {A}
    assert stage.data.customers.get(A).figures.bookings == 5  # 1 + 4, once


def test_a_booking_made_under_the_losers_email_during_the_merge_ends_on_the_winner():
    stage = Stage()
    _two_customers(stage)
    merge_customers(stage.ctx, A, B, event_id="evt_m1")
    late = _booked(stage, TWIN, 20)  # placed while the job has not run
    stage.drain()
    later = _booked(stage, TWIN, 21)  # and one after it finished
    stage.drain()
    for order in (late, later):
        assert stage.data.orders.get(order.id).customer.id == A
    winner = stage.data.customers.get(A)
    assert winner.figures.bookings == 6
    assert stage.data.customers.get(B).figures.bookings == 3  # frozen at the merge


def test_each_registered_merger_runs_once_per_merge(monkeypatch):
    ran = []

    class Points:
        name = "points"

        def merge(self, ctx, *, winner_id, loser_id):
            ran.append((winner_id, loser_id))

    monkeypatch.setattr(mergers, "MERGERS", [])
    monkeypatch.setattr(merge_job, "MERGERS", mergers.MERGERS)
    mergers.register(Points())
    mergers.register(Points())
    stage = Stage()
    _two_customers(stage, b_orders=1)
    merge_customers(stage.ctx, A, B, event_id="evt_m1")
    stage.drain()
    run_merge(stage.system, A, B)
    assert ran == [(A, B)]
    assert stage.data.customers.merge(A, B).mergers_done == ("points",)


def test_a_customer_cannot_be_merged_into_itself():
    stage = Stage()
    _two_customers(stage, b_orders=1)
    with pytest.raises(InvalidInput):
        merge_customers(stage.ctx, A, A, event_id="evt_m1")


def test_a_late_booking_whose_move_failed_is_moved_when_its_event_comes_again(monkeypatch):
    from chalicelib.customers.services import figures
    from chalicelib.customers.services.figures import CountCustomerFigures
    from chalicelib.kernel.domain.event_registry import typed
    from chalicelib.pipeline.stream import event_of

    stage = Stage()
    _two_customers(stage, b_orders=1)
    merge_customers(stage.ctx, A, B, event_id="evt_m1")
    stage.drain()  # the job has run
    late = _booked(stage, TWIN, 20)
    [confirmed] = [
        e for e in (typed(event_of(m)) for m in stage.events_queue()) if e.name == "OrderConfirmed"
    ]
    real = figures.move_order

    def dies(ctx, order_id, to_id):
        raise RuntimeError("the process died")

    monkeypatch.setattr(figures, "move_order", dies)
    with pytest.raises(RuntimeError):
        CountCustomerFigures().handle(stage.system, confirmed, stage.c)
    assert stage.data.orders.get(late.id).customer.id == B  # counted, not moved yet
    monkeypatch.setattr(figures, "move_order", real)
    CountCustomerFigures().handle(stage.system, confirmed, stage.c)  # delivered again
    assert stage.data.orders.get(late.id).customer.id == A
    assert stage.data.customers.get(A).figures.bookings == 3  # 1 + 1 + the late one, once


def test_a_merge_moves_the_losers_points_to_the_winner_through_the_loyalty_merger():
    from chalicelib.customers.domain.loyalty import Movement
    from chalicelib.customers.services.loyalty import credit

    stage = Stage()
    _two_customers(stage, b_orders=1)
    credit(
        stage.system,
        B,
        mark="m1",
        points=250,
        expires="2030-01-01",
        movement=Movement.EARNED,
        order_id="",
    )
    merge_customers(stage.ctx, A, B, event_id="evt_m1")
    stage.drain()
    run_merge(stage.system, A, B)  # the job again: nothing moves twice
    loyalty = stage.data.loyalty
    assert (loyalty.balance(B).points, loyalty.balance(A).points) == (0, 250)
    assert "loyalty_points" in stage.data.customers.merge(A, B).mergers_done


def test_a_withdrawal_on_either_record_survives_the_merge():
    from chalicelib.customers.domain.campaigns import reachable
    from chalicelib.customers.services.profiles import Changes, update_customer

    stage = Stage()
    _two_customers(stage, b_orders=1)
    update_customer(stage.ctx, A, Changes(marketing=True), expected_version=None)
    stage.c.clock.advance(60)
    update_customer(stage.ctx, B, Changes(marketing=False), expected_version=None)
    merge_customers(stage.ctx, A, B, event_id="evt_m1")
    stage.drain()
    winner = stage.data.customers.get(A)
    assert winner.consent is not None and not winner.consent.granted
    assert not reachable(winner)


def test_merged_consent_and_tags_rules():
    from chalicelib.customers.domain.records import (
        MAX_TAGS,
        Consent,
        ConsentSource,
        joined_tags,
        merged_consent,
    )

    old_yes = Consent(True, ConsentSource.STAFF, "2026-01-01T00:00Z")
    new_yes = Consent(True, ConsentSource.IMPORT, "2026-06-01T00:00Z")
    old_no = Consent(False, ConsentSource.UNSUBSCRIBE_LINK, "2025-01-01T00:00Z")
    assert merged_consent(None, None) is None
    assert merged_consent(old_yes, None) == old_yes
    assert merged_consent(old_yes, new_yes) == new_yes
    assert merged_consent(new_yes, old_no) == old_no  # a withdrawal wins, even an older one
    full = tuple(f"t{n:02d}" for n in range(MAX_TAGS))
    assert joined_tags(full, ["extra"]) == full  # the merge job is not stopped at the limit
    assert joined_tags(("a",), ["B", "a"]) == ("a", "B")


def test_a_merge_moves_the_suggestion_history_and_counts_the_person_once():
    from chalicelib.customers.services.suggestions import customer_suggestions

    stage = Stage()
    _two_customers(stage, b_orders=1)  # both booked a haircut: two customers in its row
    stage.drain()
    assert stage.data.suggestions.co_bookings(["off_cut"])["off_cut"].customers == 2
    merge_customers(stage.ctx, A, B, event_id="evt_m1")
    stage.drain()
    run_merge(stage.system, A, B)  # the job again: nothing moves twice

    assert stage.data.suggestions.co_bookings(["off_cut"])["off_cut"].customers == 1
    assert len(stage.data.suggestions.booked(A).visits) == 2
    assert stage.data.suggestions.booked(B).visits == ()
    via_loser = customer_suggestions(stage.ctx, stage.shop.cache, B, limit=5)
    assert via_loser.customer_id == A and [b.id for b in via_loser.booked] == ["off_cut"]
    # a later booking under the loser's e-mail joins the winner's history
    _booked(stage, TWIN, 25)
    stage.drain()
    assert len(stage.data.suggestions.booked(A).visits) == 3
    assert stage.data.suggestions.booked(B).visits == ()


def test_an_event_counted_on_the_loser_and_delivered_again_after_the_merge_counts_once():
    """The loser's marks of the events it counted travel to the winner with its figures: a
    confirmation delivered again once its order is the winner's is found counted there."""
    from chalicelib.customers.services.figures import CountCustomerFigures
    from chalicelib.kernel.domain.event_registry import typed
    from chalicelib.pipeline.stream import event_of

    stage = Stage()
    _booked(stage, ADA, 1)
    _booked(stage, TWIN, 2)
    events = [typed(event_of(m)) for m in stage.events_queue()]
    consumer = CountCustomerFigures()
    confirmed = [e for e in events if e.name == "OrderConfirmed"]
    for event in confirmed:
        consumer.handle(stage.system, event, stage.c)
    merge_customers(stage.ctx, A, B, event_id="evt_m1")
    run_merge(stage.system, A, B)
    winner = stage.data.customers.get(A)
    assert winner.figures.bookings == 2
    assert {e.id for e in confirmed} <= {e for e, _ in winner.counted}
    assert {o.customer.id for o in stage.data.orders.orders.values()} == {A}
    for event in confirmed:  # again, both orders now the winner's
        consumer.handle(stage.system, event, stage.c)
    assert stage.data.customers.get(A).figures.bookings == 2
