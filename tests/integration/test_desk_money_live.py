"""Money at the desk through the real app over DynamoDB Local: the records are stored with
their method, reference and who took them, a retried request records once, and the balance
and payment status read back from the table are what the records say."""

from __future__ import annotations

import json

from tests.integration.support import ahead
from tests.integration.test_catalog_live import ROOM, active_tenant, send

NIGHT = ahead().isoformat()


def post(live, tenant, path, body, key):
    headers = {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {tenant['secret_key']}",
        "Idempotency-Key": key,
    }
    response = live.client.http.post(path, headers=headers, body=json.dumps(body))
    response.data = json.loads(response.body)
    return response


def test_cash_a_retry_and_cash_back_are_stored_and_add_up(live):
    tenant = active_tenant(live, "desk-money")
    rid = send(live, "POST", "/v1/resources", tenant, ROOM).data["id"]
    offering = {
        "name": "Stay",
        "kind": "nightly",
        "requirements": [{"resource_id": rid}],
        "pricing": {"amount": 12000, "basis": "night"},
    }
    oid = send(live, "POST", "/v1/offerings", tenant, offering).data["id"]
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": oid, "check_in": NIGHT, "nights": 2}],
    }
    order = send(live, "POST", "/v1/orders", tenant, body).data
    send(live, "POST", f"/v1/orders/{order['id']}/confirm", tenant)
    pay = {"amount": 10000, "method": "cash", "reference": "R-1"}

    for _ in range(2):  # the till's retry
        r = post(live, tenant, f"/v1/orders/{order['id']}/payments", pay, "till-1")
        assert r.status_code == 201, r.body
    back = {"amount": 2500, "reason": "Late check-in", "method": "cash"}
    r = post(live, tenant, f"/v1/orders/{order['id']}/refunds", back, "till-2")
    assert r.status_code == 201, r.body

    money = send(live, "GET", f"/v1/orders/{order['id']}/payments", tenant).data
    [cash] = money["payments"]
    assert (cash["method"], cash["reference"], cash["received"]) == ("cash", "R-1", 10000)
    assert cash["taken_by"] and cash["kind"] == "desk"
    [refund] = money["refunds"]
    assert (refund["method"], refund["amount"]) == ("cash", 2500)
    assert money["balance"] == order["totals"]["total"] - 10000 + 2500
    assert money["payment_status"] == "partially_paid"
    stored = send(live, "GET", f"/v1/orders/{order['id']}", tenant).data
    assert stored["payment_status"] == "partially_paid"
