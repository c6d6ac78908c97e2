"""A customer's own order, reached with the signed manage token they got when booking.

No account is needed: the token (booking/domain/manage_token.py) is an HMAC over the tenant,
the order, its link generation and an expiry 30 days after the booking ends. It is in the
widget's answer to a booking and in the link of every message about the booking. A missing
token is 403; one issued for another order, before staff revoked the links, expired or forged,
is the same 404 as an order that does not exist (ids are not guessable, but say nothing). Each
use case here checks the token first, then acts as the staff would.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol
from urllib.parse import urlencode

from chalicelib.booking.domain import manage_token
from chalicelib.booking.domain.orders import Order
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.booking.services.order_unit_of_work import OrderUnitOfWork
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.calendar import parse_iso_utc
from chalicelib.kernel.domain.errors import Conflict, Forbidden, NotFound, TransientFailure
from chalicelib.kernel.domain.tenant import Tenant

TOKEN_DAYS_AFTER_END = 30
CUSTOMER_CANCEL_REASON = "cancelled by the customer"


class ManageTokenSecret(Protocol):
    """The key that signs manage tokens (kernel/adapters/secrets.PlainSecretSource): read per use,
    so a rotated secret is picked up without a deploy."""

    def get(self) -> str: ...


class MoveNeedsTheBusiness(Conflict):
    """The customer may not move a booking that would cost a fee to cancel now: 409."""

    code = "move_needs_the_business"


def _secret(secrets: ManageTokenSecret) -> str:
    secret = secrets.get()
    if not secret:
        raise TransientFailure("Manage links are not configured.", code="manage_tokens_off")
    return secret


def issue_token(ctx: BookingContext, secrets: ManageTokenSecret, order: Order) -> str:
    """The order's manage token, valid until 30 days after the booking ends."""
    return _token(ctx.tenant, secrets, order)


def _token(tenant: Tenant, secrets: ManageTokenSecret, order: Order) -> str:
    expires = int(parse_iso_utc(order.end).timestamp()) + TOKEN_DAYS_AFTER_END * 86400
    return manage_token.issue(
        _secret(secrets),
        tenant_id=tenant.id,
        order_id=order.id,
        expires=expires,
        gen=order.manage_gen,
    )


def manage_link(tenant: Tenant, secrets: ManageTokenSecret, order: Order) -> str:
    """The link a message about the order carries: the tenant's page with the widget, the
    order and a fresh token in its fragment (which no request sends on); "" when the tenant
    names no such page."""
    page = tenant.settings.booking_page
    if not page:
        return ""
    fragment = urlencode(
        {"reservoir_order": order.id, "reservoir_token": _token(tenant, secrets, order)}
    )
    return f"{page}#{fragment}"


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
        gen = manage_token.verify(
            token,
            _secret(secrets),
            tenant_id=ctx.tenant.id,
            order_id=order_id,
            now=int(time.time()),
        )
        order = order_service.get_order(ctx, order_id)
    except (Forbidden, NotFound) as exc:
        raise NotFound("No such order.", code="order_not_found") from exc
    if order.manage_gen != gen:  # issued before staff revoked the order's links
        raise NotFound("No such order.", code="order_not_found")
    return order


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
    """The customer moves the booking, only while cancelling it now would cost nothing (else
    moving it far out and then cancelling would dodge the cancellation policy's fee: staff
    still move it, on their own route). They send no version: a concurrent change is reread,
    and the move checked and planned over it."""
    order = own_order(ctx, secrets, order_id, token)

    def free_to_cancel(now: Order) -> None:
        policies = order_service.cancellation_policies(ctx, cache, now)
        fee = order_service.cancellation_terms(now, ctx.now(), policies)["fee"]
        if fee > 0:
            raise MoveNeedsTheBusiness(
                "Ask the business to move it: cancelling it now would cost a fee.",
                fee=fee,
                currency=now.currency,
            )

    return order_service.reschedule(
        ctx, cache, order.id, lines, expected_version=None, check=free_to_cancel
    )


def revoke_links(ctx: BookingContext, order_id: str) -> Order:
    """Staff revoke every manage link of the order (one was forwarded, say): the link
    generation goes up, so each token issued before is refused (404, as any unknown link);
    the customer's next message about the booking carries a new link."""
    for attempt in range(3):  # a change landing meanwhile: read it and revoke on top of it
        order = order_service.get_order(ctx, order_id)
        after = replace(
            order, manage_gen=order.manage_gen + 1, version=order.version + 1, updated_at=ctx.now()
        )
        try:
            with OrderUnitOfWork(ctx) as uow:
                uow.put_order(after, before=order)
                uow.commit()
        except Conflict:
            if attempt == 2:
                raise
            continue
        ctx.audit("order.manage_links_revoked", f"order:{order.id}", generation=after.manage_gen)
        return after
    raise AssertionError("unreachable")
