"""Channel managers' messages on DynamoDB Local: the inbound store's conditions, the same
reservation delivered twice at once (one order), and an OTA's reservation for the last room
racing a widget's booking of it: exactly one order holds the room, the other is refused (the
widget) or a flagged conflict holding no units (the OTA), and the buckets are exact."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

import pytest

from chalicelib.booking.domain.orders import BookingStatus, Channel, Customer, Order
from chalicelib.booking.services import invariant, orders
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.channels.domain.inbound import InboundOutcome, parse_event
from chalicelib.channels.domain.inbound_rules import ReservationState
from chalicelib.channels.services import conflicts, inbound
from chalicelib.channels.services.inbound_apply import Answer
from chalicelib.channels.services.inbound_ports import ReceivedEvent
from chalicelib.kernel.domain.errors import SlotUnavailable
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.services.context import system_context
from chalicelib.webhooks.domain.webhooks import signature_header
from tests.channel_inbound_support import channel_manager
from tests.integration.support import live_hotel, today_stamps
from tests.integration.test_room_race_live import race

SECRET = "whsec_live"
CONN = "chn_live"
ROUNDS = 10


def _connected(live, stem: str, rooms: int):
    c, t, data = live_hotel(live, stem, rooms=rooms)
    at = c.now()
    connection = channel_manager(CONN, at)
    data.connections.put(connection, expected_version=None, secret=SECRET)

    def ctx():
        return system_context(t, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)

    return c, data, ctx


def _message(event_id: str, ext: str, arrival: date, nights: int = 2) -> dict:
    return {
        "event_id": event_id,
        "type": "reservation.created",
        "sent_at": "2026-11-24T08:00:00Z",
        "reservation": {
            "id": ext,
            "room_type": "DBL",
            "arrival": arrival.isoformat(),
            "departure": (arrival + timedelta(days=nights)).isoformat(),
            "guests": {"adults": 2},
            "guest": {"name": "Ana Lima", "email": "ana@example.com"},
            "price": {"amount": 24000, "currency": "EUR"},
        },
    }


def _send(c, ctx, doc: dict) -> Answer:
    raw = json.dumps(doc).encode()
    stamp = int(parse(c.now()).timestamp())
    return inbound.receive(
        ctx(), c.catalog_cache, CONN, raw, signature_header([SECRET], stamp, raw)
    )


def _widget(c, ctx, arrival: date, who: str) -> Order:
    line = LineInput("off_stay", check_in=arrival, nights=2)
    hold = HoldInput(Customer(who, f"{who}@example.com"), [line], Channel.WIDGET)
    return hold_order(ctx(), c.catalog_cache, hold, order_id=f"ord_{c.new_id()}")


def _nights_used(data, arrival: date) -> list[int]:
    """The room type's bucket of each of the stay's two nights, read from the table."""
    out = []
    for n in range(2):
        key = {"pk": {"S": "INV#res_double"}, "sk": {"S": f"N#{arrival + timedelta(days=n)}"}}
        item = data.client.get_item(TableName=data.table_name, Key=key, ConsistentRead=True)
        out.append(int(item.get("Item", {}).get("used", {}).get("N", "0")))
    return out


def test_the_store_keeps_messages_states_and_conflicts_on_their_conditions(live):
    _, data, _ = _connected(live, "inbstore", rooms=1)
    store = data.inbound
    at = today_stamps()  # a record's ttl is 90 days from its receipt: a fixed day's are swept
    first = ReceivedEvent(
        CONN,
        "e1",
        "reservation.created",
        "R1",
        at("09:00"),
        at("08:00"),
        "applied",
        "ord_1",
    )
    second = replace(
        first,
        event_id="e2",
        received_at=at("09:01"),
        status="duplicate",
        reason="already_booked",
    )
    assert store.remember(first) and store.remember(second)
    assert not store.remember(replace(first, status="rejected"))  # an event id is seen once
    assert store.seen(CONN, "e1") == first
    assert store.seen(CONN, "e9") is None
    assert store.recent(CONN, 10) == [second, first]  # newest first, one Query of gsi1
    assert store.recent(CONN, 1) == [second]
    assert store.recent("chn_other", 10) == []

    parked = parse_event(json.dumps(_message("e3", "R1", date(2026, 12, 24))).encode())
    new = ReservationState(CONN, "R1", parked=parked)
    assert store.save_state(new)
    assert not store.save_state(new)  # another message wrote it first
    kept = store.state(CONN, "R1")
    assert kept == replace(new, version=1)
    assert store.save_state(replace(kept, parked=None, cancelled_at=at("08:05")))
    assert not store.save_state(kept)  # version 1 is gone
    assert store.state(CONN, "R1").version == 2 and store.state(CONN, "R1").parked is None
    claimed = store.state(CONN, "R1").claimed(parked)  # the content an order is to have
    assert store.save_state(claimed)
    assert store.state(CONN, "R1") == replace(claimed, version=3)

    store.add_conflict("ord_b", at("09:02"))
    store.add_conflict("ord_a", at("09:01"))
    assert store.conflicts() == ["ord_a", "ord_b"]
    store.drop_conflict("ord_a")
    store.drop_conflict("ord_nothing")
    assert store.conflicts() == ["ord_b"]


@pytest.mark.slow
def test_the_same_reservation_delivered_twice_at_once_is_one_order(live):
    c, data, ctx = _connected(live, "inbtwice", rooms=3)
    first = date.today() + timedelta(days=30)
    for n in range(ROUNDS):
        arrival = first + timedelta(days=3 * n)
        ext = f"BDC-{n}"
        results = race(
            {
                "a": lambda ext=ext, arrival=arrival: _send(
                    c, ctx, _message(f"a{ext}", ext, arrival)
                ),
                "b": lambda ext=ext, arrival=arrival: _send(
                    c, ctx, _message(f"b{ext}", ext, arrival)
                ),
            }
        )
        assert all(isinstance(r, Answer) for r in results.values()), results
        statuses = sorted(r.status.value for r in results.values())
        assert statuses == ["applied", "duplicate"], results
        assert len({r.order_id for r in results.values()}) == 1, results
    report = invariant.check_invariant(ctx(), first, first + timedelta(days=3 * ROUNDS + 2))
    assert report.ok, report


def _modified(event_id: str, ext: str, arrival: date, nights: int, second: int) -> dict:
    doc = _message(event_id, ext, arrival, nights)
    doc["type"], doc["sent_at"] = "reservation.modified", f"2026-11-24T08:00:{second:02d}Z"
    return doc


@pytest.mark.slow
def test_racing_modifications_of_one_reservation_end_on_the_newest(live):
    """A (sent T+10, dates X) and B (T+20, dates Y) at once: in 3 rounds of 8 both answered
    `applied` and the order ended on A's older dates. Now the newest wins every round: the
    older is `superseded`, or applied first and then changed by the newer."""
    c, data, ctx = _connected(live, "inbmods", rooms=3)
    first = date.today() + timedelta(days=30)
    outcomes = Counter[str]()
    for n in range(ROUNDS):
        base = first + timedelta(days=12 * n)
        ext = f"MOD-{n}"
        order_id = _send(c, ctx, _message(f"c{n}", ext, base)).order_id
        x, y = base + timedelta(days=3), base + timedelta(days=6)
        racers = {
            "a": lambda ext=ext, x=x, n=n: _send(c, ctx, _modified(f"a{n}", ext, x, 2, 10)),
            "b": lambda ext=ext, y=y, n=n: _send(c, ctx, _modified(f"b{n}", ext, y, 3, 20)),
        }
        if n % 2:  # a third, in between
            racers["m"] = lambda ext=ext, n=n, base=base: _send(
                c, ctx, _modified(f"m{n}", ext, base + timedelta(days=9), 1, 15)
            )
        results = race(racers)
        assert all(isinstance(r, Answer) for r in results.values()), results
        assert results["b"].status is InboundOutcome.APPLIED, results
        for name in set(results) - {"b"}:
            answer = results[name]
            assert answer.status is InboundOutcome.APPLIED or answer.reason == "superseded"
            outcomes[f"{name} {answer.status.value}"] += 1
        order = data.orders.get(order_id)
        assert (order.lines[0].local_date, order.lines[0].nights) == (y.isoformat(), 3), results
        assert _nights_used(data, y) == [1, 1] and _nights_used(data, x) == [0, 0], results
        again = _send(c, ctx, _modified(f"b{n}again", ext, y, 3, 20))  # the same second
        assert again.status is InboundOutcome.APPLIED, again
    report = invariant.check_invariant(ctx(), first, first + timedelta(days=12 * ROUNDS + 12))
    assert report.ok, report
    print(f"\nracing modifications, {ROUNDS} rounds: {dict(outcomes)}")


def test_an_ota_reservation_racing_a_widget_for_the_last_room(live):
    c, data, ctx = _connected(live, "inbrace", rooms=1)
    first = date.today() + timedelta(days=30)
    outcomes = Counter[str]()
    for n in range(ROUNDS):
        arrival = first + timedelta(days=3 * n)
        results = race(
            {
                "ota": lambda n=n, arrival=arrival: _send(
                    c, ctx, _message(f"e{n}", f"OTA-{n}", arrival)
                ),
                "widget": lambda n=n, arrival=arrival: _widget(c, ctx, arrival, f"w{n}"),
            }
        )
        ota, widget = results["ota"], results["widget"]
        assert isinstance(ota, Answer), results
        order = data.orders.get(ota.order_id)
        assert order is not None and order.status is BookingStatus.CONFIRMED
        if isinstance(widget, Order):  # the widget won: the OTA's guest is a conflict
            assert (ota.status, ota.reason) == (InboundOutcome.CONFLICT, "no_free_unit")
            assert order.overbooked
            assert all(a.takes == () for line in order.lines for a in line.allocations)
            assert len(widget.takes) == 2
            outcomes["widget won, OTA flagged"] += 1
        else:  # the OTA won: the widget was refused, nothing of it written
            assert isinstance(widget, SlotUnavailable), results
            assert ota.status is InboundOutcome.APPLIED and not order.overbooked
            assert len(order.takes) == 2
            outcomes["OTA won, widget refused"] += 1
        assert _nights_used(data, arrival) == [1, 1], results  # the one room, sold once
    report = invariant.check_invariant(ctx(), first, first + timedelta(days=3 * ROUNDS + 2))
    assert report.ok, report  # every night's bucket: exactly the units the live orders hold
    flagged = conflicts.open_conflicts(ctx())
    assert len(flagged) == outcomes["widget won, OTA flagged"]
    print(f"\nOTA/widget race for the last room, {ROUNDS} rounds: {dict(outcomes)}")


def test_a_move_and_a_cancellation_before_the_creation_on_dynamodb(live):
    c, data, ctx = _connected(live, "inbmove", rooms=2)
    arrival = date.today() + timedelta(days=20)
    later = arrival + timedelta(days=5)
    booked = _send(c, ctx, _message("e1", "BDC-1", arrival))
    assert booked.status is InboundOutcome.APPLIED
    move = _message("e2", "BDC-1", later)
    move["type"], move["sent_at"] = "reservation.modified", "2026-11-24T08:01:00Z"
    moved = _send(c, ctx, move)
    assert (moved.status, moved.order_id) == (InboundOutcome.APPLIED, booked.order_id)
    assert _nights_used(data, arrival) == [0, 0] and _nights_used(data, later) == [1, 1]
    order = data.orders.get(booked.order_id)
    assert order.lines[0].local_date == later.isoformat() and order.version == 3

    cancel = {**_message("e3", "BDC-2", arrival), "type": "reservation.cancelled"}
    cancel["reservation"] = {"id": "BDC-2"}
    assert _send(c, ctx, cancel).status is InboundOutcome.PARKED
    created = _send(c, ctx, _message("e4", "BDC-2", arrival))
    assert (created.status, created.reason) == (
        InboundOutcome.REJECTED,
        "cancelled_before_creation",
    )
    assert _nights_used(data, arrival) == [0, 0]
    log = data.inbound.recent(CONN, 10)
    assert [(r.event_id, r.status) for r in log] == [
        ("e4", "rejected"),
        ("e3", "parked"),
        ("e2", "applied"),
        ("e1", "applied"),
    ]


@pytest.mark.slow
def test_one_conflict_resolved_three_times_at_once_is_resolved_once(live):
    """Three relocates at once all answered 200 while one wrote: now one is, the others are
    409 not_overbooked (decided again on the order as the first left it)."""
    c, data, ctx = _connected(live, "inbresolve", rooms=1)
    first = date.today() + timedelta(days=30)
    for n in range(6):
        arrival = first + timedelta(days=3 * n)
        widget = _widget(c, ctx, arrival, f"w{n}")
        conflict = _send(c, ctx, _message(f"e{n}", f"OTA-{n}", arrival)).order_id
        actions = ("relocate", "relocate", "relocate")
        if n % 2:  # a room freed: a move and two relocates race
            orders.cancel(ctx(), c.catalog_cache, widget.id)
            actions = ("move", "relocate", "relocate")

        def resolve(action: str, conflict: str = conflict) -> Order:
            return conflicts.resolve(ctx(), c.catalog_cache, conflict, action=action)

        results = race({f"{a}{i}": lambda a=a: resolve(a) for i, a in enumerate(actions)})
        done = [r for r in results.values() if isinstance(r, Order)]
        told = [r for r in results.values() if isinstance(r, conflicts.NotOverbooked)]
        assert (len(done), len(told)) == (1, 2), results
        order = data.orders.get(conflict)
        assert not order.overbooked or not order.holds_inventory, order
        assert [h[1] for h in order.history].count("cancelled") <= 1, order.history
    report = invariant.check_invariant(ctx(), first, first + timedelta(days=20))
    assert report.ok, report
