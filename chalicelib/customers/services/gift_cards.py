"""Gift cards' use cases: selling one (at the desk for a desk tender, or online through a
PaymentIntent that Stripe's webhook completes), reading them, disabling one, finding one by its
code, and the business's rule of how long cards are valid.

Why an online sale is its own PaymentIntent rather than an order of a "gift card" offering: a
card holds no inventory, has no hold to expire, no cancellation policy and no invoice of a
sale (it is a liability until spent), so an order would carry every rule that does not apply
and need exceptions in each. The intent reuses all of the Stripe flow that matters (the
widget's card form with the intent's client secret, the verified and de-duplicated webhook,
the payments worker that fetches the intent as Stripe has it now); its metadata says what was
bought, and the card's id is derived from the intent's, so however often the webhook comes,
one card is issued (its put is conditional on a new id).
"""

from __future__ import annotations

import hashlib
from datetime import date

from chalicelib.booking.services.own_orders import ManageTokenSecret
from chalicelib.customers.domain.gift_cards import (
    ID_PREFIX,
    CardMoveKind,
    CardMovement,
    CardStatus,
    GiftCard,
    GiftCardNotFound,
    GiftCardSettings,
    Person,
    card_code,
    check_amount,
    check_settings,
    code_hash,
    expiry,
    normal_code,
)
from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.services.gift_card_ports import (
    CardDisable,
    CardLink,
    CardMovementPut,
    CardPut,
    CodePut,
    GiftCardsContext,
)
from chalicelib.kernel.domain.calendar import local_date
from chalicelib.kernel.domain.customer_events import GiftCardDisabled, GiftCardIssued
from chalicelib.kernel.domain.errors import Conflict, InvalidInput
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.transaction_ports import TransactionItem
from chalicelib.kernel.services.unit_of_work import UnitOfWork
from chalicelib.payments.domain.takings import Direction

DESK_TENDERS = ("cash", "card_terminal", "bank_transfer", "other")
LEDGER_LIMIT = 500


@value
class Sale:
    amount: int
    buyer: Person
    recipient: Person
    message: str = ""
    lang: str = "en"


@value
class Issued:
    card: GiftCard
    code: str  # shown once: to the desk that sold it, and in the recipient's e-mail


def today(ctx: GiftCardsContext) -> date:
    return local_date(parse(ctx.now()), ctx.tenant.timezone)


def online_card_id(intent_id: str) -> str:
    """The card a PaymentIntent buys: one id per intent, so a webhook twice issues one card."""
    return ID_PREFIX + hashlib.sha256(intent_id.encode()).hexdigest()[:20]


def _card(
    ctx: GiftCardsContext,
    card_id: str,
    sale: Sale,
    code: str,
    *,
    paid_with: str,
    sold_by: str,
    payment_ref: str = "",
) -> GiftCard:
    check_amount(sale.amount)
    return GiftCard(
        id=card_id,
        currency=ctx.tenant.currency,
        initial=sale.amount,
        balance=sale.amount,
        status=CardStatus.ACTIVE,
        code_last4=code[-4:],
        buyer=sale.buyer,
        recipient=sale.recipient,
        message=sale.message,
        sold_at=ctx.now(),
        sold_by=sold_by,
        paid_with=paid_with,
        expires_on=expiry(today(ctx), ctx.data.gift_cards.settings()),
        payment_ref=payment_ref,
        lang=sale.lang,
    )


def _issue(
    ctx: GiftCardsContext, card: GiftCard, code: str, channel: str, *extra: TransactionItem
) -> None:
    links = {
        (customer_id_for(p.email), role)
        for p, role in ((card.buyer, "buyer"), (card.recipient, "recipient"))
        if p.email
    }
    entry = CardMovement(
        id=f"{card.id}:issued",
        card_id=card.id,
        at=card.sold_at,
        movement=CardMoveKind.ISSUED,
        amount=card.initial,
        by=card.sold_by,
        note=card.paid_with,
    )
    issued = GiftCardIssued(
        id=ctx.new_id(),
        at=card.sold_at,
        card_id=card.id,
        amount=card.initial,
        currency=card.currency,
        channel=channel,
    )
    with UnitOfWork(ctx) as uow:
        uow.add(CardPut(card), CodePut(code_hash(code), card.id), CardMovementPut(entry))
        uow.add(*(CardLink(cid, card.id, role) for cid, role in sorted(links)), *extra)
        uow.record(issued)
        uow.commit()


