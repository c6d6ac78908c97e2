"""What one booking costs on AWS: the inputs of docs/SCALING.md "Cost per million bookings".

Runs the app in-process (chalice.test.Client) against DynamoDB Local and moto server (started here
on free 127.0.0.1 ports, stopped by pid at the end), signs up a hotel, a salon and a tour operator
(the demo catalogs of local/demo_catalog.py), and runs each booking's whole life: an availability
query, the hold (POST /v1/orders), the background steps it starts, confirm (pay at the venue), then
every background step after it, each through the handler Lambda invokes: the relay (`relay_events`)
on each batch of the tenant table's stream records, as its event source mapping hands them (read
from DynamoDB Local's stream by local/streams.py, the mapping's filter applied; stream reads by
Lambda are free, so they are not counted), each consumer group's dispatcher (`dispatch_events`,
`dispatch_message_events`, `dispatch_payment_events`, `dispatch_bulk_events`:
pipeline/groups.py) on every message the relay put on the events queue, the hold-expiry handler
(`expire_holds`) on the delayed expiry message (it finds the order confirmed), every reminder
schedule firing through `send_reminders`, and anything those send in turn, until nothing is left.
Worker messages are taken from the app's own SendMessage calls (the delayed expiry message would
otherwise take the hold's 15 minutes to arrive) and delivered one per invocation: Lambda's worst
case, batch size 1. The catalog cache is emptied before each booking: a small business books far
less often than once per 10 s per container.

Counted per booking, from botocore events on the container's boto3 Session
(chalicelib/bootstrap.py) and on PynamoDB's sessions:
- DynamoDB request units, two ways. "rules": computed from item sizes with DynamoDB's
  published rules (writes 1 WRU per KB of the larger of the item before and after, doubled in
  a transaction; ConditionCheck billed as a transactional write; each GSI whose keys the item
  carries before or after costs its own writes, not doubled; reads 1 RRU per 4 KB, half when
  eventually consistent, double in a transaction; a Query or Scan is charged the full size of
  the items it read, projection or not). Item sizes come from a separate, unhooked client
  reading each written item before and after the call, and re-running each Query without its
  projection. "local": the `ConsumedCapacity` DynamoDB Local returns to the
  `ReturnConsumedCapacity=INDEXES` injected into every call; it under-reports transactions
  with several items in one table, reports nothing for ConditionChecks and doubles GSI writes
  in transactions, so "rules" is the figure used (docs/SCALING.md, caveats).
- API requests, Lambda invocations per function with their wall and CPU time, SQS requests
  (the app's own calls, Scheduler's SendMessage per reminder fired, and for each message the
  Lambda service's ReceiveMessage and DeleteMessage), SES e-mails, SNS SMS, schedules.
Prints a table per booking kind and the average, then one JSON line.

    .venv/bin/python -m bench.cost [--repeat 3] [--busy 12]

`--busy N` first makes N bookings (not measured) on the days of each measured booking, over
the tenant's offerings in turn: its daily figures' day items then hold a busy day, not the few
bookings of a fresh tenant (DynamoDB bills an update by the whole item).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    del sys.path[0]  # bench/requests.py must not shadow the requests library
sys.path.insert(0, str(ROOT))

from bench.requests import Api, provisioning_event  # noqa: E402
from local.dynamodb_local import DynamoDBLocal  # noqa: E402
from local.emulators import MotoServer, free_port  # noqa: E402
from local.resources import Stack, build_stack  # noqa: E402

WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}
READS = {"GetItem", "BatchGetItem", "TransactGetItems", "Query", "Scan"}
KB, BLOCK = 1024, 4096
LAMBDA_VCPU_MB = 1769  # Lambda gives one full vCPU at 1,769 MB, proportionally less below
# The API is an API Gateway HTTP API (infra/stacks/http_api.py): $1.00 per million requests of
# up to 512 KB each (every request here is far smaller), where a REST API was $3.50.
API_GATEWAY_HTTP_PER_MILLION = 1.00


def attribute_size(value: dict[str, Any]) -> int:
    """Bytes of one attribute value, per DynamoDB's item size rules (numbers approximated)."""
    ((kind, v),) = value.items()
    if kind == "S":
        return len(v.encode())
    if kind == "N":
        return len(v.lstrip("-").replace(".", "").lstrip("0")) // 2 + 2
    if kind == "B":
        return len(v)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(s.encode()) for s in v)
    if kind == "NS":
        return sum(attribute_size({"N": n}) for n in v)
    if kind == "BS":
        return sum(len(b) for b in v)
    if kind == "L":
        return 3 + sum(1 + attribute_size(e) for e in v)
    if kind == "M":
        return 3 + sum(1 + len(k.encode()) + attribute_size(e) for k, e in v.items())
    raise ValueError(kind)


def item_size(item: dict[str, Any] | None) -> int:
    if not item:
        return 0
    return sum(len(k.encode()) + attribute_size(v) for k, v in item.items())


