"""A channel manager's reservation bills what the OTA sold it for (channels/services/
inbound_price.py), over the fakes: the folio's Channel rate line (a discount when the partner's
price is lower, an extra when higher) makes the order's total the partner's price, once per
price, replaced when a modification changes the price or the dates; another currency is only
recorded. The stay: 120.00 a night, 7 % tax included (tests/builders.stay_offering)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

from chalicelib.booking.adapters.codec import order_attribute, order_of_item
from chalicelib.booking.domain.folio import ChargeKind
from chalicelib.booking.domain.orders import BookingStatus, Channel, Customer
from chalicelib.booking.domain.partner_refs import PartnerRef
from chalicelib.booking.services import orders
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.channels.domain.inbound import InboundOutcome
from chalicelib.channels.services import inbound
from chalicelib.channels.services.connections import partner_ref
from chalicelib.channels.services.inbound_price import CHANNEL_RATE, is_channel_rate
from chalicelib.channels.services.statements import monthly_statement
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.webhooks.domain.webhooks import signature_header
from tests.builders import Shop, room_type, stay_offering
from tests.channel_inbound_support import channel_manager

SECRET = "whsec_test"
CONN = "chn_bdc"
ENGINE = 24000  # two nights at 120.00, as the offering prices them


def hotel(rooms: int = 3, currency: str = "EUR") -> Shop:
    shop = Shop(now="2026-11-24T09:00:00.000000Z", currency=currency)
    shop.add(room_type(rooms=rooms), stay_offering())
    connection = channel_manager(CONN, shop.clock(), commission_bp=1500)
    shop.data.connections.put(connection, expected_version=None, secret=SECRET)
    return shop


def doc(
    event_id: str,
    kind: str = "reservation.created",
    *,
    minute: int = 0,
    amount: int = 21000,
    currency: str = "EUR",
    arrival: str = "2026-12-24",
    departure: str = "2026-12-26",
) -> dict[str, Any]:
    res = {
        "id": "BDC-9",
        "room_type": "DBL",
        "arrival": arrival,
        "departure": departure,
        "guests": {"adults": 2},
        "guest": {"name": "Ana Lima", "email": "ana@example.com"},
        "price": {"amount": amount, "currency": currency},
    }
    sent = f"2026-11-24T08:{minute:02d}:00Z"
    return {"event_id": event_id, "type": kind, "sent_at": sent, "reservation": res}


def send(shop: Shop, message: dict[str, Any]) -> inbound.Answer:
    raw = json.dumps(message).encode()
    stamp = int(parse(shop.clock()).timestamp())
    return inbound.receive(shop.ctx, shop.cache, CONN, raw, signature_header([SECRET], stamp, raw))


def rates(order) -> list:
    return [c for c in order.charges if is_channel_rate(c)]


def test_a_lower_partner_price_is_a_channel_rate_discount_and_the_total_is_the_price():
    shop = hotel()
    answer = send(shop, doc("e1", amount=21000))
    order = shop.data.orders.get(answer.order_id)
    assert answer.status is InboundOutcome.APPLIED
    assert order.lines_total == ENGINE and order.total == 21000
    [line] = rates(order)
    assert line.kind is ChargeKind.DISCOUNT and line.total == 3000 and line.live
    assert CHANNEL_RATE in line.reason and "21000 EUR" in line.reason
    # The tax comes off at the stay's rate, tax included, as the folio's discounts do:
    # 3000 at 7 % holds 196; the order's tax is the lines' less that.
    assert (line.tax_bp, line.tax_inclusive, line.tax) == (700, True, 196)
    assert order.tax == sum(x.tax for x in order.lines) - 196
    assert order.partner.price == 21000 and order.partner.price_currency == "EUR"
    names = [e.name for e in shop.data.orders.events if e.order_id == order.id]
    assert names == ["OrderHeld", "OrderConfirmed", "ChargeAdded"]


def test_a_higher_partner_price_is_a_channel_rate_extra():
    shop = hotel()
    order = shop.data.orders.get(send(shop, doc("e1", amount=26500)).order_id)
    [line] = rates(order)
    assert (line.kind, line.label, line.total) == (ChargeKind.CHARGE, CHANNEL_RATE, 2500)
    assert (line.tax_bp, line.tax_inclusive, line.tax) == (700, True, 164)
    assert order.total == 26500


def test_the_engines_own_price_needs_no_line():
    shop = hotel()
    order = shop.data.orders.get(send(shop, doc("e1", amount=ENGINE)).order_id)
    assert order.charges == () and order.total == ENGINE


def test_a_redelivered_creation_adds_no_second_line():
    shop = hotel()
    first = send(shop, doc("e1"))
    commits = shop.data.orders.commits
    assert send(shop, doc("e1")).status is InboundOutcome.DUPLICATE  # same event id
    again = send(shop, doc("e2"))  # the same reservation under another event id
    assert (again.status, again.order_id) == (InboundOutcome.DUPLICATE, first.order_id)
    order = shop.data.orders.get(first.order_id)
    assert len(order.charges) == 1 and order.total == 21000
    assert shop.data.orders.commits == commits


def test_a_new_price_on_the_same_dates_replaces_the_line():
    shop = hotel()
    booked = send(shop, doc("e1", amount=21000))
    send(shop, doc("e2", "reservation.modified", minute=5, amount=25000))
    order = shop.data.orders.get(booked.order_id)
    old, new = rates(order)
    assert not old.live and old.void_reason.startswith("Replaced")
    assert new.live and new.kind is ChargeKind.CHARGE and new.total == 1000
    assert order.total == 25000
    # The same modification again (another event id, same content) changes nothing.
    commits = shop.data.orders.commits
    send(shop, doc("e3", "reservation.modified", minute=6, amount=25000))
    assert shop.data.orders.commits == commits and len(rates(order)) == 2


def test_new_dates_are_priced_again_and_the_line_follows_to_the_partners_new_price():
    shop = hotel()
    booked = send(shop, doc("e1", amount=21000))
    send(
        shop,
        doc("e2", "reservation.modified", minute=5, amount=33000, departure="2026-12-27"),
    )
    order = shop.data.orders.get(booked.order_id)
    assert order.lines_total == 36000 and order.lines[0].nights == 3
    assert [c.total for c in rates(order) if c.live] == [3000]
    assert order.total == 33000


def test_a_shorter_stay_loses_its_big_discount_first_and_gets_the_new_one():
    """A 3-night stay sold for 100.00 carries a 260.00 discount; cut to one night (120.00 by
    the engine) the engine would refuse a discount bigger than the lines: it is voided
    before the reschedule and the new one (20.00) added after."""
    shop = hotel()
    booked = send(shop, doc("e1", amount=10000, departure="2026-12-27"))
    assert shop.data.orders.get(booked.order_id).total == 10000
    moved = send(
        shop, doc("e2", "reservation.modified", minute=5, amount=10000, departure="2026-12-25")
    )
    assert moved.status is InboundOutcome.APPLIED
    order = shop.data.orders.get(booked.order_id)
    assert order.lines[0].nights == 1 and order.total == 10000
    assert [c.total for c in rates(order) if c.live] == [2000]


def test_an_overbooking_conflict_bills_the_partners_price_too():
    shop = hotel(rooms=1)
    line = LineInput("off_stay", check_in=date(2026, 12, 24), nights=2)
    hold = HoldInput(Customer("Bo", "bo@example.com"), [line], Channel.WIDGET)
    hold_order(shop.ctx, shop.cache, hold, order_id="ord_w")
    answer = send(shop, doc("e1", amount=19900))
    order = shop.data.orders.get(answer.order_id)
    assert answer.status is InboundOutcome.CONFLICT and order.overbooked
    assert order.total == 19900


def test_a_modification_onto_full_dates_is_a_conflict_billing_the_new_price():
    shop = hotel(rooms=1)
    booked = send(shop, doc("e1", amount=21000))
    line = LineInput("off_stay", check_in=date(2026, 12, 28), nights=2)
    hold = HoldInput(Customer("Bo", "bo@example.com"), [line], Channel.WIDGET)
    hold_order(shop.ctx, shop.cache, hold, order_id="ord_w")  # the new dates' last room
    moved = send(
        shop,
        doc(
            "e2",
            "reservation.modified",
            minute=5,
            amount=22500,
            arrival="2026-12-28",
            departure="2026-12-30",
        ),
    )
    order = shop.data.orders.get(booked.order_id)
    assert (moved.status, moved.reason) == (InboundOutcome.CONFLICT, "no_free_unit")
    assert order.overbooked and order.takes == [] and order.total == 22500
    assert [c.total for c in rates(order) if c.live] == [1500]


def test_another_currency_keeps_the_engines_price_and_records_the_partners():
    shop = hotel(currency="EUR")
    order = shop.data.orders.get(send(shop, doc("e1", amount=23000, currency="USD")).order_id)
    assert order.charges == () and order.total == ENGINE and order.currency == "EUR"
    assert (order.partner.price, order.partner.price_currency) == (23000, "USD")
    assert "23000 USD" in order.note


def test_a_cancelled_reservation_keeps_its_lines_and_adds_nothing():
    shop = hotel()
    booked = send(shop, doc("e1", amount=21000))
    send(shop, {**doc("e2", "reservation.cancelled", minute=5), "reservation": {"id": "BDC-9"}})
    order = shop.data.orders.get(booked.order_id)
    assert order.status is BookingStatus.CANCELLED and len(order.charges) == 1


def test_a_checked_in_guests_folio_is_the_desks_and_a_new_price_leaves_it():
    shop = hotel()
    order_id = send(shop, doc("e1", amount=21000)).order_id
    shop.clock.moment = parse("2026-12-24T15:00:00.000000Z")
    orders.check_in(shop.ctx, order_id)
    send(shop, doc("e2", "reservation.modified", minute=5, amount=26000))
    order = shop.data.orders.get(order_id)
    assert order.status is BookingStatus.CHECKED_IN
    assert order.total == 21000 and len(order.charges) == 1


def test_the_statement_commission_follows_the_partners_price():
    shop = hotel()
    lower = send(shop, doc("e1", amount=21000))
    statement = monthly_statement(shop.ctx, CONN, "2026-11")
    [entry] = statement.lines
    assert entry.order_id == lower.order_id
    assert (entry.total, entry.commission) == (21000, 21000 * 1500 // 10000)
    send(shop, doc("e2", "reservation.modified", minute=5, amount=30000))
    [entry] = monthly_statement(shop.ctx, CONN, "2026-11").lines
    assert (entry.total, entry.commission) == (30000, 4500)


def test_a_modified_price_is_the_orders_partner_price_and_the_statements():
    shop = hotel()
    order_id = send(shop, doc("e1", amount=21000)).order_id
    send(shop, doc("e2", "reservation.modified", minute=5, amount=26000))
    order = shop.data.orders.get(order_id)
    assert (order.partner.price, order.partner.price_currency) == (26000, "EUR")
    [entry] = monthly_statement(shop.ctx, CONN, "2026-11").lines
    assert (entry.price, entry.price_currency, entry.total) == (26000, "EUR", 26000)


def test_a_modified_price_in_another_currency_is_recorded_though_the_total_stays():
    shop = hotel(currency="EUR")
    order_id = send(shop, doc("e1", amount=23000, currency="USD")).order_id
    send(shop, doc("e2", "reservation.modified", minute=5, amount=25000, currency="GBP"))
    order = shop.data.orders.get(order_id)
    assert (order.partner.price, order.partner.price_currency) == (25000, "GBP")
    assert order.total == ENGINE and order.charges == ()
    [entry] = monthly_statement(shop.ctx, CONN, "2026-11").lines
    assert (entry.price, entry.price_currency, entry.total) == (25000, "GBP", ENGINE)


def test_a_creation_that_stopped_after_its_hold_gets_its_price_from_the_retry():
    shop = hotel()
    connection = shop.data.connections.get(CONN)
    partner = replace(partner_ref(connection, "BDC-9", "off_stay"), price=21000)
    partner = replace(partner, price_currency="EUR")
    line = LineInput("off_stay", check_in=date(2026, 12, 24), nights=2)
    hold = HoldInput(Customer("Ana", "ana@example.com"), [line], Channel.PARTNER, partner=partner)
    held = hold_order(shop.ctx, shop.cache, hold, order_id="ord_half")  # then the process died
    send(shop, doc("e1"))
    order = shop.data.orders.get(held.id)
    assert order.status is BookingStatus.CONFIRMED and order.total == 21000


def test_a_creation_that_stopped_before_its_line_gets_it_from_the_retry():
    shop = hotel()
    connection = shop.data.connections.get(CONN)
    partner = partner_ref(connection, "BDC-9", "off_stay")
    line = LineInput("off_stay", check_in=date(2026, 12, 24), nights=2)
    hold = HoldInput(Customer("Ana", "ana@example.com"), [line], Channel.PARTNER, partner=partner)
    held = hold_order(shop.ctx, shop.cache, hold, order_id="ord_half")
    orders.confirm(shop.ctx, held.id)  # then the process died, before the Channel rate line
    retry = send(shop, doc("e1", amount=21000))
    assert (retry.status, retry.reason) == (InboundOutcome.DUPLICATE, "already_booked")
    assert shop.data.orders.get(held.id).total == 21000


def test_an_old_creation_sent_again_after_a_modification_keeps_the_new_price():
    shop = hotel()
    booked = send(shop, doc("e1", amount=21000))
    send(shop, doc("e2", "reservation.modified", minute=5, amount=25000))
    again = send(shop, doc("e9", amount=21000))  # the creation (sent 08:00) again, late
    assert (again.status, again.order_id) == (InboundOutcome.DUPLICATE, booked.order_id)
    assert shop.data.orders.get(booked.order_id).total == 25000


def test_the_partners_price_round_trips_through_the_stored_order_and_old_ones_read_none():
    shop = hotel()
    order = shop.data.orders.get(send(shop, doc("e1", amount=21000, currency="EUR")).order_id)
    item = {"pk": {"S": f"ORD#{order.id}"}, **order_attribute(order)}
    assert order_of_item(item) == order
    assert order_of_item(item).partner.price == 21000
    before = replace(order, partner=PartnerRef("chn_bdc", "Channex", "BDC-9", 1500))
    old = order_of_item({"pk": {"S": f"ORD#{order.id}"}, **order_attribute(before)})
    assert old.partner == PartnerRef("chn_bdc", "Channex", "BDC-9", 1500)
    assert (old.partner.price, old.partner.price_currency) == (None, "")
