"""Events per second through the stream relay and the notification worker, on the local stack.

Starts its own DynamoDB Local and moto server, signs a salon up (provisioned by the worker loop),
then:
1. commits: N holds and N confirmations through the services, each one TransactWriteItems
   (order + buckets + event) and nothing else; events/s = 2N / wall time, with the ms per change;
2. notification worker: the worker loop drains the consumer groups' queues through the very
   handlers Lambda runs (`dispatch_events`, `dispatch_message_events`): per event the ledger
   claims, the order read, rendering,
   SES SendRawEmail and SNS Publish (to moto), reminder schedules for confirmations (a hold
   confirmed before its event is handled gets no "held" message: it would no longer be true);
   events/s = events / wall time until the queue is empty.
Both are single-threaded on 2 cores with the emulators on the same machine: they measure the
code path's cost, not AWS's throughput. Prints the figures, then one JSON line.

    .venv/bin/python -m bench.notify [--orders 200]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    del sys.path[0]  # bench/requests.py must not shadow the requests library
sys.path.insert(0, str(ROOT))

from local.dynamodb_local import DynamoDBLocal  # noqa: E402
from local.emulators import MotoServer, free_port  # noqa: E402
from local.resources import build_stack  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=200)
    args = parser.parse_args()
    with DynamoDBLocal(free_port()) as ddb, MotoServer(free_port()) as moto:
        stack = build_stack(ddb.endpoint, moto.endpoint)
        os.environ.update(stack.env)
        figures = run(stack, args.orders)
    print(
        f"relay:               {figures['relay_events_per_s']:.0f} events/s "
        f"({figures['relay_ms_per_change']:.1f} ms per change, {figures['events']} events)"
    )
    print(
        f"notification worker: {figures['worker_events_per_s']:.0f} events/s "
        f"({figures['emails']} e-mails, {figures['sms']} SMS, "
        f"{figures['schedules']} reminder schedules)"
    )
    print(json.dumps(figures, sort_keys=True))


def run(stack, orders: int) -> dict:
    from app import app
    from bench.local_tenant import signed_up
    from chalicelib import bootstrap
    from chalicelib.booking.domain.orders import Channel, Customer
    from chalicelib.booking.services import orders as order_service
    from chalicelib.booking.services.booking import HoldInput, hold_order
    from chalicelib.booking.services.line_planning import LineInput
    from chalicelib.kernel.domain.audit import SYSTEM
    from chalicelib.kernel.services.context import TenantContext
    from chalicelib.queues import EVENTS, MESSAGE_EVENTS
    from local.mailbox import sent
    from local.schedules import OneTimeSchedules
    from local.worker_loop import WorkerLoop
    from tests.builders import haircut, stylist

    bootstrap.use(None)
    sqs = stack.client("sqs")
    loop = WorkerLoop.for_stack(app, stack, wait_seconds=0)
    tenant = signed_up(
        app, loop, name="Bench Salon", slug="bench", timezone="Europe/Berlin",
        business_type="appointments", currency="EUR",
    )  # fmt: skip
    c = bootstrap.container()
    data = c.tenant_data.for_tenant(tenant)
    stylists = [stylist(f"res_{n}", f"Stylist {n}") for n in range(10)]
    for s in stylists:
        data.catalog.put_resource(s, expected_rev=None)
    data.catalog.put_offering(haircut(), expected_rev=None)
    ctx = TenantContext(
        tenant=tenant,
        actor=SYSTEM,
        data_factory=c.tenant_data,
        now=c.now,
        new_id=c.new_id,
    )
    first_day = (datetime.now() + timedelta(days=3)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    starts = [
        first_day + timedelta(days=n // 80, minutes=60 * ((n // 10) % 8)) for n in range(orders)
    ]
    # Warm-up: the first change builds the clients.
    warm = hold_order(
        ctx,
        c.catalog_cache,
        HoldInput(
            Customer("Warm", "warm@bench.example"),
            [LineInput("off_cut", start=first_day - timedelta(days=1))],
            Channel.API,
        ),
        order_id="ord_warm",
    )
    loop_drain(loop, sqs, stack, EVENTS, MESSAGE_EVENTS)
    del warm

    began = time.perf_counter()
    for n, start in enumerate(starts):
        customer = Customer(f"Guest {n}", f"guest{n}@bench.example", "+4915100000000")
        order = hold_order(
            ctx,
            c.catalog_cache,
            HoldInput(customer, [LineInput("off_cut", start=start)], Channel.API),
            order_id=f"ord_b{n}",
        )
        order_service.confirm(ctx, order.id)
    relay_seconds = time.perf_counter() - began
    events = 2 * orders

    began = time.perf_counter()
    loop_drain(loop, sqs, stack, EVENTS, MESSAGE_EVENTS)
    worker_seconds = time.perf_counter() - began
    emails, texts = sent(stack.aws_endpoint)
    schedules = len(
        OneTimeSchedules(
            stack.client("scheduler"),
            sqs,
            group=stack.env["RESERVOIR_SCHEDULE_GROUP"],
            clock=time.time,
        ).names()
    )
    return {
        "bench": "notify",
        "orders": orders,
        "events": events,
        "relay_events_per_s": round(events / relay_seconds, 1),
        "relay_ms_per_change": round(1000 * relay_seconds / events, 2),
        "worker_events_per_s": round(events / worker_seconds, 1),
        "worker_ms_per_event": round(1000 * worker_seconds / events, 2),
        "emails": len(emails),
        "sms": len(texts),
        "schedules": schedules,
    }


def loop_drain(loop, sqs, stack, *queues) -> None:
    """Rounds of the worker loop until the stream and every one of `queues` are empty."""
    idle = 0
    while idle < 2:
        result = loop.run_round(wait_seconds=0)
        left = 0
        for queue in queues:
            attrs = sqs.get_queue_attributes(
                QueueUrl=stack.resources.queue_urls[queue.name],
                AttributeNames=[
                    "ApproximateNumberOfMessages",
                    "ApproximateNumberOfMessagesNotVisible",
                ],
            )["Attributes"]
            left += int(attrs["ApproximateNumberOfMessages"]) + int(
                attrs["ApproximateNumberOfMessagesNotVisible"]
            )
        idle = idle + 1 if left == 0 and result.received == 0 and result.relayed == 0 else 0


if __name__ == "__main__":
    main()
