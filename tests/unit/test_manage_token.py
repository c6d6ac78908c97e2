"""Manage tokens carry the order's link generation (booking/domain/manage_token.py)."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from chalicelib.booking.domain import manage_token
from chalicelib.kernel.domain.errors import Forbidden

ARGS = {"tenant_id": "t1", "order_id": "ord_1", "expires": 2_000_000_000}


def test_a_token_works_in_its_generation_only():
    for gen in (0, 1, 7):
        token = manage_token.issue("s3cret", **ARGS, gen=gen)
        manage_token.verify(token, "s3cret", tenant_id="t1", order_id="ord_1", now=1, gen=gen)
        with pytest.raises(Forbidden):
            manage_token.verify(
                token, "s3cret", tenant_id="t1", order_id="ord_1", now=1, gen=gen + 1
            )


def test_generation_zero_signs_as_tokens_did_before_generations():
    """Links already sent keep working until staff first revoke them."""
    before = hmac.new(b"s3cret", b"m1.t1.ord_1.2000000000", hashlib.sha256).hexdigest()[:40]
    assert manage_token.issue("s3cret", **ARGS) == f"m1.2000000000.{before}"
    assert manage_token.issue("s3cret", **ARGS, gen=1) != f"m1.2000000000.{before}"
