"""The segments' and campaigns' store (customers/adapters/campaign_store.py implements it;
tests/fake_campaigns.py fakes it). Keys: kernel/adapters/schema.py.

Reads are GetItem or one Query; the customers are listed through the sharded keys-only
entry every live record carries (`CUSALL#<n>`, customers/adapters/customer_items.py), never
a Scan.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Protocol

from chalicelib.customers.domain.campaigns import Campaign
from chalicelib.customers.domain.segments import Segment
from chalicelib.customers.services.customer_ports import CustomersData
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.context import TenantContext

SHARDS = 8  # the "all customers" entry's partitions (CUSALL#0..7)


@value
class IdPage:
    ids: tuple[str, ...]
    next: str | None  # the last id read when there are more; None: the shard is done


@value
class SendClaim:
    """A customer's claim on one campaign: `CUS#<customer>`/`CAMP#<campaign>` (under the
    customer's own partition, so an erase takes it with the rest of them)."""

    customer_id: str
    campaign_id: str
    claimed_at: str
    follow_days: int
    state: str = "claimed"  # claimed | sent | bounced
    sent_at: str = ""
    unsubscribed_at: str = ""


class CampaignStore(ABC):
    # -- segments --------------------------------------------------------------------------
    @abstractmethod
    def segment(self, segment_id: str) -> Segment | None: ...

    @abstractmethod
    def segments(self) -> list[Segment]:
        """Every segment of the tenant, by name (one Query)."""

    @abstractmethod
    def put_segment(self, segment: Segment, *, expected_version: int) -> None:
        """Over the version read (0: new); Conflict `segment_changed` (or `segment_exists`)."""

    @abstractmethod
    def delete_segment(self, segment_id: str) -> bool: ...

    # -- the customers, all of them --------------------------------------------------------
    @abstractmethod
    def customer_ids(self, shard: int, *, after: str | None, limit: int) -> IdPage:
        """Ids of live customer records in one shard of the listing, by id (one Query)."""

    # -- campaigns ---------------------------------------------------------------------------
    @abstractmethod
    def campaign(self, campaign_id: str) -> Campaign | None: ...

    @abstractmethod
    def campaigns(self) -> list[Campaign]:
        """Every campaign of the tenant, newest first (one Query)."""

    @abstractmethod
    def create_campaign(self, campaign: Campaign) -> None:
        """Conflict `campaign_exists` when the id is taken."""

    @abstractmethod
    def start_sending(self, campaign_id: str, *, at: str) -> bool:
        """draft -> sending; False when it is not a draft (sent, or being sent)."""

    @abstractmethod
    def save_cursor(self, campaign_id: str, cursor: str) -> None: ...

    @abstractmethod
    def finish(self, campaign_id: str, *, at: str) -> None:
        """sending -> sent (a finished job finishing again changes nothing)."""

    # -- one customer's e-mail ---------------------------------------------------------------
    @abstractmethod
    def claim(self, claim: SendClaim) -> bool:
        """Claim the customer for the campaign and count a recipient, in one transaction,
        on condition that no claim exists; False when one does (never e-mail them again)."""

    @abstractmethod
    def settle(self, customer_id: str, campaign_id: str, state: str, *, at: str) -> None:
        """The claim's outcome (`sent` or `bounced`) and its count, once (conditional on the
        claim still being `claimed`)."""

    @abstractmethod
    def release(self, customer_id: str, campaign_id: str) -> None:
        """Give a claim back (the mailer said "try later": nothing was sent) with its count."""

    @abstractmethod
    def claims_of(self, customer_id: str) -> list[SendClaim]:
        """The customer's claims on every campaign (one Query)."""

    @abstractmethod
    def mark_unsubscribed(self, customer_id: str, campaign_id: str, *, at: str) -> bool:
        """Record on the claim that its link unsubscribed them, and count it, once."""

    @abstractmethod
    def credit_booking(self, campaign_id: str, order_id: str, *, at: str) -> bool:
        """Count one booking that followed the campaign, once per order: the count and the
        order's mark (`CAMP#<campaign>`/`BOOKED#<order>`) in one transaction, conditional on
        the mark being new; False when it was counted before."""


class CampaignsData(CustomersData, Protocol):
    @property
    def campaigns(self) -> CampaignStore: ...


CampaignsContext = TenantContext[CampaignsData]
