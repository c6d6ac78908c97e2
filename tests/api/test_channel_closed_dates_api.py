"""Channel managers and the dates the business marked closed (`opening_hours.closed_dates`):
closing a date sends the partners it sold through a stop sell on it (available 0, closed) and
opening it again lifts it, and every later update says the same of it; a reservation a
channel sold on a closed date anyway is taken (the guest is coming) as an overbooking
conflict, reason `business_closed`, for staff to move into a room (the desk may book a closed
date) or relocate; a modification onto one is the same, one that keeps the nights it held is
applied. A hotel in Berlin, clock at 2026-11-24."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from tests.api.support import deliver_events_times, forbid_server_errors, tenant_data
from tests.api.test_channel_inbound_api import message, post
from tests.api.test_channel_outbound_api import book, posted, run_updates, selling_hotel
from tests.builders import room_type, stay_offering
from tests.channel_inbound_support import channel_manager

SHUT = "2026-12-31"


def close(api, tenant: dict[str, Any], *days: str) -> None:
    body = {"opening_hours": {"closed_dates": list(days)}}
    r = api.call("PATCH", "/v1/tenant", auth=tenant["secret_key"], body=body)
    assert r.status_code == 200, r.body


def last_update(api) -> dict[str, Any]:
    """Run the queued channel-update work to its POSTs; the last update's one item's nights."""
    while run_updates(api):
        pass
    item = json.loads(posted(api)[-1].body)["items"][0]
    return {a["date"]: a for a in item["availability"]}


@pytest.fixture
def selling(api) -> dict[str, Any]:
    return selling_hotel(api, "harbour-shut")


def test_closing_a_date_stops_its_sale_and_opening_it_lifts_the_stop(api, selling):
    close(api, selling, SHUT)
    [told] = api.container.bus.take("reservoir-channel-updates")
    assert (told["kind"], told["first"], told["last"]) == ("closed_dates", SHUT, SHUT)
    api.container.bus.send("reservoir-channel-updates", told)
    nights = last_update(api)
    assert list(nights) == [SHUT]
    assert nights[SHUT] == {"date": SHUT, "available": 0, "capacity": 5, "closed": True}

    book(api, selling, check_in="2026-12-30", nights=2)  # the desk books over it
    api.container.clock.advance(60)
    deliver_events_times(api, 1)
    nights = last_update(api)
    assert nights["2026-12-30"] == {
        "date": "2026-12-30",
        "available": 4,
        "capacity": 5,
        "closed": False,
    }
    assert nights[SHUT]["available"] == 0 and nights[SHUT]["closed"] is True

    api.container.clock.advance(60)
    close(api, selling)  # opened again
    nights = last_update(api)
    assert list(nights) == [SHUT]
    assert nights[SHUT] == {"date": SHUT, "available": 4, "capacity": 5, "closed": False}


def test_a_change_of_other_settings_or_of_past_dates_sends_nothing(api, selling):
    r = api.call("PATCH", "/v1/tenant", auth=selling["secret_key"], body={"hold_minutes": 20})
    assert r.status_code == 200, r.body
    close(api, selling, "2026-11-01")  # only a past date: nothing a partner still sells
    run_updates(api)
    assert api.container.bus.take("reservoir-channel-updates") == []
    assert posted(api) == []


@pytest.fixture
def hotel(api) -> dict[str, Any]:
    """A hotel of one double room, room 101, that a channel manager sells (inbound)."""
    forbid_server_errors(api)
    tenant = api.signup("lakeside-shut")
    data = tenant_data(api, tenant)
    data.catalog.put_resource(replace(room_type(rooms=1), rooms=("101",)), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    connection = channel_manager("chn_bdc", api.container.clock())
    data.connections.put(connection, expected_version=None, secret="whsec_api_test")
    return tenant


def open_conflicts(api, hotel) -> list[tuple[str, bool]]:
    listed = api.call("GET", "/v1/overbookings", auth=hotel["secret_key"])
    assert listed.status_code == 200, listed.body
    return [(o["id"], o["overbooked"]) for o in listed.data["data"]]


def test_a_stay_sold_on_a_closed_date_is_taken_as_a_conflict_for_the_staff(api, hotel):
    close(api, hotel, "2026-12-25")  # the 2nd night of the stay of 24 to 26 Dec
    r = post(api, hotel, message("e1"))
    assert r.status_code == 200, r.body
    assert (r.data["status"], r.data["reason"]) == ("conflict", "business_closed")
    order_id = r.data["order_id"]
    assert open_conflicts(api, hotel) == [(order_id, True)]
    order = api.call("GET", f"/v1/orders/{order_id}", auth=hotel["secret_key"]).data
    assert order["status"] == "confirmed" and order["channel"] == "partner"
    assert api.container.tenant_data.data[hotel["tenant_id"]].orders.buckets == {}
    again = post(api, hotel, message("e2"))  # the same reservation sent again
    assert (again.data["status"], again.data["order_id"]) == ("duplicate", order_id)
    # Staff take the guest in after all: the desk may book a closed date.
    resolve = f"/v1/overbookings/{order_id}/resolve"
    moved = api.call("POST", resolve, auth=hotel["secret_key"], body={"action": "move"})
    assert moved.status_code == 200, moved.body
    assert moved.data["overbooked"] is False and open_conflicts(api, hotel) == []


def test_a_change_onto_a_closed_date_is_a_conflict_and_one_on_held_nights_applies(api, hotel):
    r = post(api, hotel, message("e1"))
    assert (r.data["status"], r.data["reason"]) == ("applied", None)
    order_id = r.data["order_id"]
    close(api, hotel, "2026-12-25", "2026-12-27")  # a night it holds, and one it does not
    renamed = message("e2", "reservation.modified", guest={"name": "Ana L.", "email": "a@x.com"})
    applied = post(api, hotel, renamed)
    assert (applied.data["status"], applied.data["reason"]) == ("applied", None)
    assert open_conflicts(api, hotel) == []
    longer = message("e3", "reservation.modified", departure="2026-12-28")
    r = post(api, hotel, longer)
    assert (r.data["status"], r.data["reason"]) == ("conflict", "business_closed")
    assert open_conflicts(api, hotel) == [(order_id, True)]
    back = post(api, hotel, message("e4", "reservation.modified"))  # the nights it had
    assert (back.data["status"], back.data["reason"]) == ("conflict", "business_closed")
    close(api, hotel)  # opened: the partner's next change takes its room
    r = post(api, hotel, message("e5", "reservation.modified", departure="2026-12-27"))
    assert (r.data["status"], r.data["reason"]) == ("applied", None)
    assert open_conflicts(api, hotel) == []


def test_a_watcher_that_fails_never_fails_the_change_of_closed_dates(api, selling):
    told: list[tuple[str, list[str]]] = []

    def broken(tenant_id: str, dates: list) -> None:
        told.append((tenant_id, [d.isoformat() for d in dates]))
        raise RuntimeError("queue down")

    api.container.closed_dates_watcher = broken
    close(api, selling, SHUT)
    assert told == [(selling["tenant_id"], [SHUT])]
    r = api.call("GET", "/v1/tenant", auth=selling["secret_key"])
    assert r.data["opening_hours"]["closed_dates"] == [SHUT]
