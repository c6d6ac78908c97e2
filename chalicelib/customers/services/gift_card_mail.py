"""The gift card's e-mail to its recipient: the code, the amount, who it is from, their
message and how long it is valid, in the language it was bought in (English or Simplified
Chinese). Sent by the consumer of GiftCardIssued (messages group), once (`run_once`): the code
is derived again from the card's id (domain/gift_cards.py), so a retry after a crash writes
the same e-mail."""

from __future__ import annotations

from html import escape
from typing import Protocol

from chalicelib.booking.services.own_orders import ManageTokenSecret
from chalicelib.customers.domain.gift_cards import GiftCard, card_code, code_hash, grouped
from chalicelib.customers.services.gift_card_ports import GiftCardsContext
from chalicelib.kernel.domain.customer_events import GiftCardIssued
from chalicelib.kernel.services.messaging_ports import Email, Mailer
from chalicelib.kernel.services.once import run_once
from chalicelib.notifications.services.content import format_money
from chalicelib.settings import Settings

TEMPLATES = {
    "en": {
        "subject": "A gift card from {buyer} for {business}",
        "text": (
            "Dear {recipient},\n\n{buyer} sends you a gift card of {amount} for {business}."
            "\n\n{message}Your code: {card_code}\n{valid}\nGive the code when you book or pay."
            "\n\n{business}\n"
        ),
        "valid": "Valid until {date}.",
        "forever": "It does not expire.",
    },
    "zh-Hans": {
        "subject": "{buyer} 送您一张 {business} 的礼品卡",
        "text": (
            "{recipient}，您好：\n\n{buyer} 送您一张 {business} 的礼品卡，金额 {amount}。"
            "\n\n{message}礼品卡代码：{card_code}\n{valid}\n预订或付款时请出示此代码。\n\n{business}\n"
        ),
        "valid": "有效期至 {date}。",
        "forever": "长期有效。",
    },
}


def gift_card_email(ctx: GiftCardsContext, card: GiftCard, code: str, *, sender: str) -> Email:
    words = TEMPLATES.get(card.lang, TEMPLATES["en"])
    valid = words["valid"].format(date=card.expires_on) if card.expires_on else words["forever"]
    message = f"“{card.message}”\n\n" if card.message else ""
    text = words["text"].format(
        recipient=card.recipient.name,
        buyer=card.buyer.name or ctx.tenant.name,
        business=ctx.tenant.name,
        amount=format_money(card.initial, card.currency, card.lang),
        message=message,
        card_code=grouped(code),
        valid=valid,
    )
    subject = words["subject"].format(
        buyer=card.buyer.name or ctx.tenant.name, business=ctx.tenant.name
    )
    return Email(
        to=card.recipient.email,
        subject=subject,
        text=text,
        html="".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n") if p.strip()).replace(
            "\n", "<br>"
        ),
        sender=sender,
        sender_name=ctx.tenant.name,
        reply_to=ctx.tenant.settings.business.email or None,
        tags={"tenant": ctx.tenant.id, "kind": "gift_card"},
    )


class GiftMailDeps(Protocol):
    @property
    def mailer(self) -> Mailer: ...
    @property
    def settings(self) -> Settings: ...
    @property
    def manage_token_secret(self) -> ManageTokenSecret: ...


class MailGiftCard:
    """Consumer of GiftCardIssued: the card's e-mail to its recipient, once."""

    name = "customers.gift_card_mail"
    events = (GiftCardIssued,)
    repeatable = True  # the one outside effect goes through run_once

    def handle(self, ctx: GiftCardsContext, event: GiftCardIssued, deps: GiftMailDeps) -> None:
        card = ctx.data.gift_cards.get(event.card_id)
        if card is None or not card.recipient.email:
            return
        code = card_code(deps.manage_token_secret.get().encode(), ctx.tenant.id, card.id)
        if ctx.data.gift_cards.card_of_code(code_hash(code)) != card.id:
            return  # the secret was rotated since the sale: this code would not spend it
        email = gift_card_email(ctx, card, code, sender=deps.settings.mail_from)
        run_once(ctx, f"gift-card-mail#{card.id}", lambda: deps.mailer.send(email))
