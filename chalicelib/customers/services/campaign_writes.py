"""The campaigns' writes that must be atomic, through the unit of work: each changes one item
on a condition and the campaign's count with it, so a count moves exactly when its item does
(a claim, its outcome, its release, an unsubscribe, a booking that followed). Each answers
False when its condition found the work done already."""

from __future__ import annotations

from chalicelib.customers.services.campaign_ports import (
    BookingMark,
    CampaignCount,
    CampaignsContext,
    ClaimBounced,
    ClaimPut,
    ClaimRelease,
    ClaimSettle,
    ClaimUnsubscribed,
    SendClaim,
)
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.services.transaction_ports import TransactionItem
from chalicelib.kernel.services.unit_of_work import UnitOfWork

DONE_ALREADY = frozenset(
    {"campaign_claimed", "claim_settled", "unsubscribe_counted", "booking_counted"}
)


def _write(ctx: CampaignsContext, *items: TransactionItem) -> bool:
    try:
        with UnitOfWork(ctx) as uow:
            uow.add(*items)
            uow.commit()
    except Conflict as exc:
        if exc.code in DONE_ALREADY:
            return False
        raise
    return True


def claim(ctx: CampaignsContext, c: SendClaim) -> bool:
    """Claim the customer and count a recipient; False when a claim exists (never again)."""
    return _write(ctx, ClaimPut(c), CampaignCount(c.campaign_id, "recipients"))


def settle(ctx: CampaignsContext, customer_id: str, campaign_id: str, state: str) -> bool:
    """`sent` or `bounced`, counted once."""
    item = ClaimSettle(customer_id, campaign_id, state, ctx.now())
    return _write(ctx, item, CampaignCount(campaign_id, state))


def bounced_later(ctx: CampaignsContext, claim: SendClaim) -> bool:
    """The mail service's bounce notification for a claim read as `sent` (or still
    `claimed`): the claim bounced, counted once; a `sent` one leaves the sent count."""
    moved = "sent" if claim.state == "sent" else ""
    return _write(
        ctx,
        ClaimBounced(claim.customer_id, claim.campaign_id, claim.state, ctx.now()),
        CampaignCount(claim.campaign_id, "bounced", moved_from=moved),
    )


def release(ctx: CampaignsContext, customer_id: str, campaign_id: str) -> bool:
    """Give back a claim whose e-mail did not go out (and its recipient count)."""
    item = ClaimRelease(customer_id, campaign_id)
    return _write(ctx, item, CampaignCount(campaign_id, "recipients", -1))


def unsubscribed(ctx: CampaignsContext, customer_id: str, campaign_id: str) -> bool:
    item = ClaimUnsubscribed(customer_id, campaign_id, ctx.now())
    return _write(ctx, item, CampaignCount(campaign_id, "unsubscribed"))


def credit_booking(ctx: CampaignsContext, campaign_id: str, order_id: str, at: str) -> bool:
    """Count one booking that followed the campaign, once per order."""
    return _write(
        ctx, BookingMark(campaign_id, order_id, at), CampaignCount(campaign_id, "bookings")
    )
