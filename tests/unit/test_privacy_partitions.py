"""What the fakes keep under a customer's partitions is what DynamoDB's one partition holds
(tests/fakes.py FakePrivacyStore): the export lists, and the erase deletes, the loyalty
balance, lots, ledger and marks and the coupons' per-customer uses (`LOY#<id>`), and the
suggestions' counted orders (`BOOKED`) and the campaigns' claims (`CAMP#<id>`) beside the
record (`CUS#<id>`)."""

from __future__ import annotations

import json

from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.domain.loyalty import Balance, LedgerEntry, Movement
from chalicelib.customers.domain.records import CustomerRecord, Profile
from chalicelib.customers.domain.suggestions import Visit
from chalicelib.customers.services.campaign_ports import SendClaim
from chalicelib.customers.services.privacy import export_customer
from chalicelib.customers.services.privacy_erase import erase_customer
from chalicelib.customers.services.suggestion_ports import Booked
from tests.unit.test_privacy import ADA, PrivateShop

A = customer_id_for(ADA.email)
AT = "2026-11-01T09:00Z"


def _held(shop: PrivateShop) -> None:
    data = shop.data
    profile = Profile(name=ADA.name, email=ADA.email.lower(), phone=ADA.phone or "")
    data.customers.records[A] = CustomerRecord(A, profile, AT, AT)
    data.loyalty.balances[A] = Balance(points=40)
    data.loyalty.lots[A] = {"LOT#2027-11-01#l1": 40}
    data.loyalty.entries[A] = {f"L#{AT}#e1": LedgerEntry("e1", AT, Movement.EARNED, 40, "ord_x")}
    data.loyalty.marks.add((A, "earn#ord_x"))
    data.coupons.per_customer[(A, "WELCOME")] = 1
    visit = Visit("ord_x", 1, AT, ("off_stay",), ("res_1",), False)
    data.suggestions.customers[A] = Booked((visit,), 1)
    data.campaigns.claims[(A, "cmp_1")] = SendClaim(A, "cmp_1", AT, 14, "sent", AT)


def test_the_export_lists_and_the_erase_deletes_every_item_of_the_customers_partitions():
    shop = PrivateShop()
    _held(shop)

    export = export_customer(shop.ctx, shop.files, ADA.email, export_id="exp_1")
    doc = json.loads(shop.files.files[f"exports/{shop.tenant.id}/{A}/exp_1.json"])
    erased = erase_customer(shop.ctx, shop.files, ADA.email, ADA.email, reports=shop.reports)

    assert doc["customer"]["id"] == A
    assert [v["order_id"] for v in doc["visits"][0]["visits"]] == ["ord_x"]
    assert [c["campaign_id"] for c in doc["campaign_messages"]] == ["cmp_1"]
    loyalty = doc["loyalty"]
    assert [b["points"] for b in loyalty["balance"]] == [40]
    assert loyalty["lots"] == [{"lot": "2027-11-01#l1", "points": 40}]
    assert [e["points"] for e in loyalty["ledger"]] == [40]
    assert loyalty["marks"] == [{"mark": "earn#ord_x"}]
    assert loyalty["coupon_uses"] == [{"code": "WELCOME", "uses": 1}]
    assert doc["other"] == []
    assert export.records == erased.records == 8
    data = shop.data
    assert (data.loyalty.balances, data.loyalty.lots, data.loyalty.entries) == ({}, {}, {})
    assert not data.loyalty.marks and not data.coupons.per_customer
    assert not data.suggestions.customers and not data.campaigns.claims
    assert all(shop.data.privacy.partition(pk) == [] for pk in (f"CUS#{A}", f"LOY#{A}"))
