"""Campaigns asked for and read back, sent once, and left through their unsubscribe link.

A campaign (`CAMP#<id>`/`META`) is made from a segment and a wording checked in the
notifications' sandbox (rendered against a sample customer: a template the sandbox refuses is
a 422 now, not a failure at send time). Sending moves it from `draft` to `sending` once (a
second send is 409 `campaign_not_draft`; the same request again, by its Idempotency-Key, gets
its first answer) and puts the job on the campaigns queue (campaign_send.py does it).

The unsubscribe link's token names one customer and one campaign (customers/domain/
campaigns.py). Following it (`POST`; the `GET` page only asks, so a mail scanner that opens
links unsubscribes nobody) withdraws the customer's consent with source `unsubscribe_link`
and its time, records `CustomerUnsubscribed`, and counts the campaign's unsubscribe once; a
second time changes nothing.
"""

from __future__ import annotations

from typing import Any

from chalicelib.customers.domain.campaigns import (
    Campaign,
    CampaignStatus,
    Unsubscribe,
    Wording,
    check_campaign,
    read_unsubscribe_token,
)
from chalicelib.customers.domain.records import Consent, ConsentSource
from chalicelib.customers.services.campaign_ports import CampaignsContext, CampaignsData, Secret
from chalicelib.customers.services.campaign_render import render_wording
from chalicelib.customers.services.campaign_writes import unsubscribed
from chalicelib.customers.services.customer_ports import CustomerPut
from chalicelib.customers.services.records import REREADS, bumped, live
from chalicelib.customers.services.segments import get as get_segment
from chalicelib.kernel.domain.audit import Actor
from chalicelib.kernel.domain.customer_events import CustomerUnsubscribed
from chalicelib.kernel.domain.errors import Conflict, InvalidInput, NotFound, TransientFailure
from chalicelib.kernel.domain.timefmt import add_seconds
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.services.messaging_ports import MessageBus
from chalicelib.kernel.services.tenant_data_ports import DataFactory
from chalicelib.kernel.services.unit_of_work import UnitOfWork
from chalicelib.queues import CAMPAIGNS
from chalicelib.tenancy.services.platform_ports import PlatformRepository

IDLE_SECONDS = CAMPAIGNS.function_timeout + 60  # longer than one run of the job can take


def create(
    ctx: CampaignsContext,
    campaign_id: str,
    *,
    name: str,
    segment_id: str,
    wordings: dict[str, Wording],
    follow_days: int,
) -> Campaign:
    clean, kept = check_campaign(name, wordings, follow_days)
    get_segment(ctx, segment_id)  # 404 for a segment that is not there
    for language, wording in kept:
        _try_wording(wording, language)  # 422 template_refused now, not when it sends
    campaign = Campaign(
        campaign_id, clean, segment_id, kept, follow_days, ctx.now(), ctx.actor.label
    )
    try:
        ctx.data.campaigns.create_campaign(campaign)
    except Conflict as exc:
        if exc.code != "campaign_exists":
            raise
        return get(ctx, campaign_id)
    ctx.audit("campaign.created", f"campaign:{campaign_id}", segment_id=segment_id)
    return campaign


LANGUAGE_NAMES = {"en": "English", "zh-Hans": "Chinese"}


def _try_wording(wording: Wording, language: str) -> None:
    """Rendered against a sample customer; refused, the refusal names the wording's language
    (an outside tester's "The template's subject part is refused" named neither which of two
    subjects nor how a placeholder is written)."""
    try:
        render_wording(wording, language, sample=True)
    except InvalidInput as exc:
        if exc.code != "template_refused":
            raise
        part = exc.details.get("part", "text")
        said = exc.message.split(": ", 1)[-1].rstrip(".")
        raise InvalidInput(
            f"The {LANGUAGE_NAMES.get(language, language)} {part} is refused: {said}."
            " A placeholder is written {{ first_name }}.",
            code="template_refused",
            language=language,
            part=part,
            line=exc.details.get("line"),
        ) from None


def get(ctx: CampaignsContext, campaign_id: str) -> Campaign:
    campaign = ctx.data.campaigns.campaign(campaign_id)
    if campaign is None:
        raise NotFound("No such campaign.", code="campaign_not_found", campaign_id=campaign_id)
    return campaign


def read(ctx: CampaignsContext, campaign_id: str, *, bus: MessageBus) -> Campaign:
    """The campaign as a reader sees it. A campaign still sending with no sign of life from its
    job for longer than the job can run (its message was lost, or its worker died and the
    message is waiting out its visibility) is sent on again, by one reader at a time: the claims
    keep a second worker from e-mailing anyone twice."""
    campaign = get(ctx, campaign_id)
    if campaign.status is not CampaignStatus.SENDING:
        return campaign
    now = ctx.now()
    stale = add_seconds(now, -IDLE_SECONDS)
    if campaign.touched_at < stale and ctx.data.campaigns.nudge(
        campaign_id, at=now, stale_before=stale
    ):
        bus.send(CAMPAIGNS.name, {"tenant_id": ctx.tenant.id, "campaign_id": campaign_id})
    return campaign


