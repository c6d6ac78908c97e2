"""Money going back, and money taken later: refunds by cancellation policy and by staff,
a late payment that cannot be honoured, the no-show fee, and refund events from Stripe
(capture of an authorisation: captures.py). Every Stripe write's idempotency key names what
it is for."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from chalicelib.booking.domain.order_money import refund_on_cancellation, refundable
from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.domain.payment_records import AttemptStatus, Payment, PaymentKind, Refund
from chalicelib.booking.services.booking import order_facts
from chalicelib.booking.services.orders import get_order
from chalicelib.booking.services.redemption_ports import REDEMPTION_REFUSALS
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.errors import Conflict, SlotUnavailable
from chalicelib.kernel.domain.events import (
    NoShowFeeCharged,
    NoShowFeeDeclined,
    PaymentReleased,
    RefundIssued,
    RefundsUpdated,
)
from chalicelib.kernel.domain.money import amount_text, to_provider_amount
from chalicelib.kernel.services.transaction_ports import TransactionItem
from chalicelib.payments.domain.payments import (
    find_payment,
    intent_status,
    next_attempt,
    refund_split,
    with_payment,
    with_refund,
)
from chalicelib.payments.services.gift_card_ports import GiftCardTender
from chalicelib.payments.services.gift_card_refunds import (
    back_to_cards,
    cancelled_by,
    desk_takings,
    on_cards,
    refund_id,
)
from chalicelib.payments.services.payment_orders import (
    commit,
    order_policy,
    record_made,
    reread,
    revive,
)
from chalicelib.payments.services.payment_ports import (
    PaymentAccounts,
    PaymentGateway,
    PaymentsContext,
)
from chalicelib.payments.services.staff_refunds import (
    as_stripe_has_them,
    finish,
    mine_of,
    refund_changes,
    with_claims,
)
from chalicelib.tenancy.domain.plans import platform_fee

S = BookingStatus
A = AttemptStatus
LATE_TAKEN = "Paid after the hold had expired and the booking was taken by someone else"
LATE_CANCELLED = "Paid after the order was cancelled"
# The places were free, but the discount the price was made with was not: the coupon's last
# use or the points went to another booking while the hold was expired (a tester's customer
# was told the booking had been taken by someone else, and found it still free).
LATE_REDEEMED = (
    "Paid after the hold had expired, and its discount (a coupon's last use, or the points) "
    "went to another booking meanwhile"
)
SHORT_OF_ORDER = "Paid for the booking as it was before it was changed: it now asks more"


def _refund(
    ctx: PaymentsContext,
    order: Order,
    *,
    account: str,
    gateway: PaymentGateway,
    amount: int,
    reason: str,
    key: str,
) -> tuple[Order, list[Refund]]:
    """Refund `amount` over the order's payments; the order with the refunds recorded."""
    made: list[Refund] = []
    for payment, part in refund_split(order, amount):
        r = gateway.refund(
            account=account,
            intent_id=payment.id,
            amount=part,
            reason=reason,
            idempotency_key=f"{key}:{payment.id}",
        )
        refund = Refund(r.id, payment.id, r.amount, reason[:300], r.status, ctx.now())
        order = with_refund(order, refund, ctx.now())
        made.append(refund)
    return order, made


def late_payment(
    ctx: PaymentsContext,
    order: Order,
    after: Order,
    payment: Payment,
    *,
    account: str,
    gateway: PaymentGateway,
) -> str:
    """Money for an order that is no longer held. An expired order is revived if its units
    are still free; otherwise (or when cancelled) the money goes straight back."""
    reason = LATE_CANCELLED
    if order.status is S.EXPIRED:
        try:
            revive(ctx, order, after, payment)
            return "revived"
        except SlotUnavailable:
            reason = LATE_TAKEN
        except Conflict as exc:  # its coupon's last use or its points went meanwhile
            if exc.code not in REDEMPTION_REFUSALS:
                raise
            reason = LATE_REDEEMED
    return give_back(ctx, order, after, payment, reason, account=account, gateway=gateway)


def give_back(
    ctx: PaymentsContext,
    order: Order,
    after: Order,
    payment: Payment,
    reason: str,
    *,
    account: str,
    gateway: PaymentGateway,
) -> str:
    """Money that confirms nothing goes straight back, recorded on the order (`after`: the
    order with the payment recorded) with `reason`: an authorisation is released, a payment
    refunded; a card saved without money is only recorded (`kept`)."""
    if payment.status is A.AUTHORISED:
        gateway.cancel(account, payment.id, idempotency_key=f"{payment.id}:release")
        released = with_payment(after, replace(payment, status=A.CANCELED), ctx.now())
        record_made(
            ctx,
            order,
            released,
            lambda o: [
                PaymentReleased(**order_facts(ctx, o), payment_id=payment.id, reason=reason)
            ],
        )
        return "released"
    if payment.received <= 0:
        record_made(ctx, order, after, lambda o: [])
        return "kept"
    refunded, made = _refund(
        ctx,
        after,
        account=account,
        gateway=gateway,
        amount=payment.received,
        reason=reason,
        key=f"{payment.id}:late",
    )
    record_made(ctx, order, refunded, lambda o: _refund_events(ctx, o, made))
    return "refunded"


