"""The customer's no-show figure after an undo does not depend on the order the bookkeeping
queue (a standard SQS queue: no order) hands the two events over: an undo handled before its
no-show (a retry of the no-show's delivery, a reordering) leaves no no-show (found by a reviewer:
the undo counted -1 clamped at 0, and the late no-show then +1)."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.kernel.domain.customer_ids import customer_id_for
from tests.api.test_no_show_figures_api import EMAIL, deliver, hotel  # noqa: F401


def test_a_no_show_and_its_undo_delivered_in_the_other_order_leave_no_no_show(api, hotel):  # noqa: F811
    key = hotel["secret_key"]
    body = {
        "customer": {"name": "Nora Noshow", "email": EMAIL},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 1}],
    }
    order = api.call("POST", "/v1/orders", auth=key, body=body)
    assert order.status_code == 201, order.body
    path = f"/v1/orders/{order.data['id']}"
    assert api.call("POST", f"{path}/confirm", auth=key).status_code == 200
    deliver(api, api.container.relayed_events())
    api.container.clock.moment = datetime(2026, 12, 24, 20, 0, tzinfo=UTC)
    manager = api.staff_token(hotel, "manager")
    assert api.call("POST", f"{path}/no-show", auth=manager).status_code == 200
    assert api.call("POST", f"{path}/no-show/undo", auth=manager).status_code == 200
    messages = api.container.relayed_events()
    names = [m["event"]["name"] for m in messages]
    assert names.index("OrderMarkedNoShow") < names.index("OrderNoShowUndone"), names
    deliver(api, list(reversed(messages)))  # the undo's delivery first, the no-show's after
    record = api.call("GET", f"/v1/customers/{customer_id_for(EMAIL)}", auth=key)
    assert record.status_code == 200, record.body
    assert record.data["figures"]["no_shows"] == 0  # the guest came: no no-show
