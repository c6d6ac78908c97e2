"""The morning summary: its settings (the routes' use cases), the run that finds the tenants
due (a schedule every quarter of an hour), and the sending (one SQS record per tenant due).

How a run visits only the tenants due (docs/SCALING.md, "Morning summaries"):
1. Saving the settings computes when the summary is due next (reports/domain/summaries.py) and
   writes it with them on the tenant's platform item, whose sparse index entry
   (gsi1 `SUMMARYDUE` / `<due>#<tenant>`) exists only while the summary is enabled.
2. The run (`queue_due`) reads that index up to now: one Query, as long as the tenants due,
   whatever the number of tenants; it sends one record per tenant due to the summaries queue.
   It writes nothing, so two runs that overlap only send a record twice.
3. The sender (`send_due`) re-reads the tenant's item: a record whose due time is no longer
   the item's (sent already, the settings changed) does nothing. Otherwise it reads yesterday's
   figures and e-mails each recipient, under one claim of the tenant's table keyed by the
   local day (`summary#<day>`), each e-mail marked on it as it goes: a retried or duplicated
   record sends only the e-mails not yet marked, so each recipient gets a day's summary once.
   Then it moves the due time to the next morning, computed again from the tenant's zone (a
   daylight-saving change or a new zone is followed from the next summary on), on condition
   that it is still the one it read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Protocol

from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.kernel.domain.timefmt import format_utc, parse
from chalicelib.kernel.services.context import KernelContext
from chalicelib.kernel.services.messaging_ports import (
    SEND_BATCH_LIMIT,
    Email,
    Mailer,
    MessageBus,
    sent_unless_refused,
)
from chalicelib.kernel.services.once import run_claimed, run_once
from chalicelib.queues import SUMMARIES
from chalicelib.reports.domain.summaries import (
    STALE_SECONDS,
    SummarySettings,
    next_due,
    recipients_of,
    summary_day,
    validated,
)
from chalicelib.reports.services.summary_mail import summary_email
from chalicelib.reports.services.summary_ports import (
    BASES,
    SummaryFigures,
    SummarySchedule,
    SummarySchedules,
)
from chalicelib.settings import Settings

RUN_LIMIT = 10_000  # records one run sends at most; the rest stay due for the next run


# -- the settings (GET/PUT /v1/reports/summary) ------------------------------------------------


def settings_of(ctx: KernelContext, schedules: SummarySchedules) -> SummarySchedule:
    """The tenant's choice (none yet: disabled, at the default hour)."""
    found = schedules.get(ctx.tenant.id)
    return found or SummarySchedule(tenant_id=ctx.tenant.id, settings=SummarySettings(), due=None)


def choose(
    ctx: KernelContext,
    schedules: SummarySchedules,
    *,
    enabled: bool,
    recipients: list[str],
    hour: int,
) -> SummarySchedule:
    """Check and save the choice with its next due time (none while disabled), and audit it. A
    summary already sent today is not sent again when the hour moves later: the day's claim
    holds."""
    settings = validated(enabled, recipients, hour, ctx.tenant.owner_email or "")
    due = None
    if settings.enabled:
        due = format_utc(next_due(parse(ctx.now()), settings.hour, ctx.tenant.timezone))
    schedule = SummarySchedule(tenant_id=ctx.tenant.id, settings=settings, due=due)
    schedules.save(schedule)
    ctx.audit(
        "reports.summary_chosen",
        "reports:summary",
        enabled=settings.enabled,
        hour=settings.hour,
        recipients=len(settings.recipients),
    )
    return schedule


def follow_zone(schedules: SummarySchedules, tenant: Tenant, now: str) -> None:
    """After the business's zone changed: the next summary is due at its hour in the new zone.
    The due time was the old zone's, so the first summary after a move from New York to
    Auckland went out at 01:00 (a time-zone tester's). A summary already due is left to the
    run (skipping it would lose that morning); one the send moved meanwhile is read again and
    moved (the send may have read the old zone: a reviewer's); a day already sent is not
    sent again (the day's claim holds)."""
    for _ in range(3):  # a send that moved it meanwhile may have used the old zone: again
        schedule = schedules.get(tenant.id)
        if schedule is None or schedule.due is None or not schedule.settings.enabled:
            return
        if schedule.due <= now:
            return  # due already: sent by the next run, then moved in the new zone
        due = format_utc(next_due(parse(now), schedule.settings.hour, tenant.timezone))
        if due == schedule.due or schedules.advance(tenant.id, was=schedule.due, due=due):
            return


