"""Segments: kept per tenant (`SEG#<id>`/`META`), and counted live.

A count reads every customer record through the sharded keys-only listing of live records
(`CUSALL#<n>`: one Query page per shard and step, the records by BatchGetItem), never a Scan,
and evaluates the segment's rules on each (customers/domain/segments.py), reading a
customer's orders only when a `booked_offering` rule needs them and every other rule holds.
A count stops after `READ_BUDGET` records and says so (`complete: false`, with how many were
read), so one request never reads a large tenant's whole table; the campaign job walks the
same listing without that limit, step by step (`walk` and its cursor).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from chalicelib.customers.domain.campaigns import CampaignStatus
from chalicelib.customers.domain.records import CustomerRecord
from chalicelib.customers.domain.segments import (
    PastOrder,
    Rule,
    RuleKind,
    Segment,
    check_segment,
    matches,
    needs_orders,
)
from chalicelib.customers.services.campaign_ports import SHARDS, CampaignsContext
from chalicelib.customers.services.known_offerings import refuse_unknown_offerings
from chalicelib.kernel.domain.errors import Conflict, NotFound
from chalicelib.kernel.domain.values import value

PAGE = 100  # ids per Query page (and BatchGetItem of records)
READ_BUDGET = 5000  # records one count reads at most
PREVIEW = 10


@value
class SegmentCount:
    matched: int
    read: int
    complete: bool  # False: the budget ran out before every customer was read
    preview: tuple[CustomerRecord, ...]


def create(ctx: CampaignsContext, segment_id: str, name: str, rules: Sequence[Rule]) -> Segment:
    clean, checked = check_segment(name, rules)
    _refuse_unknown(ctx, checked)
    now = ctx.now()
    segment = Segment(segment_id, clean, checked, now, now, ctx.actor.label)
    try:
        ctx.data.campaigns.put_segment(segment, expected_version=0)
    except Conflict as exc:
        if exc.code != "segment_exists":
            raise
        return get(ctx, segment_id)  # the same request again (its Idempotency-Key)
    ctx.audit("segment.created", f"segment:{segment_id}", rules=len(checked))
    return segment


def _refuse_unknown(ctx: CampaignsContext, rules: Sequence[Rule]) -> None:
    """A `booked_offering` rule names an offering of this business (known_offerings.py)."""
    named = [r.text or "" for r in rules if r.kind is RuleKind.BOOKED_OFFERING]
    refuse_unknown_offerings(ctx.data.catalog, named, field="rules")


def listed(ctx: CampaignsContext) -> list[Segment]:
    return ctx.data.campaigns.segments()


def get(ctx: CampaignsContext, segment_id: str) -> Segment:
    segment = ctx.data.campaigns.segment(segment_id)
    if segment is None:
        raise NotFound("No such segment.", code="segment_not_found", segment_id=segment_id)
    return segment


def update(
    ctx: CampaignsContext,
    segment_id: str,
    name: str,
    rules: Sequence[Rule],
    *,
    expected_version: int | None,
) -> Segment:
    before = get(ctx, segment_id)
    if expected_version is not None and expected_version != before.version:
        raise Conflict("The segment changed.", code="segment_changed", version=before.version)
    clean, checked = check_segment(name, rules)
    _refuse_unknown(ctx, checked)
    after = Segment(
        segment_id,
        clean,
        checked,
        before.created_at,
        ctx.now(),
        before.created_by,
        before.version + 1,
    )
    ctx.data.campaigns.put_segment(after, expected_version=before.version)
    ctx.audit("segment.updated", f"segment:{segment_id}", rules=len(checked))
    return after


def delete(ctx: CampaignsContext, segment_id: str) -> None:
    """Refused (409 `segment_in_use`, the campaigns in `details.campaign_ids`) while a
    campaign not yet sent uses it: its job reads the rules when it runs (one Query of the
    tenant's campaigns; a campaign made from it in the instant between that read and the
    delete is answered `segment_not_found` when it is sent)."""
    waiting = sorted(
        c.id
        for c in ctx.data.campaigns.campaigns()
        if c.segment_id == segment_id and c.status is not CampaignStatus.SENT
    )
    if waiting:
        raise Conflict(
            "Campaigns not yet sent use this segment: send them, or delete the drafts, first.",
            code="segment_in_use",
            segment_id=segment_id,
            campaign_ids=waiting,
        )
    if not ctx.data.campaigns.delete_segment(segment_id):
        raise NotFound("No such segment.", code="segment_not_found", segment_id=segment_id)
    ctx.audit("segment.deleted", f"segment:{segment_id}")


def past_orders(ctx: CampaignsContext, customer: CustomerRecord) -> list[PastOrder]:
    """The customer's orders as a `booked_offering` rule reads them (one Query)."""
    if not customer.profile.email:
        return []
    return [
        PastOrder(o.start, o.status.value, tuple(line.offering_id for line in o.lines))
        for o in ctx.data.orders.of_customer(customer.profile.email)
    ]


def member(ctx: CampaignsContext, rules: Sequence[Rule], customer: CustomerRecord) -> bool:
    """Whether the live customer is in the segment now."""
    if customer.merged_into:
        return False
    now, tz = ctx.now(), ctx.tenant.timezone
    if not matches(rules, customer, now=now, tz=tz):
        return False
    if not needs_orders(rules):
        return True
    return matches(rules, customer, now=now, tz=tz, orders=past_orders(ctx, customer))


def walk(ctx: CampaignsContext, cursor: str = "") -> Iterator[tuple[str, CustomerRecord]]:
    """Every live customer record, shard by shard and by id, each with the cursor to resume
    after it (`<shard>:<id>`); from `cursor` on ("" : from the start)."""
    shard, after = _position(cursor)
    store = ctx.data.campaigns
    while shard < SHARDS:
        page = store.customer_ids(shard, after=after, limit=PAGE)
        found = ctx.data.customers.get_many(page.ids)
        for customer_id in page.ids:
            record = found.get(customer_id)
            if record is not None and not record.merged_into:
                yield f"{shard}:{customer_id}", record
        if page.next is None:
            shard, after = shard + 1, None
        else:
            after = page.next


def _position(cursor: str) -> tuple[int, str | None]:
    head, _, after = cursor.partition(":")
    if not head:
        return 0, None
    return int(head), after or None


def count(ctx: CampaignsContext, segment: Segment, *, budget: int = READ_BUDGET) -> SegmentCount:
    matched, read = 0, 0
    preview: list[CustomerRecord] = []
    for _, record in walk(ctx):
        if read >= budget:
            return SegmentCount(matched, read, False, tuple(preview))
        read += 1
        if member(ctx, segment.rules, record):
            matched += 1
            if len(preview) < PREVIEW:
                preview.append(record)
    return SegmentCount(matched, read, True, tuple(preview))


def count_rules(ctx: CampaignsContext, rules: Sequence[Rule]) -> SegmentCount:
    """A count of rules not saved yet (the console's rule builder): refused as saving them
    would be, so an offering of another business counts nobody silently (PROBE 43)."""
    _, checked = check_segment("draft", rules)
    _refuse_unknown(ctx, checked)
    now = ctx.now()
    return count(ctx, Segment("", "draft", checked, now, now))
