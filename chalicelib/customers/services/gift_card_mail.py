"""The gift card's e-mails, in the language it was bought in (English or Simplified Chinese),
sent by the consumer of GiftCardIssued (messages group):

- to its recipient: the code, the amount, who it is from, their message and how long it is
  valid. Once per card (`run_once`): the code is derived again from the card's id
  (domain/gift_cards.py), so a retry after a crash writes the same e-mail;
- to its buyer, when they paid for it online in the widget: a receipt (the amount, for whom,
  when and how it was paid, how the card reaches its recipient, the business), never the code
  (it is the recipient's). Once per event (`run_once` on the event's id). At the desk the
  buyer is standing there and gets the desk's receipt instead. It is sent after the
  recipient's e-mail is handled, and says what happened to it: "we have e-mailed" only once
  that e-mail went (a receipt sent first once claimed so, and stayed claimed when it then
  could not go);
- to the business's owners and managers, when the recipient's e-mail cannot be written (the
  code derived again no longer finds the card: the secret was rotated since the sale): an
  alert, as a failed refund's (notifications/services/owed_alerts.py `owed_to`: whatever they
  chose, but those who turned payment alerts off), once per card and person. The card was
  paid for and its recipient has no code: someone must act."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Protocol

from chalicelib.booking.services.own_orders import ManageTokenSecret
from chalicelib.customers.domain.gift_cards import (
    GiftCard,
    card_code,
    code_hash,
    grouped,
    masked,
)
from chalicelib.customers.services.gift_card_ports import GiftCardsContext
from chalicelib.kernel.domain.customer_events import GiftCardIssued
from chalicelib.kernel.services.messaging_ports import Email, Mailer, sent_unless_refused
from chalicelib.kernel.services.once import run_once
from chalicelib.notifications.services.content import format_money
from chalicelib.notifications.services.content_times import format_day, format_when
from chalicelib.notifications.services.owed_alerts import OWED_WHY, owed_to
from chalicelib.settings import Settings
from chalicelib.tenancy.services.platform_ports import PlatformRepository

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
            "\n\n{delivery}"
            "\n\n{business}\n"
        ),
        "sent": (
            "We have e-mailed the card and its code to {recipient} at {recipient_email}."
            " The code is in that e-mail only: if it does not arrive, contact {business}."
        ),
        "unsent": (
            "We could not e-mail the card's code to {recipient} at {recipient_email}."
            " {business} has been told and will see that it reaches them:"
            " if you hear nothing, contact {business}."
        ),
        "no_address": (
            "The card's code was not e-mailed to {recipient}: no e-mail address is kept for them."
            " Contact {business} to have it reach them."
        ),
    },
    "zh-Hans": {
        "subject": "购买凭证：送给 {recipient} 的 {business} 礼品卡，金额 {amount}",
        "text": (
            "{buyer}，您好：\n\n感谢您购买 {business} 的礼品卡。"
            "\n\n金额：{amount}\n收礼人：{recipient}\n付款：{date}，在线刷卡支付"
            "\n礼品卡代码尾号：{last4}\n{valid}"
            "\n\n{delivery}"
            "\n\n{business}\n"
        ),
        "sent": (
            "我们已将礼品卡及其代码通过电子邮件发送给 {recipient}（{recipient_email}）。"
            "代码只在那封邮件中：如果对方没有收到，请联系 {business}。"
        ),
        "unsent": (
            "我们未能将礼品卡代码通过电子邮件发送给 {recipient}（{recipient_email}）。"
            "已通知 {business}，商家会设法将代码交给对方：如果没有消息，请联系 {business}。"
        ),
        "no_address": (
            "礼品卡代码未通过电子邮件发送给 {recipient}：没有保存对方的电子邮件地址。"
            "请联系 {business}，由商家将代码交给对方。"
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


def gift_card_receipt(
    ctx: GiftCardsContext, card: GiftCard, *, sender: str, delivery: str
) -> Email:
    """The buyer's receipt for a card bought online: no code in it; `delivery`: what became
    of the recipient's e-mail with the code (`_to_recipient`), said as it is."""
    lang = card.lang if card.lang in RECEIPT else "en"
    words, card_words = RECEIPT[lang], TEMPLATES[lang]
    last = format_day(card.expires_on, lang) if card.expires_on else ""
    expires = card_words["valid"].format(date=last) if card.expires_on else None
    amount = format_money(card.initial, card.currency, lang)
    said = words[delivery].format(
        recipient=card.recipient.name,
        recipient_email=card.recipient.email,
        business=ctx.tenant.name,
    )
    text = words["text"].format(
        delivery=said,
        buyer=card.buyer.name,
        business=ctx.tenant.name,
        amount=amount,
        recipient=card.recipient.name,
        date=format_when(card.sold_at, ctx.tenant.timezone, lang, with_time=False),
        last4=card.code_last4,
        valid=expires or card_words["forever"],
    )
    subject = words["subject"].format(
        amount=amount, recipient=card.recipient.name, business=ctx.tenant.name
    )
    return _email(ctx, card.buyer.email, subject, text, sender=sender, kind="gift_card_receipt")