# -- the run (every quarter of an hour) ------------------------------------------------------


def queue_due(schedules: SummarySchedules, bus: MessageBus, now: str) -> int:
    """One record on the summaries queue per tenant due by `now`; how many were sent. A record
    the queue did not take is sent by the next run (the tenant stays due until it is sent)."""
    bodies = [{"tenant_id": d.tenant_id, "due": d.due} for d in schedules.due(now, limit=RUN_LIMIT)]
    sent = 0
    for start in range(0, len(bodies), SEND_BATCH_LIMIT):
        chunk = bodies[start : start + SEND_BATCH_LIMIT]
        sent += len(chunk) - len(bus.send_batch(SUMMARIES.name, chunk))
    return sent


# -- the sending (one record per tenant due) -------------------------------------------------


class SummaryDeps(Protocol):
    @property
    def mailer(self) -> Mailer: ...
    @property
    def settings(self) -> Settings: ...
    @property
    def summary_schedules(self) -> SummarySchedules: ...
    @property
    def summary_figures(self) -> SummaryFigures: ...


def send_due(ctx: KernelContext, due: str, deps: SummaryDeps) -> str:
    """Send the summary due at `due` if it still is; the outcome, for the logs: sent,
    duplicate (sent before), moved (no longer due then), early, disabled or stale."""
    schedules = deps.summary_schedules
    schedule = schedules.get(ctx.tenant.id)
    if schedule is None or schedule.due != due:
        return "moved"
    now, at = parse(ctx.now()), parse(due)
    if at > now:
        return "early"
    settings = schedule.settings
    if not settings.enabled:
        schedules.advance(ctx.tenant.id, was=due, due=None)
        return "disabled"
    outcome = "stale"
    if (now - at).total_seconds() <= STALE_SECONDS:
        day = summary_day(at, ctx.tenant.timezone)
        outcome = run_claimed(
            ctx, ctx.data.ledger, f"summary#{day}", lambda c: _send(c, day, settings, deps)
        )
    following = next_due(now, settings.hour, ctx.tenant.timezone)
    schedules.advance(ctx.tenant.id, was=due, due=format_utc(following))
    return outcome


def pass_over(
    schedules: SummarySchedules, tenant_id: str, tenant: Tenant | None, due: str, now: str
) -> str:
    """A record of a tenant that is gone or not active (suspended): nothing is sent, and the
    schedule moves to its next morning (gone: out of the index), so the run does not queue it
    again every quarter of an hour. A suspended tenant gets its summaries again once active."""
    if tenant is None:
        schedules.advance(tenant_id, was=due, due=None)
        return "gone"
    found = schedules.get(tenant_id)
    if found is not None and found.due == due:
        following = next_due(parse(now), found.settings.hour, tenant.timezone)
        schedules.advance(tenant_id, was=due, due=format_utc(following))
    return "inactive"


def _send(ctx: KernelContext, day: date, settings: SummarySettings, deps: SummaryDeps) -> str:
    figures = {basis: deps.summary_figures.totals(ctx, basis, day) for basis in BASES}
    sent = 0
    for to in recipients_of(settings, ctx.tenant.owner_email):
        email = _email(ctx, day, figures, to, settings.hour, deps.settings)
        sent += run_once(ctx, f"summary#{day}#{to}", _sender(deps.mailer, email))
    return "sent" if sent else "duplicate"


def _email(
    ctx: KernelContext,
    day: date,
    figures: Mapping[str, Mapping[str, Any]],
    to: str,
    hour: int,
    settings: Settings,
) -> Email:
    return summary_email(
        ctx.tenant,
        day,
        figures,
        to=to,
        hour=hour,
        sender=settings.mail_from,
        console_origin=settings.console_origin,
    )


def _sender(mailer: Mailer, email: Email) -> Callable[[], object]:
    """Refused for good (SES: the address is on the suppression list) is done, so the others
    still get theirs and a retry does not knock again; any other refusal is a fault, retried
    and then dead-lettered like every other consumer's (it was swallowed here alone)."""
    return lambda: sent_unless_refused(mailer, email)
