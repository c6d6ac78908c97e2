"""Two cancels of one order at once, without If-Match, on DynamoDB Local: both read the
confirmed order before either commits (a barrier makes sure), one transaction wins, the
other's condition fails, and the loser reads again and answers the cancelled order."""

from __future__ import annotations

import threading

from chalicelib import bootstrap
from chalicelib.booking.adapters.orders_store import DynamoOrderStore
from chalicelib.booking.services import orders as order_service
from chalicelib.kernel.services.context import system_context
from tests.builders import room_type, stay_offering
from tests.integration.support import ahead

NIGHT = ahead().isoformat()


def test_two_cancels_at_once_both_answer_the_one_cancelled_order(live, monkeypatch):
    tenant = live.signup("twocancels")
    live.provision(tenant["tenant_id"])
    c = bootstrap.container()
    t = c.platform.get_tenant(tenant["tenant_id"])
    data = c.tenant_data.for_tenant(t)
    data.catalog.put_resource(room_type(rooms=1), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": NIGHT}],
    }
    order = live.call("POST", "/v1/orders", auth=tenant["secret_key"], body=body).data
    confirmed = live.call("POST", f"/v1/orders/{order['id']}/confirm", auth=tenant["secret_key"])
    assert confirmed.status_code == 200, confirmed.body

    barrier = threading.Barrier(2, timeout=10)
    first_read = threading.local()
    real_get = DynamoOrderStore.get

    def get(self, order_id, **kwargs):
        found = real_get(self, order_id, **kwargs)
        if not getattr(first_read, "done", False):
            first_read.done = True
            barrier.wait()  # both requests have read version 2 before either commits
        return found

    monkeypatch.setattr(DynamoOrderStore, "get", get)
    answers: dict[str, object] = {}

    def cancel(name: str) -> None:
        ctx = system_context(t, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
        try:
            answers[name] = order_service.cancel(ctx, c.catalog_cache, order["id"], reason=name)
        except Exception as exc:  # noqa: BLE001 - recorded for the assertion below
            answers[name] = exc

    threads = [threading.Thread(target=cancel, args=(n,)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    a, b = answers["a"], answers["b"]
    assert not isinstance(a, Exception) and not isinstance(b, Exception), answers
    assert a == b and a.status.value == "cancelled" and a.version == 3
    monkeypatch.undo()
    stored = data.orders.get(order["id"])
    assert stored == a
    assert data.orders.used("res_double", f"N#{NIGHT}", f"N#{NIGHT}") == {f"N#{NIGHT}": 0}
