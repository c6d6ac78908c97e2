"""The export worker's work (reports/workers/exports.py hands it a job): the kind's rows
written as one file, in one go.

Why a retry makes one file, not two: the file's key is the job's (exports.file_key), so a run
again writes the same key over; a job is held by one worker at a time (`claim`, with a lease
past the function's timeout), and a done or failed job is never run again. A worker that dies
leaves its multipart upload unfinished (no object: the bucket's lifecycle aborts it) and its
claim runs out; the message, seen again, runs the job again from the start.

Why one go: a million orders are written well inside the function's 15 minutes
(bench/report_exports.py measures it), so there is no cursor to keep. A passing failure
(DynamoDB or S3 throttling) gives the claim back and raises, so SQS tries the message again;
on the last try, or on anything else, the job says `failed` with its reason.
"""

from __future__ import annotations

from collections.abc import Mapping

from chalicelib.kernel.domain.errors import DomainError, TransientFailure
from chalicelib.kernel.domain.timefmt import add_seconds
from chalicelib.queues import EXPORTS
from chalicelib.reports.domain.export_cells import safe_row
from chalicelib.reports.domain.exports import (
    ExportFormat,
    ExportJob,
    ExportKind,
    ExportStatus,
    file_key,
)
from chalicelib.reports.services.export_ports import ExportsContext, ReportFiles, RowSource

FAILED = "The export could not be written; ask for it again."
ENDED = (ExportStatus.DONE, ExportStatus.FAILED, ExportStatus.WITHDRAWN)


def run_export(
    ctx: ExportsContext,
    files: ReportFiles,
    sources: Mapping[ExportKind, RowSource],
    export_id: str,
) -> str:
    """ "done" (now or before), "failed", "withdrawn" (a customer's erase), "busy" (another
    worker holds it) or "gone"."""
    store = ctx.data.exports
    job = store.get(export_id)
    if job is None:
        return "gone"
    if job.status in ENDED:
        if job.status is ExportStatus.WITHDRAWN:
            # A worker that died between its upload and `finish` may have left the file.
            files.delete(file_key(ctx.tenant.id, job))
        return job.status.value
    until = add_seconds(ctx.now(), EXPORTS.function_timeout + 60)
    if not store.claim(job.id, now=ctx.now(), until=until):
        return "busy"
    source = sources.get(job.kind)
    if source is None:
        message = f"Exports of {job.kind.value} are not available."
        store.fail(job.id, code="export_kind_unavailable", reason=message, at=ctx.now())
        return "failed"
    key = file_key(ctx.tenant.id, job)
    count = _written(ctx, files, source, job, key)
    if count is None:
        return "failed"
    if not store.finish(job.id, rows=count, at=ctx.now()):
        # Withdrawn while it was written (a customer's erase: export_withdrawals.py): the
        # rows may name the customer, so the file goes.
        files.delete(key)
        return ExportStatus.WITHDRAWN.value
    ctx.audit("export.finished", f"export:{job.id}", kind=job.kind.value, rows=count)
    return "done"


def _written(
    ctx: ExportsContext, files: ReportFiles, source: RowSource, job: ExportJob, key: str
) -> int | None:
    """The file written under `key`, and its rows; None when the job failed (it says why).
    A passing failure before the last try gives the job back and raises (SQS tries again)."""
    store = ctx.data.exports
    try:
        rows = source.rows(ctx, job.first, job.last)
        if job.format is ExportFormat.CSV:  # an XLSX cell is typed: text is never a formula
            rows = (safe_row(row) for row in rows)
        return files.write(key, job.format, job.kind.value, source.columns, rows)
    except TransientFailure as exc:
        if job.attempts + 1 < EXPORTS.max_receive_count:
            store.let_go(job.id)
            raise
        store.fail(job.id, code=exc.code, reason=exc.message, at=ctx.now())
    except DomainError as exc:
        store.fail(job.id, code=exc.code, reason=exc.message, at=ctx.now())
    except Exception:  # noqa: BLE001 - the job's reason; logged with its trace
        from chalicelib.observability import logger

        logger.exception("export failed", extra={"export_id": job.id})
        store.fail(job.id, code="export_failed", reason=FAILED, at=ctx.now())
    return None
