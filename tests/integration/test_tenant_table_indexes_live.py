"""A tenant table made before the schema gained indexes gets them from provisioning (and from
`make dev` over a kept data folder), on a DynamoDB Local of its own: in the session's, after
other tests (a sign-up's), DynamoDB Local leaves the second index it is asked to add in
CREATING for good (a fresh one adds them all in about a second each)."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from chalicelib.booking.adapters.orders_store import DynamoOrderStore
from chalicelib.booking.domain.order_search import ByStartDay
from chalicelib.kernel.adapters.schema import TENANT_TABLE, TableSpec
from chalicelib.kernel.adapters.table_format import FORMAT_KEY, DynamoTableFormat
from chalicelib.tenancy.adapters.tables import DynamoTenantTables
from local.dynamodb_local import DynamoDBLocal
from local.emulators import free_port
from local.resources import client


@pytest.fixture
def own_dynamodb() -> Iterator[Any]:
    with DynamoDBLocal(free_port()) as server:
        yield client("dynamodb", server.endpoint)


def test_a_table_made_with_fewer_indexes_gains_the_new_ones_with_their_projection(own_dynamodb):
    dynamodb = own_dynamodb
    before = TableSpec(
        hash_key="pk",
        range_key="sk",
        indexes=TENANT_TABLE.indexes[:3],
        ttl_attribute=TENANT_TABLE.ttl_attribute,
        stream_view=TENANT_TABLE.stream_view,
    )
    name = f"reservoir-tenant-idx{uuid.uuid4().hex[:8]}"
    dynamodb.create_table(**before.create_table_kwargs(name))
    dynamodb.get_waiter("table_exists").wait(TableName=name)
    tables = DynamoTenantTables(dynamodb, supports_pitr_and_tags=False, table_arn_prefix="arn:")
    tables.ensure_table(name, tags={})
    tables.ensure_table(name, tags={})  # again: nothing to add
    indexes = dynamodb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"]
    assert {i["IndexName"]: i["Projection"]["ProjectionType"] for i in indexes} == {
        i.name: i.projection for i in TENANT_TABLE.indexes
    }
    assert {i.projection for i in TENANT_TABLE.indexes[3:]} == {"KEYS_ONLY"}


def test_a_marked_table_s_days_are_read_without_the_old_indexes(own_dynamodb):
    """kernel/adapters/table_format.py: a day's orders are 8 Queries of the keys-only index in
    a table the provisioning marked (test_catalog_live.py: a signed-up tenant's table is), 17
    in one that may hold orders from before that index."""
    dynamodb = own_dynamodb
    tables = DynamoTenantTables(dynamodb, supports_pitr_and_tags=False, table_arn_prefix="arn:")
    made, old = (f"reservoir-tenant-fmt{uuid.uuid4().hex[:8]}" for _ in range(2))
    for name in (made, old):
        tables.ensure_table(name, tags={})
    DynamoTableFormat(dynamodb, made).mark_new()
    DynamoTableFormat(dynamodb, made).mark_new()  # again (a repeated message): the mark stays
    mark = dynamodb.get_item(TableName=made, Key=FORMAT_KEY, ConsistentRead=True)["Item"]
    assert mark == {**FORMAT_KEY, "orders": {"S": "keys-only"}}
    assert "Item" not in dynamodb.get_item(TableName=old, Key=FORMAT_KEY, ConsistentRead=True)

    queried: list[str] = []
    dynamodb.meta.events.register(
        "provide-client-params.dynamodb.Query",
        lambda params, **_: queried.append(params["IndexName"]),
    )
    day = ByStartDay(date(2027, 3, 28), date(2027, 3, 28))
    for table, indexes in ((made, {"gsi8": 8}), (old, {"gsi8": 8, "gsi2": 9})):
        queried.clear()
        assert DynamoOrderStore(dynamodb, table).on_day("2027-03-28") == []
        assert dict(Counter(queried)) == indexes, table
        # The order search's start-day pages likewise (their own reader, order_indexes.py).
        queried.clear()
        page = DynamoOrderStore(dynamodb, table).index_page(
            day, after=None, descending=False, limit=10
        )
        assert page.entries == ()
        assert dict(Counter(queried)) == indexes, table
