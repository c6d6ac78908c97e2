"""An export: a tenant's orders, payments, customers (or figures) written as one CSV or XLSX
file in the background, and what it promises.

- One job, one file: the file's key is derived from the tenant and the job's id, so a job run
  again (a retried message, a worker that died) writes the same key over, never a second file.
- A job is `queued`, then `running` while one worker holds it, then `done` (its row count, the
  file kept `KEEP_DAYS` days) or `failed` with a reason (a code and a sentence).
- `withdrawn`: a customer was erased after the file was written, or while it was (a kind in
  `NAMING`: its rows name customers): the file is deleted and never linked again, and the
  reason says why (`export_withdrawn`, `WITHDRAWN`). An export asked for again after the erase
  shows them as "Erased customer". Figures name nobody: never withdrawn.
- Dates are local dates in the tenant's zone, `first`..`last` inclusive, at most `MAX_DAYS`;
  customers need none (every live customer is exported).
- A download is a presigned GET valid `LINK_SECONDS`.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.values import value

MAX_DAYS = 366
KEEP_DAYS = 7  # the file (S3 lifecycle) and the job (TTL) alike
LINK_SECONDS = 15 * 60
RECENT = 20


class ExportKind(StrEnum):
    ORDERS = "orders"
    CUSTOMERS = "customers"
    PAYMENTS = "payments"
    FIGURES = "figures"


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"

    @property
    def content_type(self) -> str:
        if self is ExportFormat.CSV:
            return "text/csv; charset=utf-8"
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    WITHDRAWN = "withdrawn"


DATED = frozenset({ExportKind.ORDERS, ExportKind.PAYMENTS, ExportKind.FIGURES})


# The kinds whose rows can name a customer (orders, payments: the order's customer; customers).
NAMING = frozenset({ExportKind.ORDERS, ExportKind.PAYMENTS, ExportKind.CUSTOMERS})
WITHDRAWN = (
    "Withdrawn: a customer's personal data was erased after this file was made, so the file "
    'was deleted. Make the export again: it shows them as "Erased customer".'
)


@value
class ExportAsk:
    kind: ExportKind
    format: ExportFormat
    first: date | None = None
    last: date | None = None


def check_ask(ask: ExportAsk) -> ExportAsk:
    """The ask as a job takes it (InvalidInput otherwise): a dated kind names both dates,
    `first` on or before `last`, at most `MAX_DAYS` days; customers take none."""
    if ask.kind not in DATED:
        if ask.first is not None or ask.last is not None:
            raise InvalidInput(
                "A customers export takes no dates: every customer is exported.",
                code="export_takes_no_dates",
            )
        return ask
    if ask.first is None or ask.last is None:
        raise InvalidInput(
            f"An export of {ask.kind.value} needs `from` and `to` (local dates).",
            code="export_dates_required",
        )
    if ask.first > ask.last:
        raise InvalidInput("`from` must be on or before `to`.", code="invalid_range")
    if (ask.last - ask.first).days + 1 > MAX_DAYS:
        raise InvalidInput(
            f"An export covers at most {MAX_DAYS} days.", code="export_range_too_long", max=MAX_DAYS
        )
    return ask


@value
class ExportJob:
    id: str
    kind: ExportKind
    format: ExportFormat
    first: str | None  # local dates, ISO; None for customers
    last: str | None
    created_at: str
    created_by: str  # the actor's label
    created_role: str = ""
    status: ExportStatus = ExportStatus.QUEUED
    rows: int | None = None
    finished_at: str | None = None
    reason_code: str = ""  # why it failed
    reason: str = ""
    attempts: int = 0  # workers that took it up
    lease_until: str | None = None
    nudged_at: str | None = None

    @property
    def filename(self) -> str:
        span = f"-{self.first}-to-{self.last}" if self.first else ""
        return f"{self.kind.value}{span}.{self.format.value}"


def file_key(tenant_id: str, job: ExportJob) -> str:
    """The one key a job writes (module docstring): `reports/<tenant>/<export id>.<format>`."""
    return f"reports/{tenant_id}/{job.id}.{job.format.value}"


def days(first: str, last: str) -> list[str]:
    """Every local date from `first` to `last`, inclusive."""
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [date.fromordinal(n).isoformat() for n in range(start.toordinal(), end.toordinal() + 1)]
