"""The e-mail as SES gets it: headers encoded by the standard library, so no name (a tenant's,
in any script, with quotes and commas, or even with a line break) can break the message or
add a header."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from chalicelib.adapters.messaging import mime
from chalicelib.services.ports import Email


def _email(sender_name: str, subject: str = "Booked") -> Email:
    return Email(
        to="ada@example.com",
        subject=subject,
        text="Hello",
        html="<p>Hello</p>",
        sender="noreply@reservoir.example",
        sender_name=sender_name,
        reply_to="owner@shop.example",
    )


def _parsed(raw: bytes):
    return message_from_bytes(raw, policy=policy.default)


def test_a_display_name_with_quotes_commas_and_chinese_survives_the_round_trip():
    name = '李记 "Harbour", Müller & Søn'
    raw = mime(_email(name, subject=f"已确认: {name}"))
    raw.decode("ascii")  # every header encoded: the message is 7-bit clean
    message = _parsed(raw)
    [sender] = message["From"].addresses
    assert sender.display_name == name and sender.addr_spec == "noreply@reservoir.example"
    assert str(message["Subject"]) == f"已确认: {name}"
    assert message.get_body(("plain",)).get_content().strip() == "Hello"


@pytest.mark.parametrize(
    "name",
    [
        "Shop\nBcc: victim@example.com",
        "Shop\r\nBcc: victim@example.com",
        "Shop\rBcc: victim@example.com",
        "Shop\x00\x0b\x0c\x1c\x85\u2028Bcc: victim@example.com",
    ],
)
def test_a_line_break_in_a_name_or_subject_cannot_add_a_header(name):
    raw = mime(_email(name, subject=f"Booked at {name}"))
    message = _parsed(raw)
    assert message["Bcc"] is None
    assert [k for k in message if k.lower() == "bcc"] == []
    [sender] = message["From"].addresses
    assert sender.addr_spec == "noreply@reservoir.example"
    assert "Bcc: victim@example.com" in sender.display_name  # kept as text, on one line
    assert "\n" not in str(message["Subject"]) and "\r" not in str(message["Subject"])
