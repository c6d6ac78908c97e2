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
from chalicelib.kernel.domain.errors import Forbidden
from chalicelib.kernel.domain.untrusted import ascii_int, loads_json, same_secret
from chalicelib.payments.domain.payments import InvalidSignature
from chalicelib.payments.services.stripe_webhooks import verify

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
