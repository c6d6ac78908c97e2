"""`POST /v1/channel-events/{tenant_id}/{connection_id}`: a channel manager's message, from
its signature to its answer.

1. The connection (404 when unknown), then the signature over the raw body with the
   connection's secret (401 `invalid_channel_signature` / `stale_channel_signature`, nothing
   read beyond the connection and nothing written), then a disabled connection (403), then the
   message (422 `invalid_channel_event`).
2. The partner's event id seen before: `duplicate`, with the order it made, nothing done.
3. The reservation's state and order are read, the rules decide (inbound_rules.decide), the
   step is carried out (inbound_apply). A booking or a change first claims the state (the
   content it applies, on condition of the version read): one that lost the race is decided
   again on what the other message wrote; then the order is made the claimed content
   (`_converge`: each write on condition of the order's version read).
4. The message's record (`CHIN#<connection>`/`E#<event id>`, put on condition that it is
   new) keeps its outcome for the connection's log and for the partner's retries.

Every message is applied at most once in effect even without the record: a creation is one
order per reference (core's PREF# entry), a change to the same content changes nothing, a
second cancellation is answered as it is. So a crash between the step and the record only
makes the retry answer `duplicate` instead of `applied`.
"""

from __future__ import annotations

from typing import TypeVar

from chalicelib.booking.domain.orders import Order
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.channels.domain.connections import Connection
from chalicelib.channels.domain.inbound import (
    InboundEvent,
    InboundOutcome,
    check_sent_at,
    parse_event,
    verify,
)
from chalicelib.channels.domain.inbound_rules import (
    ALREADY_BOOKED,
    RESERVATION_CANCELLED,
    SUPERSEDED,
    Decision,
    OrderView,
    ReservationState,
    Step,
    catch_up,
    decide,
)
from chalicelib.channels.services import inbound_apply as steps
from chalicelib.channels.services.conflicts import fresh
from chalicelib.channels.services.connections import connection_secret, get_connection
from chalicelib.channels.services.inbound_apply import Answer
from chalicelib.channels.services.inbound_ports import InboundContext, ReceivedEvent
from chalicelib.channels.services.inbound_price import match_price
from chalicelib.channels.services.partner_orders import order_by_reference
from chalicelib.kernel.domain.audit import Actor
from chalicelib.kernel.domain.errors import (
    Conflict,
    Forbidden,
    NotFound,
    TransientFailure,
)
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.services.ports import Clock, IdFactory
from chalicelib.kernel.services.tenant_data_ports import DataFactory, KernelData
from chalicelib.tenancy.services.platform_ports import PlatformRepository

D = TypeVar("D", bound=KernelData)
RACES = 4  # a reservation's state written by another message meanwhile: decide again
LOG_LIMIT = 100
SEEN = "event_seen"


def receive(
    ctx: InboundContext, cache: CatalogCache, connection_id: str, body: bytes, header: str
) -> Answer:
    """The route's one use case (see the module's docstring)."""
    connection = get_connection(ctx, connection_id)
    verify(_secret(ctx, connection), header, body, now=int(parse(ctx.now()).timestamp()))
    if not connection.active:
        raise Forbidden("This channel connection is disabled.", code="connection_disabled")
    event = parse_event(body)
    check_sent_at(event, ctx.now())
    seen = ctx.data.inbound.seen(connection.id, event.event_id)
    if seen is not None:
        return Answer(InboundOutcome.DUPLICATE, seen.order_id, SEEN)
    answer = apply(ctx, cache, connection, event)
    ctx.data.inbound.remember(
        ReceivedEvent(
            connection_id=connection.id,
            event_id=event.event_id,
            type=event.type.value,
            external_id=event.reservation.id,
            received_at=ctx.now(),
            sent_at=event.sent_at,
            status=answer.status.value,
            order_id=answer.order_id,
            reason=answer.reason,
        )
    )
    return answer


def _secret(ctx: InboundContext, connection: Connection) -> str:
    """The connection's HMAC secret; none yet verifies nothing (401, as a wrong one)."""
    try:
        return connection_secret(ctx, connection)
    except NotFound:
        return ""


def apply(
    ctx: InboundContext, cache: CatalogCache, connection: Connection, event: InboundEvent
) -> Answer:
    ext = event.reservation.id
    for _ in range(RACES):
        state = ctx.data.inbound.state(connection.id, ext) or ReservationState(connection.id, ext)
        found = order_by_reference(ctx, connection.id, ext)
        order = steps.finish_creation(ctx, cache, found)
        decision = decide(event, state, _view(order))
        answer = _carry_out(ctx, cache, connection, decision, order)
        if answer is not None:
            _reprice_booked(ctx, answer, event, state)
            return answer
    raise _busy()


def _reprice_booked(
    ctx: InboundContext, answer: Answer, event: InboundEvent, state: ReservationState
) -> None:
    """A creation sent again for an order already booked: when nothing newer was applied to
    the order, its price is the truth, and the order's total is made it (inbound_price;
    nothing written when it already is): a creation that stopped between the confirmation and
    its Channel rate line is finished by the partner's retry. An older creation than what was
    applied changes nothing."""
    if answer.reason == ALREADY_BOOKED and answer.order_id and event.sent_at >= state.applied_at:
        res = event.reservation
        match_price(ctx, answer.order_id, res.amount, res.currency)


def _view(order: Order | None) -> OrderView | None:
    if order is None:
        return None
    return OrderView(order.id, cancelled=not order.holds_inventory)


