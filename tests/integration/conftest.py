"""Integration tier helpers: the real app and adapters over DynamoDB Local and moto server."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from chalice.test import Client

from chalicelib import bootstrap
from chalicelib.kernel.domain.tenant import TenantStatus
from chalicelib.queues import PROVISIONING
from chalicelib.settings import from_environ
from local.resources import Stack
from local.streams import table_names
from tests.conftest import stack_environment_applied

HERE = Path(__file__).resolve().parent


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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """This tier's tests marked `slow` (15 s and more each: the races, the brute-force index
    check) before its others, within the places its tests hold (a session of several tiers
    keeps their order). xdist hands single tests out one by one as a worker runs low (after
    the `xdist_group`s, which go first as the larger units), so that none of them is the last
    to start and runs alone while the other worker idles. The tier's last 30 s still run at
    about half the machine (a fresh clone's `make test`, /proc/stat every 5 s, before and
    after this order): its last short tests and the workers' teardown."""
    places = [n for n, item in enumerate(items) if Path(item.path).is_relative_to(HERE)]
    ordered = sorted((items[n] for n in places), key=lambda i: i.get_closest_marker("slow") is None)
    for n, item in zip(places, ordered, strict=True):
        items[n] = item


@pytest.fixture(autouse=True)
def _tenants_of_the_test_closed(request: pytest.FixtureRequest) -> Iterator[None]:
    """After a test on the stack: the tenants whose tables it made suspended and those tables
    deleted, so that this worker's DynamoDB Local holds only the tables of the test it runs.

    Three background jobs of DynamoDB Local each read every table it holds once a second
    (indexes being made or dropped, items whose TTL has passed), on the one SQLite thread the
    requests also wait for: beside a fixed request mix, 300 tables kept 0.3 of a core busy
    where one table kept 0.006, and the mix took half as long again (/proc/<pid>/stat).
    Tables made before the test (module-scoped tenants) stay. A message or schedule still on
    its way for a closed tenant is dropped by most consumers, as any suspended tenant's is
    (its table's read answers TenantNotReady, its record says suspended). Two act for a
    suspended tenant too and would fail on the missing table: hold expiry (its messages come
    when the hold ends, 15 minutes on, after the tier) and the payment syncs, whose messages
    every payments test handles before it ends (`settle`)."""
    if "stack" not in request.fixturenames:
        yield
        return
    stack: Stack = request.getfixturevalue("stack")
    prefix = from_environ(stack.env).tenant_table_prefix
    ddb = stack.client("dynamodb")
    before = set(table_names(ddb, prefix))
    yield
    made = [name for name in table_names(ddb, prefix) if name not in before]
    if not made:
        return
    _suspend(stack, [name.removeprefix(prefix) for name in made])
    for name in made:
        ddb.update_table(TableName=name, DeletionProtectionEnabled=False)
        ddb.delete_table(TableName=name)


def _suspend(stack: Stack, tenant_ids: list[str]) -> None:
    with stack_environment_applied(stack):
        platform = bootstrap.container().platform
        for tenant_id in tenant_ids:
            tenant = platform.get_tenant(tenant_id)
            if tenant is not None:
                platform.save_tenant(
                    replace(tenant, status=TenantStatus.SUSPENDED, version=tenant.version + 1)
                )
