"""Duplicates sent at the same moment under one Idempotency-Key, on DynamoDB Local: the hold's
and the confirmation's key is kept on the order their transaction writes (kernel/services/
idempotency_claims.py), so of eight identical holds that all reach their commit together (a
barrier makes sure) one writes the order, marked with its key, and the seven others are refused
by the order's own condition and answered with that order; likewise four confirmations. One
order, one unit taken, one event of each, and no record of the keys apart from the order."""

from __future__ import annotations

import json
import os
import threading
from typing import Any

from chalicelib.booking.adapters.unit_of_work import DynamoTransactions
from tests.integration.support import ahead, signed_up_hotel

NIGHT = ahead(31).isoformat()


def _post(live, path: str, tenant: dict[str, Any], key: str, body: dict[str, Any]) -> Any:
    headers = {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {tenant['secret_key']}",
        "Idempotency-Key": key,
    }
    response = live.client.http.post(path, headers=headers, body=json.dumps(body))
    response.data = json.loads(response.body) if response.body else None
    return response


def _together(monkeypatch, n: int, send) -> list[Any]:
    """`send()` from n threads whose first transactions are all sent at once."""
    barrier = threading.Barrier(n, timeout=20)
    first = threading.local()
    real = DynamoTransactions.write

    def write(self, items):
        if not getattr(first, "done", False):
            first.done = True
            barrier.wait()
        return real(self, items)

    answers: list[Any] = [None] * n

    def run(i: int) -> None:
        answers[i] = send()

    # chalice's test client replaces os.environ with a patched copy around each request and
    # puts back the object it found: from threads at once, one puts back another's copy, and
    # the tests after this one would run on it. So the real one is put back here.
    environ = os.environ
    with monkeypatch.context() as patch:
        patch.setattr(DynamoTransactions, "write", write)
        threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    os.environ = environ  # noqa: B003 - the object itself, as chalice swaps it
    return answers


def test_duplicates_at_once_make_one_order_and_one_confirmation(live, monkeypatch):
    tenant, c, data = signed_up_hotel(live, "idemrace", rooms=5)
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": NIGHT}],
    }

    holds = _together(monkeypatch, 8, lambda: _post(live, "/v1/orders", tenant, "h-1", body))

    assert [h.status_code for h in holds] == [201] * 8, [h.body for h in holds]
    assert len({h.data["id"] for h in holds}) == 1
    replayed = [h for h in holds if h.headers.get("Idempotent-Replayed") == "true"]
    assert len(replayed) == 7
    order_id = holds[0].data["id"]
    assert data.orders.used("res_double", f"N#{NIGHT}", f"N#{NIGHT}") == {f"N#{NIGHT}": 1}

    path = f"/v1/orders/{order_id}/confirm"
    confirms = _together(monkeypatch, 4, lambda: _post(live, path, tenant, "c-1", {}))

    assert [r.status_code for r in confirms] == [200] * 4, [r.body for r in confirms]
    assert {(r.data["status"], r.data["version"]) for r in confirms} == {("confirmed", 2)}
    events = _items(c, data, "EVT#")
    assert sorted(e["name"]["S"] for e in events if e["order_id"]["S"] == order_id) == [
        "OrderConfirmed",
        "OrderHeld",
    ]
    assert _items(c, data, "IDEM#") == []
    assert len(data.orders.get(order_id).request_keys) == 2  # the hold's and the confirmation's
    # Another body under the hold's key: refused, nothing changed.
    other = _post(live, "/v1/orders", tenant, "h-1", {**body, "note": "another"})
    assert other.status_code == 422 and other.data["error"]["code"] == "idempotency_key_reused"


def _items(c: Any, data: Any, prefix: str) -> list[dict[str, Any]]:
    return c.client("dynamodb").scan(
        TableName=data.table_name,
        FilterExpression="begins_with(pk, :p)",
        ExpressionAttributeValues={":p": {"S": prefix}},
        ConsistentRead=True,
    )["Items"]
