"""The gift card's e-mails, in the language it was bought in (English or Simplified Chinese),
sent by the consumer of GiftCardIssued (messages group):

- to its recipient: the code, the amount, who it is from, their message and how long it is
  valid. Once per card (`run_once`): the code is derived again from the card's id
  (domain/gift_cards.py), so a retry after a crash writes the same e-mail;
- to its buyer, when they paid for it online in the widget: a receipt (the amount, for whom,
  when and how it was paid, how the card reaches its recipient, the business), never the code
  (it is the recipient's). Once per event (`run_once` on the event's id). At the desk the
  buyer is standing there and gets the desk's receipt instead."""

from __future__ import annotations

from html import escape
from typing import Protocol

from chalicelib.booking.services.own_orders import ManageTokenSecret
from chalicelib.customers.domain.gift_cards import GiftCard, card_code, code_hash, grouped
from chalicelib.customers.services.gift_card_ports import GiftCardsContext
from chalicelib.kernel.domain.customer_events import GiftCardIssued
from chalicelib.kernel.services.messaging_ports import Email, Mailer
from chalicelib.kernel.services.once import run_once
from chalicelib.notifications.services.content import format_money, format_when
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


RECEIPT = {
    "en": {
        "subject": "Your receipt: a gift card of {amount} for {recipient}, {business}",
        "text": (
            "Dear {buyer},\n\nThank you for buying a gift card of {business}."
            "\n\nAmount: {amount}\nFor: {recipient}\nPaid: {date}, by card online"
            "\nGift card ending in: {last4}\n{valid}"
            "\n\nWe have e-mailed the card and its code to {recipient} at {recipient_email}."
            " The code is in that e-mail only: if it does not arrive, contact {business}."
            "\n\n{business}\n"
        ),
    },
    "zh-Hans": {
        "subject": "购买凭证：送给 {recipient} 的 {business} 礼品卡，金额 {amount}",
        "text": (
            "{buyer}，您好：\n\n感谢您购买 {business} 的礼品卡。"
            "\n\n金额：{amount}\n收礼人：{recipient}\n付款：{date}，在线刷卡支付"
            "\n礼品卡代码尾号：{last4}\n{valid}"
            "\n\n我们已将礼品卡及其代码通过电子邮件发送给 {recipient}（{recipient_email}）。"
            "代码只在那封邮件中：如果对方没有收到，请联系 {business}。"
            "\n\n{business}\n"
        ),
    },
}


def _email(
    ctx: GiftCardsContext, to: str, subject: str, text: str, *, sender: str, kind: str
) -> Email:
    """From the business (replies to its own address), the text's paragraphs as HTML too."""
    html = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n") if p.strip())
    return Email(
        to=to,
        subject=subject,
        text=text,
        html=html.replace("\n", "<br>"),
        sender=sender,
        sender_name=ctx.tenant.name,
        reply_to=ctx.tenant.settings.business.email or None,
        tags={"tenant": ctx.tenant.id, "kind": kind},
    )


def gift_card_receipt(ctx: GiftCardsContext, card: GiftCard, *, sender: str) -> Email:
    """The buyer's receipt for a card bought online: no code in it."""
    lang = card.lang if card.lang in RECEIPT else "en"
    words, card_words = RECEIPT[lang], TEMPLATES[lang]
    expires = card_words["valid"].format(date=card.expires_on) if card.expires_on else None
    amount = format_money(card.initial, card.currency, lang)
    text = words["text"].format(
        buyer=card.buyer.name,
        business=ctx.tenant.name,
        amount=amount,
        recipient=card.recipient.name,
        recipient_email=card.recipient.email,
        date=format_when(card.sold_at, ctx.tenant.timezone, lang, with_time=False),
        last4=card.code_last4,
        valid=expires or card_words["forever"],
    )
    subject = words["subject"].format(
        amount=amount, recipient=card.recipient.name, business=ctx.tenant.name
    )
    return _email(ctx, card.buyer.email, subject, text, sender=sender, kind="gift_card_receipt")


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
    return _email(ctx, card.recipient.email, subject, text, sender=sender, kind="gift_card")


class GiftMailDeps(Protocol):
    @property
    def mailer(self) -> Mailer: ...
    @property
    def settings(self) -> Settings: ...
    @property
    def manage_token_secret(self) -> ManageTokenSecret: ...


class MailGiftCard:
    """Consumer of GiftCardIssued: the card's e-mail to its recipient, once; and a card
    bought online, the buyer's receipt, once."""

    name = "customers.gift_card_mail"
    events = (GiftCardIssued,)
    repeatable = True  # the one outside effect goes through run_once

    def handle(self, ctx: GiftCardsContext, event: GiftCardIssued, deps: GiftMailDeps) -> None:
        card = ctx.data.gift_cards.get(event.card_id)
        if card is None:
            return
        if event.channel == "widget" and card.buyer.email:
            receipt = gift_card_receipt(ctx, card, sender=deps.settings.mail_from)
            run_once(ctx, f"gift-card-receipt#{event.id}", lambda: deps.mailer.send(receipt))
        if not card.recipient.email:
            return
        code = card_code(deps.manage_token_secret.get().encode(), ctx.tenant.id, card.id)
        if ctx.data.gift_cards.card_of_code(code_hash(code)) != card.id:
            return  # the secret was rotated since the sale: this code would not spend it
        email = gift_card_email(ctx, card, code, sender=deps.settings.mail_from)
        run_once(ctx, f"gift-card-mail#{card.id}", lambda: deps.mailer.send(email))