@dataclass
class Usage:
    """What one step (an HTTP request, a worker invocation) cost."""

    wru: Counter[str] = field(default_factory=Counter)  # by "table" / "gsiN", rules
    wru_by_item: Counter[str] = field(default_factory=Counter)  # by "Action KIND#" (and GSIs)
    rru: Counter[str] = field(default_factory=Counter)
    gsi_in_transactions: int = 0  # GSI WRU of transactional writes (included in wru, once)
    local_wru: float = 0.0
    local_rru: float = 0.0
    calls: Counter[str] = field(default_factory=Counter)  # service.Operation
    requests: Counter[str] = field(default_factory=Counter)  # DynamoDB: "Operation KIND#"
    failed: Counter[str] = field(default_factory=Counter)
    sent: list[tuple[str, str]] = field(default_factory=list)  # (queue url, body)
    schedules: list[dict[str, Any]] = field(default_factory=list)  # CreateSchedule params


def request_kind(operation: str, params: dict[str, Any]) -> str:
    """The kinds of item a DynamoDB request is about (the pk's prefix), for `--items`."""

    def prefix(value: Any) -> str:
        return str(value).split("#")[0] + "#"

    if operation == "TransactWriteItems":
        kinds = []
        for entry in params.get("TransactItems", []):
            ((action, body),) = entry.items()
            item = body.get("Key") or body.get("Item") or {}
            kinds.append(prefix(item.get("pk", {}).get("S", "?")))
        return "+".join(sorted(set(kinds)))
    if operation in ("BatchGetItem", "BatchWriteItem"):
        return "batch"
    if operation in ("Query", "Scan"):
        values = params.get("ExpressionAttributeValues", {})
        first = next((v.get("S") for v in values.values() if "S" in v), "?")
        return f"{params.get('IndexName', '')} {prefix(first)}".strip()
    item = params.get("Key") or params.get("Item") or {}
    table = "platform " if "platform" in str(params.get("TableName", "")) else ""
    return table + prefix(item.get("pk", {}).get("S", "?"))


