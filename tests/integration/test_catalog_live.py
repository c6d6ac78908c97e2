"""The catalog through the real app and adapters, over DynamoDB Local."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from chalicelib import bootstrap
from chalicelib.booking.adapters.orders_store import DynamoOrderStore
from chalicelib.booking.domain.orders import (
    Allocation,
    BookingStatus,
    Channel,
    Customer,
    Line,
    Order,
    PaymentStatus,
)
from chalicelib.booking.domain.resource_entries import resource_entries
from chalicelib.booking.services.transaction_items import (
    BucketTake,
    OrderPut,
    ResourceEntryPut,
    RevisionCheck,
)
from chalicelib.catalog.domain.inventory import BucketRef, Take
from chalicelib.kernel.adapters.table_format import FORMAT_KEY
from chalicelib.kernel.domain.errors import StaleCatalog

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
    entries = [ResourceEntryPut(e) for e in resource_entries(order)]  # as the engine writes
    transactions.write([OrderPut(order, None), BucketTake(take), *entries, RevisionCheck(rid, 1)])

    refused = send(live, "PUT", f"/v1/resources/{rid}", tenant, {**ROOM, "capacity": 1}, rev=1)
    assert refused.status_code == 409, refused.body
    assert refused.data["error"]["code"] == "capacity_below_sold"
    assert refused.data["error"]["details"]["orders"] == ["ord_live"]
    assert send(live, "GET", f"/v1/resources/{rid}", tenant).data["rev"] == 1


def test_a_sharded_session_keeps_each_shard_and_a_copy_of_its_revision_in_its_own_partition(live):
    """The keys of kernel/adapters/hot_keys.py, for real: a hold on shard 2 writes and checks
    only in `INV#<id>#2`, and a change of the resource moves every copy of its revision."""
    tenant = active_tenant(live, "catalog-shards")
    tour = {
        "name": "Harbour tour",
        "kind": "session",
        "capacity": 20,
        "session_times": {d: ["10:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
        "shards": 4,
    }
    rid = send(live, "POST", "/v1/resources", tenant, tour).data["id"]
    platform_tenant = bootstrap.container().platform.get_tenant(tenant["tenant_id"])
    data = bootstrap.container().tenant_data.for_tenant(platform_tenant)
    raw = live.stack.client("dynamodb")
    table = platform_tenant.table_name

    def item(pk, sk):
        return raw.get_item(
            TableName=table, Key={"pk": {"S": pk}, "sk": {"S": sk}}, ConsistentRead=True
        ).get("Item")

    assert [item(f"REV#{rid}#{i}", "REV")["rev"]["N"] for i in (1, 2, 3)] == ["1"] * 3
    day = (datetime.now(UTC) + timedelta(days=30)).date()
    start = datetime.combine(day, time(10, 0), ZoneInfo("Europe/Berlin")).astimezone(UTC)
    base = f"X#{start:%Y-%m-%dT%H:%MZ}"  # 10:00 in Berlin, the sign-up's zone
    take = Take(BucketRef(rid, f"{base}#2"), 3, 5)
    line = Line(
        "off_x", "Tour", base[2:], base[2:], f"{day}T10:00",
        day.isoformat(), 3, 1, (Allocation(0, rid, "Harbour tour", (take,)),), (), 0, 0, 0, 0,
    )  # fmt: skip
    at = "2026-11-24T09:00:00.000000Z"
    order = Order(
        "ord_shard", BookingStatus.CONFIRMED, PaymentStatus.UNPAID, Customer("Ada", "a@b.example"),
        Channel.API, "CNY", (line,), at, at, None,
    )  # fmt: skip
    data.transactions.write([OrderPut(order, None), BucketTake(take), RevisionCheck(rid, 1, 2)])

    assert item(f"INV#{rid}#2", base)["used"]["N"] == "3"
    assert item(f"INV#{rid}", base) is None  # shard 0 untouched
    assert data.orders.used(rid, "X#", "X#~", consistent=True, shards=4) == {f"{base}#2": 3}
    keys = [base, f"{base}#1", f"{base}#2", f"{base}#3"]
    assert data.orders.used_at(rid, keys, consistent=True) == {f"{base}#2": 3}
    assert [o.id for o in data.orders.on_day(day.isoformat())] == ["ord_shard"]
    # A table the provisioning made carries its format's mark: no order in it was indexed the
    # old way. One made before (no mark) may hold an order written before the day index was
    # sharded (and before it was keys only), with the unsharded key in gsi2: still found.
    assert item("TABLE", "FORMAT") == {**FORMAT_KEY, "orders": {"S": "keys-only"}}
    raw.delete_item(TableName=table, Key=FORMAT_KEY)
    raw.update_item(
        TableName=table,
        Key={"pk": {"S": "ORD#ord_shard"}, "sk": {"S": "META"}},
        UpdateExpression="SET gsi2pk = :legacy, gsi2sk = gsi8sk REMOVE gsi8pk, gsi8sk",
        ExpressionAttributeValues={":legacy": {"S": f"DAY#{day.isoformat()}"}},
    )
    # The mark, once read, is trusted (gsi2 not asked): why nothing may write there.
    assert data.orders.on_day(day.isoformat()) == []
    assert [o.id for o in DynamoOrderStore(raw, table).on_day(day.isoformat())] == ["ord_shard"]

    raised = send(live, "PUT", f"/v1/resources/{rid}", tenant, {**tour, "capacity": 24}, rev=1)
    assert raised.status_code == 200, raised.body
    assert [item(f"REV#{rid}#{i}", "REV")["rev"]["N"] for i in (1, 2, 3)] == ["2"] * 3
    stale = Take(BucketRef(rid, f"{base}#3"), 1, 5)
    with pytest.raises(StaleCatalog):
        data.transactions.write([BucketTake(stale), RevisionCheck(rid, 1, 3)])
    assert item(f"INV#{rid}#3", base) is None  # refused: nothing written
    # A catalog write that died between the resource and its copies leaves a copy behind: the
    # first hold planned on the resource's revision brings it up, and goes through.
    raw.put_item(
        TableName=table, Item={"pk": {"S": f"REV#{rid}#3"}, "sk": {"S": "REV"}, "rev": {"N": "1"}}
    )
    data.transactions.write([BucketTake(stale), RevisionCheck(rid, 2, 3)])
    assert item(f"REV#{rid}#3", "REV")["rev"]["N"] == "2"
    assert item(f"INV#{rid}#3", base)["used"]["N"] == "1"


def test_the_plans_allowance_of_resources_is_one_conditional_write_on_dynamodb(live):
    """The allowance item on DynamoDB Local: seeded from the list the first time, each
    resource counted once, the last place taken once, a place given back when stopped."""
    tenant = active_tenant(live, "allowance")
    container = bootstrap.container()
    catalog = container.tenant_data.for_tenant(
        container.platform.get_tenant(tenant["tenant_id"])
    ).catalog
    assert catalog.active_claims() == {}
    catalog.release_active("res_none")  # nothing to give back yet: no error
    assert catalog.claim_active("res_a", 3, frozenset({"res_old"}), 100) == "new"
    assert catalog.active_claims() == {"res_old": 0, "res_a": 100}
    assert catalog.claim_active("res_a", 3, frozenset(), 200) == "held"  # counted once
    assert catalog.claim_active("res_b", 3, frozenset(), 300) == "new"
    assert catalog.claim_active("res_c", 3, frozenset(), 400) is None  # full
    catalog.release_active("res_old")
    assert catalog.claim_active("res_c", 3, frozenset(), 500) == "new"
    assert catalog.active_claims() == {"res_a": 100, "res_b": 300, "res_c": 500}
