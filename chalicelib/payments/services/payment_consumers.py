"""Payments' consumers of domain events (registered in pipeline/consumers.py): a cancelled
order is refunded by its policy, a no-show is charged its fee, and a hotel's authorisation is
captured when the guest checks in; a hold that ran out gives its gift-card money back onto the
cards. The dispatcher runs each at
most once per event; the Stripe keys carry the event id for the one at-least-once case. One
moves no money: a hold revived by its late payment counts in the plan's month again."""

from __future__ import annotations

from typing import Protocol

from chalicelib.booking.domain.payment_records import AttemptStatus
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.events import (
    OrderCancelled,
    OrderCheckedIn,
    OrderConfirmed,
    OrderExpired,
    OrderMarkedNoShow,
)
from chalicelib.payments.services.captures import NotCapturable, capture
from chalicelib.payments.services.gift_card_ports import GiftCardTender
from chalicelib.payments.services.gift_card_refunds import return_on_expiry
from chalicelib.payments.services.payment_ports import (
    PaymentAccounts,
    PaymentGateway,
    PaymentsContext,
)
from chalicelib.payments.services.refunds import charge_no_show, settle_cancellation
from chalicelib.tenancy.services import plan_limits


class PaymentDeps(Protocol):
    """What moving money needs: the provider and the tenants' connected accounts."""

    @property
    def gateway(self) -> PaymentGateway: ...
    @property
    def payment_accounts(self) -> PaymentAccounts: ...


class FeeDeps(PaymentDeps, Protocol):
    @property
    def catalog_cache(self) -> CatalogCache: ...


class CardDeps(PaymentDeps, Protocol):
    @property
    def gift_cards(self) -> GiftCardTender: ...


class RefundOnCancellation:
    name = "payments.refund_on_cancellation"
    events = (OrderCancelled,)
    repeatable = False  # money moves: marked done once it returns

    def handle(self, ctx: PaymentsContext, event: OrderCancelled, deps: CardDeps) -> None:
        settle_cancellation(
            ctx,
            event.order_id,
            fee=event.fee,
            key=f"cancel:{event.id}",
            gateway=deps.gateway,
            accounts=deps.payment_accounts,
            gift_cards=deps.gift_cards,
        )


class GiftCardsBackOnExpiry:
    """A hold the widget paid in part by gift card, whose rest never came: the gift-card money
    goes back onto the cards (gift_card_refunds.return_on_expiry)."""

    name = "payments.gift_cards_back_on_expiry"
    events = (OrderExpired,)
    repeatable = False  # money moves: marked done once it returns

    def handle(self, ctx: PaymentsContext, event: OrderExpired, deps: CardDeps) -> None:
        return_on_expiry(ctx, event.order_id, gift_cards=deps.gift_cards, key=f"expiry:{event.id}")


class NoShowFee:
    name = "payments.no_show_fee"
    events = (OrderMarkedNoShow,)
    repeatable = False  # money moves: marked done once it returns

    def handle(self, ctx: PaymentsContext, event: OrderMarkedNoShow, deps: FeeDeps) -> None:
        charge_no_show(
            ctx,
            deps.catalog_cache,
            event.order_id,
            gateway=deps.gateway,
            accounts=deps.payment_accounts,
        )


class CaptureOnCheckIn:
    """A hotel stay paid by authorisation is captured when the guest checks in: the stay is
    certain from then, and card authorisations lapse after a few days. Staff can still
    capture earlier, or less, with POST /v1/orders/{id}/capture."""

    name = "payments.capture_on_check_in"
    events = (OrderCheckedIn,)
    repeatable = False  # money moves: marked done once it returns

    def handle(self, ctx: PaymentsContext, event: OrderCheckedIn, deps: PaymentDeps) -> None:
        order = ctx.data.orders.get(event.order_id)
        if order is None or not any(p.status is AttemptStatus.AUTHORISED for p in order.payments):
            return  # nothing authorised (paid already, pay at the venue, or captured by staff)
        try:
            capture(
                ctx, order.id, amount=None, gateway=deps.gateway, accounts=deps.payment_accounts
            )
        except NotCapturable:
            return  # cancelled meanwhile: released, or refunded at once (captures.py)


class CountRevivedBookings:
    """An expired hold confirmed again (its late payment, payment_orders.revive; or a
    partner's retry, channels' conflicts.revive) is a booking of its month again: its expiry's
    `booking_release` released its mark (tenancy's plan_limits.count_revived). In the
    bookkeeping group, where `booking_release` is; the order is read for the month it was held."""

    name = "payments.count_revived_bookings"
    events = (OrderConfirmed,)
    # Its one write is keyed by the order: written again, the same mark.
    repeatable = True

    def handle(self, ctx: PaymentsContext, event: OrderConfirmed, deps: object) -> None:
        if event.previous_status != "expired":
            return
        order = ctx.data.orders.get(event.order_id)
        if order is not None:
            plan_limits.count_revived(ctx, order.id, order.created_at)
