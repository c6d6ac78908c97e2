"""What a report of the daily figures costs: the time and the items read for a 365-day report
against a 30-day one, on DynamoDB Local, with the figures of many orders per day already kept.

The report is ONE Query on `FIG#<basis>` between two dates (reports/adapters/figures_store.py):
it reads one item per day that has figures, whatever the number of orders behind it, so the
items read (and the read units, about the day items' size over 4 KB each, halved for an
eventually consistent read) follow the days. The bench writes `--orders-per-day` orders' worth
of counters into each day (as the consumer's ADDs leave them: one item per day, the counters of
a few offerings, resources and channels), then times the reports and prints one JSON line.

Then, unless `--export-orders 0`, the exports' part (bench/report_exports.py): that many
orders of a generated tenant exported as CSV and XLSX through the real worker, the rate in
orders per second and the projected time for one million.

    .venv/bin/python -m bench.reports [--orders-per-day 200] [--offerings 6] [--export-orders 20000]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date, timedelta
from typing import Any

import boto3

from chalicelib.kernel.adapters.schema import TENANT_TABLE
from chalicelib.reports.adapters.figures_store import DynamoFiguresStore
from chalicelib.reports.domain.figures import OFFERING, RESOURCE, key_of
from chalicelib.reports.domain.figures_report import Catalogue, DayFigures, ReportQuery, report
from local.dynamodb_local import DynamoDBLocal
from local.emulators import free_port

LAST = date(2026, 11, 30)


def day_counters(orders: int, offerings: int) -> dict[str, int]:
    """A busy day's counters: `orders` bookings spread over offerings, resources, channels,
    named as reports/domain/figures.py names them (ids as the API makes them: 24 characters)."""
    out: dict[str, int] = {}
    for n in range(orders):
        groups = [("t", ""), ("c", ("api", "widget", "staff")[n % 3])]
        offering, resource = f"off_{n % offerings:020d}", f"res_{n % offerings:020d}"
        groups += [(OFFERING, key_of(offering)), (RESOURCE, key_of(resource))]
        for dim, key in groups:
            for field, v in (("bk", 1), ("gu", 2), ("ld", 14), ("EUR.gr", 12000), ("EUR.tx", 800)):
                name = f"{dim}|{key}|{field}"
                out[name] = out.get(name, 0) + v
    return out


def item_bytes(counters: dict[str, int]) -> int:
    """A day item's size by DynamoDB's rules: each name's bytes and each number's (about one
    byte per two significant digits, plus one), with its keys and `u` (about 40 bytes)."""
    numbers = sum(len(str(abs(v)).strip("0") or "0") // 2 + 2 for v in counters.values())
    return sum(len(k.encode()) for k in counters) + numbers + 40


def measure(client: Any, table: str, store: DynamoFiguresStore, days: int) -> dict[str, Any]:
    first = LAST - timedelta(days=days - 1)
    calls: list[dict[str, Any]] = []
    original = client.query

    def query(**kw: Any) -> Any:
        answer = original(**kw, ReturnConsumedCapacity="TOTAL")
        calls.append(answer)
        return answer

    client.query = query
    started = time.perf_counter()
    items = store.days("service", first.isoformat(), LAST.isoformat())
    answer = report(
        ReportQuery("service", first, LAST, group="month", by="offering"),
        items,
        Catalogue(),
        "Europe/London",
    )
    elapsed = time.perf_counter() - started
    client.query = original
    units = sum(c.get("ConsumedCapacity", {}).get("CapacityUnits", 0) for c in calls)
    return {
        "days": days,
        "items_read": len(items),
        "queries": len(calls),
        "pages": len(calls),
        "read_units": units,
        "ms": round(elapsed * 1000, 1),
        "bookings": answer["totals"]["bookings"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders-per-day", type=int, default=200)
    parser.add_argument("--offerings", type=int, default=6)
    parser.add_argument("--export-orders", type=int, default=20_000)
    args = parser.parse_args()
    port = free_port()
    db = DynamoDBLocal(port).start()
    try:
        client = boto3.client(
            "dynamodb",
            endpoint_url=f"http://127.0.0.1:{port}",
            region_name="us-east-1",
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
        )
        table = "reservoir-tenant-bench-reports"
        client.create_table(**TENANT_TABLE.create_table_kwargs(table))
        store = DynamoFiguresStore(client, table)
        counters = day_counters(args.orders_per_day, args.offerings)
        days = [
            DayFigures((LAST - timedelta(days=i)).isoformat(), counters, "2026-11-30T10:00:00Z")
            for i in range(365)
        ]
        store.replace_days("service", days[-1].day, LAST.isoformat(), days)
        size = item_bytes(counters)
        rows = [measure(client, table, store, n) for n in (30, 365)]
    finally:
        db.stop()
    wru = 2 * -(-size // 1024)
    print(
        f"{args.orders_per_day} orders a day over {args.offerings} offerings: one day item of"
        f" {len(counters)} counters, {size} bytes by DynamoDB's rules: {wru} WRU per update in"
        " the figures' transaction"
    )
    for r in rows:
        print(
            f"{r['days']:>4} days: {r['items_read']} items read in {r['queries']} Query page(s),"
            f" {r['read_units']} read units, {r['ms']} ms; {r['bookings']} bookings summed"
        )
    print(
        "The items read follow the days (one per day), not the"
        f" {args.orders_per_day * 365} orders behind them."
    )
    print(
        json.dumps(
            {
                "bench": "reports",
                "orders_per_day": args.orders_per_day,
                "day_item_bytes": size,
                "wru_per_update_in_transaction": wru,
                "runs": rows,
            }
        )
    )
    if args.export_orders:
        from bench import report_exports

        report_exports.main(["--orders", str(args.export_orders)])


if __name__ == "__main__":
    main()
