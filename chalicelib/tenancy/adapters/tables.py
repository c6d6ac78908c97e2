"""Creates and configures tenant tables (used by the provisioning worker only).

A tenant table streams its new item images, and its stream is wired to the event relay
(pipeline/stream.py): on AWS by an event source mapping (`event_sources`, adapters/
event_streams.py); locally there is no Lambda service, and the worker loop reads every tenant
table's stream itself (local/streams.py), so the local stack passes none."""

from __future__ import annotations

import time
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.schema import TENANT_TABLE, TableSpec
from chalicelib.tenancy.adapters.event_streams import LambdaEventSources
from chalicelib.tenancy.services.platform_ports import TenantTables


class DynamoTenantTables(TenantTables):
    def __init__(
        self,
        client: Any,
        *,
        supports_pitr_and_tags: bool,
        table_arn_prefix: str,
        kms_key_arn: str = "",
        spec: TableSpec = TENANT_TABLE,
        poll_seconds: float = 0.5,
        timeout_seconds: float = 120.0,
        event_sources: LambdaEventSources | None = None,
    ) -> None:
        self._client = client
        self._pitr_and_tags = supports_pitr_and_tags
        self._arn_prefix = table_arn_prefix
        self._kms_key_arn = kms_key_arn
        self._spec = spec
        self._poll = poll_seconds
        self._timeout = timeout_seconds
        self._event_sources = event_sources

    def ensure_table(self, table_name: str, tags: dict[str, str]) -> None:
        self._create(table_name, tags)
        self._wait_active(table_name)
        self._ensure_indexes(table_name)
        self._enable_ttl(table_name)
        stream_arn = self._ensure_stream(table_name)
        if self._event_sources is not None and stream_arn:
            self._event_sources.ensure(stream_arn)
        if self._pitr_and_tags:
            # DynamoDB Local answers UnknownOperationException to both: the stack setting
            # RESERVOIR_DYNAMODB_SUPPORTS_PITR_AND_TAGS says so instead of a blanket except.
            self._client.update_continuous_backups(
                TableName=table_name,
                PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
            )
            self._client.tag_resource(
                ResourceArn=f"{self._arn_prefix}{table_name}",
                Tags=[{"Key": k, "Value": v} for k, v in sorted(tags.items())],
            )

    def _create(self, table_name: str, tags: dict[str, str]) -> None:
        kwargs = self._spec.create_table_kwargs(table_name)
        # A tenant's bookings and money are in this table: no API call deletes it by mistake
        # (turning the protection off is a deliberate UpdateTable nothing here may call).
        kwargs["DeletionProtectionEnabled"] = True
        if self._pitr_and_tags and tags:
            kwargs["Tags"] = [{"Key": k, "Value": v} for k, v in sorted(tags.items())]
        if self._kms_key_arn:
            # Encrypted with the platform's customer-managed key (DynamoDB Local accepts and
            # ignores this; on AWS it is what the infra's key policy grants).
            kwargs["SSESpecification"] = {
                "Enabled": True,
                "SSEType": "KMS",
                "KMSMasterKeyId": self._kms_key_arn,
            }
        try:
            self._client.create_table(**kwargs)
        except ClientError as exc:
            # A repeated message or a retry after a crash: the table is there already.
            if exc.response["Error"]["Code"] != "ResourceInUseException":
                reraise(exc)

    def _wait_active(self, table_name: str) -> None:
        deadline = time.monotonic() + self._timeout
        while True:
            table = self._client.describe_table(TableName=table_name)["Table"]
            indexes = table.get("GlobalSecondaryIndexes", [])
            if table["TableStatus"] == "ACTIVE" and all(
                index.get("IndexStatus", "ACTIVE") == "ACTIVE" for index in indexes
            ):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"table {table_name} not ACTIVE after {self._timeout}s")
            time.sleep(self._poll)

    def _ensure_indexes(self, table_name: str) -> None:
        """Indexes the schema gained after this table was made are added, one UpdateTable
        each (DynamoDB creates one index at a time) and waited for; entries of items written
        before are backfilled by DynamoDB, but only items that carry the index's keys."""
        table = self._client.describe_table(TableName=table_name)["Table"]
        present = {i["IndexName"] for i in table.get("GlobalSecondaryIndexes", [])}
        wanted = self._spec.create_table_kwargs(table_name)
        for index in wanted["GlobalSecondaryIndexes"]:
            if index["IndexName"] in present:
                continue
            names = {k["AttributeName"] for k in index["KeySchema"]}
            self._client.update_table(
                TableName=table_name,
                AttributeDefinitions=[
                    a for a in wanted["AttributeDefinitions"] if a["AttributeName"] in names
                ],
                GlobalSecondaryIndexUpdates=[{"Create": index}],
            )
            self._wait_active(table_name)

    def _ensure_stream(self, table_name: str) -> str | None:
        """The table's stream ARN, switching the stream on for a table made before streams
        (None: the spec wants no stream)."""
        if self._spec.stream_view is None:
            return None
        table = self._client.describe_table(TableName=table_name)["Table"]
        wanted = self._spec.stream_specification
        current = table.get("StreamSpecification") or {}
        if current != wanted:
            if current.get("StreamEnabled"):
                # Another view: a stream's view cannot change; it is switched off and on (a new
                # stream: provisioning maps it, the old one's mapping reads on until it ends).
                self._client.update_table(
                    TableName=table_name, StreamSpecification={"StreamEnabled": False}
                )
                self._wait_active(table_name)
            self._client.update_table(TableName=table_name, StreamSpecification=wanted)
            self._wait_active(table_name)
            table = self._client.describe_table(TableName=table_name)["Table"]
        return str(table["LatestStreamArn"])

    def _enable_ttl(self, table_name: str) -> None:
        attribute = self._spec.ttl_attribute
        if attribute is None:
            return
        current = self._client.describe_time_to_live(TableName=table_name)
        status = current.get("TimeToLiveDescription", {}).get("TimeToLiveStatus")
        if status in {"ENABLED", "ENABLING"}:
            return
        self._client.update_time_to_live(
            TableName=table_name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute},
        )
