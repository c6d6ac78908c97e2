"""Payment rules on an order: what is due online, how a processor's intent status reads,
the order's payment status from its figures, and refunds by cancellation policy.

Everything is integers in minor units; the payment status is derived from the recorded
attempts and refunds, never set by hand, so it cannot drift from the figures.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from chalicelib.booking.domain.order_money import (
    authorised,
    balance,
    payment_status_of,
    received,
    refundable,
    refundable_online,
    refunded,
    refunded_by_payment,
)
from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.domain.payment_records import (
    AttemptStatus,
    CardOnFile,
    Payment,
    PaymentKind,
    Refund,
    Tender,
)
from chalicelib.kernel.domain.errors import (
    Conflict,
    DomainError,
    HoldExpired,
    InvalidInput,
    PaymentDeclined,
    UpstreamRefused,
)
from chalicelib.kernel.domain.money import (
    amount_text,
    to_provider_amount,
)

A = AttemptStatus
MAX_ATTEMPTS = 20  # a customer retrying cards; past this the hold is likely abandoned
MAX_DESK_RECORDS = 200  # a long stay paid night by night; each record is about 150 bytes


def intent_status(provider_status: str, *, failed: bool = False) -> AttemptStatus:
    """A PaymentIntent's or SetupIntent's status as the order records it. `failed`: the
    intent carries a last payment error (a declined card goes back to requires_payment_method)."""
    if provider_status in ("requires_payment_method", "requires_confirmation"):
        return A.FAILED if failed else A.PENDING
    return {
        "requires_action": A.ACTION_REQUIRED,
        "processing": A.PROCESSING,
        "requires_capture": A.AUTHORISED,
        "succeeded": A.SUCCEEDED,
        "canceled": A.CANCELED,
    }.get(provider_status, A.PENDING)


def due_online(
    order: Order, *, manual_capture: bool, keep_card: bool
) -> tuple[PaymentKind, int] | None:
    """What the widget collects for a held order: an authorisation of the whole amount
    (manual capture), else the deposit (the full total when the policy says full), else a
    card on file when one is kept (a no-show fee, a balance charged later); None when
    everything is paid at the venue. Money already on the hold (a gift card the widget took)
    is not asked again: the card pays the rest, and nothing when the gift card paid it all;
    money given back (a payment for the hold as it was before it grew) is asked again."""
    currency = order.currency
    paid = received(order) - refunded(order)
    # In the processor's steps (a three-decimal currency's 10 fils), rounded down: what a
    # step cannot take is not asked, and less than a step is nothing to pay online.
    if manual_capture and order.total > 0:
        rest = to_provider_amount(max(0, order.total - paid), currency)
        return (PaymentKind.AUTHORISATION, rest) if rest > 0 else None
    # Never more than the total: a coupon or points may have taken it below the lines' deposit.
    deposit = min(order.deposit, max(0, order.total))
    if deposit > 0:
        kind = PaymentKind.FULL if deposit >= order.total else PaymentKind.DEPOSIT
        rest = to_provider_amount(max(0, deposit - paid), currency)
        return (kind, rest) if rest > 0 else None
    if keep_card:
        return PaymentKind.CARD_ON_FILE, 0
    return None


def unpaid_to_confirm(order: Order, *, manual_capture: bool) -> int:
    """What confirming `order` still asks online beyond what it has received and what a card
    authorisation holds (due_online's amount, in the processor's steps; a card kept on file
    asks no money): 0 when what came in covers it. A payment started for the order as it was,
    which the customer then made bigger, lands short of it (payments.py gives it back)."""
    due = due_online(order, manual_capture=manual_capture, keep_card=False)
    if due is None:
        return 0
    kind, amount = due
    if kind is PaymentKind.AUTHORISATION:
        return max(0, amount - to_provider_amount(authorised(order), order.currency))
    return amount


def _restated(order: Order, at: str, **changes: Any) -> Order:
    changed = replace(order, **changes)
    return replace(
        changed, payment_status=payment_status_of(changed), updated_at=at, version=order.version + 1
    )


def with_payment(order: Order, payment: Payment, at: str) -> Order:
    """The order with this attempt added or brought up to date (by processor id)."""
    others = tuple(p for p in order.payments if p.id != payment.id)
    if len(others) == len(order.payments):  # a new record: within its kind's bound
        same = [p for p in others if p.online == payment.online]
        if payment.online and len(same) >= MAX_ATTEMPTS:
            raise Conflict("Too many payment attempts for one order.", code="too_many_attempts")
        if not payment.online and len(same) >= MAX_DESK_RECORDS:
            raise Conflict("Too many payments recorded on one order.", code="too_many_records")
    ordered = tuple(sorted((*others, payment), key=lambda p: (p.attempt, p.id)))
    return _restated(order, at, payments=ordered)


def with_refund(order: Order, refund: Refund, at: str) -> Order:
    others = tuple(r for r in order.refunds if r.id != refund.id)
    return _restated(order, at, refunds=(*others, refund))


def with_card(order: Order, card: CardOnFile, at: str) -> Order:
    return _restated(order, at, card_on_file=card)


def find_payment(order: Order, payment_id: str) -> Payment | None:
    return next((p for p in order.payments if p.id == payment_id), None)


def next_attempt(order: Order) -> int:
    return 1 + max((p.attempt for p in order.payments), default=0)


def open_attempt(order: Order, kind: PaymentKind, amount: int) -> Payment | None:
    """An attempt the customer can still complete (the same card form, another card)."""
    for p in reversed(order.payments):
        if p.kind is kind and p.amount == amount and p.status in (A.PENDING, A.ACTION_REQUIRED):
            return p
        if p.kind is kind and p.amount == amount and p.status is A.FAILED:
            return p
    return None


def check_desk_payment(order: Order, amount: int) -> int:
    """Money taken at the desk: on a booking that is confirmed (a hold is confirmed first, to
    pay at the venue: money on a hold that then runs out would be kept for nothing), positive,
    and at most what the customer still owes less what a card authorisation already holds (a
    typo of a zero too many is refused, not recorded; a cancelled booking owes only its fee)."""
    if order.status is BookingStatus.EXPIRED:
        raise HoldExpired("The hold has run out; book again to take a payment.")
    if order.status is BookingStatus.HELD:
        raise Conflict(
            "Confirm the booking first (to pay at the venue), then record its payment.",
            code="order_not_confirmed",
        )
    if amount <= 0:
        raise InvalidInput("A payment is a positive amount.", code="invalid_amount")
    owed = balance(order) - authorised(order)
    if amount > owed:
        raise InvalidInput(
            f"At most {amount_text(max(0, owed), order.currency)} is still owed on this order.",
            code="payment_too_large",
            owed=max(0, owed),
        )
    return amount


def check_tip(order: Order, method: Tender, tip: int) -> int:
    """A desk payment's tip: money left for the staff with it, never the order's. Not with a
    gift card (the card is the business's own voucher, spent on what was sold: a tip from it
    would turn prepaid sales into staff money with no drawer to take it from), and at most the
    order's total: a tip bigger than the bill is a typo (a zero too many), not generosity."""
    if tip and method is Tender.GIFT_CARD:
        raise InvalidInput(
            "A tip is taken in cash, on the card terminal or by another tender, not from a"
            " gift card.",
            code="invalid_tip",
            field="tip",
        )
    if tip < 0 or tip > order.total:
        raise InvalidInput(
            f"A tip is at most the order's total, {amount_text(order.total, order.currency)}.",
            code="invalid_tip",
            field="tip",
            most=order.total,
        )
    return tip


