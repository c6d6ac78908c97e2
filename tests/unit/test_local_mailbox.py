"""`python -m local.mailbox` reads back what the local stack sent as the guest's mail client
would: a gift card's short lines go as 8bit, and read as a string their letters came out
escaped ("50,00 \\u20ac") in the mailbox and in the browser tests that read it."""

from __future__ import annotations

from chalicelib.kernel.services.messaging_ports import Email
from chalicelib.notifications.adapters.messaging import mime
from local.mailbox import parse_email


def test_an_8bit_message_reads_back_as_sent():
    email = Email(
        to="ada@example.com",
        sender="hello@example.com",
        sender_name="Café Zoë",
        subject="Your gift card: 50,00 €",
        text="Gift card 50,00 €\nCode ABCD-EFGH\n礼品卡",
        html="<p>50,00 € 礼品卡</p>",
    )
    raw = mime(email)
    assert b"Content-Transfer-Encoding: 8bit" in raw
    # moto keeps RawMessage.Data decoded from UTF-8 (moto/ses/responses.py)
    read = parse_email(
        {"id": "m1", "raw_data": raw.decode("utf-8"), "destinations": [email.to], "source": "x"}
    )
    assert read.text == "Gift card 50,00 €\nCode ABCD-EFGH\n礼品卡\n"
    assert read.html == "<p>50,00 € 礼品卡</p>\n"
    assert (read.subject, read.sender) == (email.subject, "Café Zoë <hello@example.com>")
