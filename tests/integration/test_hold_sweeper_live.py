"""The hold-expiry sweeper's marks on DynamoDB Local (tenancy/adapters/platform.py,
booking/adapters/orders_store.py, booking/services/expiry.py): a hold marks its tenant in the
part of the open holds' index that lists it, and the sweeper's look at that mark reads that
shard only, expires the hold whose message was lost, and clears the mark once it has passed."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.booking.services.expiry import WORK_KIND, look_at, sweep_due
from chalicelib.kernel.domain.timefmt import add_seconds
from tests.integration.support import ahead, signed_up_hotel


def _hold(live: Any, tenant: dict[str, Any]) -> dict[str, Any]:
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": ahead(37).isoformat()}],
    }
    headers = {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {tenant['secret_key']}",
    }
    response = live.client.http.post("/v1/orders", headers=headers, body=json.dumps(body))
    assert response.status_code == 201, response.body
    return json.loads(response.body)


def test_a_hold_is_marked_in_its_part_and_the_look_at_it_expires_it_and_clears_the_mark(live):
    tenant, c, data = signed_up_hotel(live, "sweepparts", rooms=2)
    order = _hold(live, tenant)
    part = data.orders.hold_part(order["id"])
    [mark] = [m for m in c.platform.marked(WORK_KIND) if m.tenant_id == tenant["tenant_id"]]
    assert mark.part == part and mark.until == add_seconds(order["hold_expires_at"], 600)
    ddb = live.stack.client("dynamodb")
    item = ddb.get_item(
        TableName=data.table_name, Key={"pk": {"S": f"ORD#{order['id']}"}, "sk": {"S": "META"}}
    )["Item"]
    assert item["gsi3pk"] == {"S": f"HOLD#{part}"}  # the shard the mark names
    # Another shard of the same tenant's index has nothing for this hold.
    other = str((int(part) + 1) % 8)
    assert data.orders.expired_holds(mark.until, part=other) == []
    assert sweep_due(mark.tenant_id, mark.until, mark.until)

    # Half-way through the hold nothing is overdue: the look reads its shard, no tenant record.
    tenants: dict[str, Any] = {}
    halfway = add_seconds(order["hold_expires_at"], -300)
    assert look_at(mark, c.platform, c.tenant_data, now=lambda: halfway, new_id=c.new_id) == 0
    assert (
        look_at(
            mark, c.platform, c.tenant_data, now=lambda: halfway, new_id=c.new_id, tenants=tenants
        )
        == 0
    )
    assert tenants == {}
    assert [m.tenant_id for m in c.platform.marked(WORK_KIND)].count(tenant["tenant_id"]) == 1

    expired = look_at(
        mark, c.platform, c.tenant_data, now=lambda: mark.until, new_id=c.new_id, tenants=tenants
    )

    assert expired == 1
    assert list(tenants) == [tenant["tenant_id"]]  # read once a hold was overdue
    assert data.orders.get(order["id"]).status.value == "expired"
    assert [m for m in c.platform.marked(WORK_KIND) if m.tenant_id == tenant["tenant_id"]] == []