def sell_at_desk(
    ctx: GiftCardsContext, card_id: str, sale: Sale, *, tender: str, secrets: ManageTokenSecret
) -> Issued:
    """A card sold at the desk for cash, a card terminal, a transfer or another tender: an
    entry on today's takings, written with the card. A retry (the same Idempotency-Key, so the
    same `card_id`) answers the card it sold."""
    from chalicelib.payments.services.takings import entry_items

    code = card_code(secrets.get().encode(), ctx.tenant.id, card_id)
    sold = _sold_before(ctx, card_id, sale, code)
    if sold is not None:
        return sold
    if tender not in DESK_TENDERS:
        raise InvalidInput(
            "Sell a gift card for cash, a card terminal, a transfer or other.",
            code="invalid_tender",
            field="method",
        )
    card = _card(
        ctx, card_id, sale, code, paid_with=tender, sold_by=ctx.actor.email or ctx.actor.label
    )
    takings = entry_items(
        ctx,
        record_id=card_id,
        direction=Direction.IN,
        method=tender,
        amount=sale.amount,
        order_id="",
        reference=f"Gift card {card_id}",
    )
    try:
        _issue(ctx, card, code, "desk", *takings)
        # Money taken and a card made: every mutating request is on the audit log (a tester
        # found desk sales and disablings missing from it).
        ctx.audit("gift_card.sold", f"gift_card:{card_id}", amount=sale.amount, method=tender)
    except Conflict as exc:
        # The same sale sent again at once (a double click, a retrying client): the one that
        # committed sold the card; the others answer it, as a retry after it does.
        sold = _sold_before(ctx, card_id, sale, code) if exc.code == "gift_card_exists" else None
        if sold is None:
            raise
        return sold
    return Issued(card, code)


def _sold_before(ctx: GiftCardsContext, card_id: str, sale: Sale, code: str) -> Issued | None:
    """The card this sale's Idempotency-Key already sold; 422 when it sold another."""
    existing = ctx.data.gift_cards.get(card_id)
    if existing is None:
        return None
    if (existing.initial, existing.recipient) != (sale.amount, sale.recipient):
        raise InvalidInput("This Idempotency-Key sold another card.", code="idempotency_key_reused")
    return Issued(existing, code)


def sale_metadata(ctx: GiftCardsContext, sale_id: str, sale: Sale) -> dict[str, str]:
    """What the PaymentIntent of an online sale carries (Stripe keeps 500 characters a value)."""
    check_amount(sale.amount)
    return {
        "tenant_id": ctx.tenant.id,
        "kind": "gift_card",
        "sale_id": sale_id,
        "buyer_name": sale.buyer.name,
        "buyer_email": sale.buyer.email,
        "recipient_name": sale.recipient.name,
        "recipient_email": sale.recipient.email,
        "message": sale.message,
        "lang": sale.lang,
    }


def sale_of(metadata: dict[str, str], amount: int) -> Sale:
    return Sale(
        amount=amount,
        buyer=Person(metadata.get("buyer_name", ""), metadata.get("buyer_email", "")),
        recipient=Person(metadata.get("recipient_name", ""), metadata.get("recipient_email", "")),
        message=metadata.get("message", ""),
        lang=metadata.get("lang", "en"),
    )


def issue_online(
    ctx: GiftCardsContext, intent_id: str, sale: Sale, *, paid: bool, secret: str
) -> str:
    """The card an online sale bought, once its intent succeeded: issued once."""
    if not paid:
        return "not_paid"
    card_id = online_card_id(intent_id)
    if ctx.data.gift_cards.get(card_id) is not None:
        return "duplicate"
    code = card_code(secret.encode(), ctx.tenant.id, card_id)
    card = _card(
        ctx, card_id, sale, code, paid_with="online", sold_by="widget", payment_ref=intent_id
    )
    try:
        _issue(ctx, card, code, "widget")
    except Conflict:
        return "duplicate"  # another delivery issued it in between
    return "issued"


