"""The e-mail as SES gets it: headers encoded by the standard library, so no name (a tenant's,
in any script, with quotes and commas, or even with a line break) can break the message or
add a header."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from chalicelib.kernel.services.messaging_ports import Email
from chalicelib.notifications.adapters.messaging import mime


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


@pytest.mark.parametrize(
    "name",
    [
        "Hotel =?utf-8?q?A=0D=0ABcc:_x@evil.example?=",
        "=?utf-8?b?QQ0KQmNjOiB4QGV2aWwuZXhhbXBsZQ==?=",
        "Ann =?utf-8?q?=0D=0AReply-To:_attacker@evil.example?=",
    ],
)
def test_an_encoded_word_in_a_name_or_subject_is_text_not_a_header(name):
    """RFC 2047 encoded words in a name have no control characters, so no check at the door
    sees them; the header registry would decode them into a real line break."""
    raw = mime(_email(name, subject=f"Hi {name}, your booking is held"))
    message = _parsed(raw)
    assert message["Bcc"] is None and message["Reply-To"] == "owner@shop.example"
    assert [k.lower() for k in message].count("reply-to") == 1
    [sender] = message["From"].addresses
    assert sender.addr_spec == "noreply@reservoir.example"
    for text in (sender.display_name, str(message["Subject"])):
        assert "\n" not in text and "\r" not in text


def test_a_long_list_unsubscribe_url_stays_a_plain_header_a_mail_client_reads():
    url = "https://api.example.com/v1/unsubscribe/" + "t0k3n" * 40
    email = Email(
        to="ada@example.com",
        subject="Spring offers",
        text="Hello",
        html="<p>Hello</p>",
        sender="shop@example.com",
        sender_name="Shop",
        headers=(("List-Unsubscribe", f"<{url}>"),),
    )
    raw = mime(email)
    assert f"List-Unsubscribe: <{url}>".encode() in raw
    assert b"=?utf-8?" not in raw.split(b"\n\n", 1)[0]


def test_an_internationalised_domain_is_sent_in_its_ascii_form_not_as_encoded_words():
    """An outside tester's `ann@exämple.com` was written into the To header as
    `ann@=?utf-8?q?ex=C3=A4mple?=.com`, which no mail server reads as an address."""
    from dataclasses import replace

    raw = mime(replace(_email("Shop"), to="ann@exämple.com"))
    raw.decode("ascii")
    assert b"To: ann@xn--exmple-cua.com\n" in raw.replace(b"\r\n", b"\n")
    [to] = _parsed(raw)["To"].addresses
    assert to.addr_spec == "ann@xn--exmple-cua.com"


def test_a_domain_is_written_by_idna_2008_not_turned_into_another_domain():
    """A reviewer's: Python's IDNA 2003 codec mailed `ann@straße.de` to `ann@strasse.de`."""
    from chalicelib.notifications.adapters.messaging import mail_address

    assert mail_address("ann@straße.de") == "ann@xn--strae-oqa.de"
    assert mail_address("ann@a_b.example") == "ann@a_b.example"  # ASCII: as it is


@pytest.mark.parametrize("address", ["аdmin@alpha.example", "ann@" + "é" * 64 + ".example"])
def test_an_address_mail_cannot_carry_is_refused_for_good_not_sent_broken(address):
    """A Cyrillic local part (stored before the API refused one) no service delivers to; a
    domain label past 63 characters is no domain."""
    from dataclasses import replace

    from chalicelib.kernel.domain.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        mime(replace(_email("Shop"), to=address))
    assert refused.value.code == "message_refused"
