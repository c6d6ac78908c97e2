"""A channel partner's order: its partner fields stored and read back, its reference written
in the hold's own transaction (never two orders for one reference), its commission, and the
reference's entry kept in step with the order for the month's statement."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from chalicelib.booking.adapters.codec import (
    ORDER_DICTIONARY,
    open_document,
    order_attribute,
    order_of_item,
)
from chalicelib.booking.domain.orders import BookingStatus, Channel, Customer
from chalicelib.booking.domain.partner_refs import (
    PartnerRef,
    PartnerReferenceTaken,
    booked_month,
    check_reference,
    commission_of,
)
from chalicelib.booking.services import orders
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.kernel.domain.errors import InvalidInput
from tests.builders import Shop, room_type, stay_offering

ADA = Customer(name="Ada", email="ada@example.com")
BEA = Customer(name="Bea", email="bea@example.com")
STAY = LineInput("off_stay", check_in=date(2026, 12, 24), nights=2)  # 2 x 120.00
EXPEDIA = PartnerRef("chn_exp", "Expedia", "EXP-1001", commission_bp=1500)


def hotel(tz: str = "Europe/Berlin", now: str = "2026-11-24T09:00:00.000000Z") -> Shop:
    return Shop(tz=tz, now=now).add(room_type(rooms=5), stay_offering())


def partner_hold(shop: Shop, order_id: str, partner=EXPEDIA, customer=ADA):
    hold = HoldInput(customer, [STAY], Channel.PARTNER, partner=partner)
    return hold_order(shop.ctx, shop.cache, hold, order_id=order_id)


def test_a_partner_order_reads_back_with_its_partner_and_overbooked_flag():
    order = partner_hold(hotel(), "ord_1")
    flagged = replace(order, overbooked=True)
    item = {"pk": {"S": "ORD#ord_1"}, **order_attribute(flagged)}
    assert order_of_item(item) == flagged
    assert order_of_item(item).partner == EXPEDIA


def test_an_order_without_a_partner_stores_no_partner_keys():
    shop = hotel()
    order = hold_order(shop.ctx, shop.cache, HoldInput(ADA, [STAY], Channel.API), order_id="o")
    text = open_document(order_attribute(order)["docz"]["B"])
    assert '"partner"' not in text and '"overbooked"' not in text
    assert order.partner is None and order.overbooked is False


def test_the_pinned_dictionary_still_opens_a_partner_order():
    # The document's new keys are written through the same pinned dictionary and read back.
    order = partner_hold(hotel(), "ord_1")
    packed = order_attribute(order)["docz"]["B"]
    assert '"partner":["chn_exp","Expedia","EXP-1001",1500]' in open_document(packed)
    assert ORDER_DICTIONARY.startswith(b'"kind":"card"')


@pytest.mark.parametrize(
    "partner",
    [
        replace(EXPEDIA, settlement="partner"),
        replace(EXPEDIA, settlement="customer", price=25000, price_currency="EUR"),
        replace(EXPEDIA, price=25000, price_currency="EUR"),
    ],
)
def test_a_partners_settlement_and_price_read_back_as_written(partner):
    """Who the guest pays rides on the order (the manage page said "To pay at the venue" to a
    reseller's customer who had paid the reseller); with or without the partner's price."""
    order = partner_hold(hotel(), "ord_1", partner=partner)
    assert order_of_item({"pk": {"S": "ORD#ord_1"}, **order_attribute(order)}).partner == partner
    # The list keeps the shape the release before reads (4 places, or 6 with a price).
    text = open_document(order_attribute(order)["docz"]["B"])
    assert '"EXP-1001",1500]' in text or '"EXP-1001",1500,25000,"EUR"]' in text


def test_a_second_hold_with_the_same_reference_names_the_first_order():
    shop = hotel()
    first = partner_hold(shop, "ord_1")
    with pytest.raises(PartnerReferenceTaken) as refused:
        partner_hold(shop, "ord_2", customer=BEA)
    assert refused.value.existing_order_id == first.id
    assert refused.value.code == "partner_reference_taken"
    assert shop.data.orders.get("ord_2") is None
    # Nothing of the refused hold was written: one order's units only.
    assert sum(shop.data.orders.buckets.values()) == 2


def test_the_same_reference_under_another_connection_is_another_booking():
    shop = hotel()
    partner_hold(shop, "ord_1")
    other = replace(EXPEDIA, connection_id="chn_bk", name="Booking")
    assert partner_hold(shop, "ord_2", partner=other).partner == other


def test_the_reference_entry_follows_the_order_through_confirmation_and_cancellation():
    shop = hotel()
    order = partner_hold(shop, "ord_1")
    refs = shop.data.partner_refs
    assert refs.order_id_for("chn_exp", "EXP-1001") == "ord_1"
    (held,) = refs.month_entries("chn_exp", "2026-11")
    assert (held.status, held.commission) == ("held", 0)

    orders.confirm(shop.ctx, order.id)
    (confirmed,) = refs.month_entries("chn_exp", "2026-11")
    assert confirmed.status == "confirmed"
    assert confirmed.total == order.total == 24000  # tax included in the price
    assert confirmed.commission == 24000 * 1500 // 10000 == 3600

    orders.cancel(shop.ctx, shop.cache, order.id)
    (cancelled,) = refs.month_entries("chn_exp", "2026-11")
    assert (cancelled.status, cancelled.commission) == ("cancelled", 0)
    assert refs.order_id_for("chn_exp", "EXP-1001") == "ord_1"  # never free again


def test_commission_counts_on_sold_orders_only():
    assert commission_of(EXPEDIA, "confirmed", 10000) == 1500
    assert commission_of(EXPEDIA, "no_show", 10000) == 1500
    assert commission_of(EXPEDIA, "completed", 999) == 149  # rounded down
    for status in ("held", "cancelled", "expired"):
        assert commission_of(EXPEDIA, status, 10000) == 0
    assert commission_of(None, "confirmed", 10000) == 0


def test_a_confirmed_partner_order_carries_its_commission():
    shop = hotel()
    order = orders.confirm(shop.ctx, partner_hold(shop, "ord_1").id)
    assert order.status is BookingStatus.CONFIRMED
    assert order.commission == order.total * 1500 // 10000


@pytest.mark.parametrize("reference", ["", "x" * 101, "EXP\n1", "EXP\x001"])
def test_a_reference_is_one_to_a_hundred_printable_characters(reference):
    with pytest.raises(InvalidInput):
        check_reference(reference)
    with pytest.raises(InvalidInput):
        partner_hold(hotel(), "o", partner=replace(EXPEDIA, reference=reference))


def test_a_booking_belongs_to_the_month_of_the_tenants_calendar():
    # 23:30 UTC on 31 January is already 1 February in Tokyo, still January in New York.
    assert booked_month("2027-01-31T23:30:00.000000Z", "Asia/Tokyo") == "2027-02"
    assert booked_month("2027-01-31T23:30:00.000000Z", "America/New_York") == "2027-01"
    # The last night of October in Berlin, after clocks went back: 23:30 UTC is 00:30 local.
    assert booked_month("2026-10-31T23:30:00.000000Z", "Europe/Berlin") == "2026-11"


def test_the_entry_is_listed_in_the_local_month_it_was_booked_in():
    shop = hotel(tz="Asia/Tokyo", now="2026-11-30T16:00:00.000000Z")  # 1 December, 01:00
    partner_hold(shop, "ord_1")
    refs = shop.data.partner_refs
    assert refs.month_entries("chn_exp", "2026-11") == []
    assert [e.order_id for e in refs.month_entries("chn_exp", "2026-12")] == ["ord_1"]


class CancellingClient:
    """A DynamoDB client that cancels the transaction with these reasons."""

    def __init__(self, reasons: list[dict]) -> None:
        self.reasons = reasons
        self.sent: list[list[dict]] = []

    def transact_write_items(self, *, TransactItems, ReturnConsumedCapacity):  # noqa: N803
        from botocore.exceptions import ClientError

        self.sent.append(TransactItems)
        error = {"Code": "TransactionCanceledException", "Message": "cancelled"}
        raise ClientError(
            {"Error": error, "CancellationReasons": self.reasons}, "TransactWriteItems"
        )


def test_the_writer_explains_a_taken_reference_first_naming_the_order_it_met():
    from chalicelib.booking.adapters.unit_of_work import DynamoTransactions
    from chalicelib.booking.domain.partner_refs import PartnerEntry
    from chalicelib.booking.services.transaction_items import BucketTake, PartnerEntryPut
    from chalicelib.catalog.domain.inventory import BucketRef, Take

    entry = PartnerEntry(
        "chn_exp",
        "EXP-1",
        "ord_2",
        "2026-11-24T09:00:00.000000Z",
        "2026-11",
        "held",
        "EUR",
        24000,
        1500,
        0,
    )
    items = [
        BucketTake(Take(BucketRef("res_double", "N#2026-12-24"), 1, 1)),
        PartnerEntryPut(entry, new=True),
    ]
    met = {"order_id": {"S": "ord_1"}, "pk": {"S": "PREF#chn_exp"}, "sk": {"S": "EXP-1"}}
    client = CancellingClient(
        [{"Code": "ConditionalCheckFailed"}, {"Code": "ConditionalCheckFailed", "Item": met}]
    )
    with pytest.raises(PartnerReferenceTaken) as refused:
        DynamoTransactions(client, "t", sleep=lambda _: None).write(items)
    assert refused.value.existing_order_id == "ord_1"  # not `unavailable`: a retry learns
    (put,) = [i["Put"] for i in client.sent[0] if "Put" in i]
    assert put["Item"]["pk"] == {"S": "PREF#chn_exp"} and put["Item"]["sk"] == {"S": "EXP-1"}
    assert put["Item"]["gsi1pk"] == {"S": "PST#chn_exp#2026-11"}
    assert put["ConditionExpression"] == "attribute_not_exists(pk)"
    assert put["ReturnValuesOnConditionCheckFailure"] == "ALL_OLD"


@pytest.mark.parametrize("target", [BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW])
def test_an_overbooked_guest_is_neither_checked_in_nor_a_no_show_until_placed(target):
    """Either would leave the conflict open for good: it could no longer be moved or
    relocated (outside probe)."""
    from chalicelib.booking.domain.orders import OverbookingUnresolved

    shop = hotel()
    confirmed = orders.confirm(shop.ctx, partner_hold(shop, "ord_1").id)
    conflict = replace(confirmed, overbooked=True)
    with pytest.raises(OverbookingUnresolved):
        conflict.transition(target, at="2026-12-24T18:00:00.000000Z", actor="user:u1")
    placed = replace(confirmed, overbooked=False)
    assert (
        placed.transition(target, at="2026-12-24T18:00:00.000000Z", actor="user:u1").status
        is target
    )
    assert (
        conflict.transition(
            BookingStatus.CANCELLED, at="2026-12-24T18:00:00.000000Z", actor="user:u1"
        ).status
        is BookingStatus.CANCELLED
    )  # relocated
