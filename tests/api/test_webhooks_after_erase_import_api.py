"""A customer's imported row, queued for its webhook when the customer is erased, is delivered
without their words (a reviewer: the delivery made after the erase held Anna's name, e-mail,
phone, birthday and a note about her health)."""

from __future__ import annotations

import urllib.parse

from chalicelib.queues import BULK_EVENTS
from tests.api.support import deliver_events_times, tenant_data
from tests.api.test_imports_api import customers_body, shop, start, work  # noqa: F401
from tests.api.test_notifications_api import invoke


def test_an_imported_row_handled_after_the_erase_names_nobody(api, shop):  # noqa: F811
    auth = shop["secret_key"]
    hook = {"url": "https://hooks.example.com/x", "event_types": ["*"]}
    assert api.call("POST", "/v1/webhooks/endpoints", auth=auth, body=hook).status_code == 201
    email = "anna.schmidt@example.de"
    body = {
        "customer": {"name": "Anna Schmidt", "email": email},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 1}],
    }
    oid = api.call("POST", "/v1/orders", auth=auth, body=body).data["id"]
    assert api.call("POST", f"/v1/orders/{oid}/cancel", auth=auth, body={}).status_code == 200
    deliver_events_times(api, 1)
    assert start(api, shop, customers_body()).status_code == 202
    work(api)
    api.container.relayed_events()
    waiting = api.container.bus.take(BULK_EVENTS.name)  # the rows' events, not yet handled
    assert waiting
    ref = urllib.parse.quote(email, safe="")
    erased = api.call(
        "POST", f"/v1/customers/{ref}/erase", auth=api.owner_token(shop), body={"confirm": email}
    )
    assert erased.status_code == 200, erased.body
    assert invoke(api, "dispatch_bulk_events", BULK_EVENTS.name, waiting) == {
        "batchItemFailures": []
    }
    payloads = [d.payload for d in tenant_data(api, shop).webhooks.deliveries.values()]
    assert any('"CustomerImported"' in p for p in payloads)  # the others' rows went whole
    assert not [p for p in payloads if "Schmidt" in p or "anna.schmidt" in p]
