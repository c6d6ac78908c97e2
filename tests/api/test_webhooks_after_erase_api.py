"""A webhook delivery fanned out after its customer was erased carries no words (a reviewer:
an event queued before the erase, a bulk message's subject and body naming the customer, was
stored and sent afterwards whole, while the erase had scrubbed every delivery there was)."""

from __future__ import annotations

import json
import urllib.parse

from chalicelib.queues import EVENTS, MESSAGE_EVENTS
from tests.api.support import deliver_events_times, tenant_data
from tests.api.test_bulk_jobs_api import (
    shop,  # noqa: F401 - a fixture
    start,
    work,
)
from tests.api.test_notifications_api import invoke


def messaged_and_cancelled(api, tenant) -> str:
    """Ada's order, a bulk message naming her, then cancelled: its events not yet handled."""
    auth = tenant["secret_key"]
    hook = {"url": "https://hooks.example.com/x", "event_types": ["*"]}
    assert api.call("POST", "/v1/webhooks/endpoints", auth=auth, body=hook).status_code == 201
    body = {
        "customer": {"name": "Ada Lovelace", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-11-24", "nights": 1}],
    }
    oid = api.call("POST", "/v1/orders", auth=auth, body=body).data["id"]
    api.call("POST", f"/v1/orders/{oid}/confirm", auth=auth)
    deliver_events_times(api, 1)
    words = {"subject": "For Ada Lovelace", "body": "Dear Ada Lovelace, see you."}
    assert start(api, tenant, {"action": "message", "order_ids": [oid], **words}).status_code == 202
    api.container.relayed_events(MESSAGE_EVENTS.name)
    work(api)
    assert api.call("POST", f"/v1/orders/{oid}/cancel", auth=auth, body={}).status_code == 200
    return str(oid)


def test_an_event_handled_after_the_erase_is_delivered_with_its_ids_and_not_its_words(
    api,
    shop,  # noqa: F811 - the fixture
):
    oid = messaged_and_cancelled(api, shop)
    waiting = api.container.relayed_events()  # queued before the erase, handled after it
    ref = urllib.parse.quote("ada@example.com", safe="")
    confirm = {"confirm": "ada@example.com"}
    erased = api.call(
        "POST", f"/v1/customers/{ref}/erase", auth=api.owner_token(shop), body=confirm
    )
    assert erased.status_code == 200, erased.body
    invoke(api, "dispatch_events", EVENTS.name, waiting)
    deliveries = tenant_data(api, shop).webhooks.deliveries.values()
    docs = {json.loads(d.payload)["type"]: json.loads(d.payload) for d in deliveries}
    assert not [d.payload for d in deliveries if "Lovelace" in d.payload]
    messaged = docs["OrderMessaged"]["data"]
    assert messaged["order_id"] == oid and "subject" not in messaged and "body" not in messaged
    assert docs["OrderCancelled"]["data"]["order_id"] == oid


def test_an_event_handled_while_the_erase_runs_is_scrubbed_by_it(
    api,
    shop,  # noqa: F811 - the fixture
    monkeypatch,
):
    """A reviewer: an event dispatched after the erase scrubbed the deliveries, before it
    deleted the events and anonymised the order, was stored whole, for good."""
    from chalicelib.customers.services import privacy_erase

    messaged_and_cancelled(api, shop)
    waiting = api.container.relayed_events()
    scrub_jobs = privacy_erase._scrub_jobs

    def late(ctx, events, found):  # the queue's consumer runs after the deliveries' scrub
        invoke(api, "dispatch_events", EVENTS.name, waiting)
        return scrub_jobs(ctx, events, found)

    monkeypatch.setattr(privacy_erase, "_scrub_jobs", late)
    ref = urllib.parse.quote("ada@example.com", safe="")
    confirm = {"confirm": "ada@example.com"}
    erased = api.call(
        "POST", f"/v1/customers/{ref}/erase", auth=api.owner_token(shop), body=confirm
    )
    assert erased.status_code == 200, erased.body
    payloads = [d.payload for d in tenant_data(api, shop).webhooks.deliveries.values()]
    assert any('"OrderMessaged"' in p for p in payloads)
    assert not [p for p in payloads if "Lovelace" in p]


def test_an_erase_leaves_the_deliveries_envelope_whole(
    api,
    shop,  # noqa: F811 - the fixture
):
    """A reviewer's: the scrub ran over the whole stored body, so a customer named like the
    business's zone's city (Berlin, Sydney, Paris) left its deliveries' `timezone` reading
    "Europe/[erased]", which a retry then sent."""
    auth = shop["secret_key"]
    hook = {"url": "https://hooks.example.com/x", "event_types": ["*"]}
    assert api.call("POST", "/v1/webhooks/endpoints", auth=auth, body=hook).status_code == 201
    body = {
        "customer": {"name": "Berlin Lovelace", "email": "berlin@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-11-24", "nights": 1}],
    }
    oid = api.call("POST", "/v1/orders", auth=auth, body=body).data["id"]
    assert api.call("POST", f"/v1/orders/{oid}/cancel", auth=auth, body={}).status_code == 200
    deliver_events_times(api, 1)
    ref = urllib.parse.quote("berlin@example.com", safe="")
    confirm = {"confirm": "berlin@example.com"}
    erased = api.call(
        "POST", f"/v1/customers/{ref}/erase", auth=api.owner_token(shop), body=confirm
    )
    assert erased.status_code == 200, erased.body
    docs = [json.loads(d.payload) for d in tenant_data(api, shop).webhooks.deliveries.values()]
    assert docs and all(d["timezone"] == "Europe/Berlin" for d in docs), docs
    assert not [d for d in docs if "Lovelace" in json.dumps(d)]
