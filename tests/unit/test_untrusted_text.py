"""The readers of untrusted text (chalicelib/kernel/domain/untrusted.py), the manage token and
the Stripe signature check over them, and a guard that keeps the raw tools out of the
rest of the code."""

from __future__ import annotations

import hashlib
import hmac
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.booking.domain import manage_token
from chalicelib.channels.domain.inbound import BadChannelSignature
from chalicelib.channels.domain.inbound import verify as verify_channel
from chalicelib.kernel.domain.errors import Forbidden
from chalicelib.kernel.domain.untrusted import (
    MAX_SIGNATURE_HEADER,
    SignedHeader,
    ascii_int,
    loads_json,
    read_signature_header,
    same_secret,
)
from chalicelib.payments.domain.payments import InvalidSignature
from chalicelib.payments.services.stripe_webhooks import verify
from chalicelib.webhooks.domain.webhooks import signature_header

ROOT = Path(__file__).resolve().parents[2]
NOW = 1_800_000_000
SECRET = "whsec_unit"


@pytest.mark.parametrize("text", ["0", "7", "0042", "1800000000"])
def test_ascii_digits_within_the_bound_are_read(text):
    assert ascii_int(text, max_digits=10) == int(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\u00b2",
        "\u0663",
        "１",
        "1\u00b2",
        "-1",
        "+1",
        " 1",
        "1 ",
        "1_000",
        "1.0",
        "12345678901",
    ],
)
def test_anything_but_ascii_digits_within_the_bound_is_none(text):
    assert ascii_int(text, max_digits=10) is None


def test_five_thousand_digits_are_none_not_an_error():
    assert ascii_int("9" * 5000, max_digits=18) is None


@given(st.text(max_size=30))
def test_ascii_int_never_raises_and_only_reads_ascii_digits(text):
    value = ascii_int(text, max_digits=20)
    assert value is None or (re.fullmatch(r"[0-9]{1,20}", text) and value == int(text))


@pytest.mark.parametrize(
    ("presented", "expected", "same"),
    [
        ("abc", "abc", True),
        (b"abc", "abc", True),
        ("abd", "abc", False),
        ("é" * 3, "abc", False),
        ("\udc80bc", "abc", False),
        ("", "abc", False),
    ],
)
def test_same_secret_compares_any_text_without_raising(presented, expected, same):
    assert same_secret(presented, expected) is same


def test_loads_json_reads_ordinary_documents():
    assert loads_json(b'{"a": [1, {"b": null}]}') == {"a": [1, {"b": None}]}


@pytest.mark.parametrize("depth", [65, 2_000, 100_000])
def test_json_nested_too_deeply_is_a_value_error(depth):
    with pytest.raises(ValueError, match="nested too deeply"):
        loads_json("[" * depth + "]" * depth)


def test_json_at_the_depth_bound_is_read():
    assert loads_json("[" * 64 + "]" * 64) is not None


# -- the signature header (Stripe's, and the channel managers') -------------------------------


def test_a_signature_header_gives_its_time_and_every_v1_in_order():
    assert read_signature_header(f"t={NOW},v1=aa,v0=zz, v1=bb,,v1=") == SignedHeader(
        NOW, ("aa", "bb")
    )


@pytest.mark.parametrize(
    "header",
    [
        "",
        ",,,",
        "v1=aa",
        "v1=aa,v1=bb",
        f"t={NOW}",
        f"t={NOW},v1=",
        f"t={NOW},v0=aa",
        "t=,v1=aa",
        f"t=-{NOW},v1=aa",
        f"t={'9' * 13},v1=aa",
        "t=\u00b2,v1=aa",
        f"t={NOW},t={NOW},v1=aa",
        f"t={NOW - 1},v1=aa,t={NOW}",
        "junk",
        "t",
        "=",
        "\udc80",
    ],
    ids=[
        "empty",
        "commas",
        "no_t",
        "repeated_v1_no_t",
        "no_v1",
        "empty_v1",
        "only_v0",
        "empty_t",
        "negative_t",
        "t_too_long",
        "t_superscript",
        "t_twice",
        "t_twice_apart",
        "junk",
        "bare_t",
        "bare_equals",
        "lone_surrogate",
    ],
)
def test_a_signature_header_without_one_t_and_a_v1_is_none(header):
    assert read_signature_header(header) is None


def test_a_huge_signature_header_is_none_before_it_is_split():
    at_bound = f"t={NOW}," + ",".join(["v1=" + "a" * 64] * 60)
    at_bound = at_bound[:MAX_SIGNATURE_HEADER]
    assert read_signature_header(at_bound) is not None
    assert read_signature_header(at_bound + ",v1=aa") is None
    assert read_signature_header(f"t={NOW},v1=aa," + "," * 10_000_000) is None


@given(st.text(max_size=80))
def test_reading_a_signature_header_never_raises(text):
    read = read_signature_header(text)
    assert read is None or (read.signatures and read.stamp >= 0)