def send(ctx: CampaignsContext, campaign_id: str, *, bus: MessageBus) -> Campaign:
    """Start sending (once): the job runs on the campaigns queue."""
    campaign = get(ctx, campaign_id)
    get_segment(ctx, campaign.segment_id)  # a deleted segment: 404 rather than a silent job
    if not ctx.data.campaigns.start_sending(campaign_id, at=ctx.now()):
        raise Conflict(
            "This campaign was sent already; a campaign sends once.",
            code="campaign_not_draft",
            status=_status_now(ctx, campaign_id),
        )
    bus.send(CAMPAIGNS.name, {"tenant_id": ctx.tenant.id, "campaign_id": campaign_id})
    ctx.audit("campaign.send_started", f"campaign:{campaign_id}")
    return get(ctx, campaign_id)


def delete_draft(ctx: CampaignsContext, campaign_id: str) -> None:
    """A draft goes (its segment can then be deleted); 409 `campaign_not_draft` once it was
    sent or is being sent: its counts and claims are kept."""
    campaign = get(ctx, campaign_id)
    if not ctx.data.campaigns.delete_draft(campaign_id):
        raise Conflict(
            "Only a draft can be deleted; this campaign was sent.",
            code="campaign_not_draft",
            status=_status_now(ctx, campaign_id),
        )
    ctx.audit("campaign.deleted", f"campaign:{campaign_id}", segment_id=campaign.segment_id)


def _status_now(ctx: CampaignsContext, campaign_id: str) -> str:
    """The status that refused a send or a delete, read after the refusal: the one read
    before it may be `draft` when a send beside this one won (PROBE 43 read "not a draft",
    status "draft")."""
    return get(ctx, campaign_id).status.value


def open_unsubscribe(
    token: str,
    *,
    secret: Secret,
    platform: PlatformRepository,
    data_factory: DataFactory[CampaignsData],
    now: Any,
    new_id: Any,
) -> tuple[CampaignsContext, Unsubscribe]:
    """The tenant context and the (customer, campaign) a token was signed for; 404 for any
    token not signed by us, or of a tenant that is gone."""
    key = secret.get()
    who = read_unsubscribe_token(key, token) if key else None
    tenant = platform.get_tenant(who.tenant_id) if who is not None else None
    if who is None or tenant is None or not tenant.is_active:
        raise NotFound("This unsubscribe link is not valid.", code="unsubscribe_link_invalid")
    actor = Actor(kind="unsubscribe_link", id=who.customer_id, tenant_id=tenant.id)
    ctx = TenantContext(
        tenant=tenant, actor=actor, data_factory=data_factory, now=now, new_id=new_id
    )
    return ctx, who


def unsubscribe(ctx: CampaignsContext, who: Unsubscribe) -> bool:
    """Withdraw the customer's consent (source `unsubscribe_link`) and count it on the
    campaign, each once; True when this call withdrew it. A customer erased since has
    nothing left to withdraw."""
    withdrew = _withdraw(ctx, who)
    unsubscribed(ctx, who.customer_id, who.campaign_id)
    return withdrew


def _withdraw(ctx: CampaignsContext, who: Unsubscribe) -> bool:
    for _ in range(REREADS):
        _, before = live(ctx, who.customer_id)
        if before is None or (before.consent is not None and not before.consent.granted):
            return False
        now = ctx.now()
        consent = Consent(granted=False, source=ConsentSource.UNSUBSCRIBE_LINK, at=now)
        after = bumped(before, now, consent=consent)
        try:
            with UnitOfWork(ctx) as uow:
                uow.add(CustomerPut(after, before.version))
                uow.record(
                    CustomerUnsubscribed(
                        id=f"evt_unsub_{before.id}_{before.version}",
                        at=now,
                        customer_id=before.id,
                        campaign_id=who.campaign_id,
                    )
                )
                uow.commit()
        except Conflict as exc:
            if exc.code not in ("customer_changed", "event_exists"):
                raise
            continue
        ctx.audit("customer.unsubscribed", f"customer:{before.id}", campaign_id=who.campaign_id)
        return True
    raise TransientFailure("The customer's record kept changing.", code="customer_busy")


def listed(ctx: CampaignsContext) -> list[Campaign]:
    return ctx.data.campaigns.campaigns()
