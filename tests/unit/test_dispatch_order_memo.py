"""The dispatcher reads an event's order once for all the consumers of its group
(pipeline/event_data.py, booking/services/order_memo.py): a confirmation's bookkeeping read
the order seven times, and now reads it twice (the suggestions read it again after the
customer's counted orders, on purpose). A consumer that puts the order, or whose write is
refused, makes the next read a real one; and the counts stay once per event delivered three
times."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from chalicelib.booking.domain.orders import BookingStatus
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.order_memo import MemoOrders, fresh
from chalicelib.booking.services.order_unit_of_work import OrderUnitOfWork
from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.domain.events import OrderConfirmed
from chalicelib.pipeline.dispatch import dispatch
from chalicelib.pipeline.event_data import for_one_event
from chalicelib.pipeline.groups import BOOKKEEPING
from chalicelib.pipeline.stream import event_of
from tests.fakes import reads_outside_fakes
from tests.stage import ADA, Stage


def _confirmed(stage: Stage, day: int = 1):
    order = stage.book(customer=ADA, start=datetime(2026, 12, day, 10, 0))
    stage.drain()
    order_service.confirm(stage.ctx, order.id)
    [message] = stage.events_queue()
    return order, message


def test_a_confirmation_s_bookkeeping_reads_its_order_once_and_once_more_for_suggestions():
    stage = Stage()
    order, message = _confirmed(stage)
    reads = stage.count_order_reads()
    [outcomes] = stage.deliver([message])
    assert outcomes["customer_figures"] == outcomes["co_bookings"] == "done"
    assert outcomes["campaign_bookings"] == outcomes["reminders"] == "done"
    # bookkeeping: one read for every consumer and the suggestions' read after the customer's
    # counted orders; the messages group (another worker) reads it once for its own
    assert reads == [order.id] * 3


def test_delivered_three_times_the_memo_still_counts_the_confirmation_once():
    stage = Stage()
    order, message = _confirmed(stage)
    for _ in range(3):
        stage.deliver([message])
    record = stage.data.customers.get(customer_id_for(ADA.email))
    assert record is not None and record.figures.bookings == 1
    booked = stage.data.suggestions.booked(customer_id_for(ADA.email))
    assert [v.order_id for v in booked.visits] == [order.id]


class PutsTheOrder:
    """A consumer that changes the order (as a merge's move does)."""

    name = "puts_the_order"
    events = (OrderConfirmed,)
    repeatable = True

    def handle(self, ctx, event, deps):
        before = ctx.data.orders.get(event.order_id)
        with OrderUnitOfWork(ctx) as uow:
            uow.put_order(replace(before, version=before.version + 1, note="moved"), before=before)
            uow.commit()


class Reads:
    name = "reads"
    events = (OrderConfirmed,)
    repeatable = True
    seen: list[int] = []

    def handle(self, ctx, event, deps):
        Reads.seen.append(ctx.data.orders.get(event.order_id).version)


def test_a_consumer_after_one_that_put_the_order_reads_the_order_as_put():
    stage = Stage()
    order, message = _confirmed(stage)
    ctx = stage.system
    Reads.seen = []
    dispatch(
        ctx, event_of(message), stage.c, BOOKKEEPING, consumers=[Reads(), PutsTheOrder(), Reads()]
    )
    stored = stage.data.orders.get(order.id)
    assert Reads.seen == [stored.version - 1, stored.version]


def test_a_refused_write_forgets_the_memo_so_a_reread_sees_the_change():
    stage = Stage()
    order, _ = _confirmed(stage)
    ctx = for_one_event(stage.system)
    memo = ctx.data.orders
    assert isinstance(memo, MemoOrders)
    stale = memo.get(order.id)
    order_service.cancel(stage.ctx, stage.shop.cache, order.id, reason="ill")  # elsewhere
    assert memo.get(order.id) == stale  # the memo: one read per event
    with pytest.raises(Conflict), OrderUnitOfWork(ctx) as uow:
        uow.put_order(replace(stale, version=stale.version + 1, note="late"), before=stale)
        uow.commit()
    assert memo.get(order.id).status is BookingStatus.CANCELLED


def test_fresh_reads_past_the_memo_and_keeps_what_it_read():
    stage = Stage()
    order, _ = _confirmed(stage)
    ctx = for_one_event(stage.system)
    orders = ctx.data.orders
    orders.get(order.id)
    order_service.cancel(stage.ctx, stage.shop.cache, order.id, reason="ill")
    reads = stage.count_order_reads()
    assert fresh(orders, order.id).status is BookingStatus.CANCELLED
    assert orders.get(order.id).status is BookingStatus.CANCELLED
    assert reads == [order.id]  # the fresh read; the get after it is the memo


def _count_record_reads(stage: Stage, calls: list[str] | None = None) -> list[str]:
    """The ids of the records read (each id of a BatchGetItem too); `calls`: one entry per
    request ("get" or "get_many")."""
    reads: list[str] = []
    calls = calls if calls is not None else []
    store = stage.data.customers
    original, original_many = store.get, store.get_many

    def get(customer_id: str):
        reads.append(customer_id)
        calls.append("get")
        return original(customer_id)

    def get_many(customer_ids, *, consistent=False):
        assert consistent  # the memo reads as `get` does
        reads.extend(customer_ids)
        calls.append("get_many")
        return original_many(customer_ids, consistent=consistent)

    suggestions = stage.data.suggestions
    original_with = suggestions.booked_with_records

    def booked_with_records(customer_id: str, record_ids):
        reads.extend(record_ids)
        calls.append("get_many")  # one BatchGetItem: the records and the counted orders
        return original_with(customer_id, record_ids)

    store.get = get
    store.get_many = get_many
    suggestions.booked_with_records = booked_with_records
    return reads


def test_the_campaign_credit_takes_the_record_as_the_figures_wrote_it():
    stage = Stage()
    _, first = _confirmed(stage)
    stage.deliver([first])  # the record exists: a returning customer's booking
    _, message = _confirmed(stage, day=2)
    reads = _count_record_reads(stage)
    [outcomes] = stage.deliver([message])
    assert outcomes["customer_figures"] == outcomes["campaign_bookings"] == "done"
    ada = customer_id_for(ADA.email)
    # the figures read it; the campaign credit finds it as the figures' put left it
    assert reads.count(ada) == 1
    record = stage.data.customers.get(ada)
    assert record is not None and record.figures.bookings == 2


def test_a_refused_put_of_a_record_forgets_the_records_read():
    from chalicelib.customers.services.records import bumped, put

    stage = Stage()
    _, message = _confirmed(stage)
    stage.deliver([message])
    ctx = for_one_event(stage.system)
    ada = customer_id_for(ADA.email)
    stale = ctx.data.customers.get(ada)
    put(stage.system, bumped(stale, stage.c.now(), tags=("vip",)), before=stale)  # elsewhere
    with pytest.raises(Conflict):
        put(ctx, bumped(stale, stage.c.now(), tags=("late",)), before=stale)
    assert ctx.data.customers.get(ada).tags == ("vip",)


def test_a_returning_customer_s_records_come_in_one_read_for_the_whole_event():
    """The suggestions' `merged_into` and counted orders (`BOOKED`), the figures' record and
    their phone rule's phone-only record: one BatchGetItem (pipeline/event_data.py
    `order_companions`, `MemoSuggestions`), no GetItem."""
    stage = Stage()
    _, first = _confirmed(stage)
    stage.deliver([first])
    _, message = _confirmed(stage, day=2)
    calls: list[str] = []
    reads = _count_record_reads(stage, calls)
    merged_into_reads: list[str] = []
    suggestions = stage.data.suggestions
    original = suggestions.merged_into

    def merged_into(customer_id: str):
        merged_into_reads.append(customer_id)
        return original(customer_id)

    suggestions.merged_into = merged_into
    original_booked = suggestions.booked
    booked_apart = reads_outside_fakes(suggestions, "booked")
    [outcomes] = stage.deliver([message])
    suggestions.booked = original_booked
    assert outcomes["customer_figures"] == outcomes["co_bookings"] == "done"
    ada = customer_id_for(ADA.email)
    assert calls == ["get_many"]
    assert sorted(reads) == sorted([ada, customer_id_for(None, ADA.phone)])
    assert merged_into_reads == []  # answered by the same read
    assert booked_apart == []  # the counted orders came in it too
    assert stage.data.customers.get(ada).figures.bookings == 2
    booked = stage.data.suggestions.booked(ada)
    assert len(booked.visits) == 2


def test_an_order_of_a_merged_customer_is_still_counted_on_the_winner():
    """The memo's `merged_into` is the record's: the suggestions and the figures follow it."""
    from chalicelib.customers.services.records import bumped, put

    stage = Stage()
    _, first = _confirmed(stage)
    stage.deliver([first])
    ada = customer_id_for(ADA.email)
    winner = "cus_winner"
    record = stage.data.customers.get(ada)
    put(stage.system, replace(record, id=winner, version=1), before=None)
    put(
        stage.system,
        bumped(record, stage.c.now(), merged_into=winner),
        before=record,
        allow_merged=True,
    )
    _, message = _confirmed(stage, day=2)
    stage.deliver([message])
    assert stage.data.customers.get(winner).figures.bookings == 2
    assert len(stage.data.suggestions.booked(winner).visits) == 1
