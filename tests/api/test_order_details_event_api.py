"""A channel manager's modification that changes the guest's details records
`OrderDetailsChanged` (booking/services/order_details.py), through the routes: the event
workers write its audit entry (`order.details_changed`, naming the parts that changed and
nobody's details), a webhook endpoint subscribed to it receives it, and a message that
changes nothing records none."""

from __future__ import annotations

import json

from tests.api.test_channel_inbound_api import hotel, message, post
from tests.api.test_notifications_api import deliver_events
from tests.api.test_webhooks_api import run_worker

__all__ = ["hotel"]  # the fixture, shared with the inbound webhook's own tests


def test_a_changed_guest_is_in_the_audit_log_and_its_webhook_naming_the_parts(api, hotel):
    sk = hotel["secret_key"]
    endpoint = api.call(
        "POST",
        "/v1/webhooks/endpoints",
        auth=sk,
        body={"url": "https://hooks.example.com/r", "event_types": ["OrderDetailsChanged"]},
    )
    assert endpoint.status_code == 201, endpoint.body
    made = post(api, hotel, {**message("d1"), "sent_at": "2026-11-24T08:50:00Z"}).data
    assert made["status"] == "applied", made
    api.container.clock.advance(60)
    guest = {"name": "Ana Lima", "email": "ana.new@example.com", "phone": "+351912345678"}
    changed = {
        **message("d2", "reservation.modified", guest=guest),
        "sent_at": "2026-11-24T08:55:00Z",
    }
    assert post(api, hotel, changed).data["status"] == "applied"
    api.container.clock.advance(60)
    again = post(api, hotel, {**changed, "event_id": "d3"})  # the same again: no change
    assert again.data["status"] == "applied"

    assert deliver_events(api) == {"batchItemFailures": []}
    assert run_worker(api) == {"batchItemFailures": []}

    shown = api.call("GET", "/v1/audit?month=2026-11", auth=sk).data["data"]
    mine = [e for e in shown if e["target"] == f"order:{made['order_id']}"]
    assert [e["action"] for e in mine] == [
        "order.details_changed",
        "order.charge_added",  # the partner's price (its Channel rate line)
        "order.confirmed",
        "order.held",
    ]
    entry = mine[0]
    assert entry["details"]["changed"] == ["email", "phone", "note"]
    assert entry["details"]["status"] == "confirmed"
    details = json.dumps(entry["details"]).lower()
    assert "ana" not in details and "351" not in details  # the parts, not the guest's details

    (delivery,) = api.container.webhook_sender.posted
    body = json.loads(delivery.body)
    assert body["type"] == "OrderDetailsChanged"
    assert body["data"]["order_id"] == made["order_id"]
    assert body["data"]["changed"] == ["email", "phone", "note"]

    order = api.call("GET", f"/v1/orders/{made['order_id']}", auth=sk).data
    assert (order["customer"]["email"], order["customer"]["phone"]) == (
        "ana.new@example.com",
        "+351912345678",
    )
