"""Sign-up to an active tenant on DynamoDB Local and moto: real tables, queue, STS, Cognito."""

from __future__ import annotations

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from chalicelib import bootstrap
from chalicelib.kernel.adapters.schema import TENANT_TABLE


def test_signup_provisions_a_table_of_its_own_and_the_key_then_works(live):
    tenant = live.signup("harbour")
    assert live.call("GET", "/v1/tenant", auth=tenant["secret_key"]).data["status"] == (
        "provisioning"
    )

    result = live.provision(tenant["tenant_id"])
    assert result == [{"batchItemFailures": []}]

    got = live.call("GET", "/v1/tenant", auth=tenant["secret_key"])
    assert got.status_code == 200
    assert got.data["status"] == "active"
    table = live.stack.client("dynamodb").describe_table(
        TableName=f"reservoir-tenant-{tenant['tenant_id']}"
    )["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert {i["IndexName"] for i in table["GlobalSecondaryIndexes"]} == {
        i.name for i in TENANT_TABLE.indexes
    }
    ttl = live.stack.client("dynamodb").describe_time_to_live(TableName=table["TableName"])
    assert ttl["TimeToLiveDescription"]["AttributeName"] == TENANT_TABLE.ttl_attribute


def test_a_tenant_table_cannot_be_deleted_while_its_protection_is_on(live):
    from botocore.exceptions import ClientError

    tenant = live.signup("kept")
    live.provision(tenant["tenant_id"])
    dynamodb = live.stack.client("dynamodb")
    name = f"reservoir-tenant-{tenant['tenant_id']}"
    assert dynamodb.describe_table(TableName=name)["Table"]["DeletionProtectionEnabled"] is True
    with pytest.raises(ClientError, match="protected against deletion"):
        dynamodb.delete_table(TableName=name)
    assert dynamodb.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE"


def test_repeated_provisioning_message_ends_in_one_table_one_owner_one_active_tenant(live):
    tenant = live.signup("repeat")
    live.provision(tenant["tenant_id"], repeat=3)
    platform = bootstrap.container().platform
    owners = [u for u in platform.list_staff(tenant["tenant_id"]) if u.role.value == "owner"]
    assert len(owners) == 1
    assert platform.get_tenant(tenant["tenant_id"]).status.value == "active"
    names = live.stack.client("dynamodb").list_tables()["TableNames"]
    assert names.count(f"reservoir-tenant-{tenant['tenant_id']}") == 1
    audit = live.call("GET", "/v1/audit", auth=tenant["secret_key"]).data["data"]
    assert [e["action"] for e in audit].count("tenant.provisioned") == 1


def test_a_crash_half_way_then_a_retry_ends_in_one_active_tenant(live, monkeypatch):
    tenant = live.signup("crash")
    c = bootstrap.container()
    real_create = c.directory.create_user
    calls = {"n": 0}

    def crash_once(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("process died after the table was created")
        return real_create(**kwargs)

    monkeypatch.setattr(c.directory, "create_user", crash_once)
    messages = live.receive_provisioning(tenant["tenant_id"])
    event = live.client.events.generate_sqs_event(
        message_bodies=[messages[0]["Body"]], queue_name="reservoir-provisioning"
    )
    event["Records"][0]["messageId"] = "m-1"
    # Every record of the batch failed: Powertools raises, so Lambda retries the whole batch.
    with pytest.raises(BatchProcessingError):
        live.client.lambda_.invoke("provision", event)
    assert c.platform.get_tenant(tenant["tenant_id"]).status.value == "provisioning"

    second = live.client.lambda_.invoke("provision", event).payload
    assert second == {"batchItemFailures": []}
    assert c.platform.get_tenant(tenant["tenant_id"]).status.value == "active"


def test_duplicate_slug_is_refused_and_writes_nothing(live):
    first = live.signup("dupe")
    again = live.call(
        "POST",
        "/v1/signup",
        body={
            "business_name": "Copycat",
            "slug": first["slug"],
            "owner_email": "someone-else@copycat.example",
            "timezone": "Europe/Berlin",
            "currency": "EUR",
            "locale": "en",
            "business_type": "hotel",
        },
    )
    assert again.status_code == 409
    assert again.data["error"]["code"] == "slug_taken"
    platform = bootstrap.container().platform
    assert platform.email_owner("someone-else@copycat.example") is None
    assert live.receive_provisioning("never") == []


def test_another_tenants_key_id_is_not_found_through_the_real_stack(live):
    a = live.signup("alpha")
    b = live.signup("bravo")
    live.provision(a["tenant_id"])
    live.provision(b["tenant_id"])
    b_keys = live.call("GET", "/v1/keys", auth=b["secret_key"]).data["data"]
    for key in b_keys:
        assert live.call("GET", f"/v1/keys/{key['id']}", auth=a["secret_key"]).status_code == 404
        assert live.call("DELETE", f"/v1/keys/{key['id']}", auth=a["secret_key"]).status_code == 404
    assert live.call("GET", "/v1/tenant", auth=b["secret_key"]).data["id"] == b["tenant_id"]
    a_audit = live.call("GET", "/v1/audit", auth=a["secret_key"]).data["data"]
    assert all(b["tenant_id"] not in e["target"] for e in a_audit)
