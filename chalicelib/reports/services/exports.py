"""Exports (reports/domain/exports.py says what one promises): asked for, read back with a
link once done, listed. The file is written by the export worker (export_runs.py).

Asking checks the kind, the format and the dates first, so nothing is written for an ask that
cannot be exported; the same request again (its Idempotency-Key names the job) finds the job
and sends it again, and the worker does nothing for a job that is done.
"""

from __future__ import annotations

from collections.abc import Mapping

from chalicelib.kernel.domain.errors import InvalidInput, NotFound
from chalicelib.kernel.domain.timefmt import add_seconds, parse
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.messaging_ports import MessageBus
from chalicelib.queues import EXPORTS
from chalicelib.reports.domain.exports import (
    KEEP_DAYS,
    LINK_SECONDS,
    RECENT,
    ExportAsk,
    ExportJob,
    ExportKind,
    ExportStatus,
    check_ask,
    file_key,
)
from chalicelib.reports.services.export_ports import ExportsContext, ReportFiles, RowSource

RESEND_AFTER_SECONDS = 120  # an idle export is sent again by a reader at most this often


@value
class ExportLink:
    url: str
    expires_at: str


def start_export(
    ctx: ExportsContext,
    export_id: str,
    ask: ExportAsk,
    *,
    bus: MessageBus,
    sources: Mapping[ExportKind, RowSource],
) -> ExportJob:
    ask = check_ask(ask)
    if ask.kind not in sources:
        raise InvalidInput(
            f"Exports of {ask.kind.value} are not available yet.",
            code="export_kind_unavailable",
            kind=ask.kind.value,
        )
    job = ExportJob(
        id=export_id,
        kind=ask.kind,
        format=ask.format,
        first=ask.first.isoformat() if ask.first else None,
        last=ask.last.isoformat() if ask.last else None,
        created_at=ctx.now(),
        created_by=ctx.actor.label,
        created_role=ctx.actor.role or "",
    )
    store = ctx.data.exports
    if not store.create(job):
        made = store.get(export_id)
        assert made is not None
        job = made
    else:
        ctx.audit("export.started", f"export:{job.id}", kind=job.kind.value)
    bus.send(EXPORTS.name, {"tenant_id": ctx.tenant.id, "export_id": job.id})
    return job


def get_export(
    ctx: ExportsContext, export_id: str, *, bus: MessageBus, files: ReportFiles
) -> tuple[ExportJob, ExportLink | None]:
    """The job, and its download link once done. One nobody works on (queued two minutes on,
    or running with its worker's claim run out) is sent again, by one reader at a time."""
    store = ctx.data.exports
    job = store.get(export_id)
    if job is None:
        raise NotFound("No such export.", code="export_not_found", export_id=export_id)
    now = ctx.now()
    if _idle(job, now) and store.nudge(job.id, now=now, seen=job.nudged_at):
        bus.send(EXPORTS.name, {"tenant_id": ctx.tenant.id, "export_id": job.id})
    if job.status is not ExportStatus.DONE or _expired(job, now):
        return job, None
    url = files.link(file_key(ctx.tenant.id, job), job.filename, job.format, LINK_SECONDS)
    return job, ExportLink(url=url, expires_at=add_seconds(now, LINK_SECONDS))


def _idle(job: ExportJob, now: str) -> bool:
    last = max(job.created_at, job.nudged_at or "")
    waited = (parse(now) - parse(last)).total_seconds() > RESEND_AFTER_SECONDS
    stalled = job.status is ExportStatus.QUEUED or (
        job.status is ExportStatus.RUNNING and (job.lease_until or "") < now
    )
    return stalled and waited


def _expired(job: ExportJob, now: str) -> bool:
    """The file's days are over (the bucket's lifecycle deletes it)."""
    return add_seconds(job.finished_at or job.created_at, KEEP_DAYS * 86400) < now


def recent_exports(ctx: ExportsContext) -> list[ExportJob]:
    return ctx.data.exports.recent(RECENT)
