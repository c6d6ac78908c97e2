"""Availability and rate updates to partners over the API: bookings through the real relay and
dispatcher, the updates through the very worker Lambda invokes (fakes behind)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib.channels.domain.connections import (
    ChannelMapping,
    Connection,
    ConnectionKind,
    ConnectionStatus,
    Settlement,
)
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.queues import CHANNEL_UPDATES
from tests.api.support import assert_error, deliver_events_times, forbid_server_errors, tenant_data
from tests.builders import room_type, stay_offering
from tests.webhook_support import verifier

SECRET = "whsec_partner_test_secret"
URL = "https://cm.example.com/ari"
MAPPING = ChannelMapping(
    partner_id="DBL", offering_id="off_stay", resource_id="res_double", rate_id="BAR"
)


@pytest.fixture
def hotel(api):
    return selling_hotel(api, "harbour")


def selling_hotel(api, slug: str) -> dict[str, Any]:
    """A hotel of 5 double rooms whose channel manager `chn_cm` takes updates."""
    forbid_server_errors(api)
    tenant = api.signup(slug)
    data = tenant_data(api, tenant)
    data.catalog.put_resource(room_type(rooms=5), expected_rev=None)
    data.catalog.put_offering(stay_offering(amount=9500), expected_rev=None)
    connect(api, tenant, "chn_cm")
    return tenant


def connect(api, tenant, connection_id, **changes: Any) -> Connection:
    at = api.container.now()
    fields: dict[str, Any] = {
        "id": connection_id,
        "name": "Channel manager",
        "kind": ConnectionKind.CHANNEL_MANAGER,
        "status": ConnectionStatus.ACTIVE,
        "settlement": Settlement.PARTNER,
        "outbound_url": URL,
        "events": frozenset({"availability", "rates"}),
        "created_at": at,
        "updated_at": at,
        "mappings": (MAPPING,),
        "secret_set": True,
    }
    connection = Connection(**{**fields, **changes})
    tenant_data(api, tenant).connections.put(connection, expected_version=None, secret=SECRET)
    return connection


def book(api, tenant, check_in="2026-12-24", nights=2, n=1):
    body = {
        "customer": {"name": f"Guest {n}", "email": f"guest{n}@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": check_in, "nights": nights}],
    }
    r = api.call("POST", "/v1/orders", auth=tenant["secret_key"], body=body)
    assert r.status_code == 201, r.body
    return r.data


def run_updates(api) -> list[Any]:
    """Hand the queued channel-update messages (whatever their delay) to the worker."""
    bodies = [json.dumps(b) for b in api.container.bus.take(CHANNEL_UPDATES.name)]
    if not bodies:
        return []
    event = api.client.events.generate_sqs_event(
        message_bodies=bodies, queue_name=CHANNEL_UPDATES.name
    )
    for i, record in enumerate(event["Records"]):
        record["messageId"] = f"u-{i}"
    payload = api.client.lambda_.invoke("deliver_channel_updates", event).payload
    assert payload == {"batchItemFailures": []}
    return [json.loads(b) for b in bodies]


def posted(api) -> list[Any]:
    return api.container.webhook_sender.posted


def deliveries(api, tenant, connection_id="chn_cm", auth=None):
    r = api.call(
        "GET", f"/v1/channels/{connection_id}/deliveries", auth=auth or tenant["secret_key"]
    )
    assert r.status_code == 200, r.body
    return r.data["data"]


def test_a_burst_of_bookings_is_one_signed_update_with_what_is_left(api, hotel):
    for n in range(3):
        book(api, hotel, n=n)
    deliver_events_times(api, 1)
    [window] = run_updates(api)
    assert window["kind"] == "window"
    [post] = posted(api)
    now = api.container.clock.moment.timestamp()
    assert verifier(now=now)(post.body, post.headers["Reservoir-Signature"], SECRET)
    assert post.url == URL and post.headers["Reservoir-Update-Id"].startswith("upd_")
    update = json.loads(post.body)
    assert (update["type"], update["reason"], update["currency"]) == (
        "availability.updated",
        "changes",
        "EUR",
    )
    assert (update["from"], update["to"]) == ("2026-12-24", "2026-12-25")
    [item] = update["items"]
    assert (item["partner_id"], item["rate_id"]) == ("DBL", "BAR")
    assert [(a["date"], a["available"]) for a in item["availability"]] == [
        ("2026-12-24", 2),
        ("2026-12-25", 2),
    ]
    assert item["rates"] == [
        {"date": "2026-12-24", "amount": 9500},
        {"date": "2026-12-25", "amount": 9500},
    ]
    [logged] = deliveries(api, hotel)
    assert logged["status"] == "delivered" and logged["attempts"] == 1
    assert (logged["from"], logged["to"], logged["resources"]) == (
        "2026-12-24",
        "2026-12-25",
        ["res_double"],
    )


def test_the_same_window_message_twice_posts_once(api, hotel):
    book(api, hotel)
    deliver_events_times(api, 2)  # the event delivered twice: one window, one message
    [window] = api.container.bus.take(CHANNEL_UPDATES.name)
    api.container.bus.send(CHANNEL_UPDATES.name, window)
    api.container.bus.send(CHANNEL_UPDATES.name, window)
    run_updates(api)
    assert len(posted(api)) == 1
    assert len(deliveries(api, hotel)) == 1


def test_a_failed_update_is_retried_later_with_the_state_as_it_is_then(api, hotel):
    api.container.webhook_sender.script = [503]
    book(api, hotel)
    deliver_events_times(api, 1)
    run_updates(api)
    [failed] = deliveries(api, hotel)
    assert (failed["status"], failed["attempts"], failed["last_status_code"]) == ("failed", 1, 503)
    assert api.container.bus.delays[CHANNEL_UPDATES.name][-1] == 60  # the webhooks' first wait
    book(api, hotel, n=2)  # meanwhile another room goes
    api.container.relayed_events()  # (its own window: not delivered in this test)
    retry = [m for m in api.container.bus.take(CHANNEL_UPDATES.name) if m["kind"] == "attempt"]
    api.container.clock.advance(61)
    for message in retry:
        api.container.bus.send(CHANNEL_UPDATES.name, message)
    run_updates(api)
    first, second = posted(api)
    assert first.body != second.body
    assert json.loads(second.body)["items"][0]["availability"][0]["available"] == 3
    [delivered] = deliveries(api, hotel)
    assert (delivered["status"], delivered["attempts"]) == ("delivered", 2)


def test_a_sync_sends_every_mapped_resource_over_the_horizon(api, hotel):
    r = api.call("POST", "/v1/channels/chn_cm/sync", auth=hotel["secret_key"])
    assert r.status_code == 202, r.body
    assert (r.data["status"], r.data["reason"], r.data["resources"]) == (
        "pending",
        "sync",
        ["res_double"],
    )
    run_updates(api)
    [post] = posted(api)
    update = json.loads(post.body)
    assert update["reason"] == "sync" and update["from"] == "2026-11-24"
    nights = update["items"][0]["availability"]
    assert len(nights) == 366 and nights[0] == {
        "date": "2026-11-24",
        "available": 5,
        "capacity": 5,
        "closed": False,
    }
    assert deliveries(api, hotel)[0]["status"] == "delivered"


def test_a_price_change_reaches_the_partner(api, hotel):
    offering = api.call("GET", "/v1/offerings/off_stay", auth=hotel["secret_key"]).data
    body = {k: offering[k] for k in ("name", "kind", "requirements", "pricing")}
    body["pricing"] = {**body["pricing"], "amount": 11000}
    r = api.call(
        "PUT",
        "/v1/offerings/off_stay",
        auth=hotel["secret_key"],
        body=body,
        headers={"If-Match": "*"},
    )
    assert r.status_code == 200, r.body
    [catalog] = run_updates(api)
    assert catalog["kind"] == "catalog" and catalog["offering_ids"] == ["off_stay"]
    run_updates(api)  # the window the catalog change opened
    [post] = posted(api)
    rates = json.loads(post.body)["items"][0]["rates"]
    assert rates[0] == {"date": "2026-11-24", "amount": 11000} and len(rates) == 366


def test_a_connection_that_takes_no_updates_is_told_so(api, hotel):
    connect(api, hotel, "chn_agent", outbound_url=None)
    r = api.call("POST", "/v1/channels/chn_agent/sync", auth=hotel["secret_key"])
    assert_error(r, 422, "connection_takes_no_updates")
    connect(api, hotel, "chn_off", status=ConnectionStatus.DISABLED)
    assert_error(
        api.call("POST", "/v1/channels/chn_off/sync", auth=hotel["secret_key"]),
        403,
        "connection_disabled",
    )
    assert_error(
        api.call("GET", "/v1/channels/chn_nope/deliveries", auth=hotel["secret_key"]),
        404,
        "connection_not_found",
    )
    book(api, hotel)
    deliver_events_times(api, 1)
    run_updates(api)
    assert [p.url for p in posted(api)] == [URL]  # the agent and the disabled one get nothing


def test_staff_read_the_log_and_only_managers_sync(api, hotel):
    staff = api.staff_token(hotel, "staff")
    assert deliveries(api, hotel, auth=staff) == []
    assert api.call("POST", "/v1/channels/chn_cm/sync", auth=staff).status_code == 403
    manager = api.staff_token(hotel, "manager")
    assert api.call("POST", "/v1/channels/chn_cm/sync", auth=manager).status_code == 202


def window_marks(api, tenant, connection_id="chn_cm") -> tuple[set[str], set[str]]:
    """What the connection's windows hold now (resources, dates), all windows together."""
    store = tenant_data(api, tenant).channel_outbound
    resources: set[str] = set()
    days: set[str] = set()
    for (connection, _), item in store.windows.items():
        if connection == connection_id:
            resources |= item["res"]
            days |= item["days"]
    return resources, days


