"""A tenant's data: the stores of one tenant's own table, bound to that tenant and built per
tenant with credentials for that table alone.

The kernel's stores are here (the audit log, the HTTP idempotency records and the
consumer ledger, the unit of work's writer), gathered by `KernelData`. Each capability declares
its own stores and a protocol that gathers them on top of those of the capabilities it is built
on (`CatalogData`, `BookingData`...); the composition root's `TenantData` (tenant_data.py) is all
of them, and a use case's context names only the part it uses: `TenantContext[BookingData]`.
Atomic changes go through the unit of work (transaction_ports.py).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Protocol, TypeVar

from chalicelib.kernel.domain.audit import AuditEntry
from chalicelib.kernel.domain.events import Record
from chalicelib.kernel.domain.listeners import Listeners
from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.kernel.services.transaction_ports import TenantTransactions


class AuditLog(ABC):
    """A tenant's audit entries, in that tenant's table."""

    @abstractmethod
    def record(self, entry: AuditEntry) -> None: ...

    @abstractmethod
    def list_month(
        self, month: str, *, limit: int = 100, after: str | None = None
    ) -> list[AuditEntry]:
        """Entries of one month (yyyy-mm), newest first."""


class IdempotencyStore(ABC):
    @abstractmethod
    def claim(self, key: str, request_hash: str, now: str) -> dict[str, Any] | None:
        """Claim the key for this request; None when claimed now, else the stored record
        ({"request_hash", "state": "in_progress"|"done", "response"?, "started_at"})."""

    @abstractmethod
    def finish(self, key: str, response: dict[str, Any]) -> None: ...

    @abstractmethod
    def find(self, key: str) -> dict[str, Any] | None:
        """The key's record as `claim` gives it (a record written with its change holds no
        `response`: idempotency_claims.py), None if there is none."""

    @abstractmethod
    def release(self, key: str) -> None:
        """Forget a claim whose request failed in a way worth retrying."""


class OnceLedger(ABC):
    """At most one completion per key: what `run_once` (once.py) needs."""

    @abstractmethod
    def claim(self, key: str, *, now: str, lease_until: str) -> bool:
        """True when the caller may do the work (nobody completed it, and no lease holds it or
        the lease ran out: a process that died), False when it is done. Raises WorkInProgress
        while another attempt's lease is live: skipping then would lose the work if that
        attempt dies, so the caller's message fails and comes back."""

    @abstractmethod
    def complete(self, key: str, *, now: str) -> None: ...

    @abstractmethod
    def release(self, key: str) -> None:
        """Give up a claim whose work failed, so a retry can claim it at once."""


class ConsumerLedger(OnceLedger):
    """Which consumer finished which event (or reminder): at most one completion per key.

    Two shapes. A key of its own (a reminder sent): `claim`, then `complete` or `release`,
    two writes. An event's consumers (pipeline/dispatch.py) share one item per event: the
    dispatcher claims the event once (`claim_event`, which answers what is done already), marks
    each piece of work with an outside effect as it finishes (`mark`, one write; the last piece's
    mark rides on the finish or the release), and then finishes or releases the event: two
    writes per event plus one per outside effect but the last, however many consumers take it."""

    @abstractmethod
    def claim_event(self, event_id: str, *, now: str, lease_until: str) -> frozenset[str] | None:
        """Hold the event for its consumers; the keys marked done by an earlier attempt, or
        None when it is finished. Raises WorkInProgress while another attempt's lease is live
        (see `claim`)."""

    @abstractmethod
    def mark(self, event_id: str, key: str) -> None:
        """Record one piece of the event's work as done (held by this attempt's claim)."""

    @abstractmethod
    def finish_event(self, event_id: str, *, now: str, marks: frozenset[str] = frozenset()) -> None:
        """Every consumer is done: no attempt will claim the event again. `marks`: pieces done
        since the last `mark`, recorded in the same write."""

    @abstractmethod
    def release_event(
        self, event_id: str, *, lease_until: str, marks: frozenset[str] = frozenset()
    ) -> None:
        """Some consumer failed: a retry may claim the event at once (its marks stay). Only the
        claim this attempt holds (its `lease_until`): one that ran out and was taken by
        another attempt is that attempt's. `marks` are recorded either way."""


class EventLog(ABC):
    """The tenant's domain events as stored with their changes, by time (one Query per UTC
    day): what a reader of recent changes (the console's alerts) looks through."""

    @abstractmethod
    def between(
        self, start: str, end: str, *, after: str | None, limit: int
    ) -> list[tuple[str, Record]]:
        """Events with start <= at < end and after the position `after` (an earlier answer's
        cursor: `<at>#<id>`), oldest first, each with its cursor, at most `limit`."""


class ListenerCounts(ABC):
    """The tenant's counts of webhook endpoints and channel connections (kernel/domain/
    listeners.py), in the tenant's table."""

    @abstractmethod
    def get(self) -> Listeners | None:
        """The counts, read consistently; None: a table from before the counts (unknown)."""

    @abstractmethod
    def start(self) -> None:
        """Start counting at zero: only for a new tenant's table, which holds none yet
        (provisioning, before the tenant is active); a second call changes nothing."""


class TableFormat(ABC):
    """How the tenant's table indexes its orders (kernel/adapters/table_format.py): a mark that
    lets the readers of a day's or a customer's orders skip the indexes of older orders."""

    @abstractmethod
    def mark_new(self) -> None:
        """Mark the table as holding no order indexed the old way: only for a table whose
        tenant was never active, which holds no order (provisioning); a second call changes
        nothing."""


class KernelData(Protocol):
    """The kernel's stores in one tenant's table."""

    tenant_id: str

    @property
    def audit(self) -> AuditLog: ...

    @property
    def transactions(self) -> TenantTransactions: ...

    @property
    def idempotency(self) -> IdempotencyStore: ...

    @property
    def ledger(self) -> ConsumerLedger: ...

    @property
    def event_log(self) -> EventLog: ...

    @property
    def listeners(self) -> ListenerCounts: ...

    @property
    def table_format(self) -> TableFormat: ...


D_co = TypeVar("D_co", bound=KernelData, covariant=True)


class DataFactory(Protocol[D_co]):
    def for_tenant(self, tenant: Tenant) -> D_co:
        """Data access bound to this tenant's table, with credentials for it alone."""
        ...
