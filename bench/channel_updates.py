"""How many availability updates a burst of bookings sends each channel partner, on the local stack.

Starts its own DynamoDB Local and moto server and a partner on 127.0.0.1 that counts what it
receives (and checks each signature), signs a hotel up (provisioned by the worker loop), gives it
one room type (40 rooms) and two channel connections that want availability and rates, then:
1. books 1,000 one-night stays on that room type through the booking service, spread over 25
   nights (40 a night: the room type allows no more), as fast as one process can;
2. runs the worker loop (the very handlers Lambda runs: the stream relay, the bookkeeping
   dispatcher whose consumer marks each partner's window, the channel-updates worker) until
   every queue is empty, delayed messages included (a window's message waits for the window's
   end, 30 s, plus 5 s).
Each partner receives one update per 30-second window the burst's events were handled in
(WINDOW_SECONDS): the figure depends on how long the burst takes here, never on the number of
bookings. Without coalescing it would be one per booking: 1,000 each. Prints the figures, then
one JSON line.

    .venv/bin/python -m bench.channel_updates [--bookings 1000]
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

ROOMS = 40
SECRET = "whsec_bench_partner"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=1000)
    args = parser.parse_args()
    with DynamoDBLocal(free_port()) as ddb, MotoServer(free_port()) as moto:
        stack = build_stack(ddb.endpoint, moto.endpoint)
        os.environ.update(stack.env)
        # The handlers' log lines would bury the figures (their metrics still print).
        os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
        figures = run(stack, args.bookings)
    print(
        f"bookings:            {figures['bookings']} on one room type over "
        f"{figures['nights']} nights, in {figures['booking_seconds']:.1f} s"
    )
    for name, count in figures["updates_per_partner"].items():
        print(f"updates to {name}: {count} (signatures checked: {figures['signed_ok'][name]})")
    print(
        f"windows:             {figures['window_seconds']} s each; the burst's events were "
        f"handled over {figures['handling_seconds']:.1f} s"
    )
    print(json.dumps(figures, sort_keys=True))


def run(stack, bookings: int) -> dict:  # noqa: PLR0915 - one scenario, told in order
    from app import app
    from bench.local_tenant import signed_up
    from chalicelib import bootstrap
    from chalicelib.booking.domain.orders import Channel, Customer
    from chalicelib.booking.services.booking import HoldInput, hold_order
    from chalicelib.booking.services.line_planning import LineInput
    from chalicelib.channels.domain.connections import (
        ChannelMapping,
        Connection,
        ConnectionKind,
        ConnectionStatus,
        Settlement,
    )
    from chalicelib.channels.domain.outbound import WINDOW_SECONDS
    from chalicelib.kernel.domain.audit import SYSTEM
    from chalicelib.kernel.services.context import TenantContext
    from local.worker_loop import WorkerLoop
    from tests.builders import room_type, stay_offering
    from tests.webhook_support import Receiver, verifier

    bootstrap.use(None)
    sqs = stack.client("sqs")
    loop = WorkerLoop.for_stack(app, stack, wait_seconds=0)
    partners = {name: Receiver().start() for name in ("partner_a", "partner_b")}
    tenant = signed_up(
        app, loop, name="Bench Hotel", slug="bench-hotel", timezone="Europe/Berlin",
        business_type="hotel", currency="EUR",
    )  # fmt: skip
    c = bootstrap.container()
    data = c.tenant_data.for_tenant(tenant)
    data.catalog.put_resource(room_type(rooms=ROOMS), expected_rev=None)
    data.catalog.put_offering(stay_offering(max_advance_days=400), expected_rev=None)
    at = c.now()
    for n, (name, receiver) in enumerate(partners.items()):
        connection = Connection(
            id=f"chn_{name}",
            name=name,
            kind=ConnectionKind.CHANNEL_MANAGER,
            status=ConnectionStatus.ACTIVE,
            settlement=Settlement.PARTNER,
            outbound_url=receiver.url,
            events=frozenset({"availability", "rates"}),
            created_at=at,
            updated_at=at,
            mappings=(ChannelMapping(f"ROOM-{n}", "off_stay", "res_double", "BAR"),),
            secret_set=True,
        )
        data.connections.put(connection, expected_version=None, secret=SECRET)
    ctx = TenantContext(
        tenant=tenant, actor=SYSTEM, data_factory=c.tenant_data, now=c.now, new_id=c.new_id
    )
    nights = -(-bookings // ROOMS)
    first = (datetime.now() + timedelta(days=30)).date()
    began = time.perf_counter()
    for n in range(bookings):
        check_in = first + timedelta(days=n % nights)
        hold_order(
            ctx,
            c.catalog_cache,
            HoldInput(
                Customer(f"Guest {n}", f"guest{n}@bench.example"),
                [LineInput("off_stay", check_in=check_in, nights=1)],
                Channel.API,
            ),
            order_id=f"ord_b{n}",
        )
    booking_seconds = time.perf_counter() - began
    began = time.perf_counter()
    drain(loop, sqs, stack)
    handling_seconds = time.perf_counter() - began
    counts = {name: len(r.received) for name, r in partners.items()}
    # Each signature checked as of its own timestamp: the first updates arrived minutes
    # before this check, past the receivers' 300-second tolerance.
    signed = {
        name: all(
            verifier(now=signed_at(got.headers["Reservoir-Signature"]))(
                got.body, got.headers["Reservoir-Signature"], SECRET
            )
            for got in r.received
        )
        for name, r in partners.items()
    }
    for receiver in partners.values():
        receiver.stop()
    return {
        "bench": "channel_updates",
        "bookings": bookings,
        "nights": nights,
        "partners": len(partners),
        "updates_per_partner": counts,
        "signed_ok": signed,
        "without_coalescing_per_partner": bookings,
        "window_seconds": WINDOW_SECONDS,
        "booking_seconds": round(booking_seconds, 1),
        "handling_seconds": round(handling_seconds, 1),
    }


def signed_at(header: str) -> float:
    return float(next(p[2:] for p in header.split(",") if p.startswith("t=")))


def drain(loop, sqs, stack) -> None:
    """Rounds of the worker loop until the stream, the bookkeeping group's queue and the
    channel-updates queue are empty, delayed and in-flight messages included (a window's
    message is delayed until the window's end). Holds' expiry messages wait 15 minutes on
    their own queue: not waited for."""
    from chalicelib.queues import CHANNEL_UPDATES, EVENTS

    urls = [stack.resources.queue_urls[q.name] for q in (EVENTS, CHANNEL_UPDATES)]
    idle = 0
    while idle < 3:
        result = loop.run_round(wait_seconds=1)
        left = 0
        for url in urls:
            attrs = sqs.get_queue_attributes(
                QueueUrl=url,
                AttributeNames=[
                    "ApproximateNumberOfMessages",
                    "ApproximateNumberOfMessagesNotVisible",
                    "ApproximateNumberOfMessagesDelayed",
                ],
            )["Attributes"]
            left += sum(int(v) for v in attrs.values())
        idle = idle + 1 if left == 0 and result.received == 0 and result.relayed == 0 else 0


if __name__ == "__main__":
    main()
