"""The customer capability's domain events: customers, loyalty points, coupons and gift cards,
campaigns (the issue that builds them adds their classes here, and each to `EVENTS` in
kernel/domain/event_registry.py).

Events about a customer rather than an order carry no `order_id` (their `Record.order_id` is
empty); one about a redemption inside a booking is an `OrderEvent`, written in the order's own
transaction.
"""

from __future__ import annotations

from chalicelib.kernel.domain.events import DomainEvent, omitted_when
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
class CustomerImported(DomainEvent):
    """A customer read from another system's export (customers/services/import_rows.py): the
    records' consumer makes or updates the customer's record from it. Its id is derived from
    the file, the row and the customer, so importing the same file again writes nothing."""

    name = "CustomerImported"
    schema_version = 1
    summary = (
        "A customer was imported from another system's export (`import_id`, `row`); consent "
        "as the file gave it."
    )
    customer_id: str  # customers/domain/identity.customer_id_for(email, phone)
    customer_name: str  # may be empty (a customer known by contact alone)
    email: str | None = omitted_when(None)  # normalised (lower case)
    phone: str | None = omitted_when(None)  # E.164
    tags: list[str]  # may be empty
    notes: str = omitted_when("")
    birthday: str | None = omitted_when(None)  # ISO date
    marketing_consent: bool | None = omitted_when(None)  # as the file said; None: it did not
    consent_source: str = "import"
    consent_at: str | None = omitted_when(None)  # the import's time, when consent is given
    import_id: str
    row: int  # the row of the file (its header is row 1)


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


@value(kw_only=True)
class GiftCardIssued(DomainEvent):
    name = "GiftCardIssued"
    schema_version = 1
    summary = "A gift card was sold (at the desk, or paid online) and is e-mailed to its recipient."
    card_id: str
    amount: int
    currency: str
    channel: str  # desk | widget


@value(kw_only=True)
class GiftCardDisabled(DomainEvent):
    name = "GiftCardDisabled"
    schema_version = 1
    summary = "Staff disabled a gift card: it can no longer be spent."
    card_id: str
    balance: int
    by: str
