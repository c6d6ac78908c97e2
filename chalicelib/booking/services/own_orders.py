"""A customer's own order, reached with the signed manage token they got when booking.

No account is needed: the token (booking/domain/manage_token.py) is an HMAC over the tenant, the
order and an expiry 30 days after the booking ends. It is in the widget's answer to a booking and,
later, in the confirmation e-mail's link. A missing token is 403; one issued for another order,
expired or forged, is the same 404 as an order that does not exist (ids are not guessable,
but say nothing). Each use case here checks the token first, then acts as the staff would.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Protocol

from chalicelib.booking.domain import manage_token
from chalicelib.booking.domain.orders import Order
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.calendar import parse_iso_utc
from chalicelib.kernel.domain.errors import Forbidden, NotFound, TransientFailure

TOKEN_DAYS_AFTER_END = 30
CUSTOMER_CANCEL_REASON = "cancelled by the customer"


class ManageTokenSecret(Protocol):
    """The key that signs manage tokens (kernel/adapters/secrets.PlainSecretSource): read per use,
    so a rotated secret is picked up without a deploy."""

    def get(self) -> str: ...


def _secret(secrets: ManageTokenSecret) -> str:
    secret = secrets.get()
    if not secret:
        raise TransientFailure("Manage links are not configured.", code="manage_tokens_off")
    return secret


def issue_token(ctx: BookingContext, secrets: ManageTokenSecret, order: Order) -> str:
    """The order's manage token, valid until 30 days after the booking ends."""
    expires = int(parse_iso_utc(order.end).timestamp()) + TOKEN_DAYS_AFTER_END * 86400
    return manage_token.issue(
        _secret(secrets), tenant_id=ctx.tenant.id, order_id=order.id, expires=expires
    )


def own_order(
    ctx: BookingContext, secrets: ManageTokenSecret, order_id: str, token: str | None
) -> Order:
    """The order, if `token` was issued for it (see the module's docstring for the refusals)."""
    if not token:
        raise Forbidden(
            "Send the order's manage token (X-Manage-Token or ?token=).",
            code="manage_token_required",
        )
    try:
        manage_token.verify(
            token,
            _secret(secrets),
            tenant_id=ctx.tenant.id,
            order_id=order_id,
            now=int(time.time()),
        )
    except Forbidden as exc:
        raise NotFound("No such order.", code="order_not_found") from exc
    return order_service.get_order(ctx, order_id)


def cancel_own_order(
    ctx: BookingContext,
    secrets: ManageTokenSecret,
    cache: CatalogCache,
    order_id: str,
    token: str | None,
    *,
    reason: str | None,
) -> Order:
    """The customer cancels: the offering's cancellation tiers decide the refund."""
    order = own_order(ctx, secrets, order_id, token)
    return order_service.cancel(ctx, cache, order.id, reason=reason or CUSTOMER_CANCEL_REASON)


def reschedule_own_order(
    ctx: BookingContext,
    secrets: ManageTokenSecret,
    cache: CatalogCache,
    order_id: str,
    token: str | None,
    lines: Sequence[LineInput],
) -> Order:
    """The customer moves the booking. They send no version: a concurrent change is reread
    and the move planned over it."""
    order = own_order(ctx, secrets, order_id, token)
    return order_service.reschedule(ctx, cache, order.id, lines, expected_version=None)
