"""Imports in a tenant's table (customers/domain/imports.py): the job, the file's mapped rows
until it is done, and one result per row.

A customer row's result is written in the same transaction as its `CustomerImported` event
(`ResultPut`, encoded by the composition root's codec like payments' takings items), so a
worker that dies between the two cannot leave an event without its result: a resumed job
finds either both or neither.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Protocol

from chalicelib.customers.domain.imports import ImportJob, ImportStatus, RowResult, StoredRow
from chalicelib.customers.services.customer_ports import CustomerStore
from chalicelib.invoices.services.invoice_ports import InvoicesData
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.services.transaction_ports import TransactionItem
from chalicelib.notifications.services.template_ports import NotificationsData
from chalicelib.tenancy.services.counter_ports import BookingCounts


@value
class ResultPut(TransactionItem):
    """A row's result, written on condition that the row has none (Conflict `row_done`)."""

    import_id: str
    result: RowResult


class ImportStore(ABC):
    @abstractmethod
    def create(self, job: ImportJob, rows: Sequence[StoredRow]) -> None:
        """Write a new job with its rows (Conflict `import_exists` for an id taken)."""

    @abstractmethod
    def get(self, import_id: str) -> ImportJob | None: ...

    @abstractmethod
    def recent(self, limit: int) -> list[ImportJob]:
        """The latest jobs first (one Query)."""

    @abstractmethod
    def events_made(self, event_ids: Sequence[str]) -> set[str]:
        """Which of these rows' events an earlier import wrote (BatchGetItem of their keys):
        what a dry run says `already_imported`, as the import would find them."""

    @abstractmethod
    def rows(self, import_id: str) -> list[StoredRow]:
        """The file's rows as the job keeps them (empty once the job is done)."""

    @abstractmethod
    def drop_rows(self, import_id: str) -> None:
        """Delete the file's rows (the job is done: its report is kept, the cells are not)."""

    @abstractmethod
    def set_status(self, import_id: str, status: ImportStatus, *, at: str | None = None) -> None:
        """The job's status (and, done, when it finished)."""

    @abstractmethod
    def claim(self, import_id: str, *, now: str, until: str) -> bool:
        """Take the job for one worker until `until`, unless another holds it past `now`."""

    @abstractmethod
    def let_go(self, import_id: str, *, now: str) -> None: ...

    @abstractmethod
    def nudge(self, import_id: str, *, now: str, seen: str | None) -> bool:
        """Record that a reader sends the job again, unless another did since `seen`."""

    @abstractmethod
    def put_result(self, import_id: str, result: RowResult) -> bool:
        """Record a row's result unless it has one: False when it had."""

    @abstractmethod
    def results(self, import_id: str) -> list[RowResult]:
        """Every result so far, by row (one paged Query)."""


class ImportsData(NotificationsData, InvoicesData, Protocol):
    @property
    def imports(self) -> ImportStore: ...

    @property
    def customers(self) -> CustomerStore:
        """Read for the erased customers' tombstones (import_runs.py)."""
        ...

    @property
    def bookings(self) -> BookingCounts:
        """The plan's bookings of the month: what a dry run says the import would refuse."""
        ...


ImportsContext = TenantContext[ImportsData]
