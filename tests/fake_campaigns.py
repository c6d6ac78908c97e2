"""The segments' and campaigns' store in memory, with the conditions of customers/adapters/
campaign_store.py (claims once, settle once, a booking credited once)."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.customers.adapters.customer_items import all_customers_pk
from chalicelib.customers.domain.campaigns import Campaign, CampaignCounts, CampaignStatus
from chalicelib.customers.domain.segments import Segment
from chalicelib.customers.services.campaign_ports import CampaignStore, IdPage, SendClaim
from chalicelib.customers.services.customer_ports import CustomerStore
from chalicelib.kernel.domain.errors import Conflict


class FakeCampaignStore(CampaignStore):
    def __init__(self, customers: CustomerStore) -> None:
        self._customers = customers
        self.segment_items: dict[str, Segment] = {}
        self.campaign_items: dict[str, Campaign] = {}
        self.claims: dict[tuple[str, str], SendClaim] = {}
        self.booked: set[tuple[str, str]] = set()

    # -- segments -------------------------------------------------------------------------
    def segment(self, segment_id: str) -> Segment | None:
        return self.segment_items.get(segment_id)

    def segments(self) -> list[Segment]:
        return sorted(self.segment_items.values(), key=lambda s: (s.name.casefold(), s.id))

    def put_segment(self, segment: Segment, *, expected_version: int) -> None:
        current = self.segment_items.get(segment.id)
        if expected_version == 0 and current is not None:
            raise Conflict("The segment changed.", code="segment_exists")
        if expected_version and (current is None or current.version != expected_version):
            raise Conflict("The segment changed.", code="segment_changed")
        self.segment_items[segment.id] = segment

    def delete_segment(self, segment_id: str) -> bool:
        return self.segment_items.pop(segment_id, None) is not None

    def customer_ids(self, shard: int, *, after: str | None, limit: int) -> IdPage:
        records = getattr(self._customers, "records", {})
        ids = sorted(
            c.id
            for c in records.values()
            if not c.merged_into and all_customers_pk(c.id) == f"CUSALL#{shard}"
        )
        if after is not None:
            ids = [i for i in ids if i > after]
        page = tuple(ids[:limit])
        return IdPage(page, page[-1] if len(ids) > limit else None)

    # -- campaigns ------------------------------------------------------------------------
    def campaign(self, campaign_id: str) -> Campaign | None:
        return self.campaign_items.get(campaign_id)

    def campaigns(self) -> list[Campaign]:
        return sorted(
            self.campaign_items.values(), key=lambda c: (c.created_at, c.id), reverse=True
        )

    def create_campaign(self, campaign: Campaign) -> None:
        if campaign.id in self.campaign_items:
            raise Conflict("The campaign exists.", code="campaign_exists")
        self.campaign_items[campaign.id] = campaign

    def _set(self, campaign_id: str, **changes: object) -> None:
        c = self.campaign_items[campaign_id]
        self.campaign_items[campaign_id] = replace(c, **changes)  # type: ignore[arg-type]

    def start_sending(self, campaign_id: str, *, at: str) -> bool:
        c = self.campaign_items.get(campaign_id)
        if c is None or c.status is not CampaignStatus.DRAFT:
            return False
        self._set(
            campaign_id, status=CampaignStatus.SENDING, send_started_at=at, version=c.version + 1
        )
        return True

    def save_cursor(self, campaign_id: str, cursor: str) -> None:
        if campaign_id in self.campaign_items:
            self._set(campaign_id, cursor=cursor)

    def finish(self, campaign_id: str, *, at: str) -> None:
        c = self.campaign_items[campaign_id]
        if c.status is CampaignStatus.SENDING:
            self._set(campaign_id, status=CampaignStatus.SENT, sent_at=at, version=c.version + 1)

    def _count(self, campaign_id: str, name: str, n: int = 1) -> None:
        c = self.campaign_items[campaign_id]
        counts: CampaignCounts = c.counts
        self._set(campaign_id, counts=replace(counts, **{name: getattr(counts, name) + n}))

    # -- claims ---------------------------------------------------------------------------
    def claim(self, claim: SendClaim) -> bool:
        key = (claim.customer_id, claim.campaign_id)
        if key in self.claims:
            return False
        self.claims[key] = claim
        self._count(claim.campaign_id, "recipients")
        return True

    def settle(self, customer_id: str, campaign_id: str, state: str, *, at: str) -> None:
        key = (customer_id, campaign_id)
        claim = self.claims.get(key)
        if claim is None or claim.state != "claimed":
            return
        self.claims[key] = replace(claim, state=state, sent_at=at)
        self._count(campaign_id, state)

    def release(self, customer_id: str, campaign_id: str) -> None:
        claim = self.claims.get((customer_id, campaign_id))
        if claim is not None and claim.state == "claimed":
            del self.claims[(customer_id, campaign_id)]
            self._count(campaign_id, "recipients", -1)

    def claims_of(self, customer_id: str) -> list[SendClaim]:
        return [c for (cid, _), c in sorted(self.claims.items()) if cid == customer_id]

    def mark_unsubscribed(self, customer_id: str, campaign_id: str, *, at: str) -> bool:
        claim = self.claims.get((customer_id, campaign_id))
        if claim is None or claim.unsubscribed_at:
            return False
        self.claims[(customer_id, campaign_id)] = replace(claim, unsubscribed_at=at)
        self._count(campaign_id, "unsubscribed")
        return True

    def credit_booking(self, campaign_id: str, order_id: str, *, at: str) -> bool:
        if (campaign_id, order_id) in self.booked:
            return False
        self.booked.add((campaign_id, order_id))
        self._count(campaign_id, "bookings")
        return True
