"""Channel managers' webhooks and overbooking conflicts through the API: the signed message
route, the connection's log, the open conflicts and their resolution; and the reads of the
desk (day sheet, room board, a room given, the figures) over an order whose lines hold no
units."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from chalicelib.kernel.domain.tenant import TenantStatus
from chalicelib.webhooks.domain.webhooks import signature_header
from tests.api.support import (
    assert_error,
    deliver_events_times,
    forbid_server_errors,
    invite,
    tenant_data,
)
from tests.builders import room_type, stay_offering
from tests.channel_inbound_support import channel_manager

SECRET = "whsec_api_test"
CONN = "chn_bdc"


@pytest.fixture
def hotel(api):
    forbid_server_errors(api)
    tenant = api.signup("lakeside")
    data = tenant_data(api, tenant)
    data.catalog.put_resource(replace(room_type(rooms=1), rooms=("101",)), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    at = api.container.clock()
    connection = channel_manager(CONN, at)
    data.connections.put(connection, expected_version=None, secret=SECRET)
    return tenant


def message(event_id: str, kind: str = "reservation.created", **res: Any) -> dict[str, Any]:
    reservation: dict[str, Any] = {"id": "BDC-77"}
    if kind != "reservation.cancelled":
        reservation |= {
            "room_type": "DBL",
            "arrival": "2026-12-24",
            "departure": "2026-12-26",
            "guests": {"adults": 2},
            "guest": {"name": "Ana Lima", "email": "ana@example.com"},
            "price": {"amount": 26000, "currency": "EUR"},
            **res,
        }
    return {
        "event_id": event_id,
        "type": kind,
        "sent_at": "2026-11-24T08:59:00Z",
        "reservation": reservation,
    }


def post(api, hotel, doc: dict[str, Any], *, secret: str = SECRET, tenant: str = "", conn=CONN):
    raw = json.dumps(doc).encode()
    stamp = int(api.container.clock.moment.timestamp())
    return api.call(
        "POST",
        f"/v1/channel-events/{tenant or hotel['tenant_id']}/{conn}",
        raw=raw,
        headers={"Reservoir-Signature": signature_header([secret], stamp, raw)},
    )


def book_last_room(api, hotel) -> str:
    body = {
        "customer": {"name": "Bo", "email": "bo@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 2}],
    }
    r = api.call("POST", "/v1/orders", auth=hotel["secret_key"], body=body)
    assert r.status_code == 201, r.body
    return r.data["id"]


def test_a_signed_creation_books_the_order_and_a_repeat_is_a_duplicate(api, hotel):
    r = post(api, hotel, message("e1"))
    assert r.status_code == 200, r.body
    assert r.data["status"] == "applied" and r.data["reason"] is None
    order = api.call("GET", f"/v1/orders/{r.data['order_id']}", auth=hotel["secret_key"])
    assert order.data["status"] == "confirmed" and order.data["channel"] == "partner"
    again = post(api, hotel, message("e1"))
    assert (again.status_code, again.data["status"]) == (200, "duplicate")
    assert again.data["order_id"] == r.data["order_id"]
    log = api.call("GET", f"/v1/channels/{CONN}/inbound", auth=hotel["secret_key"])
    assert log.status_code == 200
    assert [(e["event_id"], e["status"], e["external_id"]) for e in log.data["data"]] == [
        ("e1", "applied", "BDC-77")
    ]


def test_a_bad_signature_is_401_and_nothing_is_written(api, hotel):
    r = post(api, hotel, message("e1"), secret="whsec_wrong")
    assert_error(r, 401, "invalid_channel_signature")
    unsigned = api.call(
        "POST", f"/v1/channel-events/{hotel['tenant_id']}/{CONN}", raw=json.dumps(message("e1"))
    )
    assert_error(unsigned, 401, "invalid_channel_signature")
    log = api.call("GET", f"/v1/channels/{CONN}/inbound", auth=hotel["secret_key"])
    assert log.data["data"] == []
    orders = api.call("GET", "/v1/orders?date=2026-12-24", auth=hotel["secret_key"])
    assert orders.status_code == 200 and orders.data["data"] == []


def test_unknown_tenant_or_connection_is_404_and_a_bad_message_422(api, hotel):
    # An unknown business is answered as an unknown connection: no oracle of which exist.
    assert_error(post(api, hotel, message("e1"), tenant="t_nobody"), 404, "connection_not_found")
    assert_error(post(api, hotel, message("e1"), conn="chn_nobody"), 404, "connection_not_found")
    # Nor which are suspended: a reviewer's 409 `tenant_not_ready` told them apart, unsigned.
    platform = api.container.platform
    real = platform.get_tenant(hotel["tenant_id"])
    platform.tenants[real.id] = replace(real, status=TenantStatus.SUSPENDED)
    asleep = post(api, hotel, message("e1"), conn="chn_guess")
    assert_error(asleep, 404, "connection_not_found")
    platform.tenants[real.id] = real
    bad = post(api, hotel, {**message("e1"), "type": "reservation.exploded"})
    assert_error(bad, 422, "invalid_channel_event")


def test_a_sent_at_in_our_future_is_422_and_locks_nothing_out(api, hotel):
    """A creation sent "in 2099" was applied and made every later modification superseded."""
    future = post(api, hotel, {**message("e1"), "sent_at": "2099-01-01T00:00:00Z"})
    error = assert_error(future, 422, "invalid_channel_event")
    assert error["details"]["field"] == "sent_at"
    created = post(api, hotel, message("e2"))
    assert created.data["status"] == "applied", created.body
    moved = {**message("e3", "reservation.modified", departure="2026-12-27")}
    moved["sent_at"] = "2026-11-24T08:59:30Z"
    assert post(api, hotel, moved).data["status"] == "applied"


def test_the_last_room_sold_twice_is_a_conflict_listed_for_staff_and_moved_when_free(api, hotel):
    widget = book_last_room(api, hotel)
    r = post(api, hotel, message("e1"))
    assert (r.data["status"], r.data["reason"]) == ("conflict", "no_free_unit")
    conflict = r.data["order_id"]
    listed = api.call("GET", "/v1/overbookings", auth=hotel["secret_key"])
    assert listed.status_code == 200
    assert [(o["id"], o["status"]) for o in listed.data["data"]] == [(conflict, "confirmed")]
    (shown,) = listed.data["data"]
    assert shown["overbooked"] is True and shown["partner"]["reference"] == "BDC-77"
    resolve = f"/v1/overbookings/{conflict}/resolve"
    full = api.call("POST", resolve, auth=hotel["secret_key"], body={"action": "move"})
    assert_error(full, 409, "no_free_unit")
    gone = api.call("POST", f"/v1/orders/{widget}/cancel", auth=hotel["secret_key"])
    assert gone.status_code == 200, gone.body
    moved = api.call(
        "POST",
        resolve,
        auth=hotel["secret_key"],
        body={"action": "move", "resource_id": "res_double"},
    )
    assert moved.status_code == 200, moved.body
    assert moved.data["id"] == conflict and moved.data["status"] == "confirmed"
    assert moved.data["overbooked"] is False
    assert api.call("GET", "/v1/overbookings", auth=hotel["secret_key"]).data["data"] == []
    assert_error(
        api.call("POST", resolve, auth=hotel["secret_key"], body={"action": "move"}),
        409,
        "not_overbooked",
    )


def test_a_relocated_guest_is_cancelled_and_a_viewer_may_look_but_not_resolve(api, hotel):
    book_last_room(api, hotel)
    conflict = post(api, hotel, message("e1")).data["order_id"]
    _, viewer = invite(api, hotel, "viewer")
    resolve = f"/v1/overbookings/{conflict}/resolve"
    assert api.call("GET", "/v1/overbookings", auth=viewer).status_code == 200
    assert api.call("GET", f"/v1/channels/{CONN}/inbound", auth=viewer).status_code == 200
    assert_error(api.call("POST", resolve, auth=viewer, body={"action": "relocate"}), 403)
    bad = api.call(
        "POST", resolve, auth=hotel["secret_key"], body={"action": "relocate", "resource_id": "x"}
    )
    assert bad.status_code == 422
    r = api.call(
        "POST", resolve, auth=hotel["secret_key"], body={"action": "relocate", "note": "Hotel B"}
    )
    assert r.status_code == 200, r.body
    assert r.data["status"] == "cancelled"
    assert_error(
        api.call(
            "POST",
            "/v1/overbookings/ord_nobody/resolve",
            auth=hotel["secret_key"],
            body={"action": "move"},
        ),
        404,
        "order_not_found",
    )


def test_the_desk_reads_an_order_holding_no_units_without_failing(api, hotel):
    book_last_room(api, hotel)
    conflict = post(api, hotel, message("e1")).data["order_id"]
    key = hotel["secret_key"]
    day = api.call("GET", "/v1/resources/res_double/day?date=2026-12-24", auth=key)
    assert day.status_code == 200, day.body
    (arrival,) = [a for a in day.data["arrivals"] if a["order_id"] == conflict]
    assert (arrival["units"], arrival["nights"], arrival["status"]) == (0, 2, "confirmed")
    board = api.call("GET", "/v1/resources/res_double/rooms?date=2026-12-24&nights=1", auth=key)
    assert board.status_code == 200, board.body
    assert conflict in [u["order_id"] for u in board.data["unassigned"]]
    # A room cannot be given to a stay that holds no night: it is resolved (moved) instead;
    # nor can the guest be checked in or marked a no-show, or the conflict could never close.
    room = api.call("POST", f"/v1/orders/{conflict}/room", auth=key, body={"room": "101"})
    assert_error(room, 409, "overbooking_unresolved")
    r = api.call("POST", f"/v1/orders/{conflict}/check-in", auth=key, body={"early": True})
    assert_error(r, 409, "overbooking_unresolved")
    assert api.call("GET", f"/v1/orders/{conflict}", auth=key).data["status"] == "confirmed"
    # The figures: the conflict counted as a booking of the partner's channel, with no units.
    deliver_events_times(api, 1)
    r = api.call(
        "GET",
        "/v1/reports/figures?basis=service&from=2026-12-24&to=2026-12-25&group=month&by=channel",
        auth=key,
    )
    assert r.status_code == 200, r.body
    (row,) = r.data["rows"]
    assert row["key"] == "partner" and row["figures"]["bookings"] == 1
    assert (row["figures"]["units_sold"], row["figures"]["nights_sold"]) == (0, 0)


def test_a_move_frees_the_old_nights_and_a_cancellation_before_its_creation_books_nothing(
    api, hotel
):
    booked = post(api, hotel, message("e1")).data["order_id"]
    moved_doc = message("e2", "reservation.modified", arrival="2026-12-27", departure="2026-12-28")
    moved_doc["sent_at"] = "2026-11-24T08:59:30Z"
    moved = post(api, hotel, moved_doc)
    assert (moved.data["status"], moved.data["order_id"]) == ("applied", booked)
    buckets = tenant_data(api, hotel).orders.buckets
    assert {k: n for (_, k), n in buckets.items() if n} == {"N#2026-12-27": 1}
    # Another reservation: cancelled before its creation arrives.
    early = {**message("e3", "reservation.cancelled"), "reservation": {"id": "BDC-78"}}
    r = post(api, hotel, early)
    assert (r.data["status"], r.data["reason"]) == ("parked", "cancelled_before_creation")
    late = message("e4")
    late["reservation"]["id"] = "BDC-78"
    r = post(api, hotel, late)
    assert (r.data["status"], r.data["reason"], r.data["order_id"]) == (
        "rejected",
        "cancelled_before_creation",
        None,
    )
    assert {k: n for (_, k), n in buckets.items() if n} == {"N#2026-12-27": 1}
