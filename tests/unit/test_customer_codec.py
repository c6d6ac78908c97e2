"""A customer's record, a merge and an order's merged customer survive their storage form
(customers/adapters/customer_codec.py, booking/adapters/codec.py), and the order's index names
its customer by the derived id, or by the winner a merge moved it to."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.booking.adapters.codec import order_doc, order_from
from chalicelib.booking.adapters.order_indexes import order_index_keys
from chalicelib.customers.adapters.customer_codec import (
    customer_from,
    customer_json,
    merge_from,
    merge_json,
)
from chalicelib.customers.adapters.customer_items import customer_item, customer_write
from chalicelib.customers.domain.figures import CustomerFigures
from chalicelib.customers.domain.merges import Merge, MergeStatus
from chalicelib.customers.domain.records import Consent, ConsentSource, CustomerRecord, Profile
from chalicelib.customers.services.customer_ports import FamilyNamePut
from chalicelib.kernel.domain.business import Address
from chalicelib.kernel.domain.customer_ids import customer_id_for
from tests.stage import ADA, Stage

FULL = CustomerRecord(
    id="cus_a",
    profile=Profile(
        name="Élodie Durand",
        email="elodie@example.com",
        phone="+33612345678",
        locale="fr",
        language="fr-FR",
        birthday="--04-17",
        address=Address(("1 rue de la Paix",), "Paris", "75002", "FR"),
    ),
    created_at="2026-11-01T10:00:00.000000Z",
    updated_at="2026-11-02T10:00:00.000000Z",
    version=7,
    figures=CustomerFigures(
        bookings=3,
        visits=2,
        spend=12000,
        first_visit="2026-10-01T08:00Z",
        last_visit="2026-11-01T08:00Z",
        offerings=(("off_cut", 2),),
        staff=(("res_a", 2),),
        hours=(("09", 2),),
    ),
    preferences=(("coffee", "black"),),
    tags=("VIP",),
    consent=Consent(True, ConsentSource.STAFF, "2026-11-02T10:00:00.000000Z", by="user:u1"),
    merged_from=("cus_b",),
    possible_duplicates=("cus_c",),
)


def test_a_full_record_survives_its_document():
    assert customer_from(customer_json(FULL), FULL.version) == FULL


def test_the_record_item_carries_its_search_keys_and_the_duplicates_entry_while_flagged():
    item = customer_item(FULL)
    assert item["gsi4pk"] == {"S": "CUSPHONE#+33612345678"}
    assert item["gsi5pk"] == {"S": "CUSNAME#e"}  # folded: accents dropped
    assert item["gsi5sk"]["S"].startswith("elodie durand#")
    assert item["gsi3pk"] == {"S": "CUSDUP"}
    merged = customer_item(replace(FULL, merged_into="cus_z"))
    assert "gsi3pk" not in merged and merged["merged_into"] == {"S": "cus_z"}


def test_a_merge_survives_its_document():
    m = Merge(
        "cus_a", "cus_b", "t", "user:u1", MergeStatus.DONE, True, True, 105, ("points",), "t2", 4
    )
    assert merge_from(merge_json(m), 4) == m


def test_an_order_names_its_customer_by_the_derived_id_until_a_merge_moves_it():
    order = Stage().book(customer=ADA)
    assert order_index_keys(order)["gsi7pk"] == f"CUSORD#{customer_id_for(ADA.email)}"
    moved = replace(order, customer=replace(order.customer, merged_to="cus_winner"))
    assert order_index_keys(moved)["gsi7pk"] == "CUSORD#cus_winner"
    assert order_from(order_doc(moved)) == moved
    assert "merged_to" not in order_doc(order)["customer"]  # nothing new on unmerged orders


def test_the_family_name_is_the_last_word_unless_the_name_starts_with_it():
    def family(name: str) -> str:
        return CustomerRecord(
            id="cus_x", profile=Profile(name=name), created_at="t", updated_at="t"
        ).family_key

    assert family("Wei Chen") == "chen"
    assert family("Élodie DURAND") == "durand"  # folded as the whole name is
    assert family("Anna Maria de la Cruz") == "cruz"
    assert family("Madonna") == ""  # one word: the whole name is its entry
    assert family("王伟") == ""  # no space: the family name is the start already
    assert family("Chen Chen") == ""  # the whole name starts with it


def test_the_family_name_entry_is_its_own_item_in_the_name_index_and_goes_when_emptied():
    put = customer_write("t", FamilyNamePut("cus_x", "chen"))
    assert put is not None
    item = put["Put"]["Item"]
    assert (item["pk"], item["sk"]) == ({"S": "CUS#cus_x"}, {"S": "FAMNAME"})
    assert (item["gsi5pk"], item["gsi5sk"]) == ({"S": "CUSNAME#c"}, {"S": "chen#cus_x"})
    assert "ConditionExpression" not in put["Put"]  # the record's put carries the condition
    gone = customer_write("t", FamilyNamePut("cus_x", ""))
    assert gone == {
        "Delete": {"TableName": "t", "Key": {"pk": {"S": "CUS#cus_x"}, "sk": {"S": "FAMNAME"}}}
    }
