"""The bulk consumer group (pipeline/groups.py): an import's rows (`CustomerImported`) go to their
own queue, `reservoir-bulk-events`, and never to the bookkeeping queue that every business's
bookings go to; a booking's events never go to the bulk queue. Its dispatcher
(`dispatch_bulk_events`) makes the customers' records and queues their webhook deliveries. A row
relayed to the bookkeeping queue before the upgrade is still handled there, and once: relayed
again to the bulk queue, it changes nothing more (docs/DEPLOY.md)."""

from __future__ import annotations

import pytest

from chalicelib.kernel.domain.customer_ids import customer_id_for
from chalicelib.pipeline.groups import GROUPS
from chalicelib.queues import BULK_EVENTS, EVENTS, WEBHOOK_DELIVERIES
from tests.api.support import forbid_server_errors
from tests.api.test_imports_api import customers_body, start, work
from tests.api.test_notifications_api import invoke
from tests.api.test_webhooks_api import register
from tests.builders import room_type, stay_offering

ANNA = customer_id_for("anna.schmidt@example.de", None)
ROWS = 4  # the salon's file: 4 customers taken, 5 rows refused (test_imports_api.py)


@pytest.fixture
def salon(api):
    forbid_server_errors(api)
    tenant = api.signup("bulkgroup")
    tenant["data"] = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    tenant["data"].catalog.put_resource(room_type(rooms=2), expected_rev=None)
    tenant["data"].catalog.put_offering(stay_offering(), expected_rev=None)
    register(api, tenant)  # every event: the import's rows too
    relayed(api)  # the sign-up's and the catalog's: not this test's
    return tenant


def relayed(api) -> dict[str, list[dict]]:
    """What the relay put on each group's queue since the last look."""
    bookkeeping = api.container.relayed_events()  # the relay over the stream; EVENTS' queue
    return {
        group.queue.name: bookkeeping
        if group.queue is EVENTS
        else api.container.bus.take(group.queue.name)
        for group in GROUPS
    }


def names(bodies: list[dict]) -> list[str]:
    return [b["event"]["name"] for b in bodies]


def book(api, salon) -> str:
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 2}],
    }
    r = api.call("POST", "/v1/orders", auth=salon["secret_key"], body=body)
    assert r.status_code == 201, r.body
    order_id = r.data["id"]
    r = api.call("POST", f"/v1/orders/{order_id}/confirm", auth=salon["secret_key"])
    assert r.status_code == 200, r.body
    return str(order_id)


def deliveries(api, salon) -> list[str]:
    store = api.container.tenant_data.data[salon["tenant_id"]].webhooks
    return sorted(d.event_name for d in store.deliveries.values())


def test_an_imports_rows_go_to_the_bulk_queue_alone_and_a_bookings_events_never(api, salon):
    r = start(api, salon, customers_body())
    assert r.status_code == 202, r.body
    work(api)
    book(api, salon)
    sent = relayed(api)
    assert names(sent[BULK_EVENTS.name]) == ["CustomerImported"] * ROWS
    assert names(sent[EVENTS.name]) == ["OrderHeld", "OrderConfirmed"]
    others = [names(bodies) for queue, bodies in sent.items() if queue != BULK_EVENTS.name]
    assert all("CustomerImported" not in queued for queued in others)
    assert all(b["group"] == "bulk" for b in sent[BULK_EVENTS.name])

    # The bulk group's dispatcher: the customers' records and their webhook deliveries.
    result = invoke(api, "dispatch_bulk_events", BULK_EVENTS.name, sent[BULK_EVENTS.name])
    assert result == {"batchItemFailures": []}
    assert salon["data"].customers.get(ANNA) is not None
    assert deliveries(api, salon) == ["CustomerImported"] * ROWS
    assert len(api.container.bus.take(WEBHOOK_DELIVERIES.name)) == ROWS
    # The bookkeeping group's, on the booking's: nothing of the import's done again.
    result = invoke(api, "dispatch_events", EVENTS.name, sent[EVENTS.name])
    assert result == {"batchItemFailures": []}
    assert deliveries(api, salon) == sorted(
        ["CustomerImported"] * ROWS + ["OrderConfirmed", "OrderHeld"]
    )


def test_a_row_on_the_bookkeeping_queue_from_before_the_upgrade_is_handled_there_once(api, salon):
    r = start(api, salon, customers_body())
    assert r.status_code == 202, r.body
    work(api)
    rows = relayed(api)[BULK_EVENTS.name]
    # As the relay sent them before the bulk group: to the bookkeeping queue, for its group.
    before = [{**body, "group": "event"} for body in rows]
    result = invoke(api, "dispatch_events", EVENTS.name, before)
    assert result == {"batchItemFailures": []}
    anna = salon["data"].customers.get(ANNA)
    assert anna is not None and anna.profile.name == "Anna Schmidt"
    assert deliveries(api, salon) == ["CustomerImported"] * ROWS
    api.container.bus.take(WEBHOOK_DELIVERIES.name)
    # The bookkeeping dispatcher did them itself: it sent none on to the bulk queue.
    assert api.container.bus.take(BULK_EVENTS.name) == []

    # The same rows relayed again after the upgrade (a stream batch retried across the deploy)
    # reach the bulk group under its own claim: nothing is made or delivered a second time.
    result = invoke(api, "dispatch_bulk_events", BULK_EVENTS.name, rows)
    assert result == {"batchItemFailures": []}
    assert salon["data"].customers.get(ANNA) == anna
    assert deliveries(api, salon) == ["CustomerImported"] * ROWS


def test_a_row_relayed_before_the_groups_is_handled_on_the_bookkeeping_queue_alone(api, salon):
    r = start(api, salon, customers_body())
    assert r.status_code == 202, r.body
    work(api)
    rows = relayed(api)[BULK_EVENTS.name]
    # Relayed before the fan-out, a message names no group: the bookkeeping dispatcher hands
    # the other groups' work to their queues, but does a bulk event's itself.
    before = [{k: v for k, v in body.items() if k != "group"} for body in rows]
    result = invoke(api, "dispatch_events", EVENTS.name, before)
    assert result == {"batchItemFailures": []}
    assert salon["data"].customers.get(ANNA) is not None
    assert all(api.container.bus.take(group.queue.name) == [] for group in GROUPS)
    assert deliveries(api, salon) == ["CustomerImported"] * ROWS
