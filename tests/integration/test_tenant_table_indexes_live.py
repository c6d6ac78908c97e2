"""A tenant table made before the schema gained indexes gets them from provisioning (and from
`make dev` over a kept data folder), on DynamoDB Local."""

from __future__ import annotations

import uuid

from chalicelib.kernel.adapters.schema import TENANT_TABLE, TableSpec
from chalicelib.tenancy.adapters.tables import DynamoTenantTables


def test_a_table_made_with_fewer_indexes_gains_the_new_ones_with_their_projection(stack):
    client = stack.client("dynamodb")
    before = TableSpec(
        hash_key="pk",
        range_key="sk",
        indexes=TENANT_TABLE.indexes[:3],
        ttl_attribute=TENANT_TABLE.ttl_attribute,
        stream_view=TENANT_TABLE.stream_view,
    )
    name = f"reservoir-tenant-idx{uuid.uuid4().hex[:8]}"
    client.create_table(**before.create_table_kwargs(name))
    client.get_waiter("table_exists").wait(TableName=name)
    tables = DynamoTenantTables(client, supports_pitr_and_tags=False, table_arn_prefix="arn:")
    tables.ensure_table(name, tags={})
    tables.ensure_table(name, tags={})  # again: nothing to add
    indexes = client.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"]
    assert {i["IndexName"]: i["Projection"]["ProjectionType"] for i in indexes} == {
        i.name: i.projection for i in TENANT_TABLE.indexes
    }
    assert {i.projection for i in TENANT_TABLE.indexes[3:]} == {"KEYS_ONLY"}
    client.delete_table(TableName=name)
