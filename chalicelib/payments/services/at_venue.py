"""A customer confirms their own held booking to pay at the venue.

The widget's booking is a hold until it is paid for or confirmed. When nothing is collected
online, because the business takes no online payments (it never connected a Stripe account)
or the booking's offerings ask for nothing ahead (no deposit, no authorisation, no card kept
for a no-show fee), the customer confirms it themselves and pays at the venue. When something
is due online, only the payment confirms it (payments.py), so a customer cannot skip a
deposit the business asks for: 409 `payment_required`. A business whose connected account
cannot charge for now (Stripe restricted it) does not lose its deposits to that: the same
409, and the customer tries later or calls the business. A hold past its expiry is confirmed
by nobody (409 `hold_expired`), as a payment would not be.

`how_to_settle` says which of the two a held order takes, before the widget asks for either
(`GET /v1/public/orders/{id}/payment`): a pay-at-venue booking is not first sent to the
payment route only to be refused there.
"""

from __future__ import annotations

from enum import StrEnum

from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.services.orders import confirm
from chalicelib.booking.services.own_orders import ManageTokenSecret, own_order_to_change
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.errors import Conflict, HoldExpired
from chalicelib.kernel.domain.values import value
from chalicelib.payments.domain.payments import due_online
from chalicelib.payments.services.payment_orders import check_live_hold, order_policy
from chalicelib.payments.services.payment_ports import PaymentAccounts, PaymentsContext


class PaymentRequired(Conflict):
    """The booking asks for a payment online before it is confirmed."""

    code = "payment_required"


class Settle(StrEnum):
    CARD = "card"  # something is collected online: POST .../payment
    VENUE = "venue"  # nothing is: POST .../confirm, and pay at the venue
    UNAVAILABLE = "unavailable"  # something is, but the business cannot charge for now


@value
class Settling:
    how: Settle
    kind: str | None  # what is collected online (deposit, full, authorisation, card_on_file)


def how_to_settle(
    ctx: PaymentsContext,
    secrets: ManageTokenSecret,
    order_id: str,
    token: str | None,
    *,
    accounts: PaymentAccounts,
    cache: CatalogCache,
) -> Settling:
    """How the customer's held order is settled, decided as the payment route and the
    confirmation decide it (409 `order_not_held`, `hold_expired` as they answer)."""
    order = own_order_to_change(ctx, secrets, order_id, token)
    check_live_hold(ctx, order)
    link = accounts.get(ctx.tenant.id)
    policy = order_policy(ctx, cache, order)
    due = due_online(order, manual_capture=policy.manual_capture, keep_card=policy.keep_card)
    if due is None or not link.account_id:
        return Settling(Settle.VENUE, None)
    kind = due[0].value
    return Settling(Settle.CARD if link.charges_enabled else Settle.UNAVAILABLE, kind)


def confirm_own_order_at_venue(
    ctx: PaymentsContext,
    secrets: ManageTokenSecret,
    order_id: str,
    token: str | None,
    *,
    accounts: PaymentAccounts,
    cache: CatalogCache,
) -> Order:
    """The held order, confirmed to be paid at the venue (see the module's docstring)."""
    order = own_order_to_change(ctx, secrets, order_id, token)
    expires = order.hold_expires_at
    if order.status is BookingStatus.HELD and expires and expires <= ctx.now():
        raise HoldExpired("The hold has run out; book again.")
    check_nothing_due_online(ctx, cache, accounts, order)
    return confirm(ctx, order.id)


def check_nothing_due_online(
    ctx: PaymentsContext, cache: CatalogCache, accounts: PaymentAccounts, order: Order
) -> None:
    """PaymentRequired when the business's rules collect something online before the order
    is confirmed (the widget's own confirmation, and a channel partner's whose customer pays
    the business: channels/services/octo_confirm.py)."""
    if not accounts.get(ctx.tenant.id).account_id:
        return  # the business takes no online payments: everything is paid at the venue
    policy = order_policy(ctx, cache, order)
    due = due_online(order, manual_capture=policy.manual_capture, keep_card=policy.keep_card)
    if due is not None:
        kind, amount = due
        raise PaymentRequired(
            "This booking is confirmed by paying online "
            f"({kind.value.replace('_', ' ')}), not at the venue.",
            kind=kind.value,
            amount=amount,
        )
