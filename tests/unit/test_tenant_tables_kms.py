"""Tenant tables are created with the configured customer-managed key (no I/O: a stub client)."""

from __future__ import annotations

from chalicelib.tenancy.adapters.tables import DynamoTenantTables


class RecordingClient:
    def __init__(self) -> None:
        self.created: list[dict] = []

    def create_table(self, **kwargs):
        self.created.append(kwargs)

    def describe_table(self, TableName):
        stream = self.created[-1].get("StreamSpecification")
        return {
            "Table": {
                "TableStatus": "ACTIVE",
                "GlobalSecondaryIndexes": self.created[-1]["GlobalSecondaryIndexes"],
                "StreamSpecification": stream,
                "LatestStreamArn": f"arn:aws:dynamodb:eu-west-1:1:table/{TableName}/stream/x",
            }
        }

    def describe_time_to_live(self, TableName):
        return {"TimeToLiveDescription": {"TimeToLiveStatus": "ENABLED"}}


def test_a_configured_key_encrypts_the_new_table():
    client = RecordingClient()
    key = "arn:aws:kms:eu-west-1:123456789012:key/1234"
    DynamoTenantTables(
        client, supports_pitr_and_tags=False, table_arn_prefix="arn:", kms_key_arn=key
    ).ensure_table("reservoir-tenant-t1", tags={})
    assert client.created[0]["SSESpecification"] == {
        "Enabled": True,
        "SSEType": "KMS",
        "KMSMasterKeyId": key,
    }


def test_without_a_key_the_table_uses_the_aws_owned_key():
    client = RecordingClient()
    DynamoTenantTables(client, supports_pitr_and_tags=False, table_arn_prefix="arn:").ensure_table(
        "reservoir-tenant-t1", tags={}
    )
    assert "SSESpecification" not in client.created[0]
