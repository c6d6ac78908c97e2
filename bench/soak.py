"""Soak: steady bookings, confirmations and cancellations through the whole event pipeline.

Starts its own local stack as `make dev` runs it (DynamoDB Local, moto server and `chalice
local` on 127.0.0.1, the worker loop in a process of its own; all stopped at the end), signs a
tour operator up, and for `--minutes` keeps `--rate` bookings a second going over HTTP (bounded:
one client thread paces itself): each a hold, then a confirmation, and one in `--cancel-every`
cancelled after it was confirmed. Every `--sample` seconds it prints the depth of each queue and
how many confirmed bookings still wait for their reminder schedules.

At the end (after the load stops and the queues drain) it checks, from what the consumers wrote:
- no event lost: every event item in the tenant's table has its audit entry (the bookkeeping
  group's audit consumer takes every event), and every consumer group's claim is finished;
- none handled twice: one audit entry per event (keyed by the event), and per order exactly one
  confirmation e-mail, and one cancellation e-mail for each cancelled order;
- schedules: every booking still confirmed has its two reminder schedules, none of a cancelled
  one is left, and how long after its confirmation each appeared (p50, p99, max);
- queue depths: their maximum over the run, and whether the last sample is back at zero.
- lag: from each event's commit (its `at`) to the end of its handling by the messages group
  (the customer's e-mail and text sent: that group's ledger claim's `done_at`), p50 and p99.

`--contention-clients N` runs N more clients beside the soak, each holding one seat at a time of
another session as fast as it can (bench/contention.py's load), to see the pipeline's lag and
queue depths while the API is saturated.
Ends with one JSON line. Bounded and on loopback only.

    .venv/bin/python -m bench.soak [--minutes 30] [--rate 2] [--cancel-every 5] [--sample 30]
        [--contention-clients 0]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

if Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    del sys.path[0]  # bench/requests.py must not shadow the requests library

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.contention import (  # noqa: E402
    Api,
    Workers,
    create_session,
    percentile,
    sign_up_and_provision,
)
from chalicelib.kernel.domain.timefmt import parse  # noqa: E402
from local.dynamodb_local import DynamoDBLocal  # noqa: E402
from local.emulators import ChaliceLocal, MotoServer, free_port  # noqa: E402
from local.resources import Stack, build_stack  # noqa: E402

QUEUES = (
    "reservoir-events",
    "reservoir-message-events",
    "reservoir-payment-events",
    "reservoir-bulk-events",
    "reservoir-reminders",
    "reservoir-hold-expiry",
    "reservoir-payments",
)


def depths(stack: Stack) -> dict[str, int]:
    sqs = stack.client("sqs")
    out = {}
    for name in QUEUES:
        attrs = sqs.get_queue_attributes(
            QueueUrl=stack.resources.queue_urls[name],
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        out[name.removeprefix("reservoir-")] = int(attrs["ApproximateNumberOfMessages"]) + int(
            attrs["ApproximateNumberOfMessagesNotVisible"]
        )
    return out


def schedule_names(stack: Stack) -> set[str]:
    """The names of the reminder schedules in moto's scheduler (the reminders group)."""
    scheduler = stack.client("scheduler")
    kwargs: dict[str, Any] = {"GroupName": stack.env["RESERVOIR_SCHEDULE_GROUP"]}
    names: set[str] = set()
    while True:
        page = scheduler.list_schedules(**kwargs)
        names |= {item["Name"] for item in page.get("Schedules", [])}
        if not page.get("NextToken"):
            return names
        kwargs["NextToken"] = page["NextToken"]


class Load:
    """One paced client: hold, confirm, and now and then cancel, `rate` bookings a second."""

    def __init__(
        self, api: Api, tenant_id: str, offering: str, rate: float, cancel_every: int
    ) -> None:
        self.api, self.tenant_id, self.offering = api, tenant_id, offering
        self.rate, self.cancel_every = rate, cancel_every
        self.confirmed_at: dict[str, float] = {}  # order id -> when its confirm answered
        self.schedules: dict[str, set[str]] = {}  # order id -> its reminder schedules' names
        self.cancelled: set[str] = set()
        self.statuses: Counter[str] = Counter()
        self.stop = threading.Event()

    def run(self) -> None:
        n = 0
        began = time.monotonic()
        while not self.stop.is_set():
            n += 1
            self.book(n)
            wait = began + n / self.rate - time.monotonic()
            if wait > 0:
                self.stop.wait(wait)

    def book(self, n: int) -> None:
        day = (datetime.now() + timedelta(days=7 + n % 60)).date()
        body = {
            "customer": {"name": f"Guest {n}", "email": f"guest{n}@soak.example"},
            "lines": [{"offering_id": self.offering, "start": f"{day}T10:00", "party": 1}],
        }
        held = self.api.call("POST", "/v1/orders", body)
        self.statuses[f"hold {held.status_code}"] += 1
        if held.status_code != 201:
            return
        from chalicelib.notifications.services.reminders import DEFAULT_OFFSETS, reminder_id

        order = held.json()["id"]
        start = held.json()["lines"][0]["start_utc"][:16] + "Z"  # as the order keeps it
        done = self.api.call("POST", f"/v1/orders/{order}/confirm", {})
        self.statuses[f"confirm {done.status_code}"] += 1
        if done.status_code != 200:
            return
        self.schedules[order] = {
            reminder_id(self.tenant_id, order, start, offset) for offset in DEFAULT_OFFSETS
        }
        self.confirmed_at[order] = time.monotonic()
        if n % self.cancel_every == 0:
            gone = self.api.call("POST", f"/v1/orders/{order}/cancel", {})
            self.statuses[f"cancel {gone.status_code}"] += 1
            if gone.status_code == 200:
                self.cancelled.add(order)


