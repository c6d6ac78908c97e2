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

After a booking, `catch_up` applies what raced it (a modification parked, or a cancellation
recorded, between our claim of the state and our write of the order).

The state (`ReservationState`) lives on its own item (pk=CHRES#<connection>, sk=<reservation
id>), written on condition of the version read, so two messages racing for one reservation
both see what the other wrote. A booking or a change first CLAIMS it (the content it applies
written as `applied`), then writes the order: a message whose claim fails decides again on
what the other wrote (an older one is then `superseded`), and channels/services/inbound.py
makes the order the claimed content over races between the two writes.
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
    # That message's content: what the order is to be. Written (claimed) BEFORE the order is
    # changed, on condition of the version read, so of two messages racing the newer claims
    # last, and every one that changed the order makes it this content before it answers.
    applied: InboundEvent | None = None

    def with_parked(self, event: InboundEvent) -> ReservationState:
        return replace(self, parked=newest(self.parked, event))

    def claimed(self, content: InboundEvent) -> ReservationState:
        """The state naming `content` the order's (a parked message it took consumed)."""
        return replace(self, parked=None, applied_at=content.sent_at, applied=content)


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
    # RECORD: the state to write; BOOK, CHANGE: the claim, written before the order
    state: ReservationState | None = None


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
    return _claim(Step.CHANGE, state, newest(state.parked, event))


def _claim(step: Step, state: ReservationState, content: InboundEvent) -> Decision:
    return Decision(step, InboundOutcome.APPLIED, event=content, state=state.claimed(content))


def _before_order(event: InboundEvent, state: ReservationState) -> Decision:
    if state.cancelled_at:
        return Decision(Step.ANSWER, InboundOutcome.REJECTED, CANCELLED_BEFORE_CREATION)
    if event.type is InboundType.MODIFIED:
        return Decision(
            Step.RECORD, InboundOutcome.PARKED, AWAITING_CREATION, state=state.with_parked(event)
        )
    return _claim(Step.BOOK, state, newest(state.parked, event))


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
    """What raced a booking (between the state's claim and the order's write), to do on the
    order now, and the state that says it was done."""

    state: ReservationState | None  # to write (on condition of the version read); None: none
    pending: InboundEvent | None  # a modification parked meanwhile: the order's content now
    cancel: bool  # a cancellation was recorded meanwhile (it came before the order)


def catch_up(state: ReservationState) -> CatchUp:
    """After a booking: a modification parked meanwhile that is not older than what was
    booked is claimed (the order is then made it), an older one dropped, and a cancellation
    recorded meanwhile cancels the order."""
    parked = state.parked
    if parked is None:
        return CatchUp(None, None, bool(state.cancelled_at))
    if parked.sent_at >= state.applied_at:
        return CatchUp(state.claimed(parked), parked, bool(state.cancelled_at))
    return CatchUp(replace(state, parked=None), None, bool(state.cancelled_at))
