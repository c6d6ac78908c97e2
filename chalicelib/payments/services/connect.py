"""A tenant's own Stripe account (Connect): onboarding, and `account.updated` deciding
whether it can take charges. Until it can, the tenant's bookings are paid at the venue."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from urllib.parse import urlsplit

from chalicelib.kernel.domain.errors import (
    Conflict,
    InvalidInput,
    TransientFailure,
    UpstreamRefused,
)
from chalicelib.payments.services.payment_ports import (
    PaymentAccounts,
    PaymentGateway,
    PaymentsContext,
    StripeLink,
)


def back_from_onboarding(requested: str | None, *, console_origin: str) -> str | None:
    """Where Stripe sends the owner back from onboarding (and where an expired link leads):
    the console page that asked, when it is on the console's origin (nothing else, so an
    onboarding link cannot send an owner to someone else's page), else the console's payments
    page; None when no console is configured."""
    if requested is None:
        return f"{console_origin}/#/payments" if console_origin else None
    parts = urlsplit(requested)
    if not console_origin or f"{parts.scheme}://{parts.netloc}" != console_origin:
        raise InvalidInput(
            "The return address must be a page of the staff console.",
            code="return_url_not_allowed",
            console_origin=console_origin or None,
        )
    return requested


def connection_now(
    ctx: PaymentsContext, *, gateway: PaymentGateway, accounts: PaymentAccounts
) -> StripeLink:
    """The tenant's Stripe link as Stripe has it now while it is onboarding: the owner comes
    back from Stripe's pages before Stripe's `account.updated` has reached the payments
    worker, and the console must not tell them to onboard again. One read of the account,
    only while it cannot take charges yet; if Stripe does not answer, the link as recorded;
    if another read (or the worker's event) recorded it meanwhile, the link as it is now:
    read again after the check, because the worker may record it between the first read and
    the check, which then finds nothing to change ("unchanged") and the first read is stale."""
    link = accounts.get(ctx.tenant.id)
    if link.account_id is None or link.charges_enabled:
        return link
    # Stripe did not answer, or others kept recording it: the link as recorded now.
    with contextlib.suppress(TransientFailure, UpstreamRefused, Conflict):
        account_updated(ctx.tenant.id, link.account_id, gateway=gateway, accounts=accounts)
    return accounts.get(ctx.tenant.id)


def start_onboarding(
    ctx: PaymentsContext,
    *,
    gateway: PaymentGateway,
    accounts: PaymentAccounts,
    refresh_url: str,
    return_url: str,
) -> tuple[StripeLink, str]:
    """Create the connected account once (key `<tenant>:connect`), map it to the tenant,
    and return a fresh onboarding link (links are single-use; ask again for another)."""
    link = accounts.get(ctx.tenant.id)
    if link.account_id is None:
        account = gateway.create_account(
            tenant_id=ctx.tenant.id,
            email=ctx.tenant.owner_email,
            idempotency_key=f"{ctx.tenant.id}:connect",
        )
        accounts.map_account(account.id, ctx.tenant.id)
        link = accounts.save(
            replace(
                link,
                account_id=account.id,
                charges_enabled=account.charges_enabled,
                details_submitted=account.details_submitted,
            )
        )
        ctx.audit("stripe.account_created", f"stripe:{account.id}")
    url = gateway.account_link(
        link.account_id or "", refresh_url=refresh_url, return_url=return_url
    )
    return link, url


ATTEMPTS = 3  # writers of one tenant's link: this worker, the owner's page, onboarding


def account_updated(
    tenant_id: str, account_id: str, *, gateway: PaymentGateway, accounts: PaymentAccounts
) -> str:
    """Read the account as it is now (not as the event said) and record whether it can
    take charges. The link is saved under a version check that another writer can win (the
    owner's Payments page reads the same account as Stripe sends `account.updated`: by
    design, `connection_now`). A lost race whose winner stored what this would store is
    done ("recorded"); one that stored something else is read again, with Stripe's account,
    and applied. Only a race lost every time raises Conflict (retried as any failure)."""
    lost: Conflict | None = None
    for _ in range(ATTEMPTS):
        link = accounts.get(tenant_id)
        if link.account_id != account_id:
            return "not_linked"
        account = gateway.get_account(account_id)
        now = (account.charges_enabled, account.details_submitted)
        if now == (link.charges_enabled, link.details_submitted):
            return "unchanged"
        try:
            accounts.save(replace(link, charges_enabled=now[0], details_submitted=now[1]))
        except Conflict as exc:
            if _stored(accounts.get(tenant_id), account_id) == now:
                return "recorded"
            lost = exc
            continue
        return "enabled" if account.charges_enabled else "disabled"
    assert lost is not None
    raise lost


def _stored(link: StripeLink, account_id: str) -> tuple[bool, bool] | None:
    if link.account_id != account_id:
        return None
    return (link.charges_enabled, link.details_submitted)
