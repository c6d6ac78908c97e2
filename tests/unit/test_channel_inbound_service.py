"""Channel managers' messages through the booking engine, over the fakes: one order per
reservation, dates moved atomically, out-of-order messages, overbooking conflicts and their
resolution (channels/services/inbound.py, inbound_apply.py, conflicts.py)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from chalicelib.booking.domain.orders import BookingStatus, Channel, Customer
from chalicelib.booking.services import orders
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.invariant import check_invariant
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.channels.domain.connections import ConnectionStatus
from chalicelib.channels.domain.inbound import BadChannelSignature, InboundOutcome
from chalicelib.channels.services import conflicts, inbound
from chalicelib.kernel.domain.errors import Conflict, Forbidden
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.webhooks.domain.webhooks import signature_header
from tests.builders import Shop, room_type, stay_offering
from tests.channel_inbound_support import channel_manager

SECRET = "whsec_test"
CONN = "chn_bdc"


def hotel(rooms: int = 3) -> Shop:
    shop = Shop(now="2026-11-24T09:00:00.000000Z").add(room_type(rooms=rooms), stay_offering())
    at = shop.clock()
    connection = channel_manager(CONN, at, commission_bp=1500)
    shop.data.connections.put(connection, expected_version=None, secret=SECRET)
    return shop


def doc(
    event_id: str,
    kind: str = "reservation.created",
    *,
    ext: str = "BDC-1",
    minute: int = 0,
    arrival: str = "2026-12-24",
    departure: str = "2026-12-26",
    room_type: str = "DBL",
) -> dict[str, Any]:
    res: dict[str, Any] = {"id": ext}
    if kind != "reservation.cancelled":
        res |= {
            "room_type": room_type,
            "rate_plan": "BAR",
            "arrival": arrival,
            "departure": departure,
            "guests": {"adults": 2},
            "guest": {"name": "Ana Lima", "email": "Ana@Example.com"},
            "price": {"amount": 25000, "currency": "EUR"},
        }
    sent = f"2026-11-24T08:{minute:02d}:00Z"
    return {"event_id": event_id, "type": kind, "sent_at": sent, "reservation": res}


def send(shop: Shop, message: dict[str, Any], secret: str = SECRET, skew: int = 0):
    raw = json.dumps(message).encode()
    stamp = int(parse(shop.clock()).timestamp()) + skew
    return inbound.receive(shop.ctx, shop.cache, CONN, raw, signature_header([secret], stamp, raw))


def used(shop: Shop) -> dict[str, int]:
    """Units used per night of the room type (0 left out)."""
    buckets = shop.data.orders.buckets
    return {k: n for (r, k), n in sorted(buckets.items()) if r == "res_double" and n}


def partner_orders(shop: Shop) -> list:
    return [o for o in shop.data.orders.orders.values() if o.channel is Channel.PARTNER]


def widget_booking(shop: Shop, order_id: str, check_in: date, nights: int = 2):
    line = LineInput("off_stay", check_in=check_in, nights=nights)
    hold = HoldInput(Customer("Bo", "bo@example.com"), [line], Channel.WIDGET)
    return hold_order(shop.ctx, shop.cache, hold, order_id=order_id)


def after_order_read(shop: Shop, action) -> None:
    """Run `action` once, right after the next read of an order (a message that raced the one
    being handled, landing between its read and its write)."""
    store = shop.data.orders
    real = store.get

    def get(order_id: str):
        order = real(order_id)
        store.get = real
        action()
        return order

    store.get = get


# -- a reservation, once ----------------------------------------------------------------------


def test_a_creation_books_a_confirmed_partner_order_holding_its_nights():
    shop = hotel()
    answer = send(shop, doc("e1"))
    assert answer.status is InboundOutcome.APPLIED
    order = shop.data.orders.get(answer.order_id)
    assert order is not None and order.status is BookingStatus.CONFIRMED
    assert order.partner is not None and order.partner.reference == "BDC-1"
    assert order.partner.commission_bp == 1500 and not order.overbooked
    assert order.customer.email == "ana@example.com"
    assert "25000 EUR" in order.note
    assert used(shop) == {"N#2026-12-24": 1, "N#2026-12-25": 1}


def test_the_same_event_twice_is_one_order_and_the_second_a_duplicate():
    shop = hotel()
    first = send(shop, doc("e1"))
    again = send(shop, doc("e1"))
    assert (again.status, again.order_id, again.reason) == (
        InboundOutcome.DUPLICATE,
        first.order_id,
        "event_seen",
    )
    assert len(partner_orders(shop)) == 1
    assert used(shop) == {"N#2026-12-24": 1, "N#2026-12-25": 1}


def test_the_same_reservation_created_under_two_event_ids_is_one_order():
    shop = hotel()
    first = send(shop, doc("e1"))
    second = send(shop, doc("e2"))  # the channel manager re-sent it as a new event
    assert (second.status, second.order_id) == (InboundOutcome.DUPLICATE, first.order_id)
    assert len(partner_orders(shop)) == 1
    assert used(shop) == {"N#2026-12-24": 1, "N#2026-12-25": 1}
    log = inbound.recent(shop.ctx, CONN)
    assert [(r.event_id, r.status) for r in log] == [("e2", "duplicate"), ("e1", "applied")]


def test_a_modification_moves_the_dates_with_the_units_and_frees_the_old_nights():
    shop = hotel()
    booked = send(shop, doc("e1"))
    commits = shop.data.orders.commits
    moved = send(
        shop,
        doc("e2", "reservation.modified", minute=5, arrival="2026-12-27", departure="2026-12-30"),
    )
    assert (moved.status, moved.order_id) == (InboundOutcome.APPLIED, booked.order_id)
    order = shop.data.orders.get(booked.order_id)
    assert order is not None and order.lines[0].local_date == "2026-12-27"
    assert order.lines[0].nights == 3
    assert used(shop) == {"N#2026-12-27": 1, "N#2026-12-28": 1, "N#2026-12-29": 1}
    # One transaction gave the old nights back and took the new ones (the engine's
    # reschedule, never a cancellation and a new booking), with OrderRescheduled; then the
    # folio's Channel rate line was replaced (the engine priced the longer stay again) so the
    # total is still the partner's price (inbound_price).
    assert shop.data.orders.commits == commits + 3
    names = [e.name for e in shop.data.orders.events[-3:]]
    assert names == ["OrderRescheduled", "ChargeVoided", "ChargeAdded"]
    assert order.total == 25000
    assert len(partner_orders(shop)) == 1


def test_a_modification_that_changes_nothing_writes_nothing():
    shop = hotel()
    booked = send(shop, doc("e1"))
    version = shop.data.orders.get(booked.order_id).version
    again = send(shop, doc("e2", "reservation.modified", minute=5))
    assert again.status is InboundOutcome.APPLIED
    assert shop.data.orders.get(booked.order_id).version == version


def test_a_cancellation_frees_the_units():
    shop = hotel()
    booked = send(shop, doc("e1"))
    gone = send(shop, doc("e2", "reservation.cancelled", minute=9))
    assert (gone.status, gone.order_id) == (InboundOutcome.APPLIED, booked.order_id)
    assert shop.data.orders.get(booked.order_id).status is BookingStatus.CANCELLED
    assert used(shop) == {}
    twice = send(shop, doc("e3", "reservation.cancelled", minute=10))
    assert (twice.status, twice.reason) == (InboundOutcome.DUPLICATE, "already_cancelled")


# -- out of order -----------------------------------------------------------------------------


def test_a_modification_before_its_creation_is_parked_and_applied_when_it_arrives():
    shop = hotel()
    parked = send(
        shop,
        doc("e2", "reservation.modified", minute=5, arrival="2026-12-27", departure="2026-12-28"),
    )
    assert (parked.status, parked.reason) == (InboundOutcome.PARKED, "awaiting_creation")
    assert partner_orders(shop) == [] and used(shop) == {}
    created = send(shop, doc("e1", minute=0))
    assert created.status is InboundOutcome.APPLIED
    order = shop.data.orders.get(created.order_id)
    assert order is not None and order.lines[0].local_date == "2026-12-27"
    assert used(shop) == {"N#2026-12-27": 1}  # the modification's night, never the creation's
    state = shop.data.inbound.state(CONN, "BDC-1")
    assert state is not None and state.parked is None
    # An older modification arriving last changes nothing.
    late = send(
        shop,
        doc("e0", "reservation.modified", minute=1, arrival="2026-12-20", departure="2026-12-21"),
    )
    assert (late.status, late.reason) == (InboundOutcome.REJECTED, "superseded")
    assert used(shop) == {"N#2026-12-27": 1}


def test_a_modification_in_the_same_second_as_its_creation_is_applied():
    """It was `superseded` (sent_at <= the last applied): the change was lost."""
    shop = hotel()
    booked = send(shop, doc("e1", minute=5))
    moved = send(
        shop,
        doc("e2", "reservation.modified", minute=5, arrival="2026-12-27", departure="2026-12-28"),
    )
    assert (moved.status, moved.order_id) == (InboundOutcome.APPLIED, booked.order_id)
    assert shop.data.orders.get(booked.order_id).lines[0].local_date == "2026-12-27"
    assert used(shop) == {"N#2026-12-27": 1}
    # Parked first, then its creation of the same second: the modification's night.
    parked = send(
        shop,
        doc(
            "f2",
            "reservation.modified",
            ext="BDC-2",
            minute=7,
            arrival="2026-12-20",
            departure="2026-12-21",
        ),
    )
    assert parked.status is InboundOutcome.PARKED
    created = send(shop, doc("f1", ext="BDC-2", minute=7))
    assert shop.data.orders.get(created.order_id).lines[0].local_date == "2026-12-20"


def test_a_cancellation_before_the_creation_means_the_creation_is_not_booked():
    shop = hotel()
    early = send(shop, doc("e3", "reservation.cancelled", minute=9))
    assert (early.status, early.reason) == (InboundOutcome.PARKED, "cancelled_before_creation")
    created = send(shop, doc("e1"))
    assert (created.status, created.order_id, created.reason) == (
        InboundOutcome.REJECTED,
        "",
        "cancelled_before_creation",
    )
    assert partner_orders(shop) == [] and used(shop) == {}


# -- refusals ---------------------------------------------------------------------------------


def test_a_bad_or_stale_signature_is_refused_and_nothing_is_written():
    shop = hotel()
    with pytest.raises(BadChannelSignature):
        send(shop, doc("e1"), secret="whsec_wrong")
    with pytest.raises(BadChannelSignature) as stale:
        send(shop, doc("e1"), skew=-400)
    assert stale.value.code == "stale_channel_signature"
    assert partner_orders(shop) == [] and shop.data.inbound.received == {}
    assert shop.data.inbound.states == {}


def test_a_disabled_connection_or_one_without_secret_is_refused():
    shop = hotel()
    connection = shop.data.connections.get(CONN)
    shop.data.connections.put(
        connection.edited(shop.clock(), status=ConnectionStatus.DISABLED),
        expected_version=connection.version,
    )
    with pytest.raises(Forbidden):
        send(shop, doc("e1"))
    shop.data.connections.secrets.clear()
    with pytest.raises(BadChannelSignature):
        send(shop, doc("e1"), secret="")


def test_an_unmapped_room_type_or_a_past_stay_is_rejected_with_its_reason():
    shop = hotel()
    unmapped = send(shop, doc("e1", room_type="SUITE"))
    assert (unmapped.status, unmapped.reason) == (InboundOutcome.REJECTED, "unmapped_room_type")
    past = send(shop, doc("e2", ext="BDC-2", arrival="2026-11-20", departure="2026-11-22"))
    assert (past.status, past.reason) == (InboundOutcome.REJECTED, "date_in_past")
    assert partner_orders(shop) == []


# -- overbooking --------------------------------------------------------------------------------


def test_the_last_room_sold_twice_makes_a_flagged_conflict_holding_no_units():
    shop = hotel(rooms=1)
    widget_booking(shop, "ord_w", date(2026, 12, 24))
    answer = send(shop, doc("e1"))
    assert (answer.status, answer.reason) == (InboundOutcome.CONFLICT, "no_free_unit")
    order = shop.data.orders.get(answer.order_id)
    assert order is not None and order.overbooked
    assert order.status is BookingStatus.CONFIRMED  # the partner's guest is coming
    assert all(a.takes == () for line in order.lines for a in line.allocations)
    assert order.lines[0].total == 24000 and order.lines[0].nights == 2
    assert used(shop) == {"N#2026-12-24": 1, "N#2026-12-25": 1}  # the widget's, exactly
    names = [e.name for e in shop.data.orders.events if e.order_id == order.id]
    # The conflict's total is the partner's price too (25000: a Channel rate extra of 1000).
    assert names == ["OrderHeld", "OrderConfirmed", "OrderOverbooked", "ChargeAdded"]
    assert order.total == 25000
    assert [o.id for o in conflicts.open_conflicts(shop.ctx)] == [order.id]
    report = check_invariant(shop.ctx, date(2026, 12, 20), date(2026, 12, 31))
    assert report.ok
    # Delivered again: the same conflict, no second order.
    assert send(shop, doc("e2")).order_id == order.id
    assert len(partner_orders(shop)) == 1


def test_a_conflict_is_moved_when_a_unit_is_free_and_refused_while_none_is():
    shop = hotel(rooms=1)
    widget_booking(shop, "ord_w", date(2026, 12, 24))
    conflict = send(shop, doc("e1")).order_id
    with pytest.raises(conflicts.NoFreeUnit):
        conflicts.resolve(shop.ctx, shop.cache, conflict, action="move")
    assert used(shop) == {"N#2026-12-24": 1, "N#2026-12-25": 1}
    orders.cancel(shop.ctx, shop.cache, "ord_w")
    moved = conflicts.resolve(shop.ctx, shop.cache, conflict, action="move")
    assert not moved.overbooked and moved.status is BookingStatus.CONFIRMED
    assert moved.lines[0].total == 24000  # the price the guest booked
    assert used(shop) == {"N#2026-12-24": 1, "N#2026-12-25": 1}
    assert conflicts.open_conflicts(shop.ctx) == []
    with pytest.raises(conflicts.NotOverbooked):
        conflicts.resolve(shop.ctx, shop.cache, conflict, action="move")


def test_a_relocated_guest_is_cancelled_by_the_business_at_no_cost():
    shop = hotel(rooms=1)
    widget_booking(shop, "ord_w", date(2026, 12, 24))
    conflict = send(shop, doc("e1")).order_id
    after = conflicts.resolve(shop.ctx, shop.cache, conflict, action="relocate", note="Hotel B")
    assert after.status is BookingStatus.CANCELLED
    assert after.cancellation is not None and after.cancellation["fee"] == 0
    assert after.cancellation["cancelled_by"] == "business"
    assert "Hotel B" in after.cancellation["reason"]
    assert conflicts.open_conflicts(shop.ctx) == []
    assert used(shop) == {"N#2026-12-24": 1, "N#2026-12-25": 1}


def test_a_modification_to_full_dates_becomes_a_conflict_and_frees_the_old_nights():
    shop = hotel(rooms=1)
    booked = send(shop, doc("e1")).order_id
    widget_booking(shop, "ord_w", date(2026, 12, 27), nights=1)
    moved = send(
        shop,
        doc("e2", "reservation.modified", minute=5, arrival="2026-12-27", departure="2026-12-28"),
    )
    assert (moved.status, moved.order_id) == (InboundOutcome.CONFLICT, booked)
    order = shop.data.orders.get(booked)
    assert order.overbooked and order.lines[0].local_date == "2026-12-27"
    assert used(shop) == {"N#2026-12-27": 1}  # the widget's; the old nights are free
    # The partner moves it again, to free dates: the conflict takes units and is closed.
    back = send(shop, doc("e3", "reservation.modified", minute=7))
    assert back.status is InboundOutcome.APPLIED
    order = shop.data.orders.get(booked)
    assert not order.overbooked
    assert used(shop) == {"N#2026-12-24": 1, "N#2026-12-25": 1, "N#2026-12-27": 1}
    assert conflicts.open_conflicts(shop.ctx) == []


def test_a_cancelled_conflict_leaves_the_open_list_and_the_buckets_untouched():
    shop = hotel(rooms=1)
    widget_booking(shop, "ord_w", date(2026, 12, 24))
    conflict = send(shop, doc("e1")).order_id
    gone = send(shop, doc("e2", "reservation.cancelled", minute=3))
    assert (gone.status, gone.order_id) == (InboundOutcome.APPLIED, conflict)
    assert conflicts.open_conflicts(shop.ctx) == []
    assert used(shop) == {"N#2026-12-24": 1, "N#2026-12-25": 1}


def test_the_guests_phone_is_kept_in_e164_and_one_that_is_no_number_left_off():
    shop = hotel()
    message = doc("e1")
    message["reservation"]["guest"]["phone"] = "+351 912 345 678"
    order = shop.data.orders.get(send(shop, message).order_id)
    assert order.customer.phone == "+351912345678"
    odd = doc("e2", ext="BDC-2", arrival="2026-12-20", departure="2026-12-21")
    odd["reservation"]["guest"]["phone"] = "ask at desk"
    kept = shop.data.orders.get(send(shop, odd).order_id)
    assert kept.customer.phone is None and "phone as sent ask at desk" in kept.note


def test_a_checked_in_guests_stay_is_not_moved_nor_cancelled_by_the_partner():
    shop = hotel()
    order_id = send(shop, doc("e1")).order_id
    shop.clock.moment = parse("2026-12-24T15:00:00.000000Z")
    orders.check_in(shop.ctx, order_id)
    moved = send(shop, doc("e2", "reservation.modified", minute=5, departure="2026-12-25"))
    # A checked-in guest's stay may still change length (the engine's stay change is the
    # desk's); the partner's reschedule of it is refused with the engine's reason.
    assert (moved.status, moved.reason) == (InboundOutcome.REJECTED, "not_reschedulable")
    gone = send(shop, doc("e3", "reservation.cancelled", minute=6))
    assert (gone.status, gone.reason) == (InboundOutcome.REJECTED, "illegal_transition")
    assert shop.data.orders.get(order_id).status is BookingStatus.CHECKED_IN


def test_a_creation_that_stopped_after_its_hold_is_confirmed_by_the_partners_retry():
    from chalicelib.channels.services.connections import partner_ref

    shop = hotel()
    connection = shop.data.connections.get(CONN)
    line = LineInput("off_stay", check_in=date(2026, 12, 24), nights=2)
    hold = HoldInput(
        Customer("Ana", "ana@example.com"),
        [line],
        Channel.PARTNER,
        partner=partner_ref(connection, "BDC-1", "off_stay"),
    )
    held = hold_order(shop.ctx, shop.cache, hold, order_id="ord_half")  # then the process died
    retry = send(shop, doc("e1"))
    assert (retry.status, retry.order_id) == (InboundOutcome.DUPLICATE, held.id)
    assert shop.data.orders.get(held.id).status is BookingStatus.CONFIRMED
    assert used(shop) == {"N#2026-12-24": 1, "N#2026-12-25": 1}


def test_a_creation_whose_hold_ran_out_before_the_retry_is_confirmed_again():
    from chalicelib.channels.services.connections import partner_ref

    shop = hotel(rooms=1)
    connection = shop.data.connections.get(CONN)
    line = LineInput("off_stay", check_in=date(2026, 12, 24), nights=2)
    hold = HoldInput(
        Customer("Ana", "ana@example.com"),
        [line],
        Channel.PARTNER,
        partner=partner_ref(connection, "BDC-1", "off_stay"),
    )
    held = hold_order(shop.ctx, shop.cache, hold, order_id="ord_half")  # then the process died
    shop.clock.moment = parse("2026-11-24T10:00:00.000000Z")
    orders.expire(shop.ctx, held.id)
    assert used(shop) == {}
    widget_booking(shop, "ord_w", date(2026, 12, 24))  # the room sold meanwhile
    retry = send(shop, doc("e1"))
    assert retry.order_id == held.id
    order = shop.data.orders.get(held.id)
    assert order.status is BookingStatus.CONFIRMED and order.overbooked
    assert order.takes == [] and used(shop) == {"N#2026-12-24": 1, "N#2026-12-25": 1}
    assert [o.id for o in conflicts.open_conflicts(shop.ctx)] == [held.id]
    orders.cancel(shop.ctx, shop.cache, "ord_w")
    moved = conflicts.resolve(shop.ctx, shop.cache, held.id, action="move")
    assert not moved.overbooked and used(shop) == {"N#2026-12-24": 1, "N#2026-12-25": 1}


def after_call(obj: Any, name: str, action, nth: int = 1) -> None:
    """Run `action` once, right after the `nth` call of `obj.name` returns (another message
    landing at that point of the one being handled)."""
    real = getattr(obj, name)
    calls = []

    def wrapped(*args: Any, **kw: Any):
        result = real(*args, **kw)
        calls.append(1)
        if len(calls) == nth:
            setattr(obj, name, real)
            action()
        return result

    setattr(obj, name, wrapped)


def dates(shop: Shop, order_id: str) -> tuple[str, int]:
    line = shop.data.orders.get(order_id).lines[0]
    return line.local_date, line.nights


A_X = {"minute": 10, "arrival": "2026-12-27", "departure": "2026-12-30"}  # older
B_Y = {"minute": 20, "arrival": "2026-12-20", "departure": "2026-12-21"}  # newer


@pytest.mark.parametrize(
    ("where", "nth"),
    [
        ("state", 1),  # B lands after A read the state
        ("order", 1),  # after A read the order, before its claim
        ("save_state", 1),  # after A's claim, before A's write
        ("state", 2),  # after A read the state again to write, before its write
    ],
)
def test_the_newest_of_two_racing_modifications_wins_wherever_the_other_lands(where, nth):
    """A (sent T+10) and B (T+20) at once: both were `applied` and the order ended on A's
    older dates (A's change written after B's, its state merged after). Now A claims the state
    before it writes the order, on condition of the version it decided on, and makes the
    order the content the state names before it answers."""
    shop = hotel()
    order_id = send(shop, doc("e1")).order_id
    answers = {}

    def b() -> None:
        answers["b"] = send(shop, doc("b", "reservation.modified", **B_Y))

    if where == "order":
        after_order_read(shop, b)
    else:
        after_call(shop.data.inbound, where, b, nth)
    answers["a"] = send(shop, doc("a", "reservation.modified", **A_X))
    assert answers["b"].status is InboundOutcome.APPLIED
    assert answers["a"].status in (InboundOutcome.APPLIED, InboundOutcome.REJECTED)
    if answers["a"].status is InboundOutcome.REJECTED:
        assert answers["a"].reason == "superseded"
    assert dates(shop, order_id) == ("2026-12-20", 1)  # B's, the newest
    assert used(shop) == {"N#2026-12-20": 1}
    # The partner can still send its newest again (the same second applies).
    again = send(shop, doc("b2", "reservation.modified", **B_Y))
    assert again.status is InboundOutcome.APPLIED


def test_an_older_change_written_after_a_newer_one_found_nothing_to_do_is_undone():
    """B (newer) is the order's dates already, so B writes nothing; A (older) read the order
    before and writes its dates after B answered: A sees B's claim and puts B's back."""
    shop = hotel()
    order_id = send(shop, doc("e1")).order_id
    same = {"minute": 20, "arrival": "2026-12-24", "departure": "2026-12-26"}
    answers = {}

    def b() -> None:
        answers["b"] = send(shop, doc("b", "reservation.modified", **same))

    after_call(shop.data.inbound, "state", b, 2)  # A's read of the state before its write
    answers["a"] = send(shop, doc("a", "reservation.modified", **A_X))
    assert answers["b"].status is InboundOutcome.APPLIED
    assert (answers["a"].status, answers["a"].reason) == (InboundOutcome.REJECTED, "superseded")
    assert dates(shop, order_id) == ("2026-12-24", 2)
    assert used(shop) == {"N#2026-12-24": 1, "N#2026-12-25": 1}


def test_a_modification_racing_a_cancellation_is_rejected_as_reservation_cancelled():
    """It got the engine's `not_reschedulable`, where sent after the cancellation it gets
    `reservation_cancelled`: the same reason now, whichever wins the race."""
    shop = hotel()
    order_id = send(shop, doc("e1")).order_id
    after_order_read(shop, lambda: send(shop, doc("e3", "reservation.cancelled", minute=9)))
    moved = send(shop, doc("e2", "reservation.modified", minute=5, departure="2026-12-27"))
    assert (moved.status, moved.order_id, moved.reason) == (
        InboundOutcome.REJECTED,
        order_id,
        "reservation_cancelled",
    )
    assert shop.data.orders.get(order_id).status is BookingStatus.CANCELLED
    assert used(shop) == {}


@pytest.mark.parametrize(
    ("first", "second"), [("relocate", "relocate"), ("move", "relocate"), ("relocate", "move")]
)
def test_a_conflict_resolved_twice_at_once_is_resolved_once_and_the_loser_told(first, second):
    """Three relocates at once all answered 200 (one wrote): the cancellation without a
    version answered the order already cancelled as done."""
    shop = hotel(rooms=1)
    widget_booking(shop, "ord_w", date(2026, 12, 24))
    conflict = send(shop, doc("e1")).order_id
    orders.cancel(shop.ctx, shop.cache, "ord_w")  # a room is free for a move
    after_order_read(shop, lambda: conflicts.resolve(shop.ctx, shop.cache, conflict, action=first))
    with pytest.raises(conflicts.NotOverbooked):
        conflicts.resolve(shop.ctx, shop.cache, conflict, action=second)
    order = shop.data.orders.get(conflict)
    assert order.status is (
        BookingStatus.CANCELLED if first == "relocate" else BookingStatus.CONFIRMED
    )
    assert [e.name for e in shop.data.orders.events if e.order_id == conflict].count(
        "OrderCancelled"
    ) <= 1


def test_a_modification_changes_the_guest_party_and_partner_details_as_it_now_is():
    """A modification's guest, party and price were ignored while the answer said `applied`
    (the order kept the creation's customer and note); one parked before its creation did
    set them. Now the whole reservation as it is: the engine's reschedule for the stay and
    party, and its change of the order's details for the guest and the partner's note."""
    shop = hotel()
    order_id = send(shop, doc("e1")).order_id
    message = doc("e2", "reservation.modified", minute=5)
    res = message["reservation"]
    res["guest"] = {
        "name": "Ana Lima-Souza",
        "email": "ANA.S@example.com",
        "phone": "+351 912 000 111",
    }
    res["guests"] = {"adults": 3, "children": 1}
    res["price"] = {"amount": 31000, "currency": "EUR"}
    answer = send(shop, message)
    assert (answer.status, answer.order_id) == (InboundOutcome.APPLIED, order_id)
    order = shop.data.orders.get(order_id)
    assert order.customer.name == "Ana Lima-Souza"
    assert (order.customer.email, order.customer.phone) == ("ana.s@example.com", "+351912000111")
    assert order.lines[0].party == 4
    assert "3 adults, 1 children" in order.note and "31000 EUR" in order.note
    assert "25000 EUR" not in order.note
    assert used(shop) == {"N#2026-12-24": 1, "N#2026-12-25": 1}
    assert [h[1] for h in order.history][-1] == "details_changed"
    # Only the guest changed: the stay is not planned again, the details are written.
    version = order.version
    res["guest"] = {"name": "Ana Souza", "email": "ana.s@example.com"}
    message["event_id"] = "e3"
    assert send(shop, message).status is InboundOutcome.APPLIED
    order = shop.data.orders.get(order_id)
    assert (order.customer.name, order.customer.phone, order.version) == (
        "Ana Souza",
        None,
        version + 1,
    )
    # The same again changes nothing.
    message["event_id"] = "e4"
    assert send(shop, message).status is InboundOutcome.APPLIED
    assert shop.data.orders.get(order_id).version == version + 1


def test_the_details_change_keeps_the_locale_and_a_merge_only_for_the_same_address():
    from dataclasses import replace

    from chalicelib.booking.services.order_details import change_details

    shop = hotel()
    order_id = send(shop, doc("e1")).order_id
    order = shop.data.orders.get(order_id)
    merged = replace(order.customer, locale="pt-PT", merged_to="cus_winner")
    with_merge = replace(order, customer=merged, version=order.version + 1)
    shop.data.orders.orders[order_id] = with_merge
    same = replace(merged, name="Ana L.", locale=None, merged_to="")
    after = change_details(
        shop.ctx, order_id, customer=same, note=order.note, expected_version=with_merge.version
    )
    assert (after.customer.name, after.customer.locale) == ("Ana L.", "pt-PT")
    assert after.customer.id == "cus_winner"  # the same address: still the merged customer's
    moved = replace(same, email="other@example.com")
    after = change_details(
        shop.ctx, order_id, customer=moved, note=order.note, expected_version=after.version
    )
    assert after.customer.merged_to == "" and after.customer.email == "other@example.com"
    with pytest.raises(Conflict) as stale:
        change_details(shop.ctx, order_id, customer=same, note="", expected_version=1)
    assert stale.value.code == "version_mismatch"
