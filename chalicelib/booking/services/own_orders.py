"""A customer's own order, reached with the signed manage token they got when booking.

No account is needed: the token (booking/domain/manage_token.py) is an HMAC over the tenant,
the order, its link generation and an expiry 30 days after the booking ends. It is in the
widget's answer to a booking and in the link of every message about the booking. A missing
token is 403; one issued for another order, before staff revoked the links, expired or forged,
is the same 404 as an order that does not exist (ids are not guessable, but say nothing). Each
use case here checks the token first, then acts as the staff would.

The manage token only proves one holds a link to the order, and whoever makes a hold gets its
token in the answer, under any e-mail address they type. What is the customer's rather than
the order's (their points, what they booked before) needs the e-mail proof too
(manage_token.mail_proof): it is only in the links of the e-mails sent to the order's address
(`reservoir_proof` beside `reservoir_token`), never in an answer or a text message. Without it,
or with one of an older link generation or address: 403 `email_link_required`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Protocol
from urllib.parse import urlencode

from chalicelib.booking.domain import manage_token
from chalicelib.booking.domain.closed_dates import check_open, line_days
from chalicelib.booking.domain.orders import RESCHEDULABLE, BookingStatus, Order
from chalicelib.booking.domain.partner_refs import check_own_change
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.cancellation_terms import kept_terms
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.booking.services.order_unit_of_work import OrderUnitOfWork
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.calendar import parse_iso_utc
from chalicelib.kernel.domain.errors import Conflict, Forbidden, NotFound, TransientFailure
from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.services.rereads import decide_again

TOKEN_DAYS_AFTER_END = 30
CUSTOMER_CANCEL_REASON = "cancelled by the customer"


class ManageTokenSecret(Protocol):
    """The key that signs manage tokens (kernel/adapters/secrets.PlainSecretSource): read per use,
    so a rotated secret is picked up without a deploy."""

    def get(self) -> str: ...


class MoveNeedsTheBusiness(Conflict):
    """The customer may not move a booking that would cost a fee to cancel now: 409."""

    code = "move_needs_the_business"


class NoLongerHeld(Conflict):
    """A hold given back ("Choose another time") that is no longer a hold: 409. Its card
    payment landed while the answer was lost (an outside tester's phone), and the widget's
    release, a plain cancel then, cancelled the paid, confirmed booking and refunded it."""

    code = "no_longer_held"


class MoveAddsLines(Conflict):
    """The customer's move has more lines than the booking: 409. A move is of what was
    booked; a tester's link grew a confirmed haircut into two, past the hold's budget."""

    code = "move_adds_lines"


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


def manage_link(
    tenant: Tenant, secrets: ManageTokenSecret, order: Order, *, emailed: bool = False
) -> str:
    """The link a message about the order carries: the tenant's page with the widget, the
    order and a fresh token in its fragment (which no request sends on); "" when the tenant
    names no such page; the customer's language, when known, rides along (`reservoir_lang`).
    `emailed`: the link of an e-mail to the order's address, which carries the e-mail proof
    too (never a text message's: the phone is anyone's to type)."""
    page = tenant.settings.booking_page
    if not page:
        return ""
    parts = {"reservoir_order": order.id, "reservoir_token": _token(tenant, secrets, order)}
    if emailed and order.customer.email:
        parts["reservoir_proof"] = _mail_proof(tenant, secrets, order)
    # The page opens in the customer's language, whatever the page or the browser says.
    if order.customer.locale:
        parts["reservoir_lang"] = order.customer.locale
    return f"{page}#{urlencode(parts)}"


def _mail_proof(tenant: Tenant, secrets: ManageTokenSecret, order: Order) -> str:
    return manage_token.mail_proof(
        _secret(secrets),
        tenant_id=tenant.id,
        order_id=order.id,
        gen=order.manage_gen,
        email=order.customer.email,
    )


def mail_proven(
    ctx: BookingContext, secrets: ManageTokenSecret, order: Order, proof: str | None
) -> bool:
    """Whether `proof` came in an e-mail about `order` (at its current link generation) to
    its current address: the reader of that address's mail holds it."""
    return bool(proof) and manage_token.proves_mail(
        proof or "",
        _secret(secrets),
        tenant_id=ctx.tenant.id,
        order_id=order.id,
        gen=order.manage_gen,
        email=order.customer.email,
    )


def own_order_by_mail(
    ctx: BookingContext,
    secrets: ManageTokenSecret,
    order_id: str,
    token: str | None,
    proof: str | None,
) -> Order:
    """The order, if `token` opens it and `proof` came in an e-mail about it: what belongs to
    the customer rather than to the order is answered only then (the module's docstring)."""
    order = own_order(ctx, secrets, order_id, token)
    if not mail_proven(ctx, secrets, order, proof):
        raise Forbidden(
            "Open the link in an e-mail about this booking: it carries the proof that the "
            "address is yours (X-Email-Proof).",
            code="email_link_required",
        )
    return order


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
            now=int(parse(ctx.now()).timestamp()),  # the context's clock, as everywhere
        )
        order = order_service.get_order(ctx, order_id)
    except (Forbidden, NotFound) as exc:
        raise NotFound("No such order.", code="order_not_found") from exc
    if order.manage_gen != gen:  # issued before staff revoked the order's links
        raise NotFound("No such order.", code="order_not_found")
    return order