def _refund_events(ctx: PaymentsContext, order: Order, made: list[Refund]) -> list[RefundIssued]:
    return [
        RefundIssued(**order_facts(ctx, order), refund_id=r.id, amount=r.amount, reason=r.reason)
        for r in made
    ]


def settle_cancellation(
    ctx: PaymentsContext,
    order_id: str,
    *,
    fee: int,
    key: str,
    gateway: PaymentGateway,
    accounts: PaymentAccounts,
    gift_cards: GiftCardTender | None = None,
) -> str:
    """After a cancellation: release authorisations, cancel attempts still open (so no late
    payment comes in), and refund what was received beyond the policy's fee: back onto the
    gift cards what they paid, and through Stripe what came online — written on the order
    first (`requested`, as a staff refund is: staff_refunds.py), so a staff refund at the
    same moment is decided on the order, never at Stripe; then Stripe is asked. A retry
    after a crash finishes the records it finds."""
    order = get_order(ctx, order_id)
    if order.status is not S.CANCELLED or not order.payments:
        return "nothing"
    account = accounts.get(ctx.tenant.id).account_id
    begun = mine_of(order, key)
    if begun and account is not None:
        finish(ctx, order_id, account, begun, gateway)
        return "refunded"
    if account is None and (gift_cards is None or on_cards(order) == 0):
        return "nothing"
    outcome, claimed = reread(
        lambda: _claim_cancellation(ctx, order_id, fee, key, account, gateway, gift_cards)
    )
    if claimed and account is not None:
        finish(ctx, order_id, account, claimed, gateway)
    return outcome


def _claim_cancellation(
    ctx: PaymentsContext,
    order_id: str,
    fee: int,
    key: str,
    account: str | None,
    gateway: PaymentGateway,
    gift_cards: GiftCardTender | None,
) -> tuple[str, list[Refund]]:
    """One write: open attempts cancelled, the gift cards' part back onto them, and the
    online part claimed (`requested` records), decided on the order as read."""
    order = get_order(ctx, order_id)
    after = _cancel_open(ctx, order, account, gateway)
    amount = refund_on_cancellation(after, fee)
    if amount == 0 and after is order:
        return "nothing", []
    reason = cancellation_reason(order, fee)
    if account is not None:
        after = with_claims(ctx, after, amount, reason, key)
    claimed = mine_of(after, key)
    back: list[Refund] = []
    items: list[TransactionItem] = []
    cards = on_cards(order) if gift_cards is not None else 0
    rest = min(amount - sum(r.amount for r in claimed), cards)
    if gift_cards is not None and rest > 0:
        by = cancelled_by(order)  # the cancellation's doing: the staff's, or the customer's own
        after, back, items = back_to_cards(
            ctx,
            gift_cards,
            after,
            rest,
            record_id=refund_id(key),
            reason=reason,
            owe_rest=True,
            by=by,
        )
        items += desk_takings(
            ctx, order, back, record_id=refund_id(key), reason=reason, taken_by=by
        )
    commit(ctx, order, after, *_refund_events(ctx, after, back), items=items)
    return ("refunded" if claimed or back else "released"), claimed


def cancellation_reason(order: Order, fee: int) -> str:
    """The refund's reason names who cancelled and a waived fee (PROBE5 defect 3), so a
    refund given by waiving the policy is not read as the policy's own; amounts as a person
    reads them (`amount_text`: an outside tester read "fee 10000" beside a 60.00 refund)."""
    return _reason(order, fee, lambda amount: amount_text(amount, order.currency))


def is_cancellation_refund(order: Order, fee: int, reason: str) -> bool:
    """Whether a refund's reason is the one the order's cancellation gave it: as written now,
    or as it was written before amounts were said in the currency (minor units, bare)."""
    return reason in (cancellation_reason(order, fee), _reason(order, fee, str))


def _reason(order: Order, fee: int, said: Callable[[int], str]) -> str:
    record = order.cancellation or {}
    if record.get("cancelled_by") != "business":
        return f"Cancelled: refund by the cancellation policy (fee {said(fee)})"
    why = str(record.get("reason") or "").strip()[:200]
    by = f" ({why})" if why else ""
    waived = int(record.get("waived") or 0)
    if waived > 0:
        fee_waived = f"the policy's fee {said(waived)} waived"
        return f"Cancelled by the business{by}: {fee_waived}, all refunded"
    return f"Cancelled by the business{by}: refund by the cancellation policy (fee {said(fee)})"


