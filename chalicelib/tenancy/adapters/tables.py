"""Creates and configures tenant tables (used by the provisioning worker only)."""

from __future__ import annotations

import time
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.schema import TENANT_TABLE, TableSpec
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
    ) -> None:
        self._client = client
        self._pitr_and_tags = supports_pitr_and_tags
        self._arn_prefix = table_arn_prefix
        self._kms_key_arn = kms_key_arn
        self._spec = spec
        self._poll = poll_seconds
        self._timeout = timeout_seconds

    def ensure_table(self, table_name: str, tags: dict[str, str]) -> None:
        self._create(table_name, tags)
        self._wait_active(table_name)
        self._enable_ttl(table_name)
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
