"""Report exports: the rate in orders per second, the time projected for a million, and memory
that does not grow with the rows.

On DynamoDB Local and moto's S3 (both started here, stopped by pid at the end), a generated
tenant's orders (`--orders` over `--days` local days, one line, one room, a payment each,
written directly with BatchWriteItem in the items' own format: booking's unit of work) are
exported by the real worker path (reports/services/export_runs.py: Query by day on the day
index, the rows, the multipart upload to S3) as CSV and as XLSX. Printed for each format: wall
time, the process's own CPU time (DynamoDB Local's is not ours), orders per second, parts
uploaded, the peak of the temporary disk (XLSX), DynamoDB Local's own CPU meanwhile (on a
shared 2-core machine the wall time is mostly the emulator's and other work's), and the time
projected for one million orders two ways: at this wall rate, and at Lambda's 1,024 MB share of
a vCPU (1,024/1,769) for the CPU this process used (the Query pages' parsing included: the
reads run on threads a few days ahead, so DynamoDB's latency overlaps the writing). Then
memory: the peak of Python's allocations (tracemalloc) exporting a quarter of the days and all
of them: it follows the busiest days read at once, not the number of rows. Ends with one JSON
line.

    .venv/bin/python -m bench.report_exports [--orders 20000] [--days 40]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import threading
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chalicelib.booking.adapters.codec import order_attribute  # noqa: E402
from chalicelib.booking.adapters.order_indexes import order_index_keys  # noqa: E402
from chalicelib.booking.adapters.orders_store import DynamoOrderStore  # noqa: E402
from chalicelib.booking.domain.orders import (  # noqa: E402
    Allocation,
    BookingStatus,
    Channel,
    Customer,
    Line,
    Order,
    PaymentStatus,
)
from chalicelib.booking.domain.payment_records import (  # noqa: E402
    AttemptStatus,
    Payment,
    PaymentKind,
    Tender,
)
from chalicelib.catalog.domain.inventory import BucketRef, Take  # noqa: E402
from chalicelib.catalog.services.catalog_view import CatalogCache  # noqa: E402
from chalicelib.kernel.adapters.audit_log import DynamoAuditLog  # noqa: E402
from chalicelib.kernel.adapters.schema import TENANT_TABLE  # noqa: E402
from chalicelib.kernel.adapters.system import new_id, utc_now  # noqa: E402
from chalicelib.kernel.domain.audit import Actor  # noqa: E402
from chalicelib.kernel.domain.tenant import BusinessType, new_tenant  # noqa: E402
from chalicelib.kernel.services.context import TenantContext  # noqa: E402
from chalicelib.reports.adapters.export_files import S3ReportFiles  # noqa: E402
from chalicelib.reports.adapters.export_store import DynamoExports  # noqa: E402
from chalicelib.reports.domain.exports import ExportFormat, ExportJob, ExportKind  # noqa: E402
from chalicelib.reports.services.export_runs import run_export  # noqa: E402
from chalicelib.reports.services.export_sources import LOOKAHEAD, sources  # noqa: E402
from local.dynamodb_local import DynamoDBLocal  # noqa: E402
from local.emulators import MotoServer, free_port  # noqa: E402
from local.resources import client  # noqa: E402

MILLION = 1_000_000
LAMBDA_VCPU = 1024 / 1769  # Lambda gives a full vCPU at 1,769 MB, in proportion below it
BUCKET = "reservoir-exports"
FIRST_DAY = date(2027, 3, 1)  # the clocks change in Europe on 28 March: inside the range


class Data:
    """What an export reads and writes on one tenant table: the orders, the jobs, the audit."""

    def __init__(self, dynamodb: Any, table: str) -> None:
        self.orders = DynamoOrderStore(dynamodb, table)
        self.exports = DynamoExports(dynamodb, table)
        self.audit = DynamoAuditLog(dynamodb, table)


class Factory:
    def __init__(self, data: Data) -> None:
        self.data = data

    def for_tenant(self, tenant: Any) -> Data:
        return self.data


def an_order(n: int, day: date) -> Order:
    iso = day.isoformat()
    after = (day + timedelta(days=1)).isoformat()
    take = Take(BucketRef("res_room", f"N#{iso}"), 1, 40)
    line = Line(
        offering_id="off_stay",
        offering_name="Deluxe double",
        start=f"{iso}T14:00Z",
        end=f"{after}T10:00Z",
        local_start=f"{iso}T15:00+01:00",
        local_date=iso,
        party=2,
        quantity=1,
        allocations=(Allocation(0, "res_room", "Deluxe double rooms", (take,)),),
        price_items=(("Night", 12000, 1),),
        subtotal=12000,
        tax=840,
        total=12840,
        deposit=3000,
        nights=1,
    )
    made = f"{(day - timedelta(days=20)).isoformat()}T09:{n % 60:02d}:00.000000Z"
    payment = Payment(
        id=f"pi_{n:08d}",
        kind=PaymentKind.DEPOSIT,
        amount=3000,
        attempt=1,
        status=AttemptStatus.SUCCEEDED,
        received=3000,
        created_at=made,
        updated_at=made,
        method=Tender.ONLINE,
    )
    return Order(
        id=f"ord_{n:08d}",
        status=BookingStatus.CONFIRMED,
        payment_status=PaymentStatus.DEPOSIT_PAID,
        customer=Customer(f"Guest {n}", f"guest{n}@example.com", "+447700900123"),
        channel=Channel.WIDGET,
        currency="EUR",
        lines=(line,),
        created_at=made,
        updated_at=made,
        hold_expires_at=None,
        payments=(payment,),
    )


def order_item(order: Order) -> dict[str, Any]:
    """The order's item as booking's unit of work writes it (booking/adapters/unit_of_work.py)."""
    return {
        "pk": {"S": f"ORD#{order.id}"},
        "sk": {"S": "META"},
        "type": {"S": "order"},
        "status": {"S": order.status.value},
        "version": {"N": str(order.version)},
        **order_attribute(order),
        **{name: {"S": v} for name, v in order_index_keys(order).items()},
    }


def write_orders(dynamodb: Any, table: str, orders: int, days: int) -> None:
    def write(start: int) -> None:
        chunk = [
            order_item(an_order(n, FIRST_DAY + timedelta(days=n % days)))
            for n in range(start, min(start + 25, orders))
        ]
        request = {table: [{"PutRequest": {"Item": item}} for item in chunk]}
        while request:
            request = dynamodb.batch_write_item(RequestItems=request).get("UnprocessedItems")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(write, range(0, orders, 25)))


class DiskPeak:
    """The largest the temporary folder grew while a file was written (polled)."""

    def __init__(self, folder: str) -> None:
        self.folder, self.peak, self._stop = folder, 0, threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> DiskPeak:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _poll(self) -> None:
        while not self._stop.wait(0.05):
            size = 0
            for entry in os.scandir(self.folder):
                with contextlib.suppress(FileNotFoundError):  # deleted meanwhile
                    size += entry.stat().st_size
            self.peak = max(self.peak, size)


def cpu_seconds(pid: int | None) -> float:
    """A process's CPU time so far (Linux /proc; 0 where there is none)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> None:  # noqa: C901 - a script: set up, measure, print
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=40)
    args = parser.parse_args(argv)

    with DynamoDBLocal(free_port()) as ddb, MotoServer(free_port()) as moto:
        dynamodb = client("dynamodb", ddb.endpoint)
        table = "reservoir-tenant-bench-exports"
        dynamodb.create_table(**TENANT_TABLE.create_table_kwargs(table))
        dynamodb.get_waiter("table_exists").wait(TableName=table)
        s3 = client("s3", moto.endpoint)
        s3.create_bucket(Bucket=BUCKET)
        began = time.perf_counter()
        write_orders(dynamodb, table, args.orders, args.days)
        print(
            f"wrote {args.orders:,} orders over {args.days} days directly "
            f"in {time.perf_counter() - began:.1f} s"
        )

        tenant = new_tenant(
            tenant_id="t_bench",
            slug="bench",
            name="Bench",
            owner_email="owner@bench.example",
            timezone="Europe/London",
            currency="EUR",
            locale="en",
            business_type=BusinessType.HOTEL,
            table_name=table,
            now=utc_now(),
        ).activated()
        data = Data(dynamodb, table)
        ctx = TenantContext(
            tenant=tenant,
            actor=Actor(kind="secret_key", id="bench", tenant_id=tenant.id),
            data_factory=Factory(data),  # type: ignore[arg-type]
            now=utc_now,
            new_id=new_id,
        )
        last_day = (FIRST_DAY + timedelta(days=args.days - 1)).isoformat()

        def export(fmt: ExportFormat, last: str, folder: str) -> tuple[str, S3ReportFiles]:
            export_id = f"exp_{new_id()}"
            job = ExportJob(
                id=export_id,
                kind=ExportKind.ORDERS,
                format=fmt,
                first=FIRST_DAY.isoformat(),
                last=last,
                created_at=utc_now(),
                created_by="secret_key:bench",
            )
            assert data.exports.create(job)
            files = S3ReportFiles(s3, BUCKET, tmpdir=folder)
            assert run_export(ctx, files, sources(CatalogCache()), export_id) == "done"
            return export_id, files

        result: dict[str, Any] = {
            "bench": "report_exports",
            "orders": args.orders,
            "days": args.days,
        }
        for fmt in (ExportFormat.CSV, ExportFormat.XLSX):
            with tempfile.TemporaryDirectory() as folder, DiskPeak(folder) as disk:
                load, emulator = os.getloadavg()[0], cpu_seconds(ddb.pid)
                wall, cpu = time.perf_counter(), time.process_time()
                export_id, files = export(fmt, last_day, folder)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                emulator = cpu_seconds(ddb.pid) - emulator
            job = data.exports.get(export_id)
            assert job is not None and job.rows == args.orders, job
            size = s3.head_object(Bucket=BUCKET, Key=f"reports/t_bench/{export_id}.{fmt}")
            rate = args.orders / wall
            here = MILLION / rate
            # On Lambda: our CPU (the reads' parsing on their threads included) at its share of
            # a vCPU; DynamoDB's own work is DynamoDB's, overlapped by the reads ahead.
            on_lambda = MILLION / args.orders * cpu / LAMBDA_VCPU
            result[fmt.value] = {
                "seconds": round(wall, 2),
                "cpu_seconds": round(cpu, 2),
                "dynamodb_local_cpu_seconds": round(emulator, 2),
                "load_average": round(load, 1),
                "orders_per_second": round(rate),
                "cpu_us_per_order": round(cpu / args.orders * 1e6),
                "bytes": size["ContentLength"],
                "parts": files.last_parts,
                "tmp_peak_bytes": disk.peak,
                "projected_1m_seconds_here": round(here),
                "projected_1m_seconds_lambda_1024mb": round(on_lambda),
            }
            print(
                f"{fmt.value}: {args.orders:,} orders in {wall:.1f} s: {rate:,.0f} orders/s "
                f"(load average {load:.1f} on {os.cpu_count()} cores); our CPU {cpu:.1f} s "
                f"({cpu / args.orders * 1e6:.0f} us an order), DynamoDB Local's {emulator:.1f} s; "
                f"{size['ContentLength'] / 1e6:.1f} MB in {files.last_parts} part(s); "
                f"temporary disk peak {disk.peak / 1e6:.1f} MB"
            )
            print(
                f"  one million: {here / 60:.1f} min at this wall rate; {on_lambda / 60:.1f} min "
                f"of our CPU on Lambda at 1,024 MB ({LAMBDA_VCPU:.2f} vCPU); temporary disk "
                f"about {disk.peak / args.orders * MILLION / 1e9:.2f} GB"
            )

        # Memory: the peak of Python's allocations, a quarter of the days against all of them.
        quarter = (FIRST_DAY + timedelta(days=max(1, args.days // 4) - 1)).isoformat()
        peaks = {}
        for label, last in (("quarter", quarter), ("all", last_day)):
            with tempfile.TemporaryDirectory() as folder:
                tracemalloc.start()
                export(ExportFormat.XLSX, last, folder)
                peaks[label] = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
        result["memory_peak_bytes"] = peaks
        print(
            f"memory (tracemalloc peak, XLSX): {peaks['quarter'] / 1e6:.1f} MB for a quarter "
            f"of the days, {peaks['all'] / 1e6:.1f} MB for all of them "
            f"(the day written and {LOOKAHEAD} read ahead are held at once: it follows the "
            f"busiest days, {args.orders // args.days:,} orders a day here, not the rows)"
        )
        print(json.dumps(result))


if __name__ == "__main__":
    main()
