"""Money in minor units, plans and fees, the payment status from the figures, and the
signature check of Stripe's webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from chalicelib.kernel.domain.money import to_provider_amount
from chalicelib.kernel.domain.tenant import Plan
from chalicelib.payments.domain.payments import InvalidSignature
from chalicelib.payments.services.stripe_webhooks import verify
from chalicelib.tenancy.domain.plans import (
    PlanLimitReached,
    check_limit,
    plan_for_price,
    platform_fee,
)

SECRET = "whsec_unit_not_real"
NOW = 1_800_000_000


def sign(payload: bytes, secret: str = SECRET, at: int = NOW) -> str:
    mac = hmac.new(secret.encode(), str(at).encode() + b"." + payload, hashlib.sha256)
    return f"t={at},v1={mac.hexdigest()}"


EVENT = json.dumps(
    {"id": "evt_1", "type": "payment_intent.succeeded", "data": {"object": {"id": "pi_1"}}}
).encode()


@pytest.mark.parametrize(
    ("amount", "currency", "charged"),
    [
        (12345, "KWD", 12340),  # never above what is owed: an outside tester paid 12.350
        (12349, "KWD", 12340),
        (12344, "KWD", 12340),
        (9, "KWD", 0),
        (12000, "KWD", 12000),
        (1999, "EUR", 1999),
        (5000, "JPY", 5000),
        (70001, "KRW", 70001),
        (0, "BHD", 0),
    ],
)
def test_amounts_go_to_stripe_in_its_steps(amount: int, currency: str, charged: int) -> None:
    assert to_provider_amount(amount, currency) == charged


def test_a_three_decimal_refund_is_rounded_down_never_above_what_is_owed() -> None:
    assert to_provider_amount(12345, "KWD") == 12340
    assert to_provider_amount(999, "JPY") == 999
    with pytest.raises(ValueError):
        to_provider_amount(-1, "EUR")


def test_the_platform_fee_follows_the_plan_and_never_exceeds_the_payment() -> None:
    assert platform_fee(Plan.FREE, 10000) == 300
    assert platform_fee(Plan.PRO, 10000) == 150
    assert platform_fee(Plan.BUSINESS, 10000) == 50
    assert platform_fee(Plan.FREE, 17) == 1  # 0.51 rounds half up
    assert platform_fee(Plan.BUSINESS, 1) == 0


def test_a_plan_limit_is_refused_at_the_limit_and_business_is_unlimited() -> None:
    check_limit(Plan.FREE, "bookings_per_month", 99)
    with pytest.raises(PlanLimitReached) as refused:
        check_limit(Plan.FREE, "bookings_per_month", 100)
    assert refused.value.details["allowed"] == 100
    check_limit(Plan.BUSINESS, "staff", 10_000)
    with pytest.raises(ValueError):
        check_limit(Plan.FREE, "tables", 1)


def test_a_price_maps_back_to_its_plan() -> None:
    prices = {"pro": "price_pro", "business": "price_biz"}
    assert plan_for_price("price_biz", prices) is Plan.BUSINESS
    assert plan_for_price("price_other", prices) is None


def test_a_correctly_signed_event_is_accepted() -> None:
    assert verify(EVENT, sign(EVENT), [SECRET], NOW + 10)["id"] == "evt_1"


def test_any_configured_secret_may_sign_and_extra_signatures_are_tolerated() -> None:
    header = sign(EVENT, "whsec_connect") + ",v1=deadbeef,v0=ignored"
    assert verify(EVENT, header, [SECRET, "whsec_connect"], NOW)["type"]


@pytest.mark.parametrize(
    "header",
    [
        "",
        "t=abc,v1=00",
        f"t={NOW}",
        sign(EVENT, "whsec_wrong"),
        sign(EVENT + b" "),
        sign(EVENT).replace("v1=", "v1=0"),
    ],
)
def test_a_bad_signature_is_refused(header: str) -> None:
    with pytest.raises(InvalidSignature):
        verify(EVENT, header, [SECRET], NOW)


@pytest.mark.parametrize("skew", [301, -301, 86400])
def test_a_stale_or_future_timestamp_is_refused(skew: int) -> None:
    with pytest.raises(InvalidSignature, match="timestamp"):
        verify(EVENT, sign(EVENT, at=NOW - skew), [SECRET], NOW)


def test_a_signed_payload_that_is_not_an_event_is_refused() -> None:
    for payload in (b"[]", b"not json", b'{"id": "x"}'):
        with pytest.raises(InvalidSignature):
            verify(payload, sign(payload), [SECRET], NOW)