def own_order_to_change(
    ctx: BookingContext, secrets: ManageTokenSecret, order_id: str, token: str | None
) -> Order:
    """The order, if `token` opens it and the customer may act on it (cancel, move, confirm,
    pay): not a channel partner's, which the partner sold and settles (partner_refs
    `check_own_change`). Every action of the manage page takes its order here, so a new one
    cannot forget the partner (a reseller's hold was confirmed by its customer)."""
    order = own_order(ctx, secrets, order_id, token)
    check_own_change(order.partner)
    return order


def units_to_free(
    ctx: BookingContext, secrets: ManageTokenSecret, order_id: str, token: str | None
) -> str | None:
    """The order whose units the customer's availability query counts as free for it (they
    are moving it): only with its manage token (own_order's refusals: another order's token
    opens nothing), and only while it holds units (held or confirmed): a cancelled or expired
    booking's units were given back, and counting them again would offer what is not free."""
    order = own_order(ctx, secrets, order_id, token)
    return order.id if order.status in RESCHEDULABLE else None


def cancel_own_order(
    ctx: BookingContext,
    secrets: ManageTokenSecret,
    cache: CatalogCache,
    order_id: str,
    token: str | None,
    *,
    reason: str | None,
    quote: bool = False,
) -> Order:
    """The customer cancels: the offering's cancellation tiers decide the refund (`quote`:
    what cancelling now would cost and give back, nothing changed)."""
    order = own_order_to_change(ctx, secrets, order_id, token)
    return order_service.cancel(
        ctx, cache, order.id, reason=reason or CUSTOMER_CANCEL_REASON, quote=quote
    )


def release_own_hold(
    ctx: BookingContext,
    secrets: ManageTokenSecret,
    cache: CatalogCache,
    order_id: str,
    token: str | None,
) -> Order:
    """The widget's "Choose another time": the hold given back, and only a hold. One given
    back or run out already is answered as it is (a retry after a lost answer); any other
    (paid and confirmed meanwhile) is 409 `no_longer_held`, unchanged. The cancel is made at
    the version read as held, so a payment confirming it in between is seen on the reread."""
    own_order_to_change(ctx, secrets, order_id, token)

    def released() -> Order:
        now = order_service.get_order(ctx, order_id)
        if now.status in (BookingStatus.CANCELLED, BookingStatus.EXPIRED):
            return now
        if now.status is not BookingStatus.HELD:
            raise NoLongerHeld(
                "This is no longer a hold (it was paid and confirmed): it is not given back."
            )
        return order_service.cancel(
            ctx, cache, order_id, reason=CUSTOMER_CANCEL_REASON, expected_version=now.version
        )

    return decide_again(released)


def reschedule_own_order(
    ctx: BookingContext,
    secrets: ManageTokenSecret,
    cache: CatalogCache,
    order_id: str,
    token: str | None,
    lines: Sequence[LineInput],
    *,
    check_after: Callable[[Order, Order], None] | None = None,
    quote: bool = False,
) -> Order:
    """The customer moves the booking, only while cancelling it now would keep nothing of
    what was paid (else moving it far out and then cancelling would dodge the cancellation
    policy's fee: staff still move it, on their own route). They send no version: a
    concurrent change is reread, and the move checked and planned over it.
    `check_after(order, moved)`: the payment rule (payments/services/own_moves.py: a
    confirmed booking may not grow past what was paid); a move onto a date the business
    marked closed is 422 `business_closed` (closed_dates)."""
    order = own_order_to_change(ctx, secrets, order_id, token)

    def open_and_paid(now: Order, moved: Order) -> None:
        if len(moved.lines) > len(now.lines):
            raise MoveAddsLines(
                "A change moves what was booked: book anything more as a new booking.",
                lines=len(now.lines),
            )
        kept = [d for line in now.lines for d in line_days(line)]
        check_open(ctx.tenant.settings.opening_hours.closed_dates, moved.lines, kept=kept)
        if check_after is not None:
            check_after(now, moved)

    def free_to_cancel(now: Order) -> None:
        # What a cancellation now would keep, not what the policy alone would ask: a booking
        # not paid for keeps nothing cancelled (kept_terms), so refusing to move it, while
        # its cancellation was free, only turned the customer into a cancellation (a
        # restaurant tester's unpaid table).
        policies = order_service.cancellation_policies(ctx, cache, now)
        clock = order_service.stay_clock(ctx)
        terms = order_service.cancellation_terms(now, ctx.now(), policies, clock)
        fee = kept_terms(now, terms)["fee"]
        if fee > 0:
            raise MoveNeedsTheBusiness(
                "Ask the business to move it: cancelling it now would cost a fee.",
                fee=fee,
                currency=now.currency,
            )

    return order_service.reschedule(
        ctx,
        cache,
        order.id,
        lines,
        expected_version=None,
        check=free_to_cancel,
        check_after=open_and_paid,
        quote=quote,
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
