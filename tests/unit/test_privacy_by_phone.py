"""A customer named by phone (customers/services/privacy.py `phone_owner`): the phone names the
customer whose record holds it, and the export and the erase act on that customer whole (their
e-mail's orders, record and partitions); a phone on several records is refused with their ids;
a phone on no record names the customer the orders carrying it name by their e-mail."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from chalicelib.booking.domain.orders import Customer
from chalicelib.booking.services import orders as order_service
from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.domain.privacy import PhoneNamesSeveral
from chalicelib.customers.domain.records import CustomerRecord, Profile
from chalicelib.customers.services.privacy import export_customer
from chalicelib.customers.services.privacy_erase import erase_customer
from chalicelib.kernel.domain.errors import Conflict
from tests.unit.test_privacy import ADA, PrivateShop, _past_and_cancelled

A = customer_id_for(ADA.email)
BOB = Customer("Bob Stone", "bob@example.test", ADA.phone, "en")


def _record(shop: PrivateShop, who: Customer) -> str:
    cid = customer_id_for(who.email)
    profile = Profile(name=who.name, email=who.email.lower(), phone=who.phone or "")
    at = "2026-11-01T09:00Z"
    shop.data.customers.records[cid] = CustomerRecord(cid, profile, at, at)
    return cid


def test_an_erase_by_phone_erases_the_customer_whose_record_holds_it():
    shop = PrivateShop()
    _past_and_cancelled(shop)
    _record(shop, ADA)

    export = export_customer(shop.ctx, shop.files, ADA.phone, export_id="exp_1")
    erased = erase_customer(shop.ctx, shop.files, ADA.phone, ADA.phone, reports=shop.reports)

    assert (export.customer_id, export.orders, export.records) == (A, 2, 1)
    assert (erased.customer_id, erased.done, erased.orders, erased.records) == (A, True, 2, 1)
    orders = shop.data.orders.orders
    assert orders["ord_a"].customer.erased and orders["ord_b"].customer.erased
    assert shop.data.customers.get(A) is None
    assert shop.data.customers.erased_at(A) is not None


def test_a_phone_on_several_records_is_refused_with_their_ids_and_nothing_is_erased():
    shop = PrivateShop()
    _past_and_cancelled(shop)
    ids = sorted([_record(shop, ADA), _record(shop, BOB)])

    for act in (
        lambda: erase_customer(shop.ctx, shop.files, ADA.phone, ADA.phone, reports=shop.reports),
        lambda: export_customer(shop.ctx, shop.files, ADA.phone, export_id="exp_1"),
    ):
        with pytest.raises(PhoneNamesSeveral) as refused:
            act()
        assert isinstance(refused.value, Conflict)  # 409
        assert refused.value.details["customer_ids"] == ids

    assert not shop.data.orders.orders["ord_a"].customer.erased
    assert shop.data.customers.get(A) is not None
    # Staff choose one by id: that one is erased, the other keeps everything.
    erase_customer(shop.ctx, shop.files, A, A, reports=shop.reports)
    assert shop.data.orders.orders["ord_a"].customer.erased
    assert shop.data.customers.get(customer_id_for(BOB.email)) is not None


def test_a_phone_on_no_record_names_the_customer_its_orders_name_by_e_mail():
    shop = PrivateShop()
    _past_and_cancelled(shop)  # Ada's orders, no record counted yet

    erased = erase_customer(shop.ctx, shop.files, ADA.phone, ADA.phone, reports=shop.reports)

    assert (erased.customer_id, erased.orders) == (A, 2)
    assert shop.data.orders.orders["ord_a"].customer.erased


def test_a_phone_on_no_record_whose_orders_name_two_e_mails_is_refused():
    shop = PrivateShop()
    _past_and_cancelled(shop)
    shop.hold("ord_c", date(2026, 12, 10), BOB)
    order_service.cancel(shop.ctx, shop.cache, "ord_c", reason="plans changed")

    with pytest.raises(PhoneNamesSeveral) as refused:
        erase_customer(shop.ctx, shop.files, ADA.phone, ADA.phone, reports=shop.reports)

    assert refused.value.details["customer_ids"] == sorted([A, customer_id_for(BOB.email)])
    assert not any(o.customer.erased for o in shop.data.orders.orders.values())


def test_a_phone_nothing_carries_erases_nothing_and_says_so():
    shop = PrivateShop()
    erased = erase_customer(
        shop.ctx, shop.files, "+447700900999", "+447700900999", reports=shop.reports
    )
    assert (erased.customer_id, erased.orders, erased.records) == (
        customer_id_for(None, "+447700900999"),
        0,
        0,
    )


def test_a_phone_on_a_merged_record_and_its_winner_names_the_winner_once():
    shop = PrivateShop()
    _past_and_cancelled(shop)
    loser = _record(shop, BOB)  # Bob's record was merged into Ada's: the same person
    winner = _record(shop, ADA)
    records = shop.data.customers.records
    records[loser] = replace(records[loser], merged_into=winner)
    records[winner] = replace(records[winner], merged_from=(loser,))

    erased = erase_customer(shop.ctx, shop.files, ADA.phone, ADA.phone, reports=shop.reports)

    assert (erased.customer_id, erased.orders) == (A, 2)
    assert shop.data.customers.get(loser) is None and shop.data.customers.get(A) is None
    alone = customer_id_for(None, ADA.phone)  # a phone-only import row's id: refused too
    assert set(shop.data.customers.erased) == {A, loser, alone}
