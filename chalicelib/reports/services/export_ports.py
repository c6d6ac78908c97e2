"""The exports' ports: the jobs in the tenant's table, the files on S3, and where each kind's
rows come from (a `RowSource`: the figures slice's report plugs in as one more).
Keys: kernel/adapters/schema.py; adapters: reports/adapters/export_store.py and
export_files.py; fakes: tests/fakes.py."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from typing import Protocol

from chalicelib.customers.services.campaign_ports import CampaignsData
from chalicelib.kernel.services.context import TenantContext
from chalicelib.reports.domain.export_cells import Row
from chalicelib.reports.domain.exports import ExportFormat, ExportJob
from chalicelib.reports.services.figures_ports import ReportsData


class ExportStore(ABC):
    @abstractmethod
    def create(self, job: ExportJob) -> bool:
        """Write a new job; False when one of that id exists (a retried request)."""

    @abstractmethod
    def get(self, export_id: str) -> ExportJob | None: ...

    @abstractmethod
    def recent(self, limit: int) -> list[ExportJob]:
        """The latest jobs first (one Query)."""

    @abstractmethod
    def claim(self, export_id: str, *, now: str, until: str) -> bool:
        """Take a queued or running job for one worker until `until` (status running, one
        more attempt), unless another holds it past `now` or it is done or failed."""

    @abstractmethod
    def finish(self, export_id: str, *, rows: int, at: str) -> bool:
        """Done, with its row count; the claim let go. False when it is no longer running:
        withdrawn meanwhile by a customer's erase (its file is then the worker's to delete)."""

    @abstractmethod
    def fail(self, export_id: str, *, code: str, reason: str, at: str) -> None:
        """Failed, with why; the claim let go."""

    @abstractmethod
    def let_go(self, export_id: str) -> None:
        """Give the claim back (a passing failure: the message is tried again)."""

    @abstractmethod
    def made_until(self, at: str) -> list[ExportJob]:
        """Every job asked for at or before `at` still kept, oldest first (Query, paged). The
        listing is an index: a job's status there may lag its own item's."""

    @abstractmethod
    def withdraw(self, export_id: str, *, code: str, reason: str, at: str) -> bool:
        """Withdrawn, with why, if it is running or done (the job's own item decides, not
        the listing); False otherwise (queued: it will read the data as it is then)."""

    @abstractmethod
    def nudge(self, export_id: str, *, now: str, seen: str | None) -> bool:
        """Record that a reader sends the job again, unless another did since `seen`."""


class ReportFiles(ABC):
    """The exports' files: written whole under one key, or not at all."""

    @abstractmethod
    def write(
        self,
        key: str,
        format: ExportFormat,
        title: str,
        header: tuple[str, ...],
        rows: Iterable[Row],
    ) -> int:
        """Write the header and rows as one file under `key` (CSV streamed in parts; XLSX
        through the function's temporary disk, its sheets named after `title`), in memory
        that does not grow with the rows; answer how many rows. On any failure nothing is
        left under the key (a multipart upload is aborted) and the error is raised."""

    @abstractmethod
    def link(self, key: str, filename: str, format: ExportFormat, seconds: int) -> str:
        """A presigned GET of the file, named `filename`, valid `seconds`."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """The file gone (nothing there already: nothing to do)."""


class ExportsData(ReportsData, CampaignsData, Protocol):
    """Orders (booking's store), customers (the customers' listing), the daily figures and
    the jobs."""

    @property
    def exports(self) -> ExportStore: ...


ExportsContext = TenantContext[ExportsData]


class RowSource(Protocol):
    """Where one kind's rows come from: its columns, and its rows for a job (local dates
    `first`..`last`, None for an undated kind), read a page at a time."""

    @property
    def columns(self) -> tuple[str, ...]: ...

    def rows(self, ctx: ExportsContext, first: str | None, last: str | None) -> Iterator[Row]: ...
