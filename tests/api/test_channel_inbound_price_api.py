"""A channel manager's reservation bills the partner's price, through the routes: the signed
message's order shows a total equal to the price with its Channel rate line, a modification
replaces the line, a repeat adds none, the partner's statement takes its commission on the
new total, and another currency shows the partner's price on the order's partner."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from chalicelib.webhooks.domain.webhooks import signature_header
from tests.api.support import forbid_server_errors, tenant_data
from tests.builders import room_type, stay_offering
from tests.channel_inbound_support import channel_manager

SECRET = "whsec_price_test"
CONN = "chn_price"


@pytest.fixture
def hotel(api):
    forbid_server_errors(api)
    tenant = api.signup("pricehotel")  # EUR
    data = tenant_data(api, tenant)
    data.catalog.put_resource(replace(room_type(rooms=2), rooms=("101", "102")), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)  # 120.00 a night, 7 % in
    connection = channel_manager(CONN, api.container.clock(), commission_bp=1000)
    data.connections.put(connection, expected_version=None, secret=SECRET)
    return tenant


def message(event_id: str, amount: int, currency: str = "EUR", **res: Any) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "type": res.pop("kind", "reservation.created"),
        "sent_at": res.pop("sent_at", "2026-11-24T08:59:00Z"),
        "reservation": {
            "id": "BDC-500",
            "room_type": "DBL",
            "arrival": "2026-12-24",
            "departure": "2026-12-26",
            "guests": {"adults": 2},
            "guest": {"name": "Ana Lima", "email": "ana@example.com"},
            "price": {"amount": amount, "currency": currency},
            **res,
        },
    }


def post(api, hotel, doc: dict[str, Any]):
    raw = json.dumps(doc).encode()
    stamp = int(api.container.clock.moment.timestamp())
    r = api.call(
        "POST",
        f"/v1/channel-events/{hotel['tenant_id']}/{CONN}",
        raw=raw,
        headers={"Reservoir-Signature": signature_header([SECRET], stamp, raw)},
    )
    assert r.status_code == 200, r.body
    return r.data


def order(api, hotel, order_id: str) -> dict[str, Any]:
    r = api.call("GET", f"/v1/orders/{order_id}", auth=hotel["secret_key"])
    assert r.status_code == 200, r.body
    return r.data


def rate_lines(o: dict[str, Any]) -> list[tuple[str, int]]:
    return [(c["kind"], c["total"]) for c in o["charges"]]


def test_the_order_bills_the_partners_price_and_a_modification_replaces_the_line(api, hotel):
    made = post(api, hotel, message("p1", 21000))
    assert made["status"] == "applied"
    o = order(api, hotel, made["order_id"])
    assert o["totals"]["total"] == 21000 and rate_lines(o) == [("discount", -3000)]
    # Labelled as its surcharge is: an outside integrator's ChargeAdded had label "".
    assert [c["label"] for c in o["charges"]] == ["Channel rate"]
    added = [e["event"] for e in api.container.relayed_events()]
    [charged] = [e for e in added if e["name"] == "ChargeAdded"]
    assert charged["data"]["label"] == "Channel rate"
    assert (o["partner"]["price"], o["partner"]["price_currency"]) == (21000, "EUR")
    assert o["partner"]["commission"] == 2100

    again = post(api, hotel, message("p2", 21000))  # the creation re-sent under a new id
    assert (again["status"], again["order_id"]) == ("duplicate", made["order_id"])
    assert rate_lines(order(api, hotel, made["order_id"])) == [("discount", -3000)]

    later = message("p3", 37000, kind="reservation.modified", sent_at="2026-11-24T09:00:00Z")
    later["reservation"]["departure"] = "2026-12-27"  # a night more: the engine's 360.00
    assert post(api, hotel, later)["status"] == "applied"
    o = order(api, hotel, made["order_id"])
    assert o["totals"]["total"] == 37000 and rate_lines(o) == [("charge", 1000)]
    assert (o["partner"]["price"], o["partner"]["price_currency"]) == (37000, "EUR")
    folio = api.call("GET", f"/v1/orders/{made['order_id']}/payments", auth=hotel["secret_key"])
    assert folio.status_code == 200, folio.body
    voided = [c for c in folio.data["charges"] if c["voided_at"]]
    assert [c["total"] for c in voided] == [-3000]

    statement = api.call("GET", f"/v1/channels/{CONN}/statements/2026-11", auth=hotel["secret_key"])
    assert statement.status_code == 200, statement.body
    [line] = statement.data["lines"]
    assert (line["total"], line["commission"]) == (37000, 3700)
    assert (line["price"], line["price_currency"]) == (37000, "EUR")
    assert statement.data["totals"]["EUR"]["net"] == 37000 - 3700


def test_another_currency_keeps_the_engines_price_and_shows_the_partners(api, hotel):
    made = post(api, hotel, message("p1", 25500, "USD"))
    o = order(api, hotel, made["order_id"])
    assert o["totals"]["total"] == 24000 and o["currency"] == "EUR" and o["charges"] == []
    assert (o["partner"]["price"], o["partner"]["price_currency"]) == (25500, "USD")

    later = message("p2", 26000, "USD", kind="reservation.modified", sent_at="2026-11-24T09:00:00Z")
    assert post(api, hotel, later)["status"] == "applied"
    o = order(api, hotel, made["order_id"])
    assert o["totals"]["total"] == 24000 and o["charges"] == []
    assert (o["partner"]["price"], o["partner"]["price_currency"]) == (26000, "USD")
    statement = api.call("GET", f"/v1/channels/{CONN}/statements/2026-11", auth=hotel["secret_key"])
    assert statement.status_code == 200, statement.body
    [line] = statement.data["lines"]
    assert (line["total"], line["price"], line["price_currency"]) == (24000, 26000, "USD")
