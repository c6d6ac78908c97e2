"""Gift cards as a tender: the customers' implementation of payments' port
(payments/services/gift_card_ports.py), handed to payments by the composition root
(bootstrap.py, tests/fakes.py) as `gift_cards`. It also starts an online sale (the widget's
PaymentIntent) and issues the card when payments' worker hands the succeeded intent back.

The port takes payments' context; the cards are in the same tenant's table, reached through
the container's tenant data, which the type checker knows to hold them (`GiftCardsData`)."""

from __future__ import annotations

from chalicelib.booking.services.own_orders import ManageTokenSecret
from chalicelib.customers.domain.gift_cards import (
    CardMoveKind,
    CardMovement,
    CardStatus,
    GiftCardBalanceLow,
    GiftCardIsDisabled,
    GiftCardNotFound,
    check_spend,
)
from chalicelib.customers.services import gift_cards as cards
from chalicelib.customers.services.gift_card_ports import (
    CardCredit,
    CardDebit,
    CardMovementPut,
    GiftCardsContext,
    GiftCardsData,
)
from chalicelib.kernel.domain.errors import DomainError, InvalidInput
from chalicelib.kernel.domain.money import to_provider_amount
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.context import widened
from chalicelib.kernel.services.tenant_data_ports import DataFactory
from chalicelib.kernel.services.transaction_ports import TransactionItem
from chalicelib.payments.services.gift_card_ports import GiftCardCharge
from chalicelib.payments.services.payment_orders import connected_account
from chalicelib.payments.services.payment_ports import (
    Intent,
    PaymentAccounts,
    PaymentGateway,
    PaymentsContext,
)
from chalicelib.tenancy.domain.plans import platform_fee


@value
class OnlineSale:
    intent_id: str
    client_secret: str | None
    account: str
    amount: int
    currency: str


class GiftCardTenders:
    """payments' `GiftCardTender`, over the gift cards' store."""

    def __init__(self, data: DataFactory[GiftCardsData], secret: ManageTokenSecret) -> None:
        self._data = data
        self._secret = secret

    def _widen(self, ctx: PaymentsContext) -> GiftCardsContext:
        return widened(ctx, self._data)

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
        mine = self._widen(ctx)
        card = cards.find_by_code(mine, card_code)
        take = amount if amount is not None else min(card.balance, most)
        if amount is None and card.balance == 0:
            raise GiftCardBalanceLow(
                "This gift card is spent.", balance=0, currency=card.currency, asked=most
            )
        day = cards.today(mine)
        check_spend(card, take, currency, day)
        entry = CardMovement(
            id=f"{card.id}:{record_id}",
            card_id=card.id,
            at=ctx.now(),
            movement=CardMoveKind.REDEEMED,
            amount=-take,
            order_id=order_id,
            record_id=record_id,
            by=ctx.actor.email or ctx.actor.label,
        )
        items = (CardDebit(card.id, take, day.isoformat()), CardMovementPut(entry))
        return GiftCardCharge(card_id=card.id, amount=take, items=items)

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
        card = self._widen(ctx).data.gift_cards.get(card_id)
        if card is None:
            return None
        if card.status is CardStatus.DISABLED:  # money on it could never be spent again
            raise GiftCardIsDisabled(
                "This gift card was disabled: refund the money another way.", card_id=card_id
            )
        entry = CardMovement(
            id=f"{card_id}:{record_id}",
            card_id=card_id,
            at=ctx.now(),
            movement=CardMoveKind.REFUNDED,
            amount=amount,
            order_id=order_id,
            record_id=record_id,
            by=by or ctx.actor.email or ctx.actor.label,
            note=note,
        )
        return (CardCredit(card_id, amount), CardMovementPut(entry))

    def refused(self, ctx: PaymentsContext, charge: GiftCardCharge, currency: str) -> DomainError:
        mine = self._widen(ctx)
        card = mine.data.gift_cards.get(charge.card_id)
        if card is None:
            return GiftCardNotFound("No gift card has this code.")
        try:
            check_spend(card, charge.amount, currency, cards.today(mine))
        except DomainError as exc:
            return exc
        return GiftCardBalanceLow(  # it holds enough again (a refund came back onto it)
            "The gift card changed while it was being spent: send it again.",
            balance=card.balance,
            currency=card.currency,
            asked=charge.amount,
        )

    def settle_sale(self, ctx: PaymentsContext, intent: Intent) -> str:
        sale = cards.sale_of(intent.metadata, intent.amount_received or intent.amount)
        return cards.issue_online(
            self._widen(ctx),
            intent.id,
            sale,
            paid=intent.status == "succeeded",
            secret=self._secret.get(),
        )


def start_online_sale(
    ctx: GiftCardsContext,
    sale_id: str,
    sale: cards.Sale,
    *,
    gateway: PaymentGateway,
    accounts: PaymentAccounts,
) -> OnlineSale:
    """The PaymentIntent the widget's card form pays for a card (the webhook issues the card).
    A retry (the same `sale_id`) gets Stripe's first intent back (its idempotency key)."""
    ctx.data.gift_cards.settings().check_online(sale.amount)  # the business's own bounds
    account = connected_account(accounts, ctx.tenant.id)
    currency = ctx.tenant.currency
    metadata = cards.sale_metadata(ctx, sale_id, sale)
    if to_provider_amount(sale.amount, currency) != sale.amount:
        raise InvalidInput(
            "In a three-decimal currency a card bought online is a multiple of 10 minor units.",
            code="invalid_amount",
            field="amount",
        )
    intent = gateway.create_payment_intent(
        account=account,
        amount=sale.amount,
        currency=currency,
        application_fee=platform_fee(ctx.tenant.plan, sale.amount),
        manual_capture=False,
        save_card=False,
        customer=None,
        metadata=metadata,
        idempotency_key=f"giftsale:{sale_id}",
    )
    return OnlineSale(intent.id, intent.client_secret, account, sale.amount, currency)