def check_refund(order: Order, amount: int, *, online: bool = True) -> int:
    """A staff refund: positive and at most what is still refundable: through Stripe, what
    the online payments have left; at the desk, what the order has left."""
    left = refundable_online(order) if online else refundable(order)
    if amount <= 0:
        raise InvalidInput("A refund is a positive amount.", code="invalid_amount")
    if amount > left:
        raise InvalidInput(
            f"At most {amount_text(left, order.currency)} can still be refunded.",
            code="refund_too_large",
            refundable=left,
        )
    # Stripe's steps of a three-decimal currency; cash at the desk goes back to the last fils.
    if online and to_provider_amount(amount, order.currency) != amount:
        raise InvalidInput(
            "In a three-decimal currency a refund is a multiple of 10 minor units.",
            code="invalid_amount",
        )
    return amount


OWING_KINDS = frozenset(
    {PaymentKind.DEPOSIT, PaymentKind.FULL, PaymentKind.BALANCE, PaymentKind.INSTALMENT}
)


def overpaid(order: Order, payment: Payment) -> int:
    """What an online payment that has just come in brings beyond what the order, as recorded
    before it, still owed (the desk took the money meanwhile: the customer paid twice); in
    the processor's steps. 0 for money that is not for what the order owes (a no-show fee)."""
    if payment.kind not in OWING_KINDS or payment.status is not A.SUCCEEDED:
        return 0
    owed = max(0, balance(order))
    return to_provider_amount(max(0, payment.received - owed), order.currency)


def refund_split(order: Order, amount: int) -> list[tuple[Payment, int]]:
    """Spread a refund through Stripe over the succeeded online payments, newest first, each
    up to what it has left (a desk payment is never sent to Stripe)."""
    left_of = refunded_by_payment(order)
    parts: list[tuple[Payment, int]] = []
    for p in sorted(order.payments, key=lambda p: p.attempt, reverse=True):
        if amount <= 0:
            break
        if p.status is not A.SUCCEEDED or not p.online:
            continue
        room = p.received - left_of.get(p.id, 0)
        take = min(room, amount)
        if take > 0:
            parts.append((p, take))
            amount -= take
    return parts


class OnlinePaymentOpen(Conflict):
    """The customer's online payment of the balance (or an instalment) is open: taking the
    money at the desk as well could take it twice. Cancel that attempt first."""

    code = "online_payment_open"


class PaymentsNotEnabled(Conflict):
    """The tenant takes no online payments (no connected Stripe account able to charge)."""

    code = "payments_not_enabled"


class NothingToPay(Conflict):
    """The order's policy collects nothing online: it is paid at the venue."""

    code = "nothing_to_pay"


class ProviderError(UpstreamRefused):
    """The card processor refused a request for a reason retrying will not fix (502)."""

    code = "payment_provider_error"


class CardDeclined(PaymentDeclined):
    """The card on file was declined for the platform's own invoice: nothing was subscribed."""

    code = "card_declined"


class InvalidSignature(DomainError):
    """A webhook whose signature or timestamp does not check out (HTTP 400)."""

    code = "invalid_signature"


def check_owed_back(order: Order, said: int | None) -> None:
    """The desk's refund names what the order owed back when its page read it (None: the
    caller did not say, as an API client's own refund): two desks giving back the same 20.00
    owed (an outside tester's two tabs) gave 40.00, the second leaving the customer owing 20.00
    again. Checked on the order the refund decides on, whose write is conditioned on its
    version: a race lost is decided again, and refused here."""
    now = max(0, -balance(order))
    if said is not None and now != said:
        raise Conflict(
            f"The order changed: it now owes the customer {amount_text(now, order.currency)}.",
            code="owed_back_changed",
            owed_back=now,
        )
