"""The widget's "Choose another time" (a hold given back) with Stripe asked first.

Booking gives a hold back only while it is a hold (booking/services/own_orders.py,
`release_own_hold`: 409 `no_longer_held` once it is paid and confirmed). But a card payment
that Stripe has taken is a hold on the order until its webhook arrives: a guest who paid,
whose page reloaded before the answer (the widget's memory of the payment gone with it), and
who then chose another time, had the paid booking cancelled, and the payment refunded when its
webhook came (a late review's finding). So the order's payments still being asked are read
from Stripe first, as the webhook would record them (`sync_intent`): one taken confirms the
order, and the release is then refused, the booking kept. Only what the order records as
still asked is read (none on a hold never sent to pay: no call to Stripe), and Stripe
unreachable refuses the release (503, retried) rather than cancel a booking it may have been
paid for; a payment Stripe refuses for good to show (the platform disconnected) cannot be
read, and the hold is given back as the customer asked. A card paid in the very moment
between the read and the release lands on a cancelled order and goes straight back, as any
late payment on a cancelled order does.
"""

from __future__ import annotations

from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.domain.payment_records import AttemptStatus as A
from chalicelib.booking.domain.payment_records import PaymentKind
from chalicelib.booking.services.own_orders import (
    ManageTokenSecret,
    own_order_to_change,
    release_own_hold,
)
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.observability import logger
from chalicelib.payments.domain.payments import ProviderError
from chalicelib.payments.services.payment_ports import (
    PaymentAccounts,
    PaymentGateway,
    PaymentsContext,
)
from chalicelib.payments.services.payments import sync_intent

# What a payment still being asked is recorded as: a card form open, 3-D Secure, in flight, or
# declined (the same form takes another card, which Stripe may have taken since).
ASKED = frozenset(
    {A.PENDING, A.ACTION_REQUIRED, A.PROCESSING, A.FAILED},
)


def release_own_hold_asked_first(
    ctx: PaymentsContext,
    secrets: ManageTokenSecret,
    cache: CatalogCache,
    order_id: str,
    token: str | None,
    *,
    gateway: PaymentGateway,
    accounts: PaymentAccounts,
) -> Order:
    """The hold given back unless Stripe has taken its payment: then 409 `no_longer_held`,
    the order confirmed as the webhook will confirm it."""
    order = own_order_to_change(ctx, secrets, order_id, token)
    asked = [p.id for p in order.payments if p.kind is not PaymentKind.DESK and p.status in ASKED]
    # The account that took them, whether or not it may charge now (Stripe may have restricted
    # it since): reading a payment needs no more.
    account = accounts.get(ctx.tenant.id).account_id
    if order.status is BookingStatus.HELD and asked and account:
        for intent_id in asked:
            try:
                sync_intent(ctx, account, intent_id, gateway=gateway)
            except ProviderError:
                # Stripe refuses to show it for good (the business disconnected the platform in
                # its own dashboard): it cannot be read, so the hold is given back as before,
                # not kept past the customer's wish (a reviewer's 502). Stripe busy (503) still
                # stops the release, retried.
                logger.warning("release: a payment could not be read", extra={"order": order_id})
    return release_own_hold(ctx, secrets, cache, order_id, token)
