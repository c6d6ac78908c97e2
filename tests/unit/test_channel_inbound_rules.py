"""A channel manager's messages: their format, their signature, and the ordering rules
(channels/domain/inbound.py, inbound_rules.py), with no I/O."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.channels.domain.inbound import (
    BadChannelSignature,
    InboundEvent,
    InboundOutcome,
    InboundType,
    InvalidChannelEvent,
    check_sent_at,
    parse_event,
    to_doc,
    verify,
)
from chalicelib.channels.domain.inbound_rules import (
    CANCELLED_BEFORE_CREATION,
    SUPERSEDED,
    CatchUp,
    OrderView,
    ReservationState,
    Step,
    catch_up,
    decide,
)
from chalicelib.webhooks.domain.webhooks import signature_header

NOW = 1_800_000_000


def message(
    event_id: str = "evt_1",
    kind: str = "reservation.created",
    sent_at: str = "2026-12-01T10:00:00Z",
    **reservation: Any,
) -> dict[str, Any]:
    res: dict[str, Any] = {
        "id": "BDC-4711",
        "room_type": "DBL",
        "rate_plan": "BAR",
        "arrival": "2026-12-24",
        "departure": "2026-12-27",
        "rooms": 1,
        "guests": {"adults": 2, "children": 1},
        "guest": {"name": "Ana Lima", "email": "ana@example.com", "phone": "+351912345678"},
        "price": {"amount": 54000, "currency": "EUR"},
    }
    res.update(reservation)
    return {"event_id": event_id, "type": kind, "sent_at": sent_at, "reservation": res}


def body(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc).encode()


def event(**kw: Any) -> InboundEvent:
    return parse_event(body(message(**kw)))


# -- the format ------------------------------------------------------------------------------


def test_a_creation_is_read_with_every_field() -> None:
    e = event()
    assert e.type is InboundType.CREATED
    assert e.sent_at == "2026-12-01T10:00:00.000000Z"
    r = e.reservation
    assert (r.id, r.room_type, r.rate_plan, r.nights, r.party) == ("BDC-4711", "DBL", "BAR", 3, 3)
    assert (r.amount, r.currency, r.guest and r.guest.email) == (54000, "EUR", "ana@example.com")


def test_a_cancellation_needs_only_the_reservation_id() -> None:
    doc = {"event_id": "e9", "type": "reservation.cancelled", "sent_at": "2026-12-01T10:00:00Z"}
    e = parse_event(body({**doc, "reservation": {"id": "BDC-4711"}}))
    assert e.type is InboundType.CANCELLED and e.reservation.id == "BDC-4711"
    assert not e.books


def test_a_parked_message_is_stored_in_its_own_format_and_read_back_the_same() -> None:
    for e in (
        event(),
        event(kind="reservation.modified", rate_plan=""),
        event(guest={"name": "B", "email": "b@example.com"}),
    ):
        assert parse_event(body(to_doc(e))) == e


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type": "reservation.deleted"}, "type"),
        ({"event_id": "has space"}, "event_id"),
        ({"event_id": "a#b"}, "event_id"),
        ({"sent_at": "2026-12-01 10:00"}, "sent_at"),
        ({"sent_at": "2026-13-01T10:00:00Z"}, "sent_at"),
    ],
)
def test_a_malformed_envelope_is_refused_naming_the_field(
    change: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidChannelEvent) as caught:
        parse_event(body({**message(), **change}))
    assert caught.value.details["field"] == field
    assert caught.value.code == "invalid_channel_event"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"departure": "2026-12-24"}, "reservation.departure"),
        ({"arrival": "2026-02-30"}, "reservation.arrival"),
        ({"rooms": 0}, "reservation.rooms"),
        ({"rooms": True}, "reservation.rooms"),
        ({"guests": {"adults": 0}}, "reservation.guests.adults"),
        ({"price": {"amount": 10.5, "currency": "EUR"}}, "reservation.price.amount"),
        ({"price": {"amount": 100, "currency": "XXY"}}, "reservation.price.currency"),
        ({"guest": {"name": "A", "email": "<script>@example.com"}}, "reservation.guest.email"),
        ({"guest": {"name": "A\u202e", "email": "a@example.com"}}, "reservation.guest.name"),
        ({"room_type": ""}, "reservation.room_type"),
    ],
)
def test_a_malformed_reservation_is_refused_naming_the_field(
    change: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidChannelEvent) as caught:
        parse_event(body(message(**change)))
    assert caught.value.details["field"] == field


@pytest.mark.parametrize("raw", [b"", b"[]", b"{", b"[" * 100 + b"]" * 100, b"x" * 70_000])
def test_a_body_that_is_no_message_is_refused(raw: bytes) -> None:
    with pytest.raises(InvalidChannelEvent):
        parse_event(raw)


def test_a_sent_at_more_than_five_minutes_ahead_of_our_clock_is_refused() -> None:
    now = "2026-12-01T10:00:00.000000Z"
    check_sent_at(event(sent_at="2026-12-01T10:05:00Z"), now)  # a clock a little fast
    check_sent_at(event(sent_at="2020-01-01T00:00:00Z"), now)  # old: the rules decide
    for ahead in ("2026-12-01T10:05:01Z", "2099-01-01T00:00:00Z"):
        with pytest.raises(InvalidChannelEvent) as caught:
            check_sent_at(event(sent_at=ahead), now)
        assert caught.value.details["field"] == "sent_at"


# -- the signature ---------------------------------------------------------------------------


def test_a_body_signed_with_the_secret_within_five_minutes_passes() -> None:
    raw = body(message())
    verify("whsec_x", signature_header(["whsec_x"], NOW - 299, raw), raw, now=NOW)
    # Two signatures (a rotation): one matching is enough.
    verify("whsec_x", signature_header(["whsec_old", "whsec_x"], NOW, raw), raw, now=NOW)


@pytest.mark.parametrize(
    "header",
    [
        "",
        "t=abc,v1=00",
        f"t={NOW}",
        f"t={NOW},v1=" + "0" * 64,
        signature_header(["whsec_other"], NOW, b"{}"),
        "t=\u0663,v1=ab",
    ],
)
def test_a_missing_malformed_or_wrong_signature_is_refused(header: str) -> None:
    with pytest.raises(BadChannelSignature) as caught:
        verify("whsec_x", header, b"{}", now=NOW)
    assert caught.value.code == "invalid_channel_signature"


def test_a_changed_body_or_a_stale_timestamp_is_refused() -> None:
    raw = body(message())
    with pytest.raises(BadChannelSignature):
        verify("whsec_x", signature_header(["whsec_x"], NOW, raw), raw + b" ", now=NOW)
    with pytest.raises(BadChannelSignature) as caught:
        verify("whsec_x", signature_header(["whsec_x"], NOW - 301, raw), raw, now=NOW)
    assert caught.value.code == "stale_channel_signature"
    with pytest.raises(BadChannelSignature):
        verify("whsec_x", signature_header(["whsec_x"], NOW + 301, raw), raw, now=NOW)


def test_no_secret_verifies_nothing() -> None:
    with pytest.raises(BadChannelSignature):
        verify("", signature_header([""], NOW, b"{}"), b"{}", now=NOW)


# -- the ordering rules ----------------------------------------------------------------------

EMPTY = ReservationState("chn_1", "BDC-4711")
LIVE = OrderView("ord_1", cancelled=False)
GONE = OrderView("ord_1", cancelled=True)


def at(minute: int, kind: str = "reservation.modified", **res: Any) -> InboundEvent:
    return event(event_id=f"e{minute}", kind=kind, sent_at=f"2026-12-01T10:{minute:02d}:00Z", **res)


def cancelled_at(minute: int) -> InboundEvent:
    doc = {"event_id": f"c{minute}", "type": "reservation.cancelled"}
    doc["sent_at"] = f"2026-12-01T10:{minute:02d}:00Z"
    return parse_event(body({**doc, "reservation": {"id": "BDC-4711"}}))


def test_a_creation_books_and_a_second_one_is_a_duplicate() -> None:
    first = decide(at(1, "reservation.created"), EMPTY, None)
    assert (first.step, first.outcome) == (Step.BOOK, InboundOutcome.APPLIED)
    again = decide(at(1, "reservation.created"), EMPTY, LIVE)
    assert (again.step, again.outcome, again.reason) == (
        Step.ANSWER,
        InboundOutcome.DUPLICATE,
        "already_booked",
    )


def test_a_modification_before_its_creation_is_parked_and_the_creation_books_its_content() -> None:
    mod = at(5, arrival="2026-12-25", departure="2026-12-28")
    parked = decide(mod, EMPTY, None)
    assert (parked.step, parked.outcome, parked.reason) == (
        Step.RECORD,
        InboundOutcome.PARKED,
        "awaiting_creation",
    )
    assert parked.state is not None and parked.state.parked == mod
    state = replace(parked.state, version=1)
    booked = decide(at(1, "reservation.created"), state, None)
    assert booked.step is Step.BOOK and booked.event == mod  # the newer content, at once
    # Two parked: the newest is kept, whatever order they came in.
    older = decide(at(3), state, None)
    assert older.state is not None and older.state.parked == mod


def test_a_cancellation_before_the_creation_is_recorded_and_the_creation_is_rejected() -> None:
    kept = decide(cancelled_at(9), replace(EMPTY, parked=at(5)), None)
    assert (kept.step, kept.outcome, kept.reason) == (
        Step.RECORD,
        InboundOutcome.PARKED,
        CANCELLED_BEFORE_CREATION,
    )
    assert kept.state is not None and kept.state.parked is None
    state = replace(kept.state, version=1)
    created = decide(at(1, "reservation.created"), state, None)
    assert (created.step, created.outcome, created.reason) == (
        Step.ANSWER,
        InboundOutcome.REJECTED,
        CANCELLED_BEFORE_CREATION,
    )
    modified = decide(at(4), state, None)
    assert (modified.outcome, modified.reason) == (
        InboundOutcome.REJECTED,
        CANCELLED_BEFORE_CREATION,
    )
    twice = decide(cancelled_at(10), state, None)
    assert (twice.outcome, twice.reason) == (InboundOutcome.DUPLICATE, "already_cancelled")


def test_a_modification_older_than_one_applied_is_superseded() -> None:
    state = replace(EMPTY, version=2, applied_at=at(5).sent_at)
    old = decide(at(4), state, LIVE)
    assert (old.step, old.outcome, old.reason) == (Step.ANSWER, InboundOutcome.REJECTED, SUPERSEDED)
    new = decide(at(6), state, LIVE)
    assert (new.step, new.event) == (Step.CHANGE, at(6))


def test_a_modification_sent_in_the_same_second_as_the_last_one_applied_applies() -> None:
    """sent_at has whole seconds: a creation and its modification often share one."""
    state = replace(EMPTY, version=2, applied_at=at(5, "reservation.created").sent_at)
    same = decide(at(5), state, LIVE)
    assert (same.step, same.outcome, same.event) == (Step.CHANGE, InboundOutcome.APPLIED, at(5))
    # Parked before its creation of the same second: the creation books the modification.
    mod = at(5, arrival="2026-12-25", departure="2026-12-28")
    parked = replace(EMPTY, version=1, parked=mod)
    booked = decide(at(5, "reservation.created"), parked, None)
    assert booked.step is Step.BOOK and booked.event == mod
    # Two modifications of one second: the one received last.
    other = at(5, departure="2026-12-29")
    assert decide(other, replace(EMPTY, version=1, parked=mod), None).state.parked == other


def test_a_cancelled_order_is_not_changed_and_cancelled_once() -> None:
    mod = decide(at(6), EMPTY, GONE)
    assert (mod.outcome, mod.reason) == (InboundOutcome.REJECTED, "reservation_cancelled")
    again = decide(cancelled_at(7), EMPTY, GONE)
    assert (again.step, again.outcome) == (Step.ANSWER, InboundOutcome.DUPLICATE)
    live = decide(cancelled_at(7), EMPTY, LIVE)
    assert (live.step, live.outcome) == (Step.CANCEL, InboundOutcome.APPLIED)


def test_catch_up_applies_a_newer_parked_modification_or_a_cancellation() -> None:
    booked = replace(EMPTY, version=1).claimed(at(5, "reservation.created"))
    newer = catch_up(replace(booked, parked=at(8)))
    assert newer.pending == at(8) and newer.state is not None and newer.state.parked is None
    assert newer.state.applied == at(8) and newer.state.applied_at == at(8).sent_at
    assert not newer.cancel
    older = catch_up(replace(booked, parked=at(3)))
    assert older.pending is None and older.state == booked  # dropped, the booking stands
    assert catch_up(booked) == CatchUp(None, None, False)  # nothing raced: nothing to write
    cancelled = catch_up(replace(booked, cancelled_at=at(9).sent_at))
    assert cancelled.cancel


def test_a_booking_or_a_change_claims_the_state_with_its_content() -> None:
    booked = decide(at(1, "reservation.created"), EMPTY, None)
    assert booked.state == replace(EMPTY, applied_at=at(1).sent_at, applied=booked.event)
    state = replace(booked.state, version=1)
    changed = decide(at(6), state, LIVE)
    assert changed.step is Step.CHANGE and changed.state == state.claimed(at(6))
    assert changed.state is not None and changed.state.version == 1  # written on condition of 1


# -- any order of delivery ends where the partner is -----------------------------------------


def _deliver(events: list[InboundEvent]) -> tuple[InboundEvent | None, bool]:
    """The rules run over deliveries in this order, the order kept as (content, cancelled)."""
    state, content, cancelled = EMPTY, None, False
    for e in events:
        view = None if content is None else OrderView("ord_1", cancelled)
        d = decide(e, state, view)
        if d.state is not None:  # recorded, or claimed before the order is written
            state = replace(d.state, version=state.version + 1)
        if d.step is Step.CANCEL:
            cancelled = True
        elif d.step in (Step.BOOK, Step.CHANGE) and d.event is not None:
            content = d.event
            todo = catch_up(state)
            if todo.cancel:
                cancelled = True
            elif todo.pending is not None:
                content = todo.pending
            if todo.state is not None:
                state = replace(todo.state, version=state.version + 1)
    return content, cancelled


@given(st.permutations(list(range(5))), st.booleans())
def test_whatever_the_order_of_delivery_the_newest_content_wins(
    order: list[int], with_cancel: bool
) -> None:
    messages = [at(1, "reservation.created"), *(at_departure(m, 26 + m) for m in range(2, 6))]
    if with_cancel:
        messages[4] = cancelled_at(5)
    content, cancelled = _deliver([messages[i] for i in order])
    if with_cancel:
        assert content is None or cancelled  # never a live order of a cancelled reservation
    else:
        assert not cancelled and content == messages[4]


def at_departure(minute: int, day: int) -> InboundEvent:
    return at(minute, departure=f"2026-12-{day}")


@pytest.mark.parametrize(
    ("rooms", "adults", "children", "each"),
    [(1, 2, 0, 2), (2, 4, 0, 2), (2, 3, 0, 2), (3, 4, 2, 2), (2, 1, 0, 1)],
)
def test_a_reservation_s_guests_are_shared_among_its_rooms(rooms, adults, children, each):
    """The partner counts the guests of the whole reservation; a line is `quantity` rooms of
    `party` guests each, so each room holds its share (rounded up), and a per-person offering
    (dorm beds) takes about the guests the partner sent, not that many per room."""
    from chalicelib.channels.domain.inbound import Reservation
    from chalicelib.channels.services.inbound_apply import stay_of
    from tests.channel_inbound_support import channel_manager

    res = Reservation(
        id="BDC-1",
        room_type="DBL",
        arrival=date(2026, 12, 24),
        departure=date(2026, 12, 26),
        rooms=rooms,
        adults=adults,
        children=children,
    )
    stay = stay_of(channel_manager("chn_x", "2026-11-01T00:00:00Z"), res)
    assert (stay.party, stay.quantity) == (each, rooms)
    assert each * rooms >= adults + children > (each - 1) * rooms
