"""A customer moves their own booking (the manage link): only within what they have paid.

Booking decides whether the customer may move it at all (booking/services/own_orders.py:
their token, and only while cancelling would cost no fee). This adds the payment rule, which
booking cannot know (the business's connected account, its offerings' deposit rules): a
confirmed booking that the move would make ask more online than it has received (a larger
deposit or full price, more units, a bigger party, an authorisation that no longer covers the
total) is refused, 409 `move_needs_payment` with `amount` (what more would be asked) and
`currency`, and nothing changes. A card authorisation still held counts as paid whatever the
new offering's policy (a stay authorised in full, moved to one that asks a deposit, is covered
as far as the authorisation holds: it is captured at check-in as before). The move is
planned without being written, the rule is checked on the order as the move would make it
and as it was (a booking confirmed by staff without its deposit may still be moved as long
as it asks no more than before), and only then is the move made, in the same conditional
write.

Refused rather than sent back to `held` with the difference due: a confirmed booking that
became a hold again could run out and lose what the customer had; a refusal leaves it as it
was, and the customer books the extra separately (paid as any hold) or asks the business,
whose staff still move it as they choose (`POST /v1/orders/{id}/reschedule`). A held booking
is moved freely: what its payment asks follows the order, and a payment started before the
move that no longer covers it confirms nothing (payments.py, `_money_in`).
"""

from __future__ import annotations

from collections.abc import Sequence

from chalicelib.booking.domain.order_money import authorised
from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.domain.price_agreed import check_agreed_total
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.booking.services.own_orders import ManageTokenSecret, reschedule_own_order
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.domain.money import amount_text, to_provider_amount
from chalicelib.payments.domain.payments import unpaid_to_confirm
from chalicelib.payments.services.payment_orders import order_policy
from chalicelib.payments.services.payment_ports import PaymentAccounts, PaymentsContext


class MoveNeedsPayment(Conflict):
    """The customer's move would make their confirmed booking ask more online than was paid."""

    code = "move_needs_payment"


def move_own_order(
    ctx: PaymentsContext,
    secrets: ManageTokenSecret,
    cache: CatalogCache,
    order_id: str,
    token: str | None,
    lines: Sequence[LineInput],
    *,
    accounts: PaymentAccounts,
    quote: bool = False,
    expected_total: int | None = None,
) -> Order:
    """The customer's move (see the module's docstring); `quote`: the order as the move would
    make it, refused as the move would be, nothing written; `expected_total`: the total the
    customer was told (the quote's), refused as PriceChanged when the move makes another."""

    def paid_for(before: Order, after: Order) -> None:
        check_agreed_total(expected_total, after)
        check_move_paid_for(ctx, cache, accounts, before, after)

    return reschedule_own_order(
        ctx, secrets, cache, order_id, token, lines, check_after=paid_for, quote=quote
    )


def check_move_paid_for(
    ctx: PaymentsContext,
    cache: CatalogCache,
    accounts: PaymentAccounts,
    before: Order,
    after: Order,
) -> None:
    """MoveNeedsPayment when `after` (the confirmed `before`, moved) asks more online than
    `before` did, beyond what was received and authorised."""
    if before.status is not BookingStatus.CONFIRMED:
        return  # a hold: its payment asks what the order asks when it is made
    if not accounts.get(ctx.tenant.id).account_id:
        return  # the business takes no online payments: everything is paid at the venue
    more = _unpaid(ctx, cache, after) - _unpaid(ctx, cache, before)
    if more > 0:
        raise MoveNeedsPayment(
            f"This change asks {amount_text(more, after.currency)} more than was paid online: "
            "ask the business to make it, or book the extra separately.",
            amount=more,
            currency=after.currency,
        )


def _unpaid(ctx: PaymentsContext, cache: CatalogCache, order: Order) -> int:
    """What confirming `order` would ask online beyond what came in and what a card
    authorisation still holds, whatever its offerings' policy now: a booking authorised under
    manual capture and moved to an offering that asks a deposit is covered by the
    authorisation as far as it holds (captured at check-in, or by staff, as before)."""
    policy = order_policy(ctx, cache, order)
    unpaid = unpaid_to_confirm(order, manual_capture=policy.manual_capture)
    if policy.manual_capture:
        return unpaid  # measured against the authorisation already
    return max(0, unpaid - to_provider_amount(authorised(order), order.currency))
