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
from chalicelib.kernel.services.transaction_ports import TransactionItem

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


class Secret(Protocol):
    """The key that signs unsubscribe tokens: the manage links' key (kernel/adapters/
    secrets.py), kept apart by purpose inside the signature."""

    def get(self) -> str: ...


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
    def delete_draft(self, campaign_id: str) -> bool:
        """Delete the campaign on condition that it is a draft; False otherwise (or gone)."""

    @abstractmethod
    def start_sending(self, campaign_id: str, *, at: str) -> bool:
        """draft -> sending; False when it is not a draft (sent, or being sent)."""

    @abstractmethod
    def save_cursor(self, campaign_id: str, cursor: str, *, at: str) -> None:
        """Where the job stopped, and `touched_at` (its sign of life)."""

    @abstractmethod
    def nudge(self, campaign_id: str, *, at: str, stale_before: str) -> bool:
        """`touched_at` = `at` on condition that the campaign is sending and was last touched
        before `stale_before`: True for the one reader that should send the job again."""

    @abstractmethod
    def finish(self, campaign_id: str, *, at: str) -> None:
        """sending -> sent (a finished job finishing again changes nothing)."""

    # -- one customer's claims (written through the unit of work: the items below) ----------
    @abstractmethod
    def claims_of(self, customer_id: str) -> list[SendClaim]:
        """The customer's claims on every campaign (one Query)."""


# The transaction items of campaigns (customers/adapters/campaign_items.py writes them;
# customers/services/campaign_writes.py makes them). A count is an ADD on the campaign.


@value
class ClaimPut(TransactionItem):
    """Claim the customer for the campaign, on condition that no claim exists."""

    claim: SendClaim


@value
class ClaimSettle(TransactionItem):
    """The claim's outcome (`sent` or `bounced`), on condition that it is still `claimed`."""

    customer_id: str
    campaign_id: str
    state: str
    at: str


@value
class ClaimBounced(TransactionItem):
    """The mail service's bounce notification, later: the claim becomes `bounced`, on
    condition that it is still in the state read (`was`: `sent`, or `claimed` when the job
    died before it settled it), so a notification delivered again counts nothing."""

    customer_id: str
    campaign_id: str
    was: str
    at: str


@value
class ClaimRelease(TransactionItem):
    """Delete the claim, on condition that it is still `claimed` (nothing was sent)."""

    customer_id: str
    campaign_id: str


@value
class ClaimUnsubscribed(TransactionItem):
    """The claim's link unsubscribed them, on condition that the claim exists and that this
    was not recorded before."""

    customer_id: str
    campaign_id: str
    at: str


@value
class BookingMark(TransactionItem):
    """`CAMP#<campaign>`/`BOOKED#<order>`, on condition that it is new: one count per order."""

    campaign_id: str
    order_id: str
    at: str


@value
class CampaignCount(TransactionItem):
    """Add `n` to one of the campaign's counts (`recipients`, `sent`, `bounced`,
    `unsubscribed`, `bookings`); no condition."""

    campaign_id: str
    name: str
    n: int = 1
    # Moved from another count in the same update (one item is written once a transaction):
    # a `sent` e-mail that bounced later leaves `sent` for `bounced`.
    moved_from: str = ""


CAMPAIGN_KINDS = (
    ClaimPut,
    ClaimSettle,
    ClaimRelease,
    ClaimUnsubscribed,
    BookingMark,
    CampaignCount,
    ClaimBounced,
)


class CampaignsData(CustomersData, Protocol):
    @property
    def campaigns(self) -> CampaignStore: ...


CampaignsContext = TenantContext[CampaignsData]
