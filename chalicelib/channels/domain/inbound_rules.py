"""What a channel manager's message does, given what we already know of its reservation: the
ordering rules, as pure functions.

Every message carries the whole reservation as the partner has it at `sent_at`, so the newest
message is the truth and an older one changes nothing. The rules (README "### Channel
managers' webhooks"):

- created, no order yet: booked with the newest content known (a modification parked before
  it is newer: the booking takes the modification's dates at once). Created again under
  another event id: `duplicate` (the partner's reference names one order, core's PREF# item).
- modified, order exists: applied unless older than a message applied before (an older
  one is `rejected`, reason `superseded`; one sent in the same second applies: the one
  received last wins, and a modification outranks a creation, `newest`); a cancelled order
  is not changed (`rejected`, `reservation_cancelled`).
- modified, no order yet: `parked` on the reservation's state, the newest one kept; applied
  when the creation arrives.
- cancelled, order exists: the order is cancelled (its units freed); a second cancellation is
  a `duplicate`.
- cancelled, no order yet: recorded (`parked`): when the creation arrives it is not booked
  but `rejected` with reason `cancelled_before_creation`, and a modification in between is
  `rejected` the same way. A cancellation is final: channel managers never reopen one.

After a booking or a change, `catch_up` applies what raced it (a modification parked, or a
cancellation recorded, between our read of the state and our write of the order).

The state (`ReservationState`) lives on its own item (pk=CHRES#<connection>, sk=<reservation
id>), written on condition of the version read, so two messages racing for one reservation
both see what the other wrote.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from chalicelib.channels.domain.inbound import InboundEvent, InboundOutcome, InboundType
from chalicelib.kernel.domain.values import value


class Step(StrEnum):
    BOOK = "book"  # make the order (with `Decision.event`'s content)
    CHANGE = "change"  # change the order to `Decision.event`'s content
    CANCEL = "cancel"  # cancel the order
    RECORD = "record"  # write the state, nothing else (parked, or a cancellation kept)
    ANSWER = "answer"  # nothing to do: answer `outcome` with `reason`


# Reasons (the answer's and the received log's `reason`): stable words a partner can match.
CANCELLED_BEFORE_CREATION = "cancelled_before_creation"
RESERVATION_CANCELLED = "reservation_cancelled"
ALREADY_BOOKED = "already_booked"
ALREADY_CANCELLED = "already_cancelled"
SUPERSEDED = "superseded"
AWAITING_CREATION = "awaiting_creation"


@value
class ReservationState:
    """What we keep of a partner's reservation besides its order."""

    connection_id: str
    external_id: str
    version: int = 0  # 0: never written
    cancelled_at: str = ""  # `sent_at` of a cancellation that came before any order
    parked: InboundEvent | None = None  # the newest modification waiting for the creation
    applied_at: str = ""  # `sent_at` of the newest message applied to the order

    def with_parked(self, event: InboundEvent) -> ReservationState:
        return replace(self, parked=newest(self.parked, event))


@value
class OrderView:
    """What the rules need of the reservation's order."""

    order_id: str
    cancelled: bool


@value
class Decision:
    step: Step
    outcome: InboundOutcome
    reason: str = ""
    event: InboundEvent | None = None  # the content to book or change to
    state: ReservationState | None = None  # RECORD: the state to write


def newest(a: InboundEvent | None, b: InboundEvent) -> InboundEvent:
    """The later of two messages by the partner's clock. `sent_at` has whole seconds, so a
    creation and its modification often share one: on a tie a modification outranks a
    creation (it is later in the reservation's life), else the one received last (`b`) wins."""
    if a is None or b.sent_at > a.sent_at:
        return b
    if b.sent_at < a.sent_at:
        return a
    return a if b.type is InboundType.CREATED and a.type is InboundType.MODIFIED else b


def decide(event: InboundEvent, state: ReservationState, order: OrderView | None) -> Decision:
    if event.type is InboundType.CANCELLED:
        return _cancellation(event, state, order)
    if order is None:
        return _before_order(event, state)
    if order.cancelled:
        if event.type is InboundType.CREATED:
            return Decision(Step.ANSWER, InboundOutcome.DUPLICATE, ALREADY_BOOKED)
        return Decision(Step.ANSWER, InboundOutcome.REJECTED, RESERVATION_CANCELLED)
    if event.type is InboundType.CREATED:
        return Decision(Step.ANSWER, InboundOutcome.DUPLICATE, ALREADY_BOOKED)
    if event.sent_at < state.applied_at:  # only an older one: the same second applies
        return Decision(Step.ANSWER, InboundOutcome.REJECTED, SUPERSEDED)
    return Decision(Step.CHANGE, InboundOutcome.APPLIED, event=newest(state.parked, event))


def _before_order(event: InboundEvent, state: ReservationState) -> Decision:
    if state.cancelled_at:
        return Decision(Step.ANSWER, InboundOutcome.REJECTED, CANCELLED_BEFORE_CREATION)
    if event.type is InboundType.MODIFIED:
        return Decision(
            Step.RECORD, InboundOutcome.PARKED, AWAITING_CREATION, state=state.with_parked(event)
        )
    return Decision(Step.BOOK, InboundOutcome.APPLIED, event=newest(state.parked, event))


def _cancellation(
    event: InboundEvent, state: ReservationState, order: OrderView | None
) -> Decision:
    if order is None:
        if state.cancelled_at:
            return Decision(Step.ANSWER, InboundOutcome.DUPLICATE, ALREADY_CANCELLED)
        kept = replace(state, cancelled_at=event.sent_at, parked=None)
        return Decision(Step.RECORD, InboundOutcome.PARKED, CANCELLED_BEFORE_CREATION, state=kept)
    if order.cancelled:
        return Decision(Step.ANSWER, InboundOutcome.DUPLICATE, ALREADY_CANCELLED)
    return Decision(Step.CANCEL, InboundOutcome.APPLIED)


@value
class CatchUp:
    """What is left to do on an order after a message was applied to it, and the state that
    says it was done."""

    state: ReservationState  # to write (on condition of the version read)
    pending: InboundEvent | None  # a parked modification newer than what was applied
    cancel: bool  # a cancellation was recorded meanwhile (it came before the order)


def catch_up(state: ReservationState, applied_at: str) -> CatchUp:
    """After the order was booked or changed with a message sent at `applied_at`: a
    modification parked meanwhile that is newer is applied too, a cancellation recorded
    meanwhile cancels the order, and the state remembers the newest message applied."""
    parked = state.parked
    pending = parked if parked is not None and parked.sent_at >= applied_at else None
    newest_at = max(state.applied_at, applied_at, pending.sent_at if pending else "")
    after = replace(state, parked=None, applied_at=newest_at)
    return CatchUp(after, pending, bool(state.cancelled_at))