def _cancel_open(
    ctx: PaymentsContext, order: Order, account: str | None, gateway: PaymentGateway
) -> Order:
    """The order's open attempts cancelled at Stripe and on the order. An authorisation that
    Stripe says was captured meanwhile (a capture racing the cancellation) is left as it is
    recorded: the capture, or Stripe's event of it, records it refunded at once
    (captures.py), so nothing here takes or gives back that money."""
    after = order
    for p in order.payments:
        if p.status in (A.AUTHORISED, A.PENDING, A.ACTION_REQUIRED, A.FAILED):
            if p.id.startswith("pi_") and account is not None:
                now = gateway.cancel(account, p.id, idempotency_key=f"{p.id}:release")
                if intent_status(now.status) is A.SUCCEEDED:
                    continue
            after = with_payment(after, replace(p, status=A.CANCELED), ctx.now())
    return after


def sync_refunds(
    ctx: PaymentsContext, account: str, intent_id: str, *, gateway: PaymentGateway
) -> str:
    """A refund event (made here, in Stripe's dashboard, or failed later): record every
    refund of the intent as Stripe has it now. One made here names its record on the order
    (metadata `record`: a staff refund's, written before Stripe was asked); a record still
    `requested` past its lease that Stripe has no refund for was never made (`canceled`)."""
    for _ in range(3):
        order = _order_of_payment(ctx, account, intent_id, gateway)
        if order is None:
            return "unknown_order"
        after = as_stripe_has_them(ctx, order, intent_id, gateway.refunds_of(account, intent_id))
        if after is order:
            return "unchanged"
        try:
            updated = RefundsUpdated(**order_facts(ctx, after), payment_id=intent_id)
            commit(ctx, order, after, updated, *refund_changes(ctx, order, after))
            return "updated"
        except Conflict:
            continue
    raise Conflict("The order kept changing while recording refunds.", code="busy")


def _order_of_payment(
    ctx: PaymentsContext, account: str, intent_id: str, gateway: PaymentGateway
) -> Order | None:
    intent = gateway.get_payment_intent(account, intent_id)
    if intent.metadata.get("tenant_id") != ctx.tenant.id:
        return None
    order = ctx.data.orders.get(intent.metadata.get("order_id", ""))
    if order is None or find_payment(order, intent_id) is None:
        return None
    return order


def charge_no_show(
    ctx: PaymentsContext,
    cache: CatalogCache,
    order_id: str,
    *,
    gateway: PaymentGateway,
    accounts: PaymentAccounts,
) -> str:
    """The no-show fee off-session on the card saved at booking; a decline is recorded."""
    order = get_order(ctx, order_id)
    if order.status is not S.NO_SHOW:
        return "not_a_no_show"
    fee = min(order_policy(ctx, cache, order).no_show_fee, max(0, order.total))  # as marked
    if fee <= 0 or order.card_on_file is None:
        return "no_fee"
    if any(p.kind is PaymentKind.NO_SHOW_FEE for p in order.payments):
        return "already_charged"
    account = accounts.get(ctx.tenant.id).account_id
    if account is None:
        return "no_account"
    # Money the guest already paid (at the desk, by transfer) counts towards the fee.
    amount = to_provider_amount(max(0, fee - refundable(order)), order.currency)
    if amount == 0:
        return "paid_otherwise"
    attempt = next_attempt(order)
    intent = gateway.charge_saved_card(
        account=account,
        customer=order.card_on_file.customer,
        payment_method=order.card_on_file.payment_method,
        amount=amount,
        currency=order.currency,
        application_fee=platform_fee(ctx.tenant.plan, amount),
        metadata={
            "tenant_id": ctx.tenant.id,
            "order_id": order.id,
            "attempt": str(attempt),
            "kind": PaymentKind.NO_SHOW_FEE.value,
        },
        idempotency_key=f"{order.id}:no-show-fee",
    )
    status = intent_status(intent.status, failed=intent.error_code is not None)
    payment = Payment(
        id=intent.id,
        kind=PaymentKind.NO_SHOW_FEE,
        amount=amount,
        attempt=attempt,
        status=status,
        received=intent.amount_received if status is A.SUCCEEDED else 0,
        error=intent.error_code,
        created_at=ctx.now(),
        updated_at=ctx.now(),
    )
    after = with_payment(order, payment, ctx.now())
    event = NoShowFeeCharged if status is A.SUCCEEDED else NoShowFeeDeclined
    record_made(
        ctx,
        order,
        after,
        lambda o: [
            event(
                **order_facts(ctx, o), payment_id=intent.id, amount=amount, code=intent.error_code
            )
        ],
    )
    return "charged" if status is A.SUCCEEDED else "declined"