class Contention:
    """Clients holding one seat at a time of one session, as fast as each can, until stopped."""

    def __init__(self, endpoint: str, key: str, offering: str, clients: int) -> None:
        self.endpoint, self.key, self.offering = endpoint, key, offering
        self.stop = threading.Event()
        self.statuses: Counter[str] = Counter()
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(clients)]
        self.day = (datetime.now() + timedelta(days=5)).date()

    def run(self) -> None:
        api = Api(self.endpoint, self.key)
        body = {
            "customer": {"name": "Rush", "email": "rush@soak.example"},
            "lines": [{"offering_id": self.offering, "start": f"{self.day}T10:00", "party": 1}],
        }
        while not self.stop.is_set():
            status = api.call("POST", "/v1/orders", body).status_code
            self.statuses[str(status)] += 1

    def __enter__(self) -> Contention:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


LIST_ABOVE = 20  # bookings waiting for schedules above which the watch lists the group


class ScheduleWatch:
    """When each confirmed booking's schedules first appeared (seconds after its confirm):
    a thread looks up the schedules of the bookings still waiting, every second."""

    def __init__(self, stack: Stack, load: Load) -> None:
        self.stack, self.load = stack, load
        self.latency: dict[str, float] = {}
        self.scheduler = stack.client("scheduler")
        self.group = stack.env["RESERVOIR_SCHEDULE_GROUP"]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stop.wait(1.0):
            self.sweep()

    def exists(self, name: str) -> bool:
        try:
            self.scheduler.get_schedule(Name=name, GroupName=self.group)
        except self.scheduler.exceptions.ResourceNotFoundException:
            return False
        return True

    def sweep(self) -> int:
        """Look once; how many confirmed (not cancelled) bookings still have no schedules. Many
        waiting (the workers behind): one listing of the group, not a GetSchedule each, which
        would keep moto from serving the workers that are to catch up."""
        pending = [
            (order, at)
            for order, at in list(self.load.confirmed_at.items())
            if order not in self.latency and order not in self.load.cancelled
        ]
        if len(pending) > LIST_ABOVE:
            listed = schedule_names(self.stack)
            exists: Callable[[str], bool] = listed.__contains__
        else:
            exists = self.exists
        waiting = 0
        for order, at in pending:
            if all(exists(name) for name in self.load.schedules[order]):
                self.latency[order] = time.monotonic() - at
            else:
                waiting += 1
        return waiting


