"""An order's details changed (booking/services/order_details.py) record `OrderDetailsChanged`
in the change's transaction, naming the parts that changed and never their values (an audit
entry is kept for good, and a new e-mail moves the order to another customer: the values
would outlive an erase of the person they named). A change of nothing records nothing."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from chalicelib.booking.domain.orders import Customer
from chalicelib.booking.services.order_audit import entry_of
from chalicelib.booking.services.order_details import change_details
from chalicelib.kernel.adapters.event_items import event_item
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.domain.event_registry import typed
from chalicelib.kernel.domain.events import OrderDetailsChanged
from chalicelib.webhooks.domain.webhooks import EVENT_TYPES
from tests.builders import Shop
from tests.unit.test_channel_inbound_service import doc, hotel, send


def _details_events(shop: Shop, order_id: str) -> list:
    return [
        e
        for e in shop.data.orders.events
        if e.order_id == order_id and e.name == "OrderDetailsChanged"
    ]


def test_a_modification_of_the_guest_and_price_records_the_parts_it_changed() -> None:
    shop = hotel()
    order_id = send(shop, doc("e1")).order_id
    message = doc("e2", "reservation.modified", minute=5)
    message["reservation"]["guest"] = {
        "name": "Ana Souza",
        "email": "ana@example.com",  # the same address, in other case: not a change
        "phone": "+351912000111",
    }
    message["reservation"]["price"] = {"amount": 26000, "currency": "EUR"}
    send(shop, message)

    [stored] = _details_events(shop, order_id)
    event = typed(stored)
    order = shop.data.orders.get(order_id)
    assert isinstance(event, OrderDetailsChanged)
    assert event.changed == ["name", "phone", "note", "partner_price"]
    assert (event.status, event.start) == ("confirmed", order.start)
    assert event.version == order.version - 2  # then the new price's line: voided, added
    assert event.actor == shop.ctx.actor.label


def test_the_same_details_again_record_nothing() -> None:
    shop = hotel()
    order_id = send(shop, doc("e1")).order_id
    send(shop, doc("e2", "reservation.modified", minute=5))  # as it was made
    assert _details_events(shop, order_id) == []


def test_the_event_names_no_one_and_is_found_through_its_audit_entry() -> None:
    shop = hotel()
    order_id = send(shop, doc("e1")).order_id
    order = shop.data.orders.get(order_id)
    moved = Customer(name="Bea Nova", email="bea.nova@example.com", phone="+351913333444")
    change_details(
        shop.ctx, order_id, customer=moved, note=order.note, expected_version=order.version
    )
    [stored] = _details_events(shop, order_id)
    assert stored.data["changed"] == ["name", "email", "phone"]
    shown = json.dumps(stored.data) + json.dumps(event_item(stored))
    assert "bea" not in shown.lower() and "913333444" not in shown
    # No subject entry of its own: an erase finds it through the order's audit entry.
    assert "gsi4pk" not in event_item(stored)
    entry = entry_of(shop.tenant.id, typed(stored))
    assert (entry.action, entry.target) == ("order.details_changed", f"order:{order_id}")
    assert entry.details["changed"] == ["name", "email", "phone"]


def test_a_refused_change_records_nothing() -> None:
    shop = hotel()
    order_id = send(shop, doc("e1")).order_id
    order = shop.data.orders.get(order_id)
    renamed = replace(order.customer, name="Ana L.")
    with pytest.raises(Conflict) as stale:
        change_details(shop.ctx, order_id, customer=renamed, note="", expected_version=1)
    assert stale.value.code == "version_mismatch"
    assert _details_events(shop, order_id) == []


def test_endpoints_may_subscribe_to_it() -> None:
    assert "OrderDetailsChanged" in EVENT_TYPES
