"""Request and response models of the gift cards' routes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from chalicelib.customers.domain.gift_cards import (
    MAX_AMOUNT,
    MAX_MESSAGE,
    MAX_VALID_MONTHS,
    CardMovement,
    GiftCard,
    GiftCardSettings,
    Person,
    by_kind,
    grouped,
    masked,
)
from chalicelib.web.cursors import INSTANT_TILDE_ID, CursorShape
from chalicelib.web.models import Body, Email, MultiLine, Name, OneLine, Out, Query

if TYPE_CHECKING:
    from chalicelib.customers.services.gift_card_tender import OnlineSale

Language = Literal["en", "zh-Hans"]
SaleTender = Literal["cash", "card_terminal", "bank_transfer", "other"]
Code = Annotated[str, Field(min_length=1, max_length=40), OneLine]
Cursor = Annotated[str, CursorShape(INSTANT_TILDE_ID, 200)]


class PersonIn(Body):
    name: Name
    email: Email


class GiftCardSaleIn(Body):
    amount: Annotated[int, Field(gt=0, le=MAX_AMOUNT)] = Field(
        description="Minor units of the business's currency."
    )
    buyer: PersonIn
    recipient: PersonIn = Field(description="Who gets the card's e-mail with its code.")
    message: Annotated[str, Field(max_length=MAX_MESSAGE), MultiLine] = ""
    lang: Language = Field(default="en", description="The language of the card's e-mail.")

    def people(self) -> tuple[Person, Person]:
        return (
            Person(self.buyer.name, self.buyer.email.strip().lower()),
            Person(self.recipient.name, self.recipient.email.strip().lower()),
        )


class DeskSaleIn(GiftCardSaleIn):
    method: SaleTender = Field(description="How the buyer paid at the desk.")


class CodeIn(Body):
    code: Code = Field(description="The card's code, as printed (dashes and case do not matter).")


Bound = Annotated[int, Field(ge=0, le=MAX_AMOUNT)]


class SettingsIn(Body):
    valid_months: Annotated[int, Field(ge=0, le=MAX_VALID_MONTHS)] = Field(
        description="How long a card sold from now on can be spent; 0: for ever."
    )
    online_min_amount: Bound | None = Field(
        default=None,
        description="The least a card bought online (the widget) may hold, in minor units; "
        "0: no minimum of the business's own; left out: unchanged.",
    )
    online_max_amount: Bound | None = Field(
        default=None,
        description="The most a card bought online may hold, in minor units; 0: no maximum of "
        "the business's own; left out: unchanged.",
    )


class CardsQueryIn(Query):
    limit: Annotated[int, Field(ge=1, le=100)] = 50
    cursor: Cursor | None = Field(default=None, description="`next_cursor` of the previous page.")


class PersonOut(Out):
    name: str
    email: str


class CardMovementOut(Out):
    id: str
    at: str
    movement: str = Field(description="issued | redeemed | refunded | disabled")
    amount: int = Field(description="Minor units; positive onto the card, negative off it.")
    order_id: str
    record_id: str
    by: str = Field(
        description="Who moved it as records name them: a login's e-mail, `secret_key:<id>`, "
        "`widget` or the widget's key (the customer), `system:<id>` (the platform itself)."
    )
    by_kind: str = Field(
        description="staff | key | customer | system: who moved it, by kind (an expired hold "
        "given back, a webhook's work: system; the customer's own payment or cancellation: "
        "customer)."
    )
    note: str

    @classmethod
    def of(cls, e: CardMovement) -> CardMovementOut:
        return cls(
            id=e.id,
            at=e.at,
            movement=e.movement.value,
            amount=e.amount,
            order_id=e.order_id,
            record_id=e.record_id,
            by=e.by,
            by_kind=by_kind(e.by).value,
            note=e.note,
        )


class GiftCardOut(Out):
    id: str
    masked_code: str = Field(description="Only its last four characters.")
    currency: str
    initial: int
    balance: int
    status: str = Field(description="active | disabled")
    expires_on: str | None = Field(description="The last local date it can be spent.")
    expired: bool
    buyer: PersonOut
    recipient: PersonOut
    message: str
    sold_at: str
    sold_by: str
    paid_with: str
    payment_ref: str
    disabled_at: str | None
    ledger: list[CardMovementOut] | None = Field(
        default=None, description="Its movements, oldest first (on a single card's answer)."
    )

    @classmethod
    def of(
        cls, card: GiftCard, today: str, ledger: list[CardMovement] | None = None
    ) -> GiftCardOut:
        return cls(
            id=card.id,
            masked_code=masked(card.code_last4),
            currency=card.currency,
            initial=card.initial,
            balance=card.balance,
            status=card.status.value,
            expires_on=card.expires_on,
            expired=card.expires_on is not None and today > card.expires_on,
            buyer=PersonOut(name=card.buyer.name, email=card.buyer.email),
            recipient=PersonOut(name=card.recipient.name, email=card.recipient.email),
            message=card.message,
            sold_at=card.sold_at,
            sold_by=card.sold_by,
            paid_with=card.paid_with,
            payment_ref=card.payment_ref,
            disabled_at=card.disabled_at,
            ledger=None if ledger is None else [CardMovementOut.of(e) for e in ledger],
        )


class SoldOut(Out):
    card: GiftCardOut
    code: str = Field(description="The card's code, XXXX-XXXX-XXXX-XXXX: shown this once.")

    @classmethod
    def of(cls, card: GiftCard, code: str, today: str) -> SoldOut:
        return cls.model_validate({"card": GiftCardOut.of(card, today), "code": grouped(code)})


class GiftCardsOut(Out):
    cards: list[GiftCardOut]
    next_cursor: str | None


class CardBalanceOut(Out):
    balance: int
    currency: str
    expires_on: str | None
    usable: bool = Field(description="Whether it can be spent today.")


class SettingsOut(Out):
    valid_months: int
    online_min_amount: int | None = Field(description="None: no minimum of its own.")
    online_max_amount: int | None = Field(description="None: no maximum of its own.")

    @classmethod
    def of(cls, s: GiftCardSettings) -> SettingsOut:
        return cls(
            valid_months=s.valid_months,
            online_min_amount=s.online_min or None,
            online_max_amount=s.online_max or None,
        )


class PublicSettingsOut(Out):
    currency: str
    min_amount: int = Field(description="The least a card bought here may hold (minor units).")
    max_amount: int = Field(description="The most a card bought here may hold (minor units).")

    @classmethod
    def of(cls, s: GiftCardSettings, currency: str) -> PublicSettingsOut:
        return cls(
            currency=currency,
            min_amount=s.online_min or 1,
            max_amount=s.online_max or MAX_AMOUNT,
        )


class OnlineSaleOut(Out):
    payment_id: str
    amount: int
    currency: str
    client_secret: str | None = Field(description="For Stripe.js on the customer's device.")
    stripe_account: str = Field(description="Initialise Stripe.js with this account.")
    publishable_key: str

    @classmethod
    def of(cls, sale: OnlineSale, publishable_key: str) -> OnlineSaleOut:
        return cls(
            payment_id=sale.intent_id,
            amount=sale.amount,
            currency=sale.currency,
            client_secret=sale.client_secret,
            stripe_account=sale.account,
            publishable_key=publishable_key,
        )