def audit(stack: Stack, tenant_id: str, load: Load) -> dict[str, Any]:
    """The end checks, read from the tenant's table and moto's mailbox."""
    from chalicelib.settings import from_environ
    from local.mailbox import sent

    table = from_environ(stack.env).tenant_table_name(tenant_id)
    client = stack.client("dynamodb")
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"TableName": table}
    while True:  # a bench's read of its own table: a Scan is fine here
        page = client.scan(**kwargs)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    events = {i["pk"]["S"][4:] for i in items if i["pk"]["S"].startswith("EVT#")}
    committed = {i["pk"]["S"][4:]: i["at"]["S"] for i in items if i["pk"]["S"].startswith("EVT#")}
    lags = sorted(
        (parse(i["done_at"]["S"]) - parse(committed[event_id])).total_seconds()
        for i in items
        if i["pk"]["S"].startswith("DONE#event#")
        and i["pk"]["S"].endswith("#messages")
        and "done_at" in i
        and (event_id := i["pk"]["S"].removeprefix("DONE#event#").removesuffix("#messages"))
        in committed
    )
    claims = {
        i["pk"]["S"].removeprefix("DONE#event#"): i.get("state", {}).get("S")
        for i in items
        if i["pk"]["S"].startswith("DONE#event#")
    }
    audits = Counter(
        i["sk"]["S"].split("#", 1)[1] for i in items if i["pk"]["S"].startswith("AUD#")
    )
    emails, _ = sent(stack.aws_endpoint)
    confirmations: Counter[str] = Counter()
    cancellations: Counter[str] = Counter()
    for email in emails:
        for order in load.confirmed_at:
            if order in email.text:
                if email.subject.startswith("Confirmed"):
                    confirmations[order] += 1
                elif email.subject.startswith("Cancelled"):
                    cancellations[order] += 1
    return {
        "events": len(events),
        "message_lag_s": {
            "handled": len(lags),
            "p50": round(percentile(lags, 0.5), 2),
            "p99": round(percentile(lags, 0.99), 2),
            "max": round(lags[-1], 2) if lags else 0.0,
        },
        "events_not_finished": sorted(e for e in events if e not in audits)[:20],
        "claims_not_finished": sorted(c for c, state in claims.items() if state != "done")[:20],
        "audit_entries_twice": sorted(k for k, n in audits.items() if n > 1)[:20],
        "orders_confirmed": len(load.confirmed_at),
        "orders_cancelled": len(load.cancelled),
        "confirmation_emails_not_once": sorted(
            o for o in load.confirmed_at if confirmations[o] != 1
        )[:20],
        "cancellation_emails_not_once": sorted(o for o in load.cancelled if cancellations[o] != 1)[
            :20
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=2.0, help="bookings a second")
    parser.add_argument("--cancel-every", type=int, default=5)
    parser.add_argument("--sample", type=float, default=30.0, help="seconds between samples")
    parser.add_argument("--drain", type=float, default=180.0, help="seconds to wait at the end")
    parser.add_argument("--contention-clients", type=int, default=0)
    args = parser.parse_args()
    samples: list[dict[str, Any]] = []
    with DynamoDBLocal(free_port()) as ddb, MotoServer(free_port()) as moto:
        stack = build_stack(ddb.endpoint, moto.endpoint)
        with ChaliceLocal(free_port(), stack.env) as chalice:
            signup = sign_up_and_provision(stack, chalice.endpoint)
            owner = Api(chalice.endpoint, signup["secret_key"])
            _, offering = create_session(owner, 100_000, "Harbour cruise")
            load = Load(owner, signup["tenant_id"], offering, args.rate, args.cancel_every)
            watch = ScheduleWatch(stack, load)
            _, rush_offering = create_session(owner, 100_000, "Festival")
            rush = Contention(
                chalice.endpoint, signup["secret_key"], rush_offering, args.contention_clients
            )
            with Workers(stack), rush:
                client = threading.Thread(target=load.run, daemon=True)
                began = time.monotonic()
                client.start()
                watch.thread.start()
                while time.monotonic() - began < args.minutes * 60:
                    time.sleep(args.sample)
                    sample = {"t": round(time.monotonic() - began), **depths(stack)}
                    sample["waiting_for_schedules"] = watch.sweep()
                    sample["bookings"] = len(load.confirmed_at)
                    samples.append(sample)
                    print(json.dumps(sample), flush=True)
                load.stop.set()
                rush.stop.set()
                client.join(timeout=60)
                watch.stop.set()
                watch.thread.join(timeout=60)
                deadline = time.monotonic() + args.drain
                while time.monotonic() < deadline:
                    time.sleep(5)
                    last = depths(stack)
                    waiting = watch.sweep()
                    if not any(last.values()) and waiting == 0:
                        break
                samples.append({"t": "end", **last, "waiting_for_schedules": waiting})
                checks = audit(stack, signup["tenant_id"], load)
                seen = schedule_names(stack)
                checks["schedules_left_of_cancelled"] = sorted(
                    o for o in load.cancelled if load.schedules[o] & seen
                )[:20]
    latencies = sorted(watch.latency.values())
    result = {
        "bench": "soak",
        "minutes": args.minutes,
        "rate": args.rate,
        "statuses": dict(load.statuses),
        "contention_clients": args.contention_clients,
        "contention_statuses": dict(rush.statuses),
        "max_depth": {
            q: max(s.get(q, 0) for s in samples) for q in samples[0] if q not in ("t", "bookings")
        },
        "end": samples[-1],
        "schedule_latency_s": {
            "p50": round(percentile(latencies, 0.5), 1),
            "p99": round(percentile(latencies, 0.99), 1),
            "max": round(latencies[-1], 1) if latencies else 0.0,
        },
        **checks,
    }
    ok = (
        not checks["events_not_finished"]
        and not checks["audit_entries_twice"]
        and not checks["claims_not_finished"]
        and not checks["confirmation_emails_not_once"]
        and not checks["cancellation_emails_not_once"]
        and samples[-1]["waiting_for_schedules"] == 0
        and not checks["schedules_left_of_cancelled"]
    )
    print(
        f"bookings confirmed {checks['orders_confirmed']}, cancelled {checks['orders_cancelled']}"
    )
    print(f"events {checks['events']}; not finished {len(checks['events_not_finished'])}")
    print(f"queue depth at most {result['max_depth']}; at the end {samples[-1]}")
    lag = checks["message_lag_s"]
    print(
        f"commit to message sent: p50 {lag['p50']} s, p99 {lag['p99']} s, max {lag['max']} s "
        f"({lag['handled']} events); contention clients {args.contention_clients}: "
        f"{dict(rush.statuses)}"
    )
    print(
        f"schedules appeared after p50 {result['schedule_latency_s']['p50']} s, "
        f"p99 {result['schedule_latency_s']['p99']} s, max {result['schedule_latency_s']['max']} s"
    )
    print(f"nothing lost, nothing twice: {ok}")
    print(json.dumps({**result, "ok": ok}))


if __name__ == "__main__":
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    main()
