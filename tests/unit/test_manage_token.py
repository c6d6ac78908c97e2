"""Manage tokens carry the order's link generation (booking/domain/manage_token.py)."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from chalicelib.booking.domain import manage_token
from chalicelib.kernel.domain.errors import Forbidden

ARGS = {"tenant_id": "t1", "order_id": "ord_1", "expires": 2_000_000_000}


def test_a_token_names_the_generation_it_was_issued_for():
    for gen in (0, 1, 7):
        token = manage_token.issue("s3cret", **ARGS, gen=gen)
        assert manage_token.verify(token, "s3cret", tenant_id="t1", order_id="ord_1", now=1) == gen


@pytest.mark.parametrize(
    "forge",
    [
        lambda t: t.replace("m2.2000000000.1.", "m2.2000000000.2."),  # another generation
        lambda t: t.replace("m2.", "m1.", 1),
        lambda t: "m2.2000000000.0." + t.rsplit(".", 1)[1],
        lambda t: "m2.2000000000.-1." + t.rsplit(".", 1)[1],
        lambda t: t + ".x",
    ],
)
def test_a_token_whose_generation_was_changed_is_refused(forge):
    token = manage_token.issue("s3cret", **ARGS, gen=1)
    with pytest.raises(Forbidden):
        manage_token.verify(forge(token), "s3cret", tenant_id="t1", order_id="ord_1", now=1)


def test_generation_zero_signs_as_tokens_did_before_generations():
    """Links already sent keep working until staff first revoke them."""
    before = hmac.new(b"s3cret", b"m1.t1.ord_1.2000000000", hashlib.sha256).hexdigest()[:40]
    assert manage_token.issue("s3cret", **ARGS) == f"m1.2000000000.{before}"
    assert manage_token.issue("s3cret", **ARGS, gen=1) != f"m1.2000000000.{before}"


def _proof(**changes):
    facts = {"tenant_id": "t1", "order_id": "ord_1", "gen": 0, "email": "ada@example.com"}
    return facts | changes


def test_the_email_proof_is_bound_to_the_order_its_generation_and_its_address():
    proof = manage_token.mail_proof("s", **_proof())
    assert manage_token.proves_mail(proof, "s", **_proof(email=" ADA@example.com"))
    for changed in (
        {"order_id": "ord_2"},
        {"tenant_id": "t2"},
        {"gen": 1},  # staff revoked the links
        {"email": "bo@example.com"},  # staff changed the order's address
    ):
        assert not manage_token.proves_mail(proof, "s", **_proof(**changed))
    assert not manage_token.proves_mail(proof, "other secret", **_proof())
    assert not manage_token.proves_mail(proof, "s", **_proof(email=""))


def test_a_manage_token_is_no_email_proof_nor_the_other_way_round():
    token = manage_token.issue("s", tenant_id="t1", order_id="ord_1", expires=2**40)
    mac = token.split(".")[-1]
    assert not manage_token.proves_mail(token, "s", **_proof())
    assert not manage_token.proves_mail(f"e1.{mac}", "s", **_proof())
    proof = manage_token.mail_proof("s", **_proof())
    with pytest.raises(Forbidden):
        manage_token.verify(proof, "s", tenant_id="t1", order_id="ord_1", now=0)
