"""The customer's export is a document a person reads: their items grouped by what they are,
no storage keys, the record's `doc` parsed; and it holds the gift cards they bought or
received, read whole (the link under their partition holds only the card's id), with nothing
about the other person on the card."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.customers.domain.gift_cards import CardMoveKind, CardMovement, Person
from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.domain.records import Consent, ConsentSource, CustomerRecord, Profile
from chalicelib.customers.services import gift_cards as cards
from chalicelib.customers.services.privacy import export_customer
from tests.fakes import FakeContainer
from tests.unit.test_privacy import ADA, PrivateShop

A = customer_id_for(ADA.email)
BOB = Person("Bob Brown", "bob@example.test")
AT = "2026-11-01T09:00Z"


def _keys(doc: Any) -> set[str]:
    if isinstance(doc, dict):
        return set(doc) | {k for v in doc.values() for k in _keys(v)}
    if isinstance(doc, list):
        return {k for v in doc for k in _keys(v)}
    return set()


def _export(shop: PrivateShop, ref: str, export_id: str) -> dict[str, Any]:
    got = export_customer(shop.ctx, shop.files, ref, export_id=export_id)
    return json.loads(shop.files.fetch(got.url))


def _sold(shop: PrivateShop) -> str:
    """Ada buys a card for Bob with a message; Bob spends some of it on his own booking."""
    sale = cards.Sale(5000, Person(ADA.name, ADA.email), BOB, message="Happy birthday Bob!")
    secrets = FakeContainer().manage_token_secret
    issued = cards.sell_at_desk(shop.ctx, "gc_1", sale, tender="cash", secrets=secrets)
    later = "2026-11-30T09:00Z"
    spent = CardMovement("m2", "gc_1", later, CardMoveKind.REDEEMED, -2000, "ord_bob", "pay_1")
    shop.data.gift_cards.entries[("gc_1", f"{later}#m2")] = spent
    return issued.card.id


def test_the_export_holds_the_cards_she_bought_and_nothing_of_the_recipients():
    shop = PrivateShop()
    card_id = _sold(shop)

    mine = _export(shop, ADA.email, "exp_a")
    his = _export(shop, BOB.email, "exp_b")

    [bought] = mine["gift_cards"]
    assert (bought["id"], bought["roles"], bought["initial"]) == (card_id, ["buyer"], 5000)
    assert bought["buyer"] == {"name": ADA.name, "email": ADA.email}
    assert bought["message"] == "Happy birthday Bob!" and bought["paid_with"] == "cash"
    assert "recipient" not in bought
    text = json.dumps(bought)
    assert "bob@example.test" not in text and "Bob Brown" not in text and "ord_bob" not in text
    assert [(m["movement"], m["amount"]) for m in bought["ledger"]] == [
        ("issued", 5000),
        ("redeemed", -2000),
    ]
    [received] = his["gift_cards"]
    assert received["roles"] == ["recipient"] and received["recipient"] == BOB.__dict__
    assert "buyer" not in received and ADA.email.lower() not in json.dumps(received).lower()
    assert received["balance"] == bought["balance"]


def test_the_export_groups_her_items_without_storage_keys_and_parses_the_record():
    shop = PrivateShop()
    profile = Profile(name=ADA.name, email=ADA.email.lower(), phone=ADA.phone or "")
    consent = Consent(True, ConsentSource.BOOKING_FORM, AT)
    shop.data.customers.records[A] = CustomerRecord(A, profile, AT, AT, consent=consent)
    _sold(shop)

    doc = _export(shop, ADA.email, "exp_a")

    assert not {"pk", "sk", "doc", "type"} & _keys(doc)
    assert not any(k.startswith("gsi") for k in _keys(doc))
    assert doc["customer"]["profile"]["name"] == ADA.name
    assert doc["consents"] == [
        {"customer_id": A, "granted": True, "source": "booking_form", "at": AT, "by": ""}
    ]
    assert "consent" not in doc["customer"]
    assert [c["id"] for c in doc["gift_cards"]] == ["gc_1"]
    assert doc["other"] == []  # the card's link is read as the card, not listed raw
