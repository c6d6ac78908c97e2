"""The customers' store and their transaction items (customers/adapters/customer_store.py and
customer_items.py implement them; tests/fake_customers.py fakes both).

Reads are GetItem or one Query on the tenant table's existing indexes (kernel/adapters/
schema.py lists the keys). Writes of more than one item go through the unit of work as these
items, so a figure and its event's mark, or a merge's two records and its event, are one
transaction.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Protocol

from chalicelib.customers.domain.merges import Merge
from chalicelib.customers.domain.records import CustomerRecord, Note
from chalicelib.customers.services.redemption_ports import LoyaltyData
from chalicelib.customers.services.suggestion_ports import SuggestionsData
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.services.transaction_ports import TransactionItem

MARK_DAYS = 30  # an event's mark is kept as long as the dispatcher's claim (pipeline)


@value
class CustomerPut(TransactionItem):
    """The customer's record over the version read (`expected_version` 0: a new record), on
    condition that it was not merged away meanwhile (a figure never lands on a loser after its
    figures were moved). `allow_merged`: the merge itself, which sets `merged_into`."""

    customer: CustomerRecord
    expected_version: int
    allow_merged: bool = False


@value
class EventMark(TransactionItem):
    """The mark of one event counted in a customer's figures, on condition that it is new:
    `CUS#<customer the order's e-mail names>`/`EVT#<event id>` (TTL `MARK_DAYS`)."""

    customer_id: str
    event_id: str
    expires: int  # epoch seconds


@value
class FamilyNamePut(TransactionItem):
    """The customer's family-name entry in the name search (`CUS#<id>`/`FAMNAME`, under their
    own partition so an erase takes it): written with the record when its `family_key`
    changes (`key` "": deleted). Unconditional: the record's own put carries the condition."""

    customer_id: str
    key: str


@value
class NotePut(TransactionItem):
    """A note, once (its id is the request's); `copy`: a merge's copy of a note to the
    winner, written over an earlier copy (the same item)."""

    note: Note
    copy: bool = False


@value
class MergePut(TransactionItem):
    """A merge's record under the winner, over the state read (`expected_version` 0: new)."""

    merge: Merge
    expected_version: int


@value
class CustomerPage:
    customers: tuple[CustomerRecord, ...]
    next: str | None  # the position to resume after; None: no more


class CustomerStore(ABC):
    @abstractmethod
    def get(self, customer_id: str) -> CustomerRecord | None:
        """The record as stored (strongly consistent), merged or not."""

    @abstractmethod
    def get_many(
        self, customer_ids: Sequence[str], *, consistent: bool = False
    ) -> dict[str, CustomerRecord]:
        """The records that exist among these ids (BatchGetItem; `consistent`: each read as
        `get` reads it)."""

    @abstractmethod
    def with_phone(self, phone: str) -> list[str]:
        """The ids of the records whose phone this is (one Query; eventually consistent)."""

    @abstractmethod
    def by_name(self, prefix: str, *, after: str | None, limit: int) -> CustomerPage:
        """Records whose folded name, or family name (`family_key`), starts with `prefix`
        (folded), by the entry matched, each once (one Query)."""

    @abstractmethod
    def duplicates(self, *, after: str | None, limit: int) -> CustomerPage:
        """Records flagged as possible duplicates, most recently flagged first (one Query)."""

    @abstractmethod
    def notes(self, customer_id: str, *, limit: int) -> list[Note]:
        """The customer's notes, newest first."""

    @abstractmethod
    def merge(self, winner_id: str, loser_id: str) -> Merge | None: ...

    @abstractmethod
    def erased_at(self, customer_id: str) -> str | None:
        """When the customer of this id was erased (their tombstone `ERASED#<id>`), or None."""

    @abstractmethod
    def mark_erased(self, customer_id: str, at: str) -> None:
        """Write the tombstone: the id (a one-way hash of the contact) and the time, nothing
        else; kept for good, so an old import file never makes the customer again."""


class CustomersData(SuggestionsData, LoyaltyData, Protocol):
    """The core's store, and what a merge moves besides (mergers.py): the loyalty ledger,
    the suggestions' history."""

    @property
    def customers(self) -> CustomerStore: ...


CustomersContext = TenantContext[CustomersData]
