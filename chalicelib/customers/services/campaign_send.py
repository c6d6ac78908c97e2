"""Sending a campaign: the job the campaigns queue carries (customers/workers/campaigns.py),
resumable, and at most one e-mail per customer and campaign however often it runs.

The job walks every live customer (the sharded listing, customers/services/segments.py
`walk`) from the campaign's saved cursor, and for each one who is in the segment NOW and
reachable (consent granted and not withdrawn, an e-mail, not merged away; an erased customer
has no record to walk):
1. claims them: `CUS#<customer>`/`CAMP#<campaign>` put on condition that it does not exist,
   with the campaign's recipient count, in one transaction. A claim that exists means an
   earlier run took them: they are skipped, whatever became of that run;
2. e-mails them (the tenant's wording, the sandbox, the unsubscribe link);
3. settles the claim: `sent`, or `bounced` when the mailer refused the message (locally SES's
   `MessageRejected`: the only refusal the local mailer reports; asynchronous SES bounce
   notifications are not wired: the deployment has no SNS topic for them), each with its count.
The claim is made BEFORE the e-mail, so a process that dies between the two loses that one
customer's e-mail (their claim stays `claimed`: recipients - sent - bounced says how many)
rather than ever sending two. A passing refusal (the mailer says "try later": nothing sent)
gives the claim back, and the record fails to be retried.

The cursor is saved every `SAVE_EVERY` customers and when the time budget runs short (the rest
is sent on as a new message); a run that died resumes from the last saved cursor and skips
the claimed. At the end the campaign is `sent` and `CampaignSent` is recorded, once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from chalicelib.customers.domain.campaigns import (
    Campaign,
    CampaignStatus,
    Unsubscribe,
    reachable,
    unsubscribe_token,
)
from chalicelib.customers.domain.records import CustomerRecord
from chalicelib.customers.services import campaign_writes as writes
from chalicelib.customers.services.campaign_ports import CampaignsContext, Secret, SendClaim
from chalicelib.customers.services.campaign_render import email_for
from chalicelib.customers.services.segments import member, walk
from chalicelib.kernel.domain.customer_events import CampaignSent
from chalicelib.kernel.domain.errors import Conflict, InvalidInput, TransientFailure
from chalicelib.kernel.services.messaging_ports import Mailer, MessageBus
from chalicelib.kernel.services.unit_of_work import UnitOfWork
from chalicelib.notifications.services.templates import pick_locale
from chalicelib.queues import CAMPAIGNS
from chalicelib.settings import Settings

SAVE_EVERY = 25


class SendDeps(Protocol):
    @property
    def bus(self) -> MessageBus: ...
    @property
    def mailer(self) -> Mailer: ...
    @property
    def settings(self) -> Settings: ...
    @property
    def manage_token_secret(self) -> Secret: ...


def unsubscribe_url(
    ctx: CampaignsContext, deps: SendDeps, campaign_id: str, customer_id: str
) -> str:
    secret = deps.manage_token_secret.get()
    if not secret:
        raise TransientFailure("Unsubscribe links are not configured.", code="manage_tokens_off")
    token = unsubscribe_token(secret, Unsubscribe(ctx.tenant.id, campaign_id, customer_id))
    return f"{deps.settings.public_base_url.rstrip('/')}/v1/unsubscribe/{token}"


def run_send(
    ctx: CampaignsContext,
    campaign_id: str,
    deps: SendDeps,
    *,
    budget_seconds: float,
    clock: Callable[[], float] = time.monotonic,
) -> str:
    """ "done", "continued" (the rest sent on), or "gone" (no such campaign, or a draft)."""
    started = clock()
    store = ctx.data.campaigns
    campaign = store.campaign(campaign_id)
    if campaign is None or campaign.status is CampaignStatus.DRAFT:
        return "gone"
    if campaign.status is CampaignStatus.SENT:
        return "done"
    segment = store.segment(campaign.segment_id)
    rules = segment.rules if segment is not None else ()
    since_save = 0
    last = campaign.cursor
    for cursor, customer in walk(ctx, campaign.cursor) if rules else ():
        if clock() - started > budget_seconds:
            store.save_cursor(campaign.id, last, at=ctx.now())
            deps.bus.send(CAMPAIGNS.name, {"tenant_id": ctx.tenant.id, "campaign_id": campaign.id})
            return "continued"
        if reachable(customer) and member(ctx, rules, customer):
            _send_one(ctx, deps, campaign, customer)
        last = cursor
        since_save += 1
        if since_save >= SAVE_EVERY:
            store.save_cursor(campaign.id, last, at=ctx.now())
            since_save = 0
    _finish(ctx, campaign)
    return "done"


def _send_one(
    ctx: CampaignsContext, deps: SendDeps, campaign: Campaign, customer: CustomerRecord
) -> None:
    claim = SendClaim(customer.id, campaign.id, ctx.now(), campaign.follow_days)
    if not writes.claim(ctx, claim):
        return  # an earlier run took them: never a second e-mail
    wanted = pick_locale(customer.profile.language, customer.profile.locale, ctx.tenant.locale)
    language = wanted if wanted in dict(campaign.wordings) else campaign.wordings[0][0]
    try:
        email = email_for(
            campaign.wording(language),
            language,
            customer,
            business=ctx.tenant.name,
            sender=deps.settings.mail_from,
            reply_to=ctx.tenant.settings.business.email or ctx.tenant.owner_email,
            unsubscribe_url=unsubscribe_url(ctx, deps, campaign.id, customer.id),
            # SES keeps the tags with the message's events: a bounce notification, once wired,
            # names the claim to settle.
            tags={
                "tenant": ctx.tenant.id,
                "kind": "campaign",
                "campaign": campaign.id,
                "customer": customer.id,
            },
        )
        deps.mailer.send(email)
    except TransientFailure:
        writes.release(ctx, customer.id, campaign.id)  # nothing went out: a retry may send it
        raise
    except InvalidInput as refused:
        if refused.code != "message_refused":
            writes.release(ctx, customer.id, campaign.id)
            raise
        writes.settle(ctx, customer.id, campaign.id, "bounced")
        return
    writes.settle(ctx, customer.id, campaign.id, "sent")


def _finish(ctx: CampaignsContext, campaign: Campaign) -> None:
    now = ctx.now()
    done = ctx.data.campaigns.campaign(campaign.id) or campaign
    try:
        with UnitOfWork(ctx) as uow:
            uow.record(
                CampaignSent(
                    id=f"evt_campsent_{campaign.id}",
                    at=now,
                    campaign_id=campaign.id,
                    segment_id=campaign.segment_id,
                    recipients=done.counts.recipients,
                    sent=done.counts.sent,
                    bounced=done.counts.bounced,
                )
            )
            uow.commit()
    except Conflict as exc:
        if exc.code != "event_exists":
            raise
    ctx.data.campaigns.finish(campaign.id, at=now)
