"""The folio through the real app over DynamoDB Local: the price list is stored and listed by
name, a charge from it and a discount are stored in the order's document with their rates and
read back, a voided charge stays marked, and check-out refuses the balance until it is paid."""

from __future__ import annotations

from tests.integration.support import ahead
from tests.integration.test_catalog_live import ROOM, active_tenant, send
from tests.integration.test_desk_money_live import post

NIGHT = ahead().isoformat()


def test_the_minibar_a_discount_and_a_void_are_stored_and_add_up(live):
    tenant = active_tenant(live, "folio-live")
    rid = send(live, "POST", "/v1/resources", tenant, ROOM).data["id"]
    offering = {
        "name": "Stay",
        "kind": "nightly",
        "requirements": [{"resource_id": rid}],
        "pricing": {"amount": 10700, "basis": "night", "tax_bp": 700},
    }
    oid = send(live, "POST", "/v1/offerings", tenant, offering).data["id"]
    water = {"name": "Water", "unit_amount": 450, "tax_rate_bp": 1900}
    cake = {"name": "Cake", "unit_amount": 600, "tax_rate_bp": 700}
    items = [
        post(live, tenant, "/v1/price-list", body, f"pl-{n}")
        for n, body in enumerate((water, cake))
    ]
    assert [r.status_code for r in items] == [201, 201]
    listed = send(live, "GET", "/v1/price-list", tenant).data["items"]
    assert [i["name"] for i in listed] == ["Cake", "Water"]

    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": oid, "check_in": NIGHT, "nights": 1}],
    }
    order = send(live, "POST", "/v1/orders", tenant, body).data
    send(live, "POST", f"/v1/orders/{order['id']}/confirm", tenant)
    path = f"/v1/orders/{order['id']}"
    for _ in range(2):  # the desk's retry
        r = post(
            live, tenant, f"{path}/charges", {"item_id": items[0].data["id"], "quantity": 2}, "mb-1"
        )
        assert r.status_code == 201, r.body
    cake_charge = post(
        live, tenant, f"{path}/charges", {"item_id": items[1].data["id"]}, "mb-2"
    ).data
    gave = post(
        live,
        tenant,
        f"{path}/discounts",
        {"amount": 1000, "reason": "Noisy", "tax_rate_bp": 700},
        "d-1",
    )
    assert gave.status_code == 201, gave.body
    voided = post(
        live,
        tenant,
        f"{path}/charges/{cake_charge['charges'][1]['id']}/void",
        {"reason": "Not eaten"},
        "v-1",
    )
    assert voided.status_code == 200, voided.body

    money = send(live, "GET", f"{path}/payments", tenant).data
    live_charges = [c for c in money["charges"] if not c["voided"]]
    assert [c["total"] for c in live_charges] == [900, -1000]
    assert money["total"] == 10700 + 900 - 1000
    bands = {b["tax_rate_bp"]: b for b in money["tax_bands"]}
    assert bands[1900]["tax"] == 144 and bands[700]["total"] == 10700 - 1000
    assert sum(b["tax"] for b in money["tax_bands"]) == money["tax"]
    stored = send(live, "GET", path, tenant).data
    assert stored["totals"]["total"] == money["total"]

    send(live, "POST", f"{path}/check-in", tenant, {"early": True})
    owing = send(live, "POST", f"{path}/complete", tenant)
    assert owing.status_code == 409 and owing.data["error"]["code"] == "balance_outstanding"
    paid = post(
        live, tenant, f"{path}/payments", {"amount": money["total"], "method": "cash"}, "c-1"
    )
    assert paid.status_code == 201 and paid.data["payment_status"] == "paid"
    done = send(live, "POST", f"{path}/complete", tenant)
    assert done.status_code == 200 and done.data["status"] == "completed"