class Meter:
    """botocore handlers: inject ReturnConsumedCapacity, price every DynamoDB call."""

    def __init__(self, side: Any) -> None:
        self.side = side  # an unhooked DynamoDB client on the same endpoint
        self.usage = Usage()
        self._local = threading.local()
        self._schemas: dict[str, tuple[list[str], dict[str, tuple[list[str], bool]]]] = {}

    def register(self, events: Any) -> None:
        events.register("before-parameter-build", self.before_parameter_build)
        events.register("before-call", self.before_call)
        events.register("after-call", self.after_call)

    def take(self) -> Usage:
        usage, self.usage = self.usage, Usage()
        return usage

    # -- table schemas and item reads through the side client

    def schema(self, table: str) -> tuple[list[str], dict[str, tuple[list[str], bool]]]:
        """The table's keys, and per GSI its keys and whether it projects keys only."""
        if table not in self._schemas:
            t = self.side.describe_table(TableName=table)["Table"]
            keys = [k["AttributeName"] for k in t["KeySchema"]]
            gsis = {
                g["IndexName"]: (
                    [k["AttributeName"] for k in g["KeySchema"]],
                    g.get("Projection", {}).get("ProjectionType") == "KEYS_ONLY",
                )
                for g in t.get("GlobalSecondaryIndexes", [])
            }
            self._schemas[table] = (keys, gsis)
        return self._schemas[table]

    def read(self, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
        got = self.side.get_item(TableName=table, Key=key, ConsistentRead=True)
        return got.get("Item")

    def targets(self, operation: str, params: dict[str, Any]) -> list[tuple[str, str, dict]]:
        """(action, table, key) of every item a write touches."""
        out = []
        if operation == "TransactWriteItems":
            for entry in params["TransactItems"]:
                ((action, body),) = entry.items()
                out.append((action, body["TableName"], self._key(body)))
        elif operation == "BatchWriteItem":
            for table, requests in params["RequestItems"].items():
                for request in requests:
                    ((action, body),) = request.items()
                    out.append((action, table, self._key({"TableName": table, **body})))
        else:
            out.append((operation, params["TableName"], self._key(params)))
        return out

    def _key(self, body: dict[str, Any]) -> dict[str, Any]:
        if "Key" in body:
            return body["Key"]
        keys, _ = self.schema(body["TableName"])
        return {k: body["Item"][k] for k in keys}

    # -- botocore events

    def before_parameter_build(
        self, params: dict[str, Any], model: Any, event_name: str, **_: Any
    ) -> None:
        service, operation = event_name.split(".")[1:3]
        self._local.params = dict(params)
        if service == "dynamodb" and "ReturnConsumedCapacity" in model.input_shape.members:
            params["ReturnConsumedCapacity"] = "INDEXES"

    def before_call(self, event_name: str, **_: Any) -> None:
        service, operation = event_name.split(".")[1:3]
        params = getattr(self._local, "params", {})
        self.usage.calls[f"{service}.{operation}"] += 1
        if service == "dynamodb":
            self.usage.requests[f"{operation} {request_kind(operation, params)}"] += 1
        if service == "dynamodb" and operation in WRITES:
            targets = self.targets(operation, params)
            self._local.before = [(t, self.read(t[1], t[2])) for t in targets]
        if service == "sqs" and operation == "SendMessage":
            self.usage.sent.append((params["QueueUrl"], params["MessageBody"]))
        if service == "sqs" and operation == "SendMessageBatch":
            for entry in params["Entries"]:
                self.usage.sent.append((params["QueueUrl"], entry["MessageBody"]))
        if service == "scheduler" and operation == "CreateSchedule":
            self.usage.schedules.append(params)

    def after_call(self, event_name: str, parsed: dict[str, Any], **_: Any) -> None:
        service, operation = event_name.split(".")[1:3]
        if "Error" in parsed:
            self.usage.failed[f"{service}.{operation}.{parsed['Error'].get('Code')}"] += 1
        if service != "dynamodb":
            return
        params = getattr(self._local, "params", {})
        reported = parsed.get("ConsumedCapacity") or []
        for entry in reported if isinstance(reported, list) else [reported]:
            if operation in WRITES:
                self.usage.local_wru += entry.get("CapacityUnits", 0)
            else:
                self.usage.local_rru += entry.get("CapacityUnits", 0)
        if operation in WRITES:
            self.price_write(operation, failed="Error" in parsed)
        elif operation in READS and "Error" not in parsed:
            self.price_read(operation, params, parsed)

    def price_write(self, operation: str, *, failed: bool) -> None:
        factor = 2 if operation == "TransactWriteItems" else 1
        for (action, table, key), before in self._local.before:
            after = before if failed else self.read(table, key)
            size = max(item_size(before), item_size(after))
            self.usage.wru["table"] += factor * max(1, math.ceil(size / KB))
            kind = f"{action} {str(key.get('pk', {}).get('S', '?')).split('#')[0]}#"
            self.usage.wru_by_item[kind] += factor * max(1, math.ceil(size / KB))
            if action == "ConditionCheck" or failed or before == after:
                continue
            _, gsis = self.schema(table)
            for name, (keys, keys_only) in gsis.items():
                was = before is not None and all(k in before for k in keys)
                now = after is not None and all(k in after for k in keys)
                same = was and now and all(before[k] == after[k] for k in keys)  # type: ignore[index]
                units = 0
                if keys_only:
                    # Only the keys are projected: an entry is written when they change
                    # (a delete and a put of a small entry), never for other attributes.
                    if not same:
                        units = int(was) + int(now)
                elif same:
                    units = math.ceil(item_size(after) / KB)
                else:
                    units += math.ceil(item_size(before) / KB) if was else 0
                    units += math.ceil(item_size(after) / KB) if now else 0
                self.usage.wru[name] += units
                self.usage.wru_by_item[f"{kind} {name}"] += units
                if factor == 2:
                    self.usage.gsi_in_transactions += units

    def price_read(self, operation: str, params: dict[str, Any], parsed: dict[str, Any]) -> None:
        def units(size: int, consistent: bool, factor: float = 1) -> float:
            return factor * max(1, math.ceil(size / BLOCK)) * (1 if consistent else 0.5)

        if operation == "GetItem":
            size = item_size(parsed.get("Item"))
            self.usage.rru["table"] += units(size, params.get("ConsistentRead", False))
        elif operation == "TransactGetItems":
            for response in parsed.get("Responses", []):
                self.usage.rru["table"] += units(item_size(response.get("Item")), True, 2)
        elif operation == "BatchGetItem":
            for table, request in params["RequestItems"].items():
                consistent = request.get("ConsistentRead", False)
                items = parsed.get("Responses", {}).get(table, [])
                missing = len(request["Keys"]) - len(items)
                self.usage.rru["table"] += sum(units(item_size(i), consistent) for i in items)
                self.usage.rru["table"] += missing * units(0, consistent)
        else:  # Query, Scan: the full items read, whatever the projection or filter
            self.usage.rru[params.get("IndexName", "table")] += units(
                self.full_size(operation, params), params.get("ConsistentRead", False)
            )

    def full_size(self, operation: str, params: dict[str, Any]) -> int:
        keep = {"TableName", "IndexName", "Limit", "ExclusiveStartKey", "ConsistentRead"}
        keep |= {"KeyConditionExpression", "ScanIndexForward", "Segment", "TotalSegments"}
        again = {k: v for k, v in params.items() if k in keep}
        text = again.get("KeyConditionExpression", "")
        names = {k: v for k, v in params.get("ExpressionAttributeNames", {}).items() if k in text}
        values = {k: v for k, v in params.get("ExpressionAttributeValues", {}).items() if k in text}
        if names:
            again["ExpressionAttributeNames"] = names
        if values:
            again["ExpressionAttributeValues"] = values
        call = self.side.query if operation == "Query" else self.side.scan
        return sum(item_size(i) for i in call(**again).get("Items", []))


def hook(meter: Meter) -> None:
    import pynamodb.connection.base as pynamodb_base

    from chalicelib import bootstrap

    meter.register(bootstrap.container()._session.events)
    original = pynamodb_base.get_session

    def metered_session() -> Any:
        session = original()
        meter.register(session)
        return session

    pynamodb_base.get_session = metered_session


@dataclass
class Step:
    function: str
    wall: float
    cpu: float
    usage: Usage
    drained: bool = False  # what it sent has been delivered


def timed(meter: Meter, function: str, steps: list[Step], run: Any) -> Any:
    meter.take()
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    steps.append(
        Step(function, time.perf_counter() - wall, time.process_time() - cpu, meter.take())
    )
    return result


SIGNUPS = {
    "hotel": ("harbour-view", "Europe/Berlin", "EUR", "hotel"),
    "salon": ("shear-studio", "America/New_York", "USD", "appointments"),
    "tours": ("great-wall-tours", "Asia/Shanghai", "CNY", "tours"),
}


def setup(api: Api, stack: Stack, client: Any, kind: str) -> tuple[str, str, list[str]]:
    """Sign up and provision one tenant, create its demo catalog: (key, tenant, offerings)."""
    from local.demo_catalog import CATALOGS, _resolve

    slug, tz, currency, business = SIGNUPS[kind]
    slug = f"{slug}-{os.urandom(3).hex()}"
    signup = api.call(
        "POST",
        "/v1/signup",
        body={
            "business_name": kind.title(),
            "slug": slug,
            "owner_email": f"owner@{slug}.example",
            "timezone": tz,
            "currency": currency,
            "locale": "en",
            "business_type": business,
        },
        expect=202,
    )
    event = provisioning_event(stack, client, signup["tenant_id"])
    client.lambda_.invoke("provision", event)
    key = signup["secret_key"]
    catalog = CATALOGS[SIGNUPS[kind][0]]
    ids: dict[str, str] = {}
    for alias, body in catalog["resources"].items():
        ids[alias] = api.call("POST", "/v1/resources", key=key, body=body, expect=201)["id"]
    offerings = [
        api.call("POST", "/v1/offerings", key=key, body=_resolve(o, ids), expect=201)["id"]
        for o in catalog["offerings"]
    ]
    return key, signup["tenant_id"], offerings


def book(
    kind: str, n: int, api: Api, key: str, offering: str, day: Any
) -> tuple[str, dict[str, Any]]:
    """The availability query (its path) and the hold's body for booking `n` of a kind."""
    if kind == "hotel":
        check_in = day + timedelta(days=n)
        query = f"/v1/availability?offering={offering}&from={check_in}&to={check_in + timedelta(7)}"
        line = {"offering_id": offering, "check_in": str(check_in), "nights": 2, "party": 2}
        return query + "&nights=2&party=2", line
    if kind == "salon":
        # A week: whatever day of the week `day` is (the demo salon closes on some), there
        # are free slots in it.
        date = day + timedelta(days=n)
        query = f"/v1/availability?offering={offering}&from={date}&to={date + timedelta(7)}"
        return query, {"offering_id": offering}  # the start: the first free slot
    date = day + timedelta(days=n)
    query = f"/v1/availability?offering={offering}&from={date}&to={date + timedelta(7)}&party=2"
    return query, {"offering_id": offering, "start": f"{date}T07:30", "party": 2}


class Streams:
    """The tenant tables' streams, handed to the relay as its event source mapping would:
    each batch one `relay_events` invocation, timed and metered as a step of the booking."""

    def __init__(self, meter: Meter, client: Any, stack: Stack) -> None:
        from chalicelib.settings import from_environ
        from local.streams import StreamReader

        self.steps: list[Step] = []
        self.reader = StreamReader(
            stack.client("dynamodb"),
            stack.client("dynamodbstreams"),
            prefix=from_environ(stack.env).tenant_table_prefix,
            handler=lambda event, _: timed(
                meter,
                "relay_events",
                self.steps,
                lambda: client.lambda_.invoke("relay_events", event).payload,
            ),
            context=lambda: None,
            on_failure=self.failed,
        )

    def failed(self, records: list[dict[str, Any]]) -> None:
        raise SystemExit(f"the relay failed on {records}")

    def relay(self, steps: list[Step]) -> bool:
        """Relay what the streams hold now; True if anything was."""
        self.steps = steps
        return self.reader.poll() > 0


def life(
    meter: Meter,
    api: Api,
    client: Any,
    streams: Streams,
    kind: str,
    n: int,
    tenant: tuple,
    offering: int = 0,
    guest: str = "",
) -> list[Step]:
    """One booking, from the availability query to the last background step (by Ada, or by
    `guest`: another customer)."""
    from chalicelib import bootstrap
    from chalicelib.booking.services.expiry import WORK_KIND

    key, tenant_id, offerings = tenant
    day = (datetime.now(UTC) + timedelta(days=20)).date()
    query, line = book(kind, n, api, key, offerings[offering % len(offerings)], day)
    bootstrap.container().catalog_cache.invalidate(tenant_id)
    bootstrap.container().work_marks.forget(WORK_KIND, tenant_id)  # its last hold: an hour ago
    steps: list[Step] = []
    options = timed(meter, "api", steps, lambda: api.call("GET", query, key=key))["options"]
    if kind == "salon":
        line["start"] = options[0]["start"][:16]
    ada = {"name": "Ada Lovelace", "email": "ada@example.com", "phone": "+4915112345678"}
    other = {"name": f"Guest {guest}", "email": f"guest-{guest}@example.com"}
    body = {"customer": other if guest else ada, "lines": [line]}
    idem = {"Idempotency-Key": os.urandom(8).hex()}
    order = timed(
        meter,
        "api",
        steps,
        lambda: api.call("POST", "/v1/orders", key=key, body=body, headers=idem, expect=201),
    )
    drain(meter, client, streams, steps, held=True)  # within a second; confirm comes later
    confirm = f"/v1/orders/{order['id']}/confirm"
    idem = {"Idempotency-Key": os.urandom(8).hex()}
    timed(meter, "api", steps, lambda: api.call("POST", confirm, key=key, body={}, headers=idem))

    drain(meter, client, streams, steps)
    sweeper_looks(meter, steps, tenant_id, order)
    state = api.call("GET", f"/v1/orders/{order['id']}", key=key)
    meter.take()
    if state["status"] != "confirmed":
        raise SystemExit(f"booking {order['id']} ended {state['status']}")
    return steps


def sweeper_looks(meter: Meter, steps: list[Step], tenant_id: str, order: dict[str, Any]) -> None:
    """What the hold-expiry sweeper spends on this booking: the hold marked its tenant, in the
    part of the open holds' index that lists it, until its end and ten minutes more
    (`mark_hold`), and the sweeper, which runs every minute anyway, looks at that mark in the
    minutes `sweep_due` says (half-hourly while it lasts), then once it has passed, when it
    also clears it. One look of each kind is measured (the part's shard, the tenant's record
    when a hold there is overdue, the clear) and counted as often as it comes. Neither is an
    invocation of its own, and the sweeper's Query of the marks each minute is the platform's,
    whatever it books: both are left out."""
    from chalicelib import bootstrap
    from chalicelib.booking.services.expiry import MARK_SLACK_SECONDS, look_at, sweep_due
    from chalicelib.kernel.domain.timefmt import add_seconds
    from chalicelib.kernel.services.ports import WorkMark

    c = bootstrap.container()
    held_at, until = order["created_at"], add_seconds(order["hold_expires_at"], MARK_SLACK_SECONDS)
    minutes = [add_seconds(held_at, 60 * m) for m in range(1, 24 * 60)]
    periodic = sum(1 for at in minutes if at < until and sweep_due(tenant_id, until, at))

    tenant = c.platform.get_tenant(tenant_id)  # for the part's number, no look's read
    part = c.tenant_data.for_tenant(tenant).orders.hold_part(order["id"])
    mark = WorkMark(tenant_id, until, part)

    def look(at: str) -> None:  # as `sweep` runs it, with no tenant read yet that minute
        look_at(mark, c.platform, c.tenant_data, now=lambda: at, new_id=c.new_id, tenants={})

    measured: list[Step] = []
    timed(meter, "sweep_look", measured, lambda: look(held_at))
    timed(meter, "sweep_look", measured, lambda: look(until))
    steps.extend([measured[0]] * periodic + [measured[1]])


@dataclass
class Backlog:
    """What the steps sent and scheduled, not yet delivered."""

    steps: list[Step]
    held: bool
    pending: list[tuple[str, str]] = field(default_factory=list)
    schedules: list[dict[str, Any]] = field(default_factory=list)
    later: list[tuple[str, str]] = field(default_factory=list)

    def collect(self) -> None:
        for s in self.steps:
            if not s.drained:
                self.pending.extend(s.usage.sent)
                self.schedules.extend(s.usage.schedules)
                s.drained = True

    def next(self) -> tuple[str, str] | None:
        """The next (queue, message) to deliver; None when nothing is left."""
        from chalicelib.queues import HOLD_EXPIRY, REMINDERS

        while self.pending:
            url, message = self.pending.pop(0)
            queue = url.rsplit("/", 1)[-1]
            if self.held and (
                queue == HOLD_EXPIRY.name or json.loads(message).get("kind") == "held"
            ):
                self.later.append((url, message))
                continue
            return queue, message
        if self.schedules:  # a reminder comes due: Scheduler sends its Input to the queue
            params = self.schedules.pop(0)
            fired = Usage(calls=Counter({"scheduler.fire": 1}))
            self.steps.append(Step("scheduler", 0, 0, fired, drained=True))
            return REMINDERS.name, params["Target"]["Input"]
        return None


def drain(
    meter: Meter, client: Any, streams: Streams, steps: list[Step], *, held: bool = False
) -> None:
    """Relay what the steps so far committed, deliver what they sent (messages, due
    schedules) to the handlers, one message per invocation, and what those commit and send in
    turn, until nothing is left. While the order is `held`, its delayed messages (the expiry,
    the "held" message a minute on) stay undelivered: they are due after the confirmation."""
    from chalicelib.queues import (
        BULK_EVENTS,
        EVENTS,
        HOLD_EXPIRY,
        MESSAGE_EVENTS,
        PAYMENT_EVENTS,
        REMINDERS,
        WEBHOOK_DELIVERIES,
    )

    handlers = {
        EVENTS.name: "dispatch_events",
        MESSAGE_EVENTS.name: "dispatch_message_events",
        PAYMENT_EVENTS.name: "dispatch_payment_events",
        BULK_EVENTS.name: "dispatch_bulk_events",
        HOLD_EXPIRY.name: "expire_holds",
        REMINDERS.name: "send_reminders",
        WEBHOOK_DELIVERIES.name: "deliver_webhooks",
    }
    backlog = Backlog(steps, held)
    backlog.collect()
    while True:
        delivery = backlog.next()
        if delivery is None:
            if not streams.relay(steps):
                break
            backlog.collect()
            continue
        queue, message = delivery
        event = client.events.generate_sqs_event(message_bodies=[message], queue_name=queue)
        event["Records"][0]["messageId"] = os.urandom(8).hex()
        name = handlers[queue]
        result = timed(
            meter, name, steps, lambda n=name, e=event: client.lambda_.invoke(n, e).payload
        )
        if result and result.get("batchItemFailures"):
            raise SystemExit(f"{name} failed on {message}: {result}")
        steps[-1].usage.calls["sqs.consumed"] += 1
        backlog.collect()
    if backlog.later:  # delivered by the next drain
        steps.append(Step("none", 0, 0, Usage(sent=backlog.later)))


def figures(steps: list[Step]) -> dict[str, Any]:
    """Per-booking inputs of the formula from one booking's steps."""
    calls: Counter[str] = Counter()
    wru: Counter[str] = Counter()
    by_item: Counter[str] = Counter()
    requests: Counter[str] = Counter()
    rru: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    invocations: dict[str, list[tuple[float, float]]] = defaultdict(list)
    local_w = local_r = 0.0
    gsi_tx = 0
    by_function: dict[str, Counter[str]] = defaultdict(Counter)
    for s in steps:
        calls += s.usage.calls
        wru += s.usage.wru
        by_item.update({f"{s.function}: {k}": v for k, v in s.usage.wru_by_item.items()})
        requests.update({f"{s.function}: {k}": v for k, v in s.usage.requests.items()})
        rru += s.usage.rru
        failed += s.usage.failed
        gsi_tx += s.usage.gsi_in_transactions
        by_function[s.function]["W"] += sum(s.usage.wru.values())
        by_function[s.function]["R"] += sum(s.usage.rru.values())
        local_w += s.usage.local_wru
        local_r += s.usage.local_rru
        if s.function not in ("scheduler", "none", "sweep_look"):
            invocations[s.function].append((s.wall, s.cpu))
    sqs_app = sum(n for c, n in calls.items() if c.startswith("sqs.") and c != "sqs.consumed")
    return {
        "W": sum(wru.values()),
        "R": sum(rru.values()),
        "W_by_index": dict(sorted(wru.items())),
        "W_by_item": dict(sorted(by_item.items())),
        "requests_by_item": dict(sorted(requests.items())),
        "R_by_index": dict(sorted(rru.items())),
        "W_gsi_in_transactions": gsi_tx,
        "WR_by_function": {f: dict(c) for f, c in sorted(by_function.items()) if sum(c.values())},
        "W_local": local_w,
        "R_local": local_r,
        "A": len(invocations["api"]),
        "functions": {
            f: {
                "n": len(runs),
                "wall_ms": round(1000 * sum(w for w, _ in runs) / len(runs), 1),
                "cpu_ms": round(1000 * sum(c for _, c in runs) / len(runs), 1),
            }
            for f, runs in sorted(invocations.items())
        },
        "Q": sqs_app + calls["scheduler.fire"] + 2 * calls["sqs.consumed"],
        "Q_parts": {
            "app": sqs_app,
            "scheduler_send": calls["scheduler.fire"],
            "lambda_receive_delete": 2 * calls["sqs.consumed"],
        },
        "dynamodb_requests": sum(n for c, n in calls.items() if c.startswith("dynamodb.")),
        "emails": sum(n for c, n in calls.items() if c.startswith("ses.Send")),
        "sms": calls["sns.Publish"],
        "schedules_fired": calls["scheduler.fire"],
        "failed_calls": dict(failed),
    }


def average(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The mean of per-booking figures (nested dicts averaged key by key)."""

    def mean(values: list[Any]) -> Any:
        if isinstance(values[0], dict):
            keys = sorted({k for v in values for k in v})
            return {k: mean([v.get(k, 0) for v in values]) for k in keys}
        return round(sum(values) / len(values), 3)

    return {k: mean([r[k] for r in rows]) for k in rows[0] if k != "failed_calls"}


def dollars(f: dict[str, Any], memory_gb: float, duration: str) -> dict[str, float]:
    """The formula of docs/SCALING.md, per million bookings; `duration`: wall or lambda."""
    lam_req = lam_compute = 0.0
    for stats in f["functions"].values():
        seconds = stats["wall_ms"] / 1000
        if duration == "lambda":  # CPU slowed to the memory's share of a vCPU, I/O as measured
            cpu = stats["cpu_ms"] / 1000
            seconds = cpu * LAMBDA_VCPU_MB / (memory_gb * 1024) + max(0.0, seconds - cpu)
        lam_req += stats["n"] * 0.20
        lam_compute += stats["n"] * 1_000_000 * memory_gb * seconds * 0.0000166667
    lines = {
        "DynamoDB writes": f["W"] * 0.625,
        "DynamoDB reads": f["R"] * 0.125,
        "Lambda requests": lam_req,
        "Lambda compute": lam_compute,
        "API Gateway HTTP": f["A"] * API_GATEWAY_HTTP_PER_MILLION,
        "SQS": f["Q"] * 0.40,
        "Scheduler": f["schedules_fired"] * 1.00,
        "SES": f["emails"] * 100.0,
    }
    return {k: round(v, 2) for k, v in lines.items()} | {"total": round(sum(lines.values()), 2)}


# The offerings (indexes in the demo catalog) a busy day's other bookings take: the hotel's
# and the salon's others, so the measured booking's (the first) stays free; the tour
# operator's first, 30 seats (its other needs the one guide and van: one booking a day).
BUSY_OFFERINGS = {"hotel": (1, 2), "salon": (1,), "tours": (0,)}


def busy_day(count: int, offerings: tuple[int, ...], book_one: Callable[[int], object]) -> int:
    """`count` bookings (`book_one(offering)`) before a measured one, on its days, over
    `offerings` in turn, not measured: the day items (`FIG#`) the measured booking then
    updates hold a busy day's counters, as a business past its first few bookings of a day
    has (an update is billed by the whole item's size). Answers how many were made (one
    refused as sold out is skipped)."""
    made = 0
    for i in range(count):
        try:
            book_one(offerings[i % len(offerings)])
            made += 1
        except SystemExit:
            pass
    return made


def run(stack: Stack, repeat: int, busy: int = 0) -> dict[str, list[dict[str, Any]]]:
    import boto3

    os.environ.update(stack.env)
    from chalice.test import Client

    from app import app
    from chalicelib import bootstrap

    bootstrap.use(None)
    side = boto3.client(
        "dynamodb", endpoint_url=stack.env["RESERVOIR_DYNAMODB_ENDPOINT"], region_name="us-east-1"
    )
    meter = Meter(side)
    hook(meter)
    measured: dict[str, list[dict[str, Any]]] = {}
    with Client(app) as client:
        api = Api(client)
        tenants = {kind: setup(api, stack, client, kind) for kind in SIGNUPS}
        streams = Streams(meter, client, stack)
        for kind, tenant in tenants.items():  # warm-up: every client and module loaded
            life(meter, api, client, streams, kind, 0, tenant)
        for kind, tenant in tenants.items():
            measured[kind] = []
            for n in range(1, repeat + 1):
                if busy:

                    def book_one(offering: int, n: int = n, kind: str = kind) -> object:
                        guest = os.urandom(4).hex()  # a busy day's customers are many
                        t = tenants[kind]
                        return life(meter, api, client, streams, kind, n, t, offering, guest)

                    made = busy_day(busy, BUSY_OFFERINGS[kind], book_one)
                    meter.take()  # what the busy day's bookings spent is not this booking's
                    print(f"{kind} booking {n}: {made} of {busy} bookings made before it")
                measured[kind].append(figures(life(meter, api, client, streams, kind, n, tenant)))
    bootstrap.use(None)
    return measured


def print_items(kinds: dict[str, Any], names: list[str], width: int) -> None:
    for title, key in (
        ("WRU by function: action item (index)", "W_by_item"),
        ("DynamoDB requests by function: operation item", "requests_by_item"),
    ):
        print(title)
        for item in sorted({i for k in names for i in kinds[k][key]}):
            values = [kinds[k][key].get(item, 0) for k in names]
            print(f"{'  ' + item:{width}}" + "".join(f"{v:>10g}" for v in values))


def function_rows(kinds: dict[str, Any], names: list[str]) -> list[tuple[str, list[Any]]]:
    """Per function: its WRU and RRU, its invocations and their mean wall and CPU time."""
    rows: list[tuple[str, list[Any]]] = []
    functions = sorted({f for k in names for f in kinds[k]["functions"]})
    for f in functions:
        for unit in ("W", "R"):
            by = [kinds[k]["WR_by_function"].get(f, {}).get(unit, 0) for k in names]
            rows.append((f"{unit} in {f}", by))
    for f in functions:
        rows.append((f"n {f}", [kinds[k]["functions"].get(f, {}).get("n", 0) for k in names]))
        rows.append(
            (
                f"  d {f} wall ms",
                [kinds[k]["functions"].get(f, {}).get("wall_ms", 0) for k in names],
            )
        )
        rows.append(
            (f"  d {f} cpu ms", [kinds[k]["functions"].get(f, {}).get("cpu_ms", 0) for k in names])
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="bookings of each kind measured")
    parser.add_argument("--memory-mb", type=int, default=256)
    parser.add_argument(
        "--items", action="store_true", help="also the WRU of each kind of item, per function"
    )
    parser.add_argument(
        "--busy",
        type=int,
        default=0,
        help="bookings made (not measured) on each measured booking's days first: a busy day",
    )
    args = parser.parse_args()
    with DynamoDBLocal(free_port()) as ddb, MotoServer(free_port()) as moto:
        stack = build_stack(ddb.endpoint, moto.endpoint)
        measured = run(stack, args.repeat, args.busy)

    kinds = {kind: average(rows) for kind, rows in measured.items()}
    kinds["average"] = average(list(kinds.values()))
    failed = Counter[str]()
    for rows in measured.values():
        for r in rows:
            failed.update(r["failed_calls"])
    memory = args.memory_mb / 1024
    names = list(kinds)
    rows: list[tuple[str, list[Any]]] = [
        ("W: WRU, rules (table+GSIs)", [kinds[k]["W"] for k in names]),
        (
            "   of which GSIs",
            [kinds[k]["W"] - kinds[k]["W_by_index"].get("table", 0) for k in names],
        ),
        ("   of which GSIs of transactions", [kinds[k]["W_gsi_in_transactions"] for k in names]),
        ("W as DynamoDB Local reports", [kinds[k]["W_local"] for k in names]),
        ("R: RRU, rules", [kinds[k]["R"] for k in names]),
        ("R as DynamoDB Local reports", [kinds[k]["R_local"] for k in names]),
        ("DynamoDB requests", [kinds[k]["dynamodb_requests"] for k in names]),
        ("A: API requests", [kinds[k]["A"] for k in names]),
    ]
    rows += function_rows(kinds, names)
    rows += [
        ("Q: SQS requests", [kinds[k]["Q"] for k in names]),
        ("  app calls", [kinds[k]["Q_parts"]["app"] for k in names]),
        ("  Scheduler SendMessage", [kinds[k]["Q_parts"]["scheduler_send"] for k in names]),
        ("  Lambda Receive+Delete", [kinds[k]["Q_parts"]["lambda_receive_delete"] for k in names]),
        ("SES e-mails", [kinds[k]["emails"] for k in names]),
        ("SNS SMS", [kinds[k]["sms"] for k in names]),
        ("Scheduler invocations", [kinds[k]["schedules_fired"] for k in names]),
    ]
    costs = {d: {k: dollars(kinds[k], memory, d) for k in names} for d in ("wall", "lambda")}
    for line in costs["wall"]["average"]:
        rows.append((f"$/M {line}, wall", [costs["wall"][k][line] for k in names]))
    for line in ("Lambda compute", "total"):
        rows.append(
            (f"$/M {line}, CPU at {args.memory_mb} MB", [costs["lambda"][k][line] for k in names])
        )

    width = max(len(label) for label, _ in rows)
    print(f"per booking ({args.repeat} of each kind)")
    print(f"{'':{width}}" + "".join(f"{k:>10}" for k in names))
    for label, values in rows:
        print(f"{label:{width}}" + "".join(f"{v:>10g}" for v in values))
    if args.items:
        print_items(kinds, names, width)
    if failed:
        print(f"failed AWS calls (priced as their item sizes): {dict(failed)}")
    print(
        json.dumps(
            {
                "bench": "cost",
                "repeat": args.repeat,
                "busy": args.busy,
                "memory_mb": args.memory_mb,
                "per_booking": kinds,
                "dollars_per_million": costs,
                "failed_calls": dict(failed),
            },
            sort_keys=True,
        )
    )


if __name__ == "__main__":
    main()
