"""Request and response models of report exports (reports/domain/exports.py)."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from chalicelib.reports.domain.exports import (
    MAX_DAYS,
    ExportAsk,
    ExportFormat,
    ExportJob,
    ExportKind,
)
from chalicelib.reports.services.exports import ExportLink
from chalicelib.web.models import Body, Day, Out


class ReportExportIn(Body):
    kind: ExportKind = Field(
        description="orders (by the local day of their start), payments (every payment and "
        "refund record of those orders), customers (every live customer; no dates), or "
        "figures (the daily figures, once the reports' figures are there)."
    )
    format: ExportFormat = Field(description="csv (UTF-8) or xlsx.")
    first: Day | None = Field(
        default=None, alias="from", description="The first local date (orders, payments)."
    )
    last: Day | None = Field(
        default=None,
        alias="to",
        description=f"The last local date, inclusive; at most {MAX_DAYS} days in all.",
    )

    def ask(self) -> ExportAsk:
        return ExportAsk(kind=self.kind, format=self.format, first=self.first, last=self.last)


class ReportExportOut(Out):
    model_config = ConfigDict(populate_by_name=True)

    id: str
    kind: str
    format: str
    first: str | None = Field(serialization_alias="from")
    last: str | None = Field(serialization_alias="to")
    status: str = Field(description="queued, running, done or failed.")
    rows: int | None = Field(description="Rows in the file, once done.")
    created_at: str
    created_by: str
    finished_at: str | None
    reason_code: str | None = Field(description="Why it failed: a code.")
    reason: str | None = Field(description="Why it failed, in a sentence.")
    url: str | None = Field(
        default=None,
        description="Once done: a presigned GET of the file, valid 15 minutes (ask again "
        "for a fresh one).",
    )
    expires_at: str | None = Field(default=None, description="When `url` stops working.")

    @classmethod
    def of(cls, job: ExportJob, download: ExportLink | None = None) -> ReportExportOut:
        failed = job.reason_code or None
        return cls(
            id=job.id,
            kind=job.kind.value,
            format=job.format.value,
            first=job.first,
            last=job.last,
            status=job.status.value,
            rows=job.rows,
            created_at=job.created_at,
            created_by=job.created_by,
            finished_at=job.finished_at,
            reason_code=failed,
            reason=job.reason or None,
            url=download.url if download else None,
            expires_at=download.expires_at if download else None,
        )


class ReportExportListOut(Out):
    exports: list[ReportExportOut] = Field(description="The latest 20, newest first (no links).")

    @classmethod
    def of(cls, jobs: list[ExportJob]) -> ReportExportListOut:
        return cls(exports=[ReportExportOut.of(j) for j in jobs])
