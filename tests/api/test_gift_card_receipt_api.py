"""A gift card bought in the widget: the buyer, whose card was charged, gets a receipt (probe
6, defect 7: only the recipient heard of it) with the amount, for whom, when and how it was
paid, how the card reaches its recipient and the business, in the language it was bought in,
once however often the event comes, and never the code (the recipient's). A card sold at the
desk sends the buyer nothing (the desk gives its receipt). The receipt follows the recipient's
e-mail and says "we have e-mailed" only when it went; when it could not be written, it says so
and the business's owners and managers are alerted."""

from __future__ import annotations

import re

from chalicelib.kernel.adapters.secrets import PlainSecretSource
from chalicelib.queues import MESSAGE_EVENTS
from tests.api.test_gift_cards_api import (  # noqa: F401 - its fixtures too
    SALE,
    _no_server_errors,
    erase_rex,
    run_group,
    shop,
)
from tests.api.test_payments_api import deliver, intent_event, post_event


def bought_online(api, seller, lang: str = "en", key: str = "buy-1") -> None:
    body = {**{k: v for k, v in SALE.items() if k != "method"}, "lang": lang}
    r = api.call(
        "POST",
        "/v1/public/gift-cards",
        auth=seller["publishable_key"],
        body=body,
        headers={"Idempotency-Key": key},
    )
    assert r.status_code == 200, r.body
    pid = r.data["payment_id"]
    api.container.gateway.pay(seller["account"], pid)
    assert post_event(api, intent_event(seller, "succeeded", pid, 1)).status_code == 200
    deliver(api)


def code_in(text: str) -> str:
    found = re.search(r"(?:Your code|礼品卡代码)[:：] ?(\S+)", text)
    assert found, text
    return found.group(1)


def test_the_buyer_of_a_card_bought_online_gets_one_receipt_without_the_code(api, shop):  # noqa: F811
    business = api.call("GET", "/v1/tenant", auth=shop["secret_key"]).data["name"]
    bought_online(api, shop)
    run_group(api, MESSAGE_EVENTS.name, "dispatch_message_events", times=2)

    [receipt] = api.container.mailer.to("bea@example.com")
    [card_mail] = api.container.mailer.to("rex@example.com")
    subject = f"Your receipt: a gift card of EUR 100.00 for Rex Recipient, {business}"
    assert receipt.subject == subject
    for said in (
        "Dear Bea Buyer",
        "Amount: EUR 100.00",
        "For: Rex Recipient",
        "by card online",
        "We have e-mailed the card and its code to Rex Recipient at rex@example.com.",
        "It does not expire.",
        business,
    ):
        assert said in receipt.text, (said, receipt.text)
    assert code_in(card_mail.text).replace("-", "") not in receipt.text.replace("-", "")
    assert receipt.tags["kind"] == "gift_card_receipt" and "<p>" in receipt.html
    assert re.search(r"Paid: \w+day \d{1,2} \w+ \d{4}, by card online", receipt.text)


def test_a_card_bought_in_chinese_has_its_receipt_in_chinese(api, shop):  # noqa: F811
    bought_online(api, shop, lang="zh-Hans", key="buy-zh")
    run_group(api, MESSAGE_EVENTS.name, "dispatch_message_events")
    [receipt] = api.container.mailer.to("bea@example.com")
    assert receipt.subject.startswith("购买凭证：送给 Rex Recipient 的")
    for said in ("Bea Buyer，您好", "金额：EUR 100.00", "收礼人：Rex Recipient", "rex@example.com"):
        assert said in receipt.text, (said, receipt.text)
    assert re.search(r"付款：\d{4}年\d{1,2}月\d{1,2}日 星期.，在线刷卡支付", receipt.text)


def test_a_card_sold_at_the_desk_sends_its_buyer_nothing(api, shop):  # noqa: F811
    r = api.call("POST", "/v1/gift-cards", auth=shop["secret_key"], body=SALE)
    assert r.status_code == 201, r.body
    run_group(api, MESSAGE_EVENTS.name, "dispatch_message_events")
    assert api.container.mailer.to("bea@example.com") == []
    assert len(api.container.mailer.to("rex@example.com")) == 1


def test_the_receipt_never_says_the_recipient_was_emailed_when_they_were_not(api, shop):  # noqa: F811
    # Review rv8, finding 3: the receipt went before the recipient's e-mail was tried, saying
    # it was sent; that e-mail was then dropped (the secret rotated since the sale), told to
    # nobody. Now the receipt follows it and says what happened, and the business is alerted.
    owner = api.call("GET", "/v1/tenant", auth=shop["secret_key"]).data["owner_email"]
    bought_online(api, shop)
    api.container.manage_token_secret = PlainSecretSource("rotated-since-the-sale", "")
    run_group(api, MESSAGE_EVENTS.name, "dispatch_message_events", times=2)

    assert api.container.mailer.to("rex@example.com") == []
    [receipt] = api.container.mailer.to("bea@example.com")
    assert "We have e-mailed" not in receipt.text, receipt.text
    said = "We could not e-mail the card's code to Rex Recipient at rex@example.com."
    assert said in receipt.text, receipt.text
    [alert] = api.container.mailer.to(owner)  # once, however often the event comes
    assert alert.subject.startswith("Gift card code not sent: Rex Recipient")
    assert "rex@example.com" in alert.text and "Bea Buyer" in alert.text
    assert alert.tags["kind"] == "staff_gift_card_unsent"


def test_a_recipient_erased_before_the_messages_is_said_and_alerts_nobody(api, shop):  # noqa: F811
    owner = api.call("GET", "/v1/tenant", auth=shop["secret_key"]).data["owner_email"]
    bought_online(api, shop)
    erase_rex(api, shop)
    run_group(api, MESSAGE_EVENTS.name, "dispatch_message_events")
    assert api.container.mailer.to("rex@example.com") == []
    [receipt] = api.container.mailer.to("bea@example.com")
    assert "We have e-mailed" not in receipt.text and "no e-mail address is kept" in receipt.text
    assert [m for m in api.container.mailer.to(owner) if "Gift card" in m.subject] == []