def next_window(api) -> None:
    """What just changed, its events handled in the next window and its update sent."""
    api.container.clock.advance(30)
    deliver_events_times(api, 1)
    run_updates(api)


def test_a_cancellation_gives_the_partner_its_rooms_back(api, hotel):
    order = book(api, hotel)
    deliver_events_times(api, 1)
    run_updates(api)
    r = api.call("POST", f"/v1/orders/{order['id']}/cancel", auth=hotel["secret_key"], body={})
    assert r.status_code == 200, r.body
    next_window(api)
    before, after = (json.loads(p.body)["items"][0]["availability"] for p in posted(api))
    assert [a["available"] for a in before] == [4, 4]
    assert [a["available"] for a in after] == [5, 5]


def test_a_block_takes_rooms_off_the_partner_and_its_release_gives_them_back(api, hotel):
    body = {
        "name": "Müller wedding",
        "resource_id": "res_double",
        "offering_id": "off_stay",
        "from": "2026-12-24",
        "nights": 2,
        "rooms": 3,
        "release_on": "2026-12-20",
    }
    r = api.call("POST", "/v1/blocks", auth=hotel["secret_key"], body=body)
    assert r.status_code == 201, r.body
    block_id = r.data["id"]
    deliver_events_times(api, 1)
    run_updates(api)
    r = api.call("POST", f"/v1/blocks/{block_id}/release", auth=hotel["secret_key"], body={})
    assert r.status_code == 200, r.body
    next_window(api)
    held, released = (json.loads(p.body)["items"][0] for p in posted(api))
    assert [(a["date"], a["available"]) for a in held["availability"]] == [
        ("2026-12-24", 2),
        ("2026-12-25", 2),
    ]
    assert [a["available"] for a in released["availability"]] == [5, 5]
    # The events say which rooms and nights, never the group's name (often a person's).
    stored = [
        e
        for e in tenant_data(api, hotel).orders.events
        if e.name in ("RoomBlockCreated", "RoomBlockReleased")
    ]
    assert [(e.name, e.data["block_id"]) for e in stored] == [
        ("RoomBlockCreated", block_id),
        ("RoomBlockReleased", block_id),
    ]
    assert stored[1].data["returned"] == 6
    assert all("Müller" not in json.dumps(e.data) for e in stored)


