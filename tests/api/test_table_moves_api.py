"""A restaurant's changes as its guest hears of them (an outside tester's restaurant: tables of
one, tagged by size). A move to another table only (same time, party, dinner and price) is no
news to the guest: no "Changed" message; a change the guest sees still sends one. Changes in
quick succession (a party of 6, then 4, then 2) each describe the state their change left, or,
when a later change overtook one before its message went, only the latest is told, once."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from chalicelib.booking.adapters.codec import order_doc, order_from
from chalicelib.catalog.domain.catalog import PriceBasis, Pricing, Requirement, Selector
from tests.api.support import forbid_server_errors, tenant_data
from tests.api.test_notifications_api import deliver_events
from tests.api.test_printouts_api import pdf
from tests.builders import haircut, stylist

DINNER = {"offering_id": "off_dinner", "start": "2026-12-10T12:00"}


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def restaurant(api) -> dict[str, Any]:
    tenant = api.signup("trattoria", business_type="restaurant")
    catalog = tenant_data(api, tenant).catalog
    for rid, name in (("res_t1", "Table 1"), ("res_t2", "Table 2")):
        table = stylist(rid, name, skills=(), tags=frozenset({"t6"}))
        catalog.put_resource(table, expected_rev=None)
    dinner = replace(
        haircut(oid="off_dinner", duration_minutes=90, buffer_after=0),
        name="Dinner, table for 6",
        requirements=(Requirement(Selector(tag="t6")),),
        pricing=Pricing(amount=3000, basis=PriceBasis.PERSON),
        party_max=6,
    )
    catalog.put_offering(dinner, expected_rev=None)
    return tenant


def _booked(api, shop, party: int, **line: Any) -> dict[str, Any]:
    customer = {"name": "Ada", "email": "ada@example.com", "phone": "+4915112345678"}
    body = {"customer": customer, "lines": [{**DINNER, "party": party, **line}]}
    r = api.call("POST", "/v1/orders", auth=shop["secret_key"], body=body)
    assert r.status_code == 201, r.body
    r = api.call("POST", f"/v1/orders/{r.data['id']}/confirm", auth=shop["secret_key"])
    assert r.status_code == 200, r.body
    deliver_events(api)
    return dict(r.data)


def _move(api, shop, order: dict[str, Any], **line: Any) -> dict[str, Any]:
    path = f"/v1/orders/{order['id']}/reschedule"
    body = {"lines": [{**DINNER, "party": order["lines"][0]["party"], **line}]}
    r = api.call("POST", path, auth=shop["secret_key"], headers={"If-Match": "*"}, body=body)
    assert r.status_code == 200, r.body
    return dict(r.data)


def _changed(api) -> list[str]:
    return [m.text for m in api.container.mailer.sent if m.subject.startswith("Changed")]


def _texts(api) -> list[str]:
    return [s for _, s in api.container.sms.sent]


def _table(order: dict[str, Any]) -> str:
    return str(order["lines"][0]["resources"][0]["resource_id"])


def test_a_move_to_another_table_only_does_not_message_the_guest(api, restaurant):
    order = _booked(api, restaurant, 4)
    other = "res_t2" if _table(order) == "res_t1" else "res_t1"
    texts = len(_texts(api))
    moved = _move(api, restaurant, order, resource_ids={"0": other})
    assert _table(moved) == other and moved["version"] == order["version"] + 1
    deliver_events(api)
    assert _changed(api) == [] and len(_texts(api)) == texts
    later = _move(api, restaurant, moved, start="2026-12-10T13:00")  # a time the guest sees
    assert later["version"] == moved["version"] + 1
    deliver_events(api)
    [changed] = _changed(api)
    assert "13:00" in changed and len(_texts(api)) == texts + 1


def test_a_table_the_guest_chose_is_news_when_it_changes(api, restaurant):
    """Chosen in the widget ("Table": Table 1): a move to another table is told."""
    customer = {"name": "Ada", "email": "ada@example.com"}
    line = {**DINNER, "party": 4, "resource_ids": {"0": "res_t1"}}
    body = {"customer": customer, "lines": [line]}
    held = api.call("POST", "/v1/public/orders", auth=restaurant["publishable_key"], body=body)
    assert held.status_code == 201, held.body
    path = f"/v1/orders/{held.data['id']}/confirm"
    order = api.call("POST", path, auth=restaurant["secret_key"]).data
    deliver_events(api)
    _move(api, restaurant, order, resource_ids={"0": "res_t2"})
    deliver_events(api)
    assert len(_changed(api)) == 1


def test_the_table_the_desk_seated_a_party_at_is_moved_without_a_message(api, restaurant):
    """A reviewer's: the console names the table of the time it shows with every booking, so
    every desk booking read as the guest's choice and a table move still messaged them."""
    order = _booked(api, restaurant, 4, resource_ids={"0": "res_t1"})
    _move(api, restaurant, order, resource_ids={"0": "res_t2"})
    deliver_events(api)
    assert _changed(api) == []


def test_an_order_kept_before_choices_were_still_tells_every_change(api, restaurant):
    """A reviewer's: an order item written before lines kept the guest's choice read as "none
    chosen", so a swap of the stylist its guest had named went untold; unknown is not none."""
    order = _booked(api, restaurant, 4, resource_ids={"0": "res_t1"})
    store = tenant_data(api, restaurant).orders
    doc = order_doc(store.orders[order["id"]])
    for line in doc["lines"]:
        line.pop("chosen", None)
    doc.pop("seen_version", None)
    store.orders[order["id"]] = order_from(doc)
    assert store.orders[order["id"]].lines[0].chosen is None
    _move(api, restaurant, order, resource_ids={"0": "res_t2"})
    deliver_events(api)
    assert len(_changed(api)) == 1


def test_each_change_told_as_it_left_the_booking(api, restaurant):
    order = _booked(api, restaurant, 6)
    order = _move(api, restaurant, order, party=4)
    deliver_events(api)
    _move(api, restaurant, order, party=2)
    deliver_events(api)
    assert [("4 people" in t, "2 people" in t) for t in _changed(api)] == [
        (True, False),
        (False, True),
    ]


def test_changes_in_quick_succession_tell_the_latest_once(api, restaurant):
    order = _booked(api, restaurant, 6)
    order = _move(api, restaurant, order, party=4)
    _move(api, restaurant, order, party=2)  # before the first change's message went
    texts = len(_texts(api))
    deliver_events(api)
    deliver_events(api)
    [changed] = _changed(api)
    assert "2 people" in changed and "4 people" not in changed
    assert len(_texts(api)) == texts + 1


@pytest.mark.parametrize(("lang", "title"), [("en", "Reservations (1)"), ("zh-Hans", "订座 (1)")])
def test_a_restaurants_day_sheet_lists_reservations(api, restaurant, lang, title):
    order = _booked(api, restaurant, 4)
    path = f"/v1/resources/{_table(order)}/day.pdf?date=2026-12-10&lang={lang}"
    text, _ = pdf(api, restaurant, path)
    assert title in text and "Appointments" not in text and "预约" not in text, text
