"""Gift cards as payments sees them: a tender that takes a code, and a sale paid online.

Gift cards are the customers capability's (customers/services/gift_card_tender.py), which is
built on payments; payments may not import it. So payments names what it needs here, and the
composition root (bootstrap.py, tests/fakes.py) hands the customers' implementation in as
`gift_cards`:
- a spend: the transaction items that debit the card (on condition that it still holds the
  amount, so two desks spending the last 50 at once cannot both pass) and write its ledger
  entry, added to the order's own transaction with the payment record;
- a credit: the items that put a refund back onto the card, in the refund's transaction;
- a sale paid online: Stripe's webhook names a PaymentIntent whose metadata says it sold a
  gift card (`kind` = `gift_card`), and payments' worker hands it over to issue the card.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from chalicelib.kernel.domain.errors import Conflict, DomainError
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.transaction_ports import TransactionItem
from chalicelib.payments.services.payment_ports import Intent, PaymentsContext

SALE_KIND = "gift_card"  # an intent's metadata `kind` when it sells a gift card


@value
class GiftCardCharge:
    """A spend, ready to commit with its payment: the card's id (the payment's reference),
    what it takes, and the items that take it."""

    card_id: str
    amount: int
    items: tuple[TransactionItem, ...]


class GiftCardTender(Protocol):
    def charge(
        self,
        ctx: PaymentsContext,
        *,
        card_code: str,
        amount: int | None,
        most: int,
        currency: str,
        order_id: str,
        record_id: str,
    ) -> GiftCardCharge:
        """Spend `amount` (None: as much as the card holds, up to `most`) from the card
        `card_code` names, on an order in `currency`. Refused before any write when the code names
        no card (404 `gift_card_not_found`), the card is disabled, expired, in another
        currency or holds less (409); the items' condition refuses a spend that lost a race."""

    def credit(
        self,
        ctx: PaymentsContext,
        *,
        card_id: str,
        amount: int,
        order_id: str,
        record_id: str,
        note: str,
        by: str = "",
    ) -> tuple[TransactionItem, ...] | None:
        """The items that put `amount` back onto the card; None when `card_id` names no card
        of this business (a voucher recorded before cards had codes). Refused (409
        `gift_card_is_disabled`) when the card is disabled: money put on it could never be
        spent (the items' condition refuses a card disabled meanwhile). `by`: whose doing the
        movement is, when not the context's actor (a cancellation's refund: who cancelled)."""

    def refused(self, ctx: PaymentsContext, charge: GiftCardCharge, currency: str) -> DomainError:
        """Why a spend whose items' condition refused it (another spend took the card first, or
        it was disabled or ran out meanwhile) was refused, from the card as it is now: 409
        `gift_card_balance_low` with its `balance`, `gift_card_is_disabled`, ... as the
        charge's own checks say it; never the card's id (the widget's customer reads it)."""

    def settle_sale(self, ctx: PaymentsContext, intent: Intent) -> str:
        """A PaymentIntent that sells a gift card, as Stripe has it now: the card is issued
        once it succeeded (once, however often this is called). Returns what happened."""


SPENT_MEANWHILE = "gift_card_balance_low"  # the refusal of a spend's items (customers')


@contextmanager
def told_why(
    ctx: PaymentsContext,
    gift_cards: GiftCardTender | None,
    charge: GiftCardCharge | None,
    currency: str,
) -> Iterator[None]:
    """Around a commit with a card's spend in it: when the spend's condition refused it, the
    refusal the card gives as it now is (`refused`), so a spend that lost a race to another
    is told the card's balance (the README promises it), as one refused before any write is.
    Testers got 409 `gift_card_balance_low` with no balance and the card's internal id."""
    try:
        yield
    except Conflict as exc:
        if gift_cards is None or charge is None or exc.code != SPENT_MEANWHILE:
            raise
        raise gift_cards.refused(ctx, charge, currency) from exc