def test_a_reschedule_marks_the_old_dates_and_the_new(api, hotel):
    order = book(api, hotel, check_in="2026-12-24", nights=2)
    deliver_events_times(api, 1)
    run_updates(api)
    body = {"lines": [{"offering_id": "off_stay", "check_in": "2026-12-28", "nights": 1}]}
    r = api.call(
        "POST",
        f"/v1/orders/{order['id']}/reschedule",
        auth=hotel["secret_key"],
        body=body,
        headers={"If-Match": "*"},
    )
    assert r.status_code == 200, r.body
    api.container.clock.advance(30)
    deliver_events_times(api, 1)
    [window] = api.container.bus.take(CHANNEL_UPDATES.name)
    resources, days = window_marks(api, hotel)
    # The event names the old start only: from it, as many nights as a stay can have.
    assert resources == {"res_double"} and "2026-12-24" in days and max(days) >= "2026-12-28"
    api.container.bus.send(CHANNEL_UPDATES.name, window)
    run_updates(api)
    nights = json.loads(posted(api)[-1].body)["items"][0]["availability"]
    free = {a["date"]: a["available"] for a in nights}
    assert (free["2026-12-24"], free["2026-12-25"], free["2026-12-28"]) == (5, 5, 4)


def test_a_confirmation_moves_no_units_and_sends_nothing(api, hotel):
    order = book(api, hotel)
    deliver_events_times(api, 1)
    run_updates(api)
    r = api.call("POST", f"/v1/orders/{order['id']}/confirm", auth=hotel["secret_key"], body={})
    assert r.status_code == 200, r.body
    api.container.clock.advance(30)
    deliver_events_times(api, 1)
    assert api.container.bus.take(CHANNEL_UPDATES.name) == []
    assert len(posted(api)) == 1


