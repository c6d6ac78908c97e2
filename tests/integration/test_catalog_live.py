"""The catalog through the real app and adapters, over DynamoDB Local."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from chalicelib import bootstrap
from chalicelib.booking.domain.orders import (
    Allocation,
    BookingStatus,
    Channel,
    Customer,
    Line,
    Order,
    PaymentStatus,
)
from chalicelib.booking.services.transaction_items import BucketTake, OrderPut, RevisionCheck
from chalicelib.catalog.domain.inventory import BucketRef, Take

ROOM = {"name": "Double room", "kind": "nightly", "capacity": 5}


def send(live, method, path, tenant, body=None, rev=None):
    headers = {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {tenant['secret_key']}",
    }
    if rev is not None:
        headers["If-Match"] = f'"{rev}"'
    kwargs = {"headers": headers}
    if body is not None:
        kwargs["body"] = json.dumps(body)
    response = getattr(live.client.http, method.lower())(path, **kwargs)
    response.data = json.loads(response.body) if response.body else None
    return response


def active_tenant(live, stem):
    tenant = live.signup(stem)
    live.provision(tenant["tenant_id"])
    return tenant


def test_resource_and_offering_round_trip_and_a_lower_capacity_moves_the_revision(live):
    tenant = active_tenant(live, "catalog")
    created = send(live, "POST", "/v1/resources", tenant, ROOM)
    assert created.status_code == 201, created.body
    rid = created.data["id"]
    assert created.headers["ETag"] == '"1"'

    offering = {
        "name": "Stay",
        "kind": "nightly",
        "requirements": [{"resource_id": rid}],
        "pricing": {"amount": 12000, "basis": "night", "date_prices": {"2026-12-31": 30000}},
    }
    made = send(live, "POST", "/v1/offerings", tenant, offering)
    assert made.status_code == 201, made.body
    got = send(live, "GET", f"/v1/offerings/{made.data['id']}", tenant)
    assert got.data == made.data

    lowered = send(live, "PUT", f"/v1/resources/{rid}", tenant, {**ROOM, "capacity": 2}, rev=1)
    assert lowered.status_code == 200, lowered.body
    assert lowered.data["capacity"] == 2 and lowered.headers["ETag"] == '"2"'
    read = send(live, "GET", f"/v1/resources/{rid}", tenant)
    assert read.data["rev"] == 2 and read.data["capacity"] == 2

    stale = send(live, "PUT", f"/v1/resources/{rid}", tenant, ROOM, rev=1)
    assert stale.status_code == 412 and stale.data["error"]["code"] == "version_mismatch"


def test_lowering_below_a_real_booking_is_refused_naming_it(live):
    tenant = active_tenant(live, "catalog-sold")
    rid = send(live, "POST", "/v1/resources", tenant, {**ROOM, "capacity": 2}).data["id"]
    platform_tenant = bootstrap.container().platform.get_tenant(tenant["tenant_id"])
    transactions = bootstrap.container().tenant_data.for_tenant(platform_tenant).transactions
    night = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()  # the app's real clock
    take = Take(BucketRef(rid, f"N#{night}"), 2, 2)
    line = Line(
        "off_x", "Stay", f"{night}T00:00Z", f"{night}T23:00Z", f"{night}T00:00+01:00",
        night, 2, 1, (Allocation(0, rid, "Double room", (take,)),), (), 0, 0, 0, 0,
    )  # fmt: skip
    at = "2026-11-24T09:00:00.000000Z"
    order = Order(
        "ord_live", BookingStatus.CONFIRMED, PaymentStatus.UNPAID, Customer("Ada", "a@b.example"),
        Channel.API, "EUR", (line,), at, at, None,
    )  # fmt: skip
    transactions.write([OrderPut(order, None), BucketTake(take), RevisionCheck(rid, 1)])

    refused = send(live, "PUT", f"/v1/resources/{rid}", tenant, {**ROOM, "capacity": 1}, rev=1)
    assert refused.status_code == 409, refused.body
    assert refused.data["error"]["code"] == "capacity_below_sold"
    assert refused.data["error"]["details"]["orders"] == ["ord_live"]
    assert send(live, "GET", f"/v1/resources/{rid}", tenant).data["rev"] == 1
