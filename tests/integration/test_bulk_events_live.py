"""An import's rows never hold back a booking (pipeline/groups.py, the bulk group), on the local
stack: DynamoDB Local's streams, moto server's queues and scheduler, and the worker loop `make
dev` runs (local/worker_loop.py). With 120 `CustomerImported` events committed and queued
ahead of it, a confirmation made after them is handled (its reminders scheduled) while most of
the import's rows still wait on the bulk queue, which is served after the bookings' queues."""

from __future__ import annotations

import json
import time

import pytest

from chalicelib import bootstrap
from chalicelib.kernel.domain.customer_ids import customer_id_for
from chalicelib.queues import BULK_EVENTS, EVENTS
from tests.integration.test_events_live import book, loop_for, queue_depth, shop

# When the confirmation's reminders were scheduled, a quarter of the rows were made: 30 of
# 120 (two runs), 70 of 300 (one run; the test took 22 s instead of 9). 120 keeps the margin.
ROWS = 120
MAPPING = {"First name": "first_name", "Last name": "last_name", "Email": "email"}


def customers_file(slug: str) -> str:
    lines = ["First name,Last name,Email"]
    lines += [f"Row,{n},row{n}@{slug}.example" for n in range(ROWS)]
    return "\n".join(lines) + "\n"


def imported(data, slug: str) -> int:
    """How many of the file's customers have a record: the bulk group's work done so far."""
    ids = [customer_id_for(f"row{n}@{slug}.example", None) for n in range(ROWS)]
    return sum(data.customers.get(i) is not None for i in ids)


def schedules_of(live, tenant_id: str, order_id: str) -> list[dict]:
    scheduler = live.stack.client("scheduler")
    group = live.stack.env["RESERVOIR_SCHEDULE_GROUP"]
    found = []
    for s in scheduler.list_schedules(GroupName=group)["Schedules"]:
        full = scheduler.get_schedule(Name=s["Name"], GroupName=group)
        payload = json.loads(full["Target"]["Input"])
        if payload.get("tenant_id") == tenant_id and payload.get("order_id") == order_id:
            found.append(full)
    return found


def rounds_until(loop, done, seconds: float = 120.0) -> int:
    deadline, rounds = time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        loop.run_round(wait_seconds=0)
        rounds += 1
        if done():
            return rounds
    raise AssertionError("the worker loop did not get there in time")


@pytest.mark.slow
def test_a_confirmation_after_an_import_is_handled_before_the_imports_rows(live):
    tenant = shop(live, "bulkrows")
    c = bootstrap.container()
    data = c.tenant_data.for_tenant(c.platform.get_tenant(tenant["tenant_id"]))
    order = book(live, tenant, f"ada@{tenant['slug']}.example")
    loop = loop_for(live, tenant)
    rounds_until(
        loop,
        lambda: loop.run_round(wait_seconds=0).relayed == 0 and queue_depth(live, EVENTS.name) == 0,
    )

    body = {"kind": "customers", "csv": customers_file(tenant["slug"]), "mapping": MAPPING}
    r = live.call("POST", "/v1/imports", auth=tenant["secret_key"], body=body)
    assert r.status_code == 202, r.body
    path = f"/v1/imports/{r.data['id']}"

    def written() -> bool:
        report = live.call("GET", path, auth=tenant["secret_key"]).data
        return report["status"] == "done"

    rounds_until(loop, written)  # every row's event committed: on the stream or the bulk queue
    assert live.call("GET", path, auth=tenant["secret_key"]).data["taken"] == ROWS
    r = live.call("POST", f"/v1/orders/{order['id']}/confirm", auth=tenant["secret_key"])
    assert r.status_code == 200, r.body

    rounds_until(loop, lambda: len(schedules_of(live, tenant["tenant_id"], order["id"])) > 0)
    # The confirmation's reminders are scheduled while most rows still wait their turn.
    done = imported(data, tenant["slug"])
    assert done < ROWS // 2, done
    assert queue_depth(live, BULK_EVENTS.name) > 0
    # And the rows are all made in the end, none on the bookkeeping queue.
    rounds_until(loop, lambda: queue_depth(live, BULK_EVENTS.name) == 0, seconds=300.0)
    rounds_until(loop, lambda: imported(data, tenant["slug"]) == ROWS)
    assert queue_depth(live, EVENTS.name) == 0
