"""The example receiver in docs/WEBHOOKS.md, run as written: a repeat is skipped, and an
order's event older than the one applied (a retried delivery arriving after a later one)
is answered 2xx and ignored, so the receiver ends with the newest state."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from typing import Any

from tests.webhook_support import DOC

SECRET = "whsec_test"


def _receiver() -> Any:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)
    namespace: dict[str, Any] = {}
    for block in blocks[:2]:  # the verifier, then the receiver that uses it
        exec(compile(block, str(DOC), "exec"), namespace)  # noqa: S102 - our own document
    return namespace["receive_reservoir_delivery"]


def _delivery(event_id: str, kind: str, status: str, version: int, **own: Any) -> tuple[bytes, str]:
    data = {"order_id": "ord_1", "status": status, "version": version, **own}
    body = json.dumps({"id": event_id, "type": kind, "data": data}).encode()
    t = str(int(time.time()))
    mac = hmac.new(SECRET.encode(), t.encode() + b"." + body, hashlib.sha256).hexdigest()
    return body, f"t={t},v1={mac}"


def test_a_late_older_event_does_not_undo_a_newer_one_and_a_repeat_is_skipped():
    receive = _receiver()
    seen: set[str] = set()
    orders: dict[str, Any] = {}
    confirmed = _delivery("evt_2", "OrderConfirmed", "confirmed", 2)
    held = _delivery("evt_1", "OrderHeld", "held", 1)
    assert receive(*confirmed, SECRET, seen, orders) == 200
    assert receive(*held, SECRET, seen, orders) == 200  # the retried first event, late
    assert orders["ord_1"]["status"] == "confirmed" and orders["ord_1"]["version"] == 2
    assert receive(*confirmed, SECRET, seen, orders) == 200
    assert seen == {"evt_1", "evt_2"}
    body, _ = confirmed
    assert receive(body, "t=1,v1=00", SECRET, seen, orders) == 400


def test_a_second_event_of_the_same_change_is_applied_not_dropped():
    """An integrator's finding: a channel booking with no free room is `OrderConfirmed` and
    `OrderOverbooked` at one version, and the receiver as written dropped the second, the one
    that says the guest has no room."""
    receive = _receiver()
    seen: set[str] = set()
    orders: dict[str, Any] = {}
    assert receive(*_delivery("evt_2", "OrderConfirmed", "confirmed", 2), SECRET, seen, orders)
    overbooked = _delivery("evt_3", "OrderOverbooked", "confirmed", 2, overbooked=True)
    assert receive(*overbooked, SECRET, seen, orders) == 200
    assert orders["ord_1"].get("overbooked") is True  # applied
    assert receive(*_delivery("evt_1", "OrderHeld", "held", 1), SECRET, seen, orders) == 200
    assert orders["ord_1"]["version"] == 2 and orders["ord_1"]["status"] == "confirmed"


def test_the_doc_says_deliveries_may_arrive_out_of_order_and_what_orders_them():
    text = DOC.read_text()
    assert "may also arrive out of order" in text and "`data.version` orders" in text
