"""A tenant table made before the schema gained indexes gets them from provisioning (and from
`make dev` over a kept data folder), on a DynamoDB Local of its own: in the session's, after
other tests (a sign-up's), DynamoDB Local leaves the second index it is asked to add in
CREATING for good (a fresh one adds them all in about a second each)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib.kernel.adapters.schema import TENANT_TABLE, TableSpec
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
