"""The privacy use cases' ports: what of a tenant's table names one customer (found by key,
never by a Scan), and where exports are kept.

The store reads and rewrites the items that hold a copy of a customer's data outside their
orders: their own partitions (`CUS#<id>`, `LOY#<id>`: every item, whatever the capability that
wrote it), the events about their orders or about them, the idempotency records whose stored
answer names their order or their id, the webhook deliveries of those events, and the audit
entries whose target is their order or their id (the keys-only index gsi4 lists each:
kernel/adapters/schema.py). The orders themselves are booking's (`OrderStore`, `OrderUnitOfWork`)
and the issued invoices the invoices' (read only: they are kept).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, Protocol

from chalicelib.customers.services.customer_ports import CustomersData
from chalicelib.customers.services.gift_card_ports import GiftCardsData
from chalicelib.kernel.domain.audit import AuditEntry
from chalicelib.kernel.domain.events import Record
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.context import TenantContext

JOB_WORDS = ("reason", "subject", "body")  # a bulk job's free text


@value
class StoredAnswer:
    """An idempotency record's remembered answer (`{status, headers, body}`)."""

    key: str
    response: dict[str, Any]


@value
class StoredPayload:
    """A webhook delivery's exact body."""

    endpoint_id: str
    delivery_id: str
    payload: str


class PrivacyStore(ABC):
    @abstractmethod
    def partition(self, pk: str) -> list[dict[str, Any]]:
        """Every item under the partition key, as plain JSON values (binary as base64)."""

    @abstractmethod
    def delete_partition(self, pk: str) -> int:
        """Delete every item under the partition key; how many there were."""

    @abstractmethod
    def order_events(self, order_id: str) -> list[Record]:
        """The events about an order still kept (TTL 90 days), oldest first."""

    @abstractmethod
    def customer_events(self, customer_id: str) -> list[Record]:
        """The events about a customer rather than an order (their data's `customer_id`)."""

    @abstractmethod
    def delete_events(self, event_ids: Sequence[str]) -> None:
        """Deleted, not rewritten: an event item written again would reach the relay again."""

    @abstractmethod
    def answers_about(self, subject_id: str) -> list[StoredAnswer]:
        """The idempotency records whose answer names this order or customer id."""

    @abstractmethod
    def replace_answer(self, key: str, response: dict[str, Any]) -> None: ...

    @abstractmethod
    def payloads_of(self, event_id: str) -> list[StoredPayload]:
        """The webhook deliveries of one event (every endpoint's, and replays)."""

    @abstractmethod
    def replace_payload(self, endpoint_id: str, delivery_id: str, payload: str) -> None: ...

    @abstractmethod
    def takings_of(self, order_id: str, day: str) -> list[tuple[str, str]]:
        """The day's takings entries of the order (`TAKE#<day>`): (sort key, reference)."""

    @abstractmethod
    def replace_takings_reference(self, day: str, sk: str, reference: str) -> None: ...

    @abstractmethod
    def channel_messages(self, connection_id: str, external_id: str) -> dict[str, str]:
        """A channel manager's reservation's kept messages (`CHRES#`: the one applied to its
        order, one parked), JSON text by attribute; none when nothing is kept."""

    @abstractmethod
    def replace_channel_messages(
        self, connection_id: str, external_id: str, texts: dict[str, str]
    ) -> None: ...

    @abstractmethod
    def job_words(self, job_id: str) -> dict[str, str]:
        """A bulk job's own words (`reason`, `subject`, `body`: a message to its orders'
        customers may name one); none when the job is gone (its TTL)."""

    @abstractmethod
    def replace_job_words(self, job_id: str, words: dict[str, str]) -> None: ...

    @abstractmethod
    def audit_about(self, target: str) -> list[AuditEntry]:
        """The audit entries whose target is this (`order:<id>`, `customer:<id>`)."""

    @abstractmethod
    def replace_audit_details(self, entry: AuditEntry, details: dict[str, Any]) -> None: ...

    @abstractmethod
    def owe_withdrawal(self, customer_ids: Sequence[str], at: str) -> None:
        """Mark an erase under way (`ERASING#<id>`/`META` per id, each listing every id): the
        business's report exports are owed a withdrawal once their data is gone. A run that
        dies before leaves the mark, so the next run still owes it (privacy_erase.py)."""

    @abstractmethod
    def withdrawals_owed(self, customer_ids: Sequence[str]) -> list[str]:
        """Every id the marks of these ids list (none when no erase of theirs is under way)."""

    @abstractmethod
    def settle_withdrawal(self, customer_ids: Sequence[str]) -> None:
        """The marks of these ids deleted: the withdrawal is done."""


class ExportFiles(ABC):
    """Where exports are kept: their own private bucket, which expires them (infra: a
    lifecycle rule) and keeps no old versions, unlike the invoices' files."""

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def put(self, key: str, body: bytes) -> None: ...

    @abstractmethod
    def link(self, key: str, filename: str, seconds: int) -> str:
        """A download address of the file that stops working after `seconds`."""

    @abstractmethod
    def delete_under(self, prefix: str) -> int:
        """Delete every file whose key starts with `prefix`; how many."""


class PrivacyData(
    GiftCardsData, CustomersData, Protocol
):  # the gift cards that name a customer too
    @property
    def privacy(self) -> PrivacyStore: ...


PrivacyContext = TenantContext[PrivacyData]


class ReportExports(Protocol):
    """The business's report exports (the reports capability's, built on this one: the
    composition root hands them in, reports/services/export_withdrawals.py)."""

    def withdraw_made_until(self, ctx: PrivacyContext, at: str) -> int:
        """Withdraw every export made at or before `at` whose rows can name a customer, its
        file deleted; how many were withdrawn now (again: none)."""
        ...
