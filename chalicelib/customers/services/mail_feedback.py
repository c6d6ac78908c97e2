"""The mail service's bounce and complaint notifications, one record at a time (the feedback
queue's worker, customers/workers/mail_feedback.py; the shape: customers/domain/
mail_feedback.py).

Whose e-mail it was comes from the send's tags: `tenant`, and for a campaign's e-mail
`campaign` and `customer` (customers/services/campaign_send.py sets them). Any other e-mail a
tenant sends (a confirmation, a reminder) names the tenant; its customer is the one the
recipient's address names (`customer_id_for`).

- A permanent bounce of a campaign's e-mail settles the customer's claim on that campaign as
  `bounced` and counts it on the campaign, once: the claim's state is the condition (a `sent`
  claim also leaves the sent count).
- A permanent bounce marks the customer's record: `email_bounce` (the address, when, the SES
  message), while it is still the record's e-mail. Later campaigns skip the customer
  (domain/campaigns.py `reachable`); the profile shows it; staff changing the e-mail ends it.
- A complaint (the recipient marked it as spam) withdraws marketing consent, source
  `complaint`, with its time.
A transient bounce (a full mailbox) changes nothing: the next campaign tries again.

Once per notification: each record change is written with a mark keyed by the SES message id
(`CUS#<customer>`/`EVT#mail_<message id>_<kind>`, the figures' marks, kept 30 days) in one
transaction, over the version read, so the same notification delivered again (SNS and SQS
both deliver at least once) changes nothing.

A notification of a tenant that is gone, or of a campaign it does not have, is dropped with a
log line, not retried: nothing could ever apply it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from chalicelib.customers.domain.mail_feedback import FeedbackKind, MailFeedback
from chalicelib.customers.domain.records import Consent, ConsentSource, CustomerRecord, EmailBounce
from chalicelib.customers.services import campaign_writes
from chalicelib.customers.services.campaign_ports import CampaignsContext, CampaignsData
from chalicelib.customers.services.customer_ports import MARK_DAYS, CustomerPut, EventMark
from chalicelib.customers.services.records import REREADS, bumped, live
from chalicelib.kernel.domain.audit import Actor
from chalicelib.kernel.domain.customer_ids import customer_id_for
from chalicelib.kernel.domain.errors import Conflict, TransientFailure
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.services.tenant_data_ports import DataFactory
from chalicelib.kernel.services.unit_of_work import UnitOfWork
from chalicelib.tenancy.services.platform_ports import PlatformRepository

Change = Callable[[CustomerRecord, str], CustomerRecord | None]


@dataclass(frozen=True)
class FeedbackDeps:
    platform: PlatformRepository
    data_factory: DataFactory[CampaignsData]
    now: Callable[[], str]
    new_id: Callable[[], str]


def handle_feedback(feedback: MailFeedback, deps: FeedbackDeps) -> str:
    """Apply one notification; the outcome, for the log: `applied`, `passed` (a transient
    bounce, another kind), `unknown_tenant`, `unknown_campaign`."""
    if feedback.kind is FeedbackKind.OTHER or (
        feedback.kind is FeedbackKind.BOUNCE and not feedback.permanent
    ):
        return "passed"
    tenant = deps.platform.get_tenant(feedback.tenant_id) if feedback.tenant_id else None
    if tenant is None or not tenant.is_active:
        return "unknown_tenant"
    actor = Actor(kind="mail_feedback", id=feedback.message_id, tenant_id=tenant.id)
    ctx: CampaignsContext = TenantContext(
        tenant=tenant, actor=actor, data_factory=deps.data_factory, now=deps.now, new_id=deps.new_id
    )
    if feedback.campaign_id and ctx.data.campaigns.campaign(feedback.campaign_id) is None:
        return "unknown_campaign"
    for address in feedback.recipients:
        customer_id = _customer_of(feedback, address)
        if feedback.kind is FeedbackKind.BOUNCE:
            _count_bounce(ctx, feedback, customer_id)
            _change(ctx, feedback, customer_id, _bouncing(address, feedback.message_id))
        else:
            _change(ctx, feedback, customer_id, _complained)
    return "applied"


def _customer_of(feedback: MailFeedback, address: str) -> str:
    """The campaign's tag names the record it walked (whose e-mail staff may have changed
    since the id was derived); any other e-mail's customer is the one its address names."""
    if feedback.customer_id and len(feedback.recipients) == 1:
        return feedback.customer_id
    return customer_id_for(address)


def _count_bounce(ctx: CampaignsContext, feedback: MailFeedback, customer_id: str) -> None:
    if not feedback.campaign_id:
        return
    for claim in ctx.data.campaigns.claims_of(customer_id):
        if claim.campaign_id == feedback.campaign_id and claim.state in ("sent", "claimed"):
            campaign_writes.bounced_later(ctx, claim)


def _bouncing(address: str, message_id: str) -> Change:
    def change(before: CustomerRecord, now: str) -> CustomerRecord | None:
        if before.profile.email.casefold() != address.casefold() or before.email_bouncing:
            return None  # another e-mail now, or marked already
        return bumped(before, now, email_bounce=EmailBounce(before.profile.email, now, message_id))

    return change


def _complained(before: CustomerRecord, now: str) -> CustomerRecord | None:
    if before.consent is not None and not before.consent.granted:
        return None  # withdrawn already: the first withdrawal's source and time stay
    consent = Consent(granted=False, source=ConsentSource.COMPLAINT, at=now)
    return bumped(before, now, consent=consent)


def _change(
    ctx: CampaignsContext, feedback: MailFeedback, customer_id: str, change: Change
) -> None:
    """The customer's live record changed once for this notification (module docstring)."""
    now = ctx.now()
    expires = int(parse(now).timestamp()) + MARK_DAYS * 86400
    for _ in range(REREADS):
        _, before = live(ctx, customer_id)
        after = change(before, now) if before is not None else None
        if before is None or after is None:
            return
        mark = EventMark(before.id, f"mail_{feedback.message_id}_{feedback.kind.value}", expires)
        try:
            with UnitOfWork(ctx) as uow:
                uow.add(CustomerPut(after, before.version), mark)
                uow.commit()
        except Conflict as exc:
            if exc.code == "event_counted":
                return
            if exc.code != "customer_changed":
                raise
            continue
        bounce = feedback.kind is FeedbackKind.BOUNCE
        action = "customer.email_bounced" if bounce else "customer.complained"
        ctx.audit(action, f"customer:{before.id}", message_id=feedback.message_id)
        return
    raise TransientFailure("The customer's record kept changing.", code="customer_busy")