def _carry_out(
    ctx: InboundContext,
    cache: CatalogCache,
    connection: Connection,
    decision: Decision,
    order: Order | None,
) -> Answer | None:
    """The decision's step; None when its state was written by another message meanwhile
    (then decide again on what the other wrote)."""
    order_id = order.id if order is not None else ""
    if decision.step is Step.ANSWER:
        if decision.reason == SUPERSEDED and order is not None:
            # The newer message's content, in case a crash left the order behind it.
            _converge(ctx, cache, connection, order.id, None)
        return Answer(decision.outcome, order_id, decision.reason)
    if decision.step is Step.RECORD:
        return _record(ctx, decision)
    if order is not None and decision.step is Step.CANCEL:
        return steps.cancel_order(ctx, cache, connection, order)
    content, claim = decision.event, decision.state
    if content is None or claim is None:
        raise AssertionError(f"{decision.step} without content")
    if not ctx.data.inbound.save_state(claim):  # first the claim, then the order
        return None
    if order is not None and decision.step is Step.CHANGE:
        return _converge(ctx, cache, connection, order.id, content)
    answer = steps.book(ctx, cache, connection, content)
    if answer.order_id:
        _catch_up(ctx, cache, connection, answer.order_id, content.reservation.id)
    return answer


def _record(ctx: InboundContext, decision: Decision) -> Answer | None:
    """Park a modification or keep a cancellation. The order may have been made meanwhile:
    then decide again, and the rules apply the message to it."""
    state = decision.state
    if state is None or not ctx.data.inbound.save_state(state):
        return None
    if order_by_reference(ctx, state.connection_id, state.external_id) is not None:
        return None
    return Answer(decision.outcome, "", decision.reason)


def _catch_up(
    ctx: InboundContext, cache: CatalogCache, connection: Connection, order_id: str, ext: str
) -> None:
    """What raced the booking (inbound_rules.catch_up): a cancellation recorded meanwhile
    cancels the order; a modification parked meanwhile is claimed, and the order made the
    content the state names (`_converge`)."""
    for _ in range(RACES):
        state = ctx.data.inbound.state(connection.id, ext) or ReservationState(connection.id, ext)
        todo = catch_up(state)
        if todo.cancel:
            order = fresh(ctx, order_id)
            if order.holds_inventory:
                steps.cancel_order(ctx, cache, connection, order)
            return
        if todo.state is None or ctx.data.inbound.save_state(todo.state):
            _converge(ctx, cache, connection, order_id, None)
            return
    raise _busy()


def _converge(
    ctx: InboundContext,
    cache: CatalogCache,
    connection: Connection,
    order_id: str,
    mine: InboundEvent | None,
) -> Answer:
    """The order made the content the reservation's state names (`applied`: the newest
    message claimed), whatever raced. Read the order, THEN the state; change the order to
    that content on condition of the order's version read (a write since: again); read the
    state again: claimed by another message meanwhile (which may have read the order before
    our write, and found nothing to do), again. A claim comes after the reads it was decided
    on, so the last message to claim, or one that wrote after it, leaves the order its content.
    The answer: the change's when the content is `mine`, `superseded` when another's."""
    order = fresh(ctx, order_id)
    ext = order.partner.reference if order.partner else ""
    for _ in range(2 * RACES):
        state = ctx.data.inbound.state(connection.id, ext)
        if not order.holds_inventory:  # cancelled meanwhile: as a change sent after it
            return Answer(InboundOutcome.REJECTED, order.id, RESERVATION_CANCELLED)
        target = (state.applied if state else None) or mine
        if target is None:  # nothing claimed: a state from before claims were kept
            return Answer(InboundOutcome.APPLIED, order.id)
        try:
            answer = steps.change(ctx, cache, connection, order, target)
            again = ctx.data.inbound.state(connection.id, ext)
            if state is None or (again is not None and again.version == state.version):
                mine_won = mine is None or target.event_id == mine.event_id
                return answer if mine_won else Answer(InboundOutcome.REJECTED, order.id, SUPERSEDED)
        except Conflict as exc:
            if exc.code != "version_mismatch":
                raise
        order = fresh(ctx, order_id)
    raise _busy()


def _busy() -> TransientFailure:
    return TransientFailure(
        "Other messages about this reservation keep arriving; send this one again.",
        code="reservation_busy",
    )


def recent(ctx: InboundContext, connection_id: str) -> list[ReceivedEvent]:
    """The connection's last messages, newest first (GET .../inbound)."""
    connection = get_connection(ctx, connection_id)
    return ctx.data.inbound.recent(connection.id, LOG_LIMIT)


def partner_context(
    platform: PlatformRepository,
    data_factory: DataFactory[D],
    tenant_id: str,
    connection_id: str,
    *,
    now: Clock,
    new_id: IdFactory,
    request_id: str | None,
) -> TenantContext[D]:
    """The context of a message: the tenant its path names (the signature, checked next
    against the connection's secret, proves the sender), acting as the connection."""
    tenant = platform.get_tenant(tenant_id)
    # As an unknown connection is, before any signature: no answer tells which businesses
    # exist, nor which are suspended or still being set up (a reviewer's 409 told them apart).
    if tenant is None or not tenant.is_active:
        raise NotFound(
            "No such channel connection.", code="connection_not_found", connection_id=connection_id
        )
    return TenantContext(
        tenant=tenant,
        actor=Actor(kind="partner", id=connection_id, tenant_id=tenant.id),
        data_factory=data_factory,
        now=now,
        new_id=new_id,
        request_id=request_id,
    )
