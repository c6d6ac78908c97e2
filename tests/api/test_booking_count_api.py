"""The month's booking count (the plan allowance) is kept by a consumer of OrderHeld: off the
booking request, once per hold however often its event is delivered."""

from __future__ import annotations

import json

from tests.builders import room_type, stay_offering


def test_each_hold_counts_once_however_often_its_event_arrives(api):
    tenant = api.signup("counted")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=3), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24"}],
    }
    r = api.call("POST", "/v1/orders", auth=tenant["secret_key"], body=body)
    assert r.status_code == 201
    assert data.payments.bookings_in("2026-11") == 0  # the request itself writes no count
    messages = api.container.relayed_events()
    event = api.client.events.generate_sqs_event(
        message_bodies=[json.dumps(m) for m in messages * 3], queue_name="reservoir-events"
    )
    for i, record in enumerate(event["Records"]):
        record["messageId"] = f"m-{i}"
    assert api.client.lambda_.invoke("dispatch_events", event).payload == {"batchItemFailures": []}
    assert data.payments.bookings_in("2026-11") == 1

    other = api.signup("uncounted")
    other_data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(other["tenant_id"])
    )
    assert other_data.payments.bookings_in("2026-11") == 0
