"""Availability cost follows the window, not the history.

On DynamoDB Local (started here, stopped by pid at the end) a tenant table holds two identical
resources of each kind, one with a year of bookings behind the window and one with none:
- timed, open around the clock on a 15-minute grid: a year of slots is 35,040 bucket items,
  written with BatchWriteItem in the key format of chalicelib.catalog.domain.inventory;
- nightly: 365 night buckets.
The services' `availability()` then answers a 31-day query (starting tomorrow) for each,
in turn, `--runs` times after a warm-up; the catalog snapshot is cached, as in a warm Lambda
container. Printed: the median time of each, their ratio (must stay near 1), and the DynamoDB
requests and items read per query, counted from botocore events. Ends with one JSON line.

    .venv/bin/python -m bench.availability [--runs 25]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chalicelib.booking.adapters.orders_store import DynamoOrderStore  # noqa: E402
from chalicelib.booking.services.availability import availability  # noqa: E402
from chalicelib.catalog.adapters.catalog_store import DynamoCatalogStore  # noqa: E402
from chalicelib.catalog.domain.catalog import (  # noqa: E402
    Offering,
    PriceBasis,
    Pricing,
    Requirement,
    Resource,
    ResourceKind,
    Selector,
)
from chalicelib.catalog.domain.inventory import night_key, slot_key  # noqa: E402
from chalicelib.catalog.services.catalog_view import CatalogCache  # noqa: E402
from chalicelib.kernel.adapters.schema import TENANT_TABLE  # noqa: E402
from chalicelib.kernel.adapters.system import new_id, utc_now  # noqa: E402
from chalicelib.kernel.domain.audit import Actor  # noqa: E402
from chalicelib.kernel.domain.tenant import BusinessType, new_tenant  # noqa: E402
from chalicelib.kernel.services.context import TenantContext  # noqa: E402
from local.dynamodb_local import DynamoDBLocal  # noqa: E402
from local.emulators import free_port  # noqa: E402
from local.resources import client  # noqa: E402

WINDOW_DAYS = 31
HISTORY_DAYS = 365
AROUND_THE_CLOCK = (((0, 1440),),) * 7


class Data:
    """The two stores availability reads (catalog and buckets) on one tenant table."""

    def __init__(self, dynamodb: Any, table: str) -> None:
        self.catalog = DynamoCatalogStore(dynamodb, table)
        self.orders = DynamoOrderStore(dynamodb, table)


class Factory:
    def __init__(self, data: Data) -> None:
        self.data = data

    def for_tenant(self, tenant: Any) -> Data:
        return self.data


class Counts:
    """DynamoDB requests by operation, and items returned by Queries, from botocore events."""

    def __init__(self, dynamodb: Any) -> None:
        self.requests: Counter[str] = Counter()
        self.items = 0
        dynamodb.meta.events.register("before-call.dynamodb.*", self._before)
        dynamodb.meta.events.register("after-call.dynamodb.Query", self._after_query)

    def _before(self, model: Any, **_: Any) -> None:
        self.requests[model.name] += 1

    def _after_query(self, parsed: dict[str, Any], **_: Any) -> None:
        self.items += int(parsed.get("Count", 0))

    def reset(self) -> None:
        self.requests.clear()
        self.items = 0


def catalog() -> list[Resource | Offering]:
    things: list[Resource | Offering] = []
    for who in ("busy", "idle"):
        things += [
            Resource(
                id=f"res_chair_{who}",
                name=f"Chair ({who})",
                kind=ResourceKind.TIMED,
                capacity=2,
                hours=AROUND_THE_CLOCK,
                slot_minutes=15,
            ),
            Offering(
                id=f"off_slot_{who}",
                name=f"Slot ({who})",
                kind=ResourceKind.TIMED,
                requirements=(Requirement(Selector(resource_id=f"res_chair_{who}")),),
                pricing=Pricing(amount=3000),
                duration_minutes=60,
            ),
            Resource(
                id=f"res_room_{who}", name=f"Room ({who})", kind=ResourceKind.NIGHTLY, capacity=5
            ),
            Offering(
                id=f"off_night_{who}",
                name=f"Night ({who})",
                kind=ResourceKind.NIGHTLY,
                requirements=(Requirement(Selector(resource_id=f"res_room_{who}")),),
                pricing=Pricing(amount=9000, basis=PriceBasis.NIGHT),
            ),
        ]
    return things


def history_items(today: date) -> list[dict[str, Any]]:
    """A year of used buckets ending the day before the window, for the busy resources."""
    start = datetime.combine(today - timedelta(days=HISTORY_DAYS), datetime.min.time(), UTC)
    items = []
    for i in range(HISTORY_DAYS * 96):
        key = slot_key(start + timedelta(minutes=15 * i))
        items.append({"pk": {"S": "INV#res_chair_busy"}, "sk": {"S": key}, "used": {"N": "1"}})
    for i in range(HISTORY_DAYS):
        key = night_key(today - timedelta(days=HISTORY_DAYS - i))
        items.append({"pk": {"S": "INV#res_room_busy"}, "sk": {"S": key}, "used": {"N": "3"}})
    return items


def batch_write(dynamodb: Any, table: str, items: list[dict[str, Any]]) -> None:
    def write(chunk: list[dict[str, Any]]) -> None:
        request = {table: [{"PutRequest": {"Item": item}} for item in chunk]}
        while request:
            request = dynamodb.batch_write_item(RequestItems=request).get("UnprocessedItems")

    chunks = [items[i : i + 25] for i in range(0, len(items), 25)]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(write, chunks))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=25)
    args = parser.parse_args()

    with DynamoDBLocal(free_port()) as ddb:
        dynamodb = client("dynamodb", ddb.endpoint)
        table = "reservoir-tenant-bench-availability"
        dynamodb.create_table(**TENANT_TABLE.create_table_kwargs(table))
        dynamodb.get_waiter("table_exists").wait(TableName=table)
        data = Data(dynamodb, table)
        for thing in catalog():
            if isinstance(thing, Resource):
                data.catalog.put_resource(thing, expected_rev=None)
            else:
                data.catalog.put_offering(thing, expected_rev=None)

        tenant = new_tenant(
            tenant_id="t_bench",
            slug="bench",
            name="Bench",
            owner_email="owner@bench.example",
            timezone="UTC",
            currency="EUR",
            locale="en",
            business_type=BusinessType.APPOINTMENTS,
            table_name=table,
            now=utc_now(),
        ).activated()
        today = datetime.now(UTC).date()
        began = time.perf_counter()
        items = history_items(today)
        batch_write(dynamodb, table, items)
        print(f"wrote {len(items)} bucket items of history in {time.perf_counter() - began:.1f} s")

        ctx = TenantContext(
            tenant=tenant,
            actor=Actor(kind="secret_key", id="bench", tenant_id=tenant.id),
            data_factory=Factory(data),
            now=utc_now,
            new_id=new_id,
        )
        cache = CatalogCache(ttl=3600)
        counts = Counts(dynamodb)
        first = today + timedelta(days=1)
        last = first + timedelta(days=WINDOW_DAYS)

        def query(offering_id: str) -> tuple[float, int, dict[str, int], int]:
            counts.reset()
            t = time.perf_counter()
            _, plans = availability(
                ctx, cache, offering_id=offering_id, first=first, last_exclusive=last, party=1
            )
            ms = (time.perf_counter() - t) * 1000
            return ms, len(plans), dict(counts.requests), counts.items

        result: dict[str, Any] = {"bench": "availability", "runs": args.runs, "window_days": 31}
        for kind, stem in (("timed", "off_slot"), ("nightly", "off_night")):
            for who in ("busy", "idle"):
                query(f"{stem}_{who}")  # warm-up: catalog snapshot, connections
            times: dict[str, list[float]] = {"busy": [], "idle": []}
            seen: dict[str, tuple[int, dict[str, int], int]] = {}
            for run in range(args.runs):
                # Alternate who goes first, so neither pays for the other's garbage.
                for who in ("busy", "idle") if run % 2 == 0 else ("idle", "busy"):
                    ms, options, requests, read = query(f"{stem}_{who}")
                    times[who].append(ms)
                    seen[who] = (options, requests, read)
            busy, idle = statistics.median(times["busy"]), statistics.median(times["idle"])
            history = sum(1 for i in items if i["pk"]["S"].endswith(f"{kind_res(kind)}_busy"))
            result[kind] = {
                "history_items": history,
                "busy_median_ms": round(busy, 2),
                "idle_median_ms": round(idle, 2),
                "ratio": round(busy / idle, 3),
                "options": seen["busy"][0],
                "requests_per_query": seen["busy"][1],
                "items_read_per_query": {"busy": seen["busy"][2], "idle": seen["idle"][2]},
            }
            assert seen["busy"][0] == seen["idle"][0], "the two resources should offer the same"
            print(
                f"{kind}: 31-day availability, median of {args.runs}: "
                f"{busy:.2f} ms with {history} buckets of history, {idle:.2f} ms with none; "
                f"ratio {busy / idle:.3f} (must stay near 1)"
            )
            print(
                f"  {seen['busy'][0]} options; DynamoDB requests per query {seen['busy'][1]}; "
                f"items read {seen['busy'][2]} (busy) and {seen['idle'][2]} (idle)"
            )
    print(json.dumps(result))


def kind_res(kind: str) -> str:
    return "chair" if kind == "timed" else "room"


if __name__ == "__main__":
    main()
