"""The customer capability's domain events: customers, loyalty points, coupons and gift cards,
campaigns (the issue that builds them adds their classes here, and each to `EVENTS` in
kernel/domain/event_registry.py).

Events about a customer rather than an order carry no `order_id` (their `Record.order_id` is
empty); one about a redemption inside a booking is an `OrderEvent`, written in the order's own
transaction.
"""

from __future__ import annotations

from chalicelib.kernel.domain.events import DomainEvent
from chalicelib.kernel.domain.values import value


@value(kw_only=True)
class CustomersMerged(DomainEvent):
    name = "CustomersMerged"
    schema_version = 1
    summary = (
        "Staff merged a duplicate customer record into another: the loser's reads now lead to"
        " the winner, and its orders, figures, notes and tags move to it."
    )
    customer_id: str  # the winner
    merged_id: str  # the loser
    actor: str  # `kind:id` of who merged them


@value(kw_only=True)
class CampaignSent(DomainEvent):
    name = "CampaignSent"
    schema_version = 1
    summary = (
        "A campaign's e-mails went out to the consenting customers of its segment (its job"
        " finished): how many were claimed, sent and refused."
    )
    campaign_id: str
    segment_id: str
    recipients: int  # customers claimed (each e-mailed at most once)
    sent: int
    bounced: int  # refused by the mailer


@value(kw_only=True)
class CustomerUnsubscribed(DomainEvent):
    name = "CustomerUnsubscribed"
    schema_version = 1
    summary = (
        "A customer withdrew their marketing consent through a campaign's unsubscribe link:"
        " no campaign e-mails them again."
    )
    customer_id: str
    campaign_id: str
