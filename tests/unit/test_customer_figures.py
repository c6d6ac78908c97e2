"""A customer's figures (customers/domain/figures.py) and the phone rule
(customers/domain/records.py), pure; then the consumer that keeps them from the order events
(customers/services/figures.py) on the fakes: once per event however often it is delivered."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from chalicelib.booking.domain.orders import Customer
from chalicelib.booking.services import orders as order_service
from chalicelib.customers.domain.figures import (
    CustomerFigures,
    Fact,
    FactKind,
    apply,
    combine,
    usual,
)
from chalicelib.customers.domain.records import (
    CustomerRecord,
    Profile,
    clean_tags,
    flag_duplicates,
    phone_conflicts,
)
from chalicelib.customers.services.figures import CountCustomerFigures
from chalicelib.kernel.domain.customer_ids import customer_id_for
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.event_registry import typed
from chalicelib.pipeline.stream import event_of
from tests.builders import Shop, room_type, stay_offering
from tests.stage import ADA, Stage

VISIT = Fact(
    FactKind.VISITED,
    start="2026-12-01T09:00Z",
    hour="10",
    offerings=("off_cut",),
    staff=("res_a",),
)


def test_a_visit_counts_once_and_sets_first_and_last_visit():
    f = apply(CustomerFigures(), VISIT)
    later = replace(VISIT, start="2027-01-05T09:00Z", hour="14")
    f = apply(f, later)
    assert (f.visits, f.first_visit, f.last_visit) == (2, "2026-12-01T09:00Z", "2027-01-05T09:00Z")
    assert f.offerings == (("off_cut", 2),)
    assert usual(f.hours) == [("10", 1), ("14", 1)]


def test_an_earlier_visit_counted_later_moves_the_first_visit_back():
    f = apply(CustomerFigures(), replace(VISIT, start="2027-01-05T09:00Z"))
    f = apply(f, VISIT)
    assert (f.first_visit, f.last_visit) == ("2026-12-01T09:00Z", "2027-01-05T09:00Z")


def test_spend_is_billed_less_refunds_and_the_other_counts_add_one():
    f = CustomerFigures()
    for fact in (
        Fact(FactKind.BILLED, amount=5000),
        Fact(FactKind.REFUNDED, amount=1200),
        Fact(FactKind.BOOKED),
        Fact(FactKind.CANCELLED),
        Fact(FactKind.NO_SHOW, order_id="ord_1", no_show_now=True),
    ):
        f = apply(f, fact)
    assert (f.spend, f.bookings, f.cancellations, f.no_shows) == (3800, 1, 1, 1)


def _no_show_events(order_id: str, statuses: list[tuple[FactKind, bool]]) -> list[Fact]:
    return [Fact(k, order_id=order_id, no_show_now=now) for k, now in statuses]


def test_a_no_show_counts_while_its_order_is_one_whatever_order_the_events_come_in():
    """Each no-show event and undo brings the order's membership in line with the order as
    read when handled: a no-show, its undo and a second no-show are 1 in every order of
    handling (the order as read is a no-show only after the second, or before the undo)."""
    ns, undo = FactKind.NO_SHOW, FactKind.NO_SHOW_UNDONE
    assert apply(CustomerFigures(), Fact(ns, order_id="o", no_show_now=True)).no_shows == 1
    # handled in order, each seeing the order as it then was
    f = CustomerFigures()
    for fact in _no_show_events("o", [(ns, True), (undo, False), (ns, True)]):
        f = apply(f, fact)
    assert (f.no_shows, f.no_show_orders) == (1, ("o",))
    # the undo handled first, the no-show's retry after it: the order is no no-show any more
    f = CustomerFigures()
    for fact in _no_show_events("o", [(undo, False), (ns, False)]):
        f = apply(f, fact)
    assert (f.no_shows, f.no_show_orders) == (0, ())
    # the first no-show handled last of three, after the second: the order is a no-show now
    f = CustomerFigures()
    for fact in _no_show_events("o", [(undo, True), (ns, True), (ns, True)]):
        f = apply(f, fact)
    assert f.no_shows == 1
    # a redelivery changes nothing; two orders count two
    f = apply(f, Fact(ns, order_id="o", no_show_now=True))
    f = apply(f, Fact(ns, order_id="p", no_show_now=True))
    assert (f.no_shows, f.no_show_orders) == (2, ("o", "p"))


def test_a_no_show_counted_before_the_ids_were_kept_stays_counted_and_never_below_zero():
    old = CustomerFigures(no_shows=1)  # counted before `no_show_orders`
    assert apply(old, Fact(FactKind.NO_SHOW_UNDONE, order_id="o")).no_shows == 1
    odd = CustomerFigures(no_shows=0, no_show_orders=("o",))  # after a merge, say
    assert apply(odd, Fact(FactKind.NO_SHOW_UNDONE, order_id="o")).no_shows == 0


def test_a_visit_taken_back_takes_off_what_it_counted_and_never_below_zero():
    visit = VISIT
    other = replace(visit, offerings=("off_colour",), hour="14")
    f = apply(apply(CustomerFigures(), visit), other)
    undone = apply(f, replace(visit, kind=FactKind.VISIT_UNDONE))
    assert undone.visits == 1
    assert undone.offerings == (("off_colour", 1),) and undone.hours == (("14", 1),)
    assert undone.staff == (("res_a", 1),)
    assert undone.last_visit == f.last_visit  # left as it was
    none = apply(CustomerFigures(), replace(visit, kind=FactKind.VISIT_UNDONE))
    assert (none.visits, none.offerings, none.staff, none.hours) == (0, (), (), ())


def test_combined_figures_add_counts_and_keep_the_earliest_and_latest_visit():
    a = apply(apply(CustomerFigures(), VISIT), Fact(FactKind.BILLED, amount=100))
    b = apply(CustomerFigures(), replace(VISIT, start="2025-05-01T08:00Z", staff=("res_b",)))
    both = combine(a, b)
    assert (both.visits, both.spend) == (2, 100)
    assert (both.first_visit, both.last_visit) == ("2025-05-01T08:00Z", "2026-12-01T09:00Z")
    assert both.staff == (("res_a", 1), ("res_b", 1))
    assert combine(CustomerFigures(), b) == b


def test_the_phone_rule_names_every_other_owner_of_the_phone_once():
    assert phone_conflicts("cus_a", ["cus_b", "cus_a", "cus_b", "cus_p"]) == ("cus_b", "cus_p")
    assert phone_conflicts("cus_a", ["cus_a"]) == ()


def test_a_record_is_never_its_own_duplicate_nor_one_it_absorbed():
    record = CustomerRecord(
        id="cus_a", profile=Profile("Ada"), created_at="t", updated_at="t", merged_from=("cus_x",)
    )
    assert flag_duplicates(record, ["cus_a", "cus_x", "cus_b", "cus_b"]) == ("cus_b",)


def test_tags_are_trimmed_and_unique_whatever_their_case():
    assert clean_tags([" VIP ", "vip", "late  payer"]) == ("late payer", "VIP")
    with pytest.raises(InvalidInput):
        clean_tags(["  "])


# -- the consumer -----------------------------------------------------------------------------


def _visited(stage: Stage, customer: Customer = ADA):
    order = stage.book(customer=customer)
    order_service.confirm(stage.ctx, order.id)
    stage.shop.clock.advance(7 * 86400)  # the day of the appointment
    order_service.check_in(stage.ctx, order.id)
    order_service.complete(stage.ctx, order.id, leave_balance_open=True)
    return order


def test_the_first_booking_creates_the_record_and_every_figure_follows_its_events():
    stage = Stage()
    order = _visited(stage)
    stage.drain()
    record = stage.data.customers.get(customer_id_for(ADA.email))
    assert record is not None
    assert (record.profile.name, record.profile.phone, record.profile.locale) == (
        "Ada",
        ADA.phone,
        "en",
    )
    f = record.figures
    assert (f.bookings, f.visits, f.spend) == (1, 1, order.total)
    assert f.staff == (("res_a", 1),)  # a timed resource of capacity 1: a person's diary
    assert f.offerings == (("off_cut", 1),)
    assert f.first_visit == f.last_visit == order.start
    assert f.hours == (("10", 1),)  # the local hour of the appointment (Berlin)


def test_a_stay_counts_as_a_visit_but_gives_no_usual_hour():
    stage = Stage(Shop().add(room_type(), stay_offering()))
    order = stage.book_stay()
    order_service.confirm(stage.ctx, order.id)
    stage.shop.clock.moment = stage.shop.clock.moment.replace(month=12, day=24, hour=15)
    order_service.check_in(stage.ctx, order.id)
    stage.drain()
    record = stage.data.customers.get(customer_id_for(ADA.email))
    assert record is not None
    assert (record.figures.visits, record.figures.first_visit) == (1, order.start)
    assert record.figures.hours == ()  # a night starts at midnight: not an hour they come at


def test_the_same_events_delivered_three_times_leave_the_figures_as_once():
    stage = Stage()
    _visited(stage)
    messages = stage.events_queue()
    stage.deliver(messages)
    once = stage.data.customers.get(customer_id_for(ADA.email))
    stage.deliver(messages)
    stage.deliver(messages)
    assert stage.data.customers.get(customer_id_for(ADA.email)) == once
    assert once is not None and (once.figures.bookings, once.figures.visits) == (1, 1)


def test_a_cancelled_booking_counts_as_a_booking_and_a_cancellation_a_let_go_hold_as_neither():
    stage = Stage()
    confirmed = stage.book()
    order_service.confirm(stage.ctx, confirmed.id)
    order_service.cancel(stage.ctx, stage.shop.cache, confirmed.id, reason="ill")
    held = stage.book(start=datetime(2026, 12, 2, 10, 0))
    order_service.cancel(stage.ctx, stage.shop.cache, held.id, reason="changed mind")
    stage.drain()
    f = stage.data.customers.get(customer_id_for(ADA.email)).figures
    assert (f.bookings, f.cancellations, f.visits, f.spend) == (1, 1, 0, 0)


def test_a_phone_that_is_another_customers_flags_both_and_the_email_keeps_the_booking():
    stage = Stage()
    order_service.confirm(stage.ctx, stage.book().id)
    twin = Customer(name="Ada B", email="ada.b@example.com", phone=ADA.phone, locale="en")
    second = stage.book(customer=twin, start=datetime(2026, 12, 3, 10, 0))
    order_service.confirm(stage.ctx, second.id)
    stage.drain()
    ada, twin_id = customer_id_for(ADA.email), customer_id_for(twin.email)
    records = stage.data.customers
    assert records.get(twin_id).figures.bookings == 1  # the e-mail's record took the booking
    assert records.get(ada).figures.bookings == 1
    assert records.get(twin_id).possible_duplicates == (ada,)
    assert records.get(ada).possible_duplicates == (twin_id,)
    assert stage.data.orders.get(second.id).customer.id == twin_id


def test_the_consumer_handed_each_event_three_times_counts_it_once():
    """Past the dispatcher's own claim (a claim that ran out, a second group): the figure and
    the event's mark are one write, the record's own put over the version read, with the
    event marked in it."""
    from chalicelib.customers.services.figures import CountCustomerFigures
    from chalicelib.kernel.domain.event_registry import typed
    from chalicelib.pipeline.stream import event_of

    stage = Stage()
    order = _visited(stage)
    events = [typed(event_of(m)) for m in stage.events_queue()]
    consumer = CountCustomerFigures()
    mine = [e for e in events if isinstance(e, consumer.events)]
    assert len(mine) == 3  # confirmed, checked in, completed
    for _ in range(3):
        for event in mine:
            consumer.handle(stage.system, event, stage.c)
    record = stage.data.customers.get(customer_id_for(ADA.email))
    f = record.figures
    assert (f.bookings, f.visits, f.spend) == (1, 1, order.total)
    assert record.version == 3  # one write per event, none for the repeats
    assert {e.id for e in mine} == {e for e, _ in record.counted}
    assert record.counted_since == ""  # made by this code: every event marked in it
    assert not stage.data.customers.marks  # no mark apart: one item written per event


def _confirmed_and_counted():
    """A booking confirmed, its events handed to the figures' consumer once."""
    stage = Stage()
    order = stage.book()
    order_service.confirm(stage.ctx, order.id)
    consumer = CountCustomerFigures()
    confirmed = [typed(event_of(m)) for m in stage.events_queue()]
    for event in confirmed:
        consumer.handle(stage.system, event, stage.c)
    return stage, order, consumer, confirmed


