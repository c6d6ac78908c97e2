"""Integration tier helpers: the real app and adapters over DynamoDB Local and moto server."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from chalice.test import Client

from chalicelib import bootstrap
from chalicelib.queues import PROVISIONING
from local.resources import Stack


def unique_slug(stem: str) -> str:
    return f"{stem}-{uuid.uuid4().hex[:8]}"


@dataclass
class LiveApi:
    client: Client
    stack: Stack
    inbox: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def call(self, method: str, path: str, *, auth: str | None = None, body: Any = None) -> Any:
        headers = {"Content-Type": "application/json"}
        if auth:
            headers["Authorization"] = f"Bearer {auth}"
        kwargs: dict[str, Any] = {"headers": headers}
        if body is not None:
            kwargs["body"] = json.dumps(body)
        response = getattr(self.client.http, method.lower())(path, **kwargs)
        response.data = json.loads(response.body) if response.body else None
        return response

    def signup(self, stem: str, **overrides: Any) -> dict[str, Any]:
        slug = unique_slug(stem)
        body = {
            "business_name": f"{stem.title()} Ltd",
            "slug": slug,
            "owner_email": f"owner@{slug}.example",
            "timezone": "Europe/Berlin",
            "currency": "EUR",
            "locale": "en",
            "business_type": "hotel",
            **overrides,
        }
        response = self.call("POST", "/v1/signup", body=body)
        assert response.status_code == 202, response.body
        return response.data

    def receive_provisioning(self, tenant_id: str) -> list[dict[str, Any]]:
        """This tenant's provisioning messages from the real queue, as Lambda records."""
        sqs = self.stack.client("sqs")
        url = self.stack.resources.queue_urls[PROVISIONING.name]
        # Drain the queue into the inbox: other tenants' messages wait there for their turn.
        for _ in range(5):
            got = sqs.receive_message(
                QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0, AttributeNames=["All"]
            )
            for m in got.get("Messages", []):
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
                owner = json.loads(m["Body"])["tenant_id"]
                self.inbox.setdefault(owner, []).append(m)
            if tenant_id in self.inbox:
                break
        return self.inbox.pop(tenant_id, [])

    def provision(self, tenant_id: str, *, repeat: int = 1) -> list[Any]:
        messages = self.receive_provisioning(tenant_id)
        assert messages, "sign-up sent no provisioning message"
        event = self.client.events.generate_sqs_event(
            message_bodies=[m["Body"] for m in messages] * repeat, queue_name=PROVISIONING.name
        )
        for i, record in enumerate(event["Records"]):
            record["messageId"] = f"{messages[0]['MessageId']}-{i}"
        return [self.client.lambda_.invoke("provision", event).payload]


@pytest.fixture
def live(stack_env: Stack) -> Iterator[LiveApi]:
    from app import app

    bootstrap.use(None)
    with Client(app) as client:
        yield LiveApi(client=client, stack=stack_env)
    bootstrap.use(None)


@pytest.fixture
def empty_tenant_table(stack: Stack) -> Iterator[str]:
    """A tenant table of its own (the schema's), for a test of one adapter; deleted after."""
    from chalicelib.kernel.adapters.schema import TENANT_TABLE

    name = f"reservoir-tenant-it{uuid.uuid4().hex[:10]}"
    ddb = stack.client("dynamodb")
    ddb.create_table(**TENANT_TABLE.create_table_kwargs(name))
    ddb.get_waiter("table_exists").wait(TableName=name)
    yield name
    ddb.delete_table(TableName=name)
