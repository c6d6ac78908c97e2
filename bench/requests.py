"""DynamoDB requests per operation, counted from botocore events.

Runs the app in-process (chalice.test.Client) against DynamoDB Local and moto server (started
here, stopped by pid at the end) and counts every AWS call the app makes during each
operation: a `before-call` handler on the event system of the container's boto3 Session
(chalicelib/bootstrap.py; tenant tables, SQS, STS, Cognito) and on every botocore session
PynamoDB opens (the platform table). The harness's own calls (reading the provisioning
message, say) use other sessions and are not counted.

Operations: sign-up, provisioning (the SQS handler), GET /v1/tenant, creating a resource and
an offering, a 31-day availability query, a hold (the container's first, then a warm one),
confirm, cancel, reschedule, the widget's availability and hold (with their budgets), hold
expiry (the delayed message) and a sweeper tick. The
catalog snapshot is cached per container for 10 s: the first availability query and hold
after it runs out also list the catalog (two Queries), shown as rows of their own.
Prints a table, a Markdown table for the README, then one JSON line.

    .venv/bin/python -m bench.requests
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from local.dynamodb_local import DynamoDBLocal  # noqa: E402
from local.emulators import MotoServer, free_port  # noqa: E402
from local.resources import Stack, build_stack  # noqa: E402

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Tally:
    """AWS calls by (service, operation, table kind), for the operation being measured.

    Counted on `before-call.<service>.<operation>` (once per API call; botocore's retries
    happen below it). Which table a call went to comes from the API parameters, seen a moment
    earlier in the same thread by `before-parameter-build`.
    """

    def __init__(self, platform_table: str) -> None:
        self.platform_table = platform_table
        self.calls: Counter[tuple[str, str, str]] = Counter()
        self._local = threading.local()

    def before_parameter_build(self, params: dict[str, Any], **_: Any) -> None:
        names = {params.get("TableName")}
        for entry in params.get("TransactItems", []):
            names |= {part.get("TableName") for part in entry.values() if isinstance(part, dict)}
        names |= set(params.get("RequestItems", {}))
        self._local.tables = {n for n in names if n}

    def before_call(self, event_name: str, **_: Any) -> None:
        _, service, operation = event_name.split(".", 2)
        tables = getattr(self._local, "tables", set()) if service == "dynamodb" else set()
        self._local.tables = set()
        kinds = sorted({"platform" if t == self.platform_table else "tenant" for t in tables})
        self.calls[(service, operation, "+".join(kinds))] += 1

    def register(self, events: Any) -> None:
        events.register("before-parameter-build", self.before_parameter_build)
        events.register("before-call", self.before_call)

    def take(self) -> Counter[tuple[str, str, str]]:
        calls, self.calls = self.calls, Counter()
        return calls


def hook(tally: Tally) -> None:
    """Count the container's boto3 calls and PynamoDB's (which opens its own sessions)."""
    import pynamodb.connection.base as pynamodb_base

    from chalicelib import bootstrap

    tally.register(bootstrap.container()._session.events)
    original = pynamodb_base.get_session

    def counted_session() -> Any:
        session = original()
        tally.register(session)
        return session

    pynamodb_base.get_session = counted_session


class Api:
    def __init__(self, client: Any) -> None:
        self.client = client

    def call(
        self,
        method: str,
        path: str,
        *,
        key: str | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
        expect: int = 200,
    ) -> Any:
        sent = {"Content-Type": "application/json", **(headers or {})}
        if key:
            sent["Authorization"] = f"Bearer {key}"
        kwargs: dict[str, Any] = {"headers": sent}
        if body is not None:
            kwargs["body"] = json.dumps(body)
        response = getattr(self.client.http, method.lower())(path, **kwargs)
        if response.status_code != expect:
            raise SystemExit(f"{method} {path}: {response.status_code} {response.body!r}")
        return json.loads(response.body) if response.body else None


def provisioning_event(stack: Stack, client: Any, tenant_id: str) -> dict[str, Any]:
    from chalicelib.queues import PROVISIONING

    sqs = stack.client("sqs")
    url = stack.resources.queue_urls[PROVISIONING.name]
    for _ in range(10):
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        for message in got.get("Messages", []):
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            if json.loads(message["Body"])["tenant_id"] == tenant_id:
                event = client.events.generate_sqs_event(
                    message_bodies=[message["Body"]], queue_name=PROVISIONING.name
                )
                event["Records"][0]["messageId"] = message["MessageId"]
                return event
    raise SystemExit("no provisioning message")


def run(stack: Stack) -> dict[str, Counter[tuple[str, str, str]]]:
    os.environ.update(stack.env)
    from chalice.test import Client

    from app import app
    from chalicelib import bootstrap
    from chalicelib.queues import HOLD_EXPIRY

    bootstrap.use(None)
    tally = Tally(stack.resources.platform_table)
    hook(tally)
    measured: dict[str, Counter[tuple[str, str, str]]] = {}
    day = (datetime.now(UTC) + timedelta(days=30)).date()

    with Client(app) as client:
        api = Api(client)
        slug = f"requests-{os.urandom(4).hex()}"
        signup = api.call(
            "POST",
            "/v1/signup",
            body={
                "business_name": "Requests Ltd",
                "slug": slug,
                "owner_email": f"owner@{slug}.example",
                "timezone": "Europe/Berlin",
                "currency": "EUR",
                "locale": "en",
                "business_type": "tours",
            },
            expect=202,
        )
        measured["sign-up (POST /v1/signup)"] = tally.take()
        key, tenant_id = signup["secret_key"], signup["tenant_id"]

        event = provisioning_event(stack, client, tenant_id)
        tally.take()
        result = client.lambda_.invoke("provision", event).payload
        if result and result.get("batchItemFailures"):
            raise SystemExit(f"provisioning failed: {result}")
        measured["provisioning (SQS handler)"] = tally.take()

        api.call("GET", "/v1/tenant", key=key)
        measured["GET /v1/tenant"] = tally.take()

        resource = api.call(
            "POST",
            "/v1/resources",
            key=key,
            body={
                "name": "Harbour cruise",
                "kind": "session",
                "capacity": 40,
                "session_times": {d: ["10:00"] for d in WEEKDAYS},
                "session_minutes": 120,
            },
            expect=201,
        )
        measured["create a resource (POST /v1/resources)"] = tally.take()
        offering = api.call(
            "POST",
            "/v1/offerings",
            key=key,
            body={
                "name": "Cruise ticket",
                "kind": "session",
                "requirements": [{"resource_id": resource["id"], "per": "person"}],
                "pricing": {"amount": 2500, "basis": "person"},
            },
            expect=201,
        )
        measured["create an offering (POST /v1/offerings)"] = tally.take()
        offering_id = offering["id"]

        first, last = day, day + timedelta(days=31)
        query = f"/v1/availability?offering={offering_id}&from={first}&to={last}"
        bootstrap.container().catalog_cache.invalidate(tenant_id)
        api.call("GET", query, key=key)
        measured["availability, 31 days, catalog not cached (GET /v1/availability)"] = tally.take()
        api.call("GET", query, key=key)
        measured["availability, 31 days (GET /v1/availability)"] = tally.take()

        def hold(start_day: Any) -> dict[str, Any]:
            return api.call(
                "POST",
                "/v1/orders",
                key=key,
                body={
                    "customer": {"name": "Ada", "email": "ada@example.com"},
                    "lines": [
                        {"offering_id": offering_id, "start": f"{start_day}T10:00", "party": 2}
                    ],
                },
                expect=201,
            )

        bootstrap.container().catalog_cache.invalidate(tenant_id)
        first_hold = hold(day)
        measured["hold, the container's first: catalog listed, tenant marked (POST /v1/orders)"] = (
            tally.take()
        )
        second = hold(day)
        measured["hold (POST /v1/orders)"] = tally.take()

        # The widget's routes spend budgets (tenancy/domain/rate_limits.py): one UpdateItem each.
        pk = signup["publishable_key"]
        api.call("GET", "/v1/public" + query.removeprefix("/v1"), key=pk)
        measured["widget availability, 31 days (GET /v1/public/availability)"] = tally.take()
        api.call(
            "POST",
            "/v1/public/orders",
            key=pk,
            body={
                "customer": {"name": "Bo", "email": "bo@example.com", "phone": "+4915112345678"},
                "lines": [{"offering_id": offering_id, "start": f"{day}T10:00", "party": 2}],
            },
            expect=201,
        )
        measured["widget hold, with a phone (POST /v1/public/orders)"] = tally.take()

        api.call("POST", f"/v1/orders/{first_hold['id']}/confirm", key=key, body={})
        measured["confirm (POST .../confirm)"] = tally.take()
        api.call("POST", f"/v1/orders/{first_hold['id']}/cancel", key=key, body={"reason": "x"})
        measured["cancel (POST .../cancel)"] = tally.take()

        api.call(
            "POST",
            f"/v1/orders/{second['id']}/reschedule",
            key=key,
            headers={"If-Match": '"1"'},
            body={
                "lines": [
                    {
                        "offering_id": offering_id,
                        "start": f"{day + timedelta(days=1)}T10:00",
                        "party": 2,
                    }
                ]
            },
        )
        measured["reschedule (POST .../reschedule)"] = tally.take()

        third = hold(day)
        tally.take()
        # The delayed message arrives once the hold has run out: move the container's clock.
        c = bootstrap.container()
        later = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        c.now = lambda: later  # type: ignore[method-assign]
        message = {
            "tenant_id": tenant_id,
            "order_id": third["id"],
            "expires_at": third["hold_expires_at"],
        }
        event = client.events.generate_sqs_event(
            message_bodies=[json.dumps(message)], queue_name=HOLD_EXPIRY.name
        )
        result = client.lambda_.invoke("expire_holds", event).payload
        if result and result.get("batchItemFailures"):
            raise SystemExit(f"expiry failed: {result}")
        measured["hold expiry (SQS handler, one message)"] = tally.take()
        expired = api.call("GET", f"/v1/orders/{third['id']}", key=key)
        tally.take()
        if expired["status"] != "expired":
            raise SystemExit(f"the hold did not expire: {expired['status']}")

        client.lambda_.invoke(
            "sweep_expired_holds",
            client.events.generate_cw_event(
                source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]
            ),
        )
        measured[
            "sweeper tick (schedule: one marked tenant; its one overdue hold expired; mark cleared)"
        ] = tally.take()
    bootstrap.use(None)
    return measured


def cell(calls: Counter[tuple[str, str, str]], service: str) -> str:
    grouped: dict[str, int] = defaultdict(int)
    for (svc, operation, where), n in sorted(calls.items()):
        if svc == service:
            grouped[f"{operation} ({where})" if where else operation] += n
    return ", ".join(f"{name} ×{n}" if n > 1 else name for name, n in grouped.items()) or "-"


def main() -> None:
    with DynamoDBLocal(free_port()) as ddb, MotoServer(free_port()) as moto:
        stack = build_stack(ddb.endpoint, moto.endpoint)
        measured = run(stack)

    rows = []
    for name, calls in measured.items():
        dynamodb = sum(n for (svc, _, _), n in calls.items() if svc == "dynamodb")
        others = sorted({svc for (svc, _, _) in calls} - {"dynamodb"})
        rows.append(
            {
                "operation": name,
                "dynamodb_requests": dynamodb,
                "dynamodb": cell(calls, "dynamodb"),
                "other": "; ".join(f"{svc}: {cell(calls, svc)}" for svc in others) or "-",
                "counts": {
                    f"{svc}.{op}" + (f".{where}" if where else ""): n
                    for (svc, op, where), n in sorted(calls.items())
                },
            }
        )
    width = max(len(r["operation"]) for r in rows)
    print(f"{'operation':{width}}  DynamoDB  requests (table)")
    for r in rows:
        print(f"{r['operation']:{width}}  {r['dynamodb_requests']:8}  {r['dynamodb']}")
        if r["other"] != "-":
            print(f"{'':{width}}            other AWS calls: {r['other']}")
    print()
    print("## DynamoDB requests per operation")
    print()
    print("| operation | DynamoDB requests | by type (table) | other AWS calls |")
    print("|---|---:|---|---|")
    for r in rows:
        print(f"| {r['operation']} | {r['dynamodb_requests']} | {r['dynamodb']} | {r['other']} |")
    print()
    print(
        json.dumps({"bench": "requests", "operations": {r["operation"]: r["counts"] for r in rows}})
    )


if __name__ == "__main__":
    main()