def test_a_record_from_before_its_marks_counts_an_event_marked_apart_once_and_then_keeps_them():
    """A record written before records kept their events' marks (`counted_since` None): an
    event it may have counted, marked apart (`CUS#<id>`/`EVT#<id>`), is refused by that mark;
    the next event is counted with a mark apart too (it is older than the record's keeping of
    marks), and from then on the marks are in the record alone."""
    stage, order, consumer, confirmed = _confirmed_and_counted()
    cid = customer_id_for(ADA.email)
    store = stage.data.customers
    # As the code before wrote it: no marks in the record, the confirmation's mark apart.
    store.records[cid] = replace(store.records[cid], counted=(), counted_since=None)
    store.marks = {(cid, e.id) for e in confirmed if e.name == "OrderConfirmed"}
    for event in confirmed:
        consumer.handle(stage.system, event, stage.c)
    assert store.get(cid).figures.bookings == 1  # refused by its mark apart
    stage.shop.clock.advance(7 * 86400)
    order_service.check_in(stage.ctx, order.id)
    checked_in = [typed(event_of(m)) for m in stage.events_queue()]
    stage.shop.clock.advance(60)  # delivered a minute after the check-in
    for event in checked_in:
        consumer.handle(stage.system, event, stage.c)
    record = store.get(cid)
    assert record.figures.visits == 1
    assert record.counted_since == stage.c.now()
    assert (cid, checked_in[-1].id) in store.marks  # older than the keeping: marked apart
    stage.shop.clock.advance(3600)  # completed after the record began to keep its marks
    order_service.complete(stage.ctx, order.id, leave_balance_open=True)
    completed = [typed(event_of(m)) for m in stage.events_queue()]
    for _ in range(2):
        for event in completed:
            consumer.handle(stage.system, event, stage.c)
    record = store.get(cid)
    assert record.figures.spend == order.total  # once
    assert not any(e.id == m for e in completed for _, m in store.marks)  # in the record only
    assert {e.id for e in completed} <= {e for e, _ in record.counted}


def test_a_record_whose_marks_are_full_marks_the_next_event_apart_and_counts_it_once():
    """A very busy customer's record keeps `MAX_MARKS` marks: the next event is marked apart
    (the record and the mark in one transaction) and the record keeps its marks only from
    after it, so the event delivered again is refused by that mark."""
    from chalicelib.customers.services.figures import MAX_MARKS

    stage, order, consumer, confirmed = _confirmed_and_counted()
    cid = customer_id_for(ADA.email)
    store = stage.data.customers
    far = 2**40  # kept long after the clock below
    full = tuple((f"evt_busy_{n:02d}", far) for n in range(MAX_MARKS))
    store.records[cid] = replace(store.records[cid], counted=full)
    stage.shop.clock.advance(7 * 86400)
    order_service.check_in(stage.ctx, order.id)
    checked_in = [typed(event_of(m)) for m in stage.events_queue()]
    for _ in range(3):
        for event in checked_in:
            consumer.handle(stage.system, event, stage.c)
    record = store.get(cid)
    assert record.figures.visits == 1  # once
    assert record.counted == full  # no room: not in the record
    assert (cid, checked_in[-1].id) in store.marks  # but apart
    assert record.counted_since >= checked_in[-1].at