def test_a_closed_date_reaches_the_partner(api, hotel):
    r = api.call(
        "PUT",
        "/v1/resources/res_double/overrides/2026-12-31",
        auth=hotel["secret_key"],
        body={"closed": True},
        headers={"If-Match": "*"},
    )
    assert r.status_code == 200, r.body
    [catalog] = run_updates(api)
    assert catalog["kind"] == "catalog" and catalog["resource_ids"] == ["res_double"]
    run_updates(api)
    [post] = posted(api)
    nights = {a["date"]: a for a in json.loads(post.body)["items"][0]["availability"]}
    assert nights["2026-12-31"] == {
        "date": "2026-12-31",
        "available": 0,
        "capacity": 0,
        "closed": True,
    }
    assert nights["2026-12-30"]["available"] == 5


def retry_until_done(api) -> int:
    """Hand each next attempt to the worker when it is due; the attempts handed."""
    handed = 0
    while attempts := [
        m for m in api.container.bus.take(CHANNEL_UPDATES.name) if m["kind"] == "attempt"
    ]:
        for message in attempts:
            api.container.clock.moment = parse(message["not_before"])
            api.container.bus.send(CHANNEL_UPDATES.name, message)
            handed += 1
        run_updates(api)
    return handed


def test_an_update_that_fails_for_three_days_is_dead_and_dead_lettered(api, hotel):
    api.container.webhook_sender.default = 500
    book(api, hotel)
    deliver_events_times(api, 1)
    run_updates(api)
    retries = retry_until_done(api)
    [dead] = deliveries(api, hotel)
    assert dead["status"] == "dead" and dead["attempts"] == retries + 1
    assert len(posted(api)) == dead["attempts"]
    # Waits of 1, 2, 4 ... 256 minutes (8.5 hours in all), then 6 hours each until three days
    # after the first attempt: 1 + 9 + 10 attempts, as a tenant webhook's.
    assert dead["attempts"] == 20
    [letter] = api.container.bus.take(CHANNEL_UPDATES.dlq_name)
    assert letter["delivery_id"] == dead["id"] and letter["last_status_code"] == 500


def test_an_update_is_never_sent_unsigned(api, hotel):
    connect(api, hotel, "chn_nosecret", secret_set=False)
    tenant_data(api, hotel).connections.secrets.pop("chn_nosecret")
    book(api, hotel)
    deliver_events_times(api, 1)
    run_updates(api)
    assert [p.url for p in posted(api)] == [URL]  # chn_cm's; nothing for the one with no secret
    [pending] = deliveries(api, hotel, connection_id="chn_nosecret")
    assert pending["status"] == "failed" and pending["last_error"].startswith("no secret")


def test_a_change_of_what_the_partner_holds_sends_it_a_full_update_at_once(api, hotel):
    """New mappings, an address or events changed: the partner is brought up to date without
    waiting for the next booking; a change it does not see (the name) sends nothing."""
    key = hotel["secret_key"]
    renamed = api.call("PATCH", "/v1/channels/chn_cm", auth=key, body={"name": "Lakeside CM"})
    assert renamed.status_code == 200, renamed.body
    assert deliveries(api, hotel) == []

    mapped = api.call(
        "PUT",
        "/v1/channels/chn_cm/mappings",
        auth=key,
        body={"mappings": [{"partner_id": "DOUBLE", "offering_id": "off_stay"}]},
    )
    assert mapped.status_code == 200, mapped.body
    [sync] = deliveries(api, hotel)
    assert (sync["reason"], sync["resources"]) == ("sync", ["res_double"])
    run_updates(api)
    [post] = posted(api)
    assert json.loads(post.body)["items"][0]["partner_id"] == "DOUBLE"

    moved = api.call("PATCH", "/v1/channels/chn_cm", auth=key, body={"outbound_url": URL + "/v2"})
    assert moved.status_code == 200, moved.body
    assert len(deliveries(api, hotel)) == 2


def test_no_full_update_goes_to_a_partner_without_a_secret_or_updates(api, hotel):
    connect(api, hotel, "chn_new", secret_set=False, mappings=())
    key = hotel["secret_key"]
    body = {"mappings": [{"partner_id": "DBL", "offering_id": "off_stay"}]}
    assert api.call("PUT", "/v1/channels/chn_new/mappings", auth=key, body=body).status_code == 200
    assert deliveries(api, hotel, "chn_new") == []  # never an unsigned update
    off = api.call("PATCH", "/v1/channels/chn_cm", auth=key, body={"events": []})
    assert off.status_code == 200, off.body
    assert deliveries(api, hotel) == []  # it wants none now
