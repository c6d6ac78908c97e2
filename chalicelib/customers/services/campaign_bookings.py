"""The bookings that followed a campaign: the consumer `CreditCampaigns` (pipeline/consumers.py,
bookkeeping group) of `OrderConfirmed`.

A booking is credited to the most recent campaign e-mailed to its customer (a claim settled
`sent`, found in one Query of `CUS#<id>`/`CAMP#...`) whose window holds it: confirmed no
earlier than the e-mail and at most the campaign's `follow_days` after it. The customer is the
order's (its derived id) and, after a merge, the record it now leads to. The count and the
order's mark (`CAMP#<campaign>`/`BOOKED#<order>`) are one transaction conditional on the mark
being new, so an event delivered three times counts once.
"""

from __future__ import annotations

from typing import Any

from chalicelib.booking.domain.orders import Channel
from chalicelib.customers.services.campaign_ports import CampaignsContext, SendClaim
from chalicelib.customers.services.campaign_writes import credit_booking
from chalicelib.customers.services.records import live
from chalicelib.kernel.domain.events import OrderConfirmed
from chalicelib.kernel.domain.timefmt import add_seconds


def credited_claim(claims: list[SendClaim], at: str) -> SendClaim | None:
    """The most recent claim sent before `at` whose window holds `at`."""
    held = [
        c
        for c in claims
        if c.state == "sent"
        and c.sent_at
        and c.sent_at <= at <= add_seconds(c.sent_at, c.follow_days * 86400)
    ]
    return max(held, key=lambda c: (c.sent_at, c.campaign_id), default=None)


class CreditCampaigns:
    name = "campaign_bookings"
    events = (OrderConfirmed,)
    repeatable = True  # its one write is conditional on the order's mark being new

    def handle(self, ctx: CampaignsContext, event: OrderConfirmed, deps: Any) -> None:
        order = ctx.data.orders.get(event.order_id)
        if order is None or not order.customer.id or order.customer.erased:
            return
        if order.channel is Channel.IMPORT:
            return  # brought over from another system: not a booking the campaign brought
        ids = [order.customer.id]
        target, _ = live(ctx, order.customer.id)
        ids += [target] if target != order.customer.id else []
        claims = [c for i in ids for c in ctx.data.campaigns.claims_of(i)]
        claim = credited_claim(claims, event.at)
        if claim is not None:
            credit_booking(ctx, claim.campaign_id, order.id, event.at)