def gift_card_email(ctx: GiftCardsContext, card: GiftCard, code: str, *, sender: str) -> Email:
    lang = card.lang if card.lang in TEMPLATES else "en"
    words = TEMPLATES[lang]
    last = format_day(card.expires_on, lang) if card.expires_on else ""
    valid = words["valid"].format(date=last) if card.expires_on else words["forever"]
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
    @property
    def platform(self) -> PlatformRepository: ...


class MailGiftCard:
    """Consumer of GiftCardIssued: the card's e-mail to its recipient, once (or, when it
    cannot be written, an alert to the business's owners and managers); then, for a card
    bought online, the buyer's receipt, once, saying which of the two happened."""

    name = "customers.gift_card_mail"
    events = (GiftCardIssued,)
    repeatable = True  # each outside effect goes through run_once

    def handle(self, ctx: GiftCardsContext, event: GiftCardIssued, deps: GiftMailDeps) -> None:
        card = ctx.data.gift_cards.get(event.card_id)
        if card is None:
            return
        delivery = _to_recipient(ctx, card, deps)
        if delivery == "unsent":
            _alert_staff(ctx, card, deps)
        if event.channel == "widget" and card.buyer.email:
            sender = deps.settings.mail_from
            receipt = gift_card_receipt(ctx, card, sender=sender, delivery=delivery)
            run_once(
                ctx,
                f"gift-card-receipt#{event.id}",
                lambda: sent_unless_refused(deps.mailer, receipt),
            )


def _to_recipient(ctx: GiftCardsContext, card: GiftCard, deps: GiftMailDeps) -> str:
    """The recipient's e-mail with the code, once: "sent"; "no_address" when the card keeps
    none (its recipient was erased before the messages ran: nobody to alert about); "unsent"
    when the code derived again no longer finds the card (the secret was rotated since the
    sale: that code would not spend it)."""
    if not card.recipient.email:
        return "no_address"
    code = card_code(deps.manage_token_secret.get().encode(), ctx.tenant.id, card.id)
    if ctx.data.gift_cards.card_of_code(code_hash(code)) != card.id:
        return "unsent"
    email = gift_card_email(ctx, card, code, sender=deps.settings.mail_from)
    run_once(ctx, f"gift-card-mail#{card.id}", lambda: sent_unless_refused(deps.mailer, email))
    return "sent"


UNSENT_SUBJECT = "Gift card code not sent: {recipient}, {amount}"
UNSENT_TEXT = (
    "The gift card {masked} of {amount} that {buyer} bought for {recipient} ({recipient_email}) "
    "at {business} could not be e-mailed to its recipient: its code can no longer be made "
    "(the secret that makes codes was changed since the sale), so they have no code to spend "
    "it. The buyer was told the business will see that it reaches them.\n"
    "Open it in the console (Gift cards), disable it, and give the recipient a new card or the "
    "buyer their money back.\n\n" + OWED_WHY
)


def _alert_staff(ctx: GiftCardsContext, card: GiftCard, deps: GiftMailDeps) -> None:
    """The business's owners and managers are told, once per card and person, as a failed
    refund's alert tells them (`owed_to`)."""
    amount = format_money(card.initial, card.currency, "en")
    recipient = card.recipient.name or card.recipient.email
    text = UNSENT_TEXT.format(
        masked=masked(card.code_last4),
        amount=amount,
        buyer=card.buyer.name or "the buyer",
        recipient=recipient,
        recipient_email=card.recipient.email,
        business=ctx.tenant.name,
    )
    subject = UNSENT_SUBJECT.format(recipient=recipient, amount=amount)
    for to in owed_to(ctx.tenant, ctx.data.alert_prefs.all(), deps.platform):
        email = Email(
            to=to,
            subject=subject[:200],
            text=text,
            html="".join(f"<p>{escape(p)}</p>" for p in text.split("\n") if p),
            sender=deps.settings.mail_from,
            sender_name="Reservoir",
            tags={"tenant": ctx.tenant.id, "kind": "staff_gift_card_unsent"},
        )
        run_once(ctx, f"gift-card-unsent#{card.id}#{to}", _sender(deps.mailer, email))


def _sender(mailer: Mailer, email: Email) -> Callable[[], object]:
    return lambda: sent_unless_refused(mailer, email)