def test_both_verifiers_refuse_a_huge_header_even_with_a_good_signature():
    """Stripe's and the channel managers' checks read the header through the one parser: a
    right signature behind megabytes of padding is refused, not compared 100,000 times."""
    padding = ",v1=" + "0" * 64
    stripe = stripe_header(EVENT) + padding * 100_000
    with pytest.raises(InvalidSignature):
        verify(EVENT, stripe, [SECRET], now=NOW)
    channel = channel_header(b"{}") + padding * 100_000
    with pytest.raises(BadChannelSignature):
        verify_channel(SECRET, channel, b"{}", now=NOW)
    verify_channel(SECRET, channel_header(b"{}"), b"{}", now=NOW)


def test_both_verifiers_refuse_a_header_with_two_timestamps():
    for header in (f"t=1,{stripe_header(EVENT)}", f"{stripe_header(EVENT)},t=1"):
        with pytest.raises(InvalidSignature):
            verify(EVENT, header, [SECRET], now=NOW)
    for header in (f"t=1,{channel_header(b'{}')}", f"{channel_header(b'{}')},t=1"):
        with pytest.raises(BadChannelSignature):
            verify_channel(SECRET, header, b"{}", now=NOW)


# -- the manage token over them --------------------------------------------------------------


def test_a_manage_token_with_hostile_parts_is_forbidden_not_an_error():
    token = manage_token.issue("s", tenant_id="t", order_id="o", expires=NOW + 60)
    version, expires, signature = token.split(".")
    for bad in (
        f"{version}.\u00b2.{signature}",
        f"{version}.{''.join(chr(0x660 + int(d)) for d in expires)}.{signature}",
        f"{version}.{'9' * 5000}.{signature}",
        f"{version}.{expires}.{'é' * 40}",
        f"{version}.{expires}.\udc80{signature[1:]}",
    ):
        with pytest.raises(Forbidden):
            manage_token.verify(bad, "s", tenant_id="t", order_id="o", now=NOW)
    manage_token.verify(token, "s", tenant_id="t", order_id="o", now=NOW)


# -- the Stripe signature over them ----------------------------------------------------------


def stripe_header(payload: bytes, at: int | str = NOW) -> str:
    mac = hmac.new(SECRET.encode(), f"{at}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={at},v1={mac}"


def channel_header(body: bytes, at: int = NOW) -> str:
    return signature_header([SECRET], at, body)


EVENT = b'{"id": "evt_1", "type": "payment_intent.succeeded", "data": {"object": {"id": "pi_1"}}}'


@pytest.mark.parametrize(
    "header",
    [
        f"t={'9' * 5000},v1=ab",
        "t=\u00b2,v1=ab",
        f"t={NOW},v1={'é' * 64}",
        f"t={NOW},v1=\udc80",
        stripe_header(EVENT, at="0" + str(NOW)),
    ],
)
def test_a_hostile_stripe_header_is_an_invalid_signature(header):
    with pytest.raises(InvalidSignature):
        verify(EVENT, header, [SECRET], now=NOW)


@pytest.mark.parametrize(
    "payload",
    [
        b"[" * 100_000 + b"]" * 100_000,
        EVENT.replace(b'"evt_1"', b'"evt_' + b"x" * 300 + b'"'),
        EVENT.replace(b'"pi_1"', b'"pi_' + b"x" * 300 + b'"'),
        EVENT[:-1] + b', "account": "acct_' + b"x" * 300 + b'"}',
        EVENT.replace(b'"evt_1"', b'"evt_1#DONE"'),
    ],
    ids=["deep", "long_event_id", "long_object_id", "long_account", "odd_characters"],
)
def test_a_signed_payload_that_is_no_event_we_can_key_is_an_invalid_signature(payload):
    with pytest.raises(InvalidSignature):
        verify(payload, stripe_header(payload), [SECRET], now=NOW)


def test_a_signed_event_verifies():
    assert verify(EVENT, stripe_header(EVENT), [SECRET], now=NOW)["id"] == "evt_1"


# -- the guard -------------------------------------------------------------------------------

RAW_TOOLS = re.compile(r"\.isdigit\(\)|\.isdecimal\(\)|\.isnumeric\(\)|compare_digest\(")


def test_only_the_untrusted_module_uses_isdigit_or_compare_digest():
    """`isdigit` takes `²`; `compare_digest` raises on non-ASCII text: untrusted digits and
    secrets go through chalicelib/kernel/domain/untrusted.py (and docs/WEBHOOKS.md's snippet,
    checked by tests/unit/test_webhooks.py)."""
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in [*(ROOT / "chalicelib").rglob("*.py"), ROOT / "app.py"]
        if path.name != "untrusted.py"
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if RAW_TOOLS.search(line)
    ]
    assert offenders == []
