"""The gift cards' store and their transaction items (customers/domain/gift_cards.py has the
rules; customers/adapters/gift_card_store.py encodes them for DynamoDB; tests/fakes.py fakes
both).

Every change of a card is written through the unit of work, so a card's balance and its
ledger entry move together, and a spend or a refund moves with the order's payment record:
- `CardPut` + `CodePut`: a new card (on condition that its id is new) and the item that finds
  it by its code's hash (on condition that no card has that code: never, in practice);
- `CardDebit`: `balance -= amount` on condition that the card is active, not expired on
  `today`, and holds at least `amount` (refused: 409 `gift_card_balance_low`);
- `CardCredit`: `balance += amount` on condition that the card exists;
- `CardDisable`: active -> disabled;
- `CardMovementPut`: one movement, on condition that its id is new;
- `CardLink`: the card named in its buyer's and recipient's partitions (`CUS#<customer id>`),
  so an erase of a customer finds the cards that hold their name and address by key.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection
from typing import Protocol

from chalicelib.customers.domain.gift_cards import (
    CardMovement,
    CardStatus,
    GiftCard,
    GiftCardSettings,
)
from chalicelib.invoices.services.invoice_ports import InvoicesData
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.services.transaction_ports import TransactionItem
from chalicelib.notifications.services.template_ports import NotificationsData


class GiftCardStore(ABC):
    @abstractmethod
    def get(self, card_id: str) -> GiftCard | None:
        """The card as last written (strongly consistent)."""

    @abstractmethod
    def card_of_code(self, code_hash: str) -> str | None:
        """The id of the card whose code has this SHA-256 (strongly consistent)."""

    @abstractmethod
    def ledger(self, card_id: str, *, limit: int) -> list[CardMovement]:
        """The card's movements, oldest first, `limit` at most (one Query)."""

    @abstractmethod
    def cards(self, *, limit: int, after: str | None) -> tuple[list[GiftCard], str | None]:
        """The cards sold, newest first, from after the cursor; and the next page's cursor."""

    @abstractmethod
    def cards_of(self, customer_id: str) -> list[tuple[str, str]]:
        """The cards that name this customer, as (card id, buyer | recipient): one Query of
        their partition (`CUS#<id>`, sk begins_with `GIFT#`)."""

    @abstractmethod
    def forget(self, card_id: str, role: str, at: str) -> None:
        """The card no longer holds the buyer's or the recipient's name and address (nor its
        message): an erased customer's. Its balance and ledger stay for the books."""

    @abstractmethod
    def settings(self) -> GiftCardSettings: ...

    def disabled(self, card_ids: Collection[str]) -> frozenset[str]:
        """Which of these cards staff disabled (booking's `GiftCardStates`: a cancellation's
        answer says their part is the desk's to give back). A read of each: an order names a
        card or two."""
        cards = (self.get(card_id) for card_id in card_ids)
        return frozenset(c.id for c in cards if c is not None and c.status is CardStatus.DISABLED)

    @abstractmethod
    def save_settings(self, settings: GiftCardSettings, at: str) -> None: ...


@value
class CardPut(TransactionItem):
    card: GiftCard


@value
class CodePut(TransactionItem):
    code_hash: str
    card_id: str


@value
class CardDebit(TransactionItem):
    card_id: str
    amount: int
    today: str  # the business's local date: an expired card refuses


@value
class CardCredit(TransactionItem):
    card_id: str
    amount: int


@value
class CardDisable(TransactionItem):
    card_id: str
    at: str
    by: str


@value
class CardMovementPut(TransactionItem):
    entry: CardMovement


@value
class CardLink(TransactionItem):
    customer_id: str
    card_id: str
    role: str  # buyer | recipient


class GiftCardsData(NotificationsData, InvoicesData, Protocol):
    @property
    def gift_cards(self) -> GiftCardStore: ...


GiftCardsContext = TenantContext[GiftCardsData]