# -- reading and managing ----------------------------------------------------------------------


def get_card(ctx: GiftCardsContext, card_id: str) -> GiftCard:
    card = ctx.data.gift_cards.get(card_id)
    if card is None:
        raise GiftCardNotFound("No such gift card.", card_id=card_id)
    return card


def ledger(ctx: GiftCardsContext, card_id: str) -> list[CardMovement]:
    get_card(ctx, card_id)
    return ctx.data.gift_cards.ledger(card_id, limit=LEDGER_LIMIT)


def find_by_code(ctx: GiftCardsContext, code: str) -> GiftCard:
    """The card a code names (typed as people type: case, spaces, dashes forgiven); 404
    `gift_card_not_found` otherwise, the same answer for a code that cannot be one."""
    normal = normal_code(code)
    card_id = ctx.data.gift_cards.card_of_code(code_hash(normal)) if normal else None
    card = ctx.data.gift_cards.get(card_id) if card_id else None
    if card is None:
        raise GiftCardNotFound("No gift card has this code.")
    return card


def list_cards(
    ctx: GiftCardsContext, *, limit: int, after: str | None
) -> tuple[list[GiftCard], str | None]:
    return ctx.data.gift_cards.cards(limit=limit, after=after)


def disable(ctx: GiftCardsContext, card_id: str) -> GiftCard:
    """Stop a card (lost, sold by mistake): it can no longer be spent; its balance stays for
    the books. Disabling a disabled card changes nothing."""
    card = get_card(ctx, card_id)
    if card.status is CardStatus.DISABLED:
        return card
    now, by = ctx.now(), ctx.actor.email or ctx.actor.label
    entry = CardMovement(
        id=f"{card.id}:disabled",
        card_id=card.id,
        at=now,
        movement=CardMoveKind.DISABLED,
        amount=0,
        by=by,
    )
    event = GiftCardDisabled(id=ctx.new_id(), at=now, card_id=card.id, balance=card.balance, by=by)
    with UnitOfWork(ctx) as uow:
        uow.add(CardDisable(card.id, now, by), CardMovementPut(entry))
        uow.record(event)
        uow.commit()
    ctx.audit("gift_card.disabled", f"gift_card:{card.id}", balance=card.balance)
    return get_card(ctx, card_id)


def forget_customer(ctx: GiftCardsContext, customer_ids: tuple[str, ...] | list[str]) -> int:
    """An erased customer's name and address leave the cards that name them (found by key in
    their partitions: the links written with each card); balances and ledgers stay. How many
    cards were touched; again: the same ones, changed no further."""
    touched = 0
    for customer_id in customer_ids:
        for card_id, role in ctx.data.gift_cards.cards_of(customer_id):
            ctx.data.gift_cards.forget(card_id, role, ctx.now())
            touched += 1
    return touched


def settings(ctx: GiftCardsContext) -> GiftCardSettings:
    return ctx.data.gift_cards.settings()


def change_settings(
    ctx: GiftCardsContext,
    valid_months: int,
    *,
    online_min: int | None = None,
    online_max: int | None = None,
) -> GiftCardSettings:
    """The settings with what is given changed (a bound left out stays as it is), checked."""
    now = settings(ctx)
    new = check_settings(
        valid_months,
        now.online_min if online_min is None else online_min,
        now.online_max if online_max is None else online_max,
    )
    return save_settings(ctx, new)


def save_settings(ctx: GiftCardsContext, new: GiftCardSettings) -> GiftCardSettings:
    ctx.data.gift_cards.save_settings(new, ctx.now())
    ctx.audit(
        "gift_cards.settings",
        "gift_cards",
        valid_months=new.valid_months,
        online_min=new.online_min,
        online_max=new.online_max,
    )
    return new
