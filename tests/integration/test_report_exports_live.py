"""Report exports over DynamoDB Local and moto's S3, through the real app and the export
worker's Lambda handler: orders as CSV and payments as XLSX, each downloaded through its
presigned link and read back (the right rows; openpyxl opens the workbook); customers through
the customers' listing; the same message twice makes one file and leaves no upload open; and
the S3 adapter itself: a file of several 5 MiB parts read back whole, a failure midway aborts
its upload and leaves no object."""

from __future__ import annotations

import csv
import io
import json
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import openpyxl
import pytest

from chalicelib import bootstrap
from chalicelib.customers.adapters.customer_items import customer_item
from chalicelib.customers.domain.figures import CustomerFigures
from chalicelib.customers.domain.records import CustomerRecord, Profile
from chalicelib.queues import EXPORTS
from chalicelib.reports.adapters.export_files import MIN_PART, S3ReportFiles
from chalicelib.reports.domain.exports import ExportFormat
from local.resources import EXPORTS_BUCKET
from tests.builders import room_type, stay_offering
from tests.integration.test_catalog_live import send


def day(n: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=n)).isoformat()


@pytest.fixture
def hotel(live) -> dict[str, Any]:
    tenant = live.signup("exports", timezone="Asia/Shanghai", currency="CNY")
    live.provision(tenant["tenant_id"])
    c = bootstrap.container()
    t = c.platform.get_tenant(tenant["tenant_id"])
    data = c.tenant_data.for_tenant(t)
    data.catalog.put_resource(room_type(rooms=5), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    tenant["table"] = t.table_name
    return tenant


def book(live, tenant, name: str, check_in: str) -> dict[str, Any]:
    body = {
        "customer": {"name": name, "email": f"{name.lower().strip('=+@')}@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": check_in, "nights": 1}],
    }
    r = send(live, "POST", "/v1/orders", tenant, body)
    assert r.status_code == 201, r.body
    return r.data


def export(live, tenant, **body) -> str:
    r = send(live, "POST", "/v1/exports", tenant, body)
    assert r.status_code == 202, r.body
    return r.data["id"]


def work(live, tenant, export_id: str, times: int = 1) -> None:
    message = json.dumps({"tenant_id": tenant["tenant_id"], "export_id": export_id})
    event = live.client.events.generate_sqs_event(
        message_bodies=[message] * times, queue_name=EXPORTS.name
    )
    for i, record in enumerate(event["Records"]):
        record["messageId"] = f"msg-{export_id}-{i}"
    assert live.client.lambda_.invoke("run_exports", event).payload == {"batchItemFailures": []}


def downloaded(live, tenant, export_id: str) -> tuple[dict[str, Any], bytes]:
    r = send(live, "GET", f"/v1/exports/{export_id}", tenant)
    assert r.status_code == 200, r.body
    assert r.data["status"] == "done", r.data
    assert "X-Amz-Expires=900" in r.data["url"]
    return r.data, urllib.request.urlopen(r.data["url"]).read()  # noqa: S310


def objects(live, prefix: str) -> list[str]:
    s3 = live.stack.client("s3")
    listed = s3.list_objects_v2(Bucket=EXPORTS_BUCKET, Prefix=prefix)
    return [o["Key"] for o in listed.get("Contents", [])]


def open_uploads(live, prefix: str) -> list[str]:
    s3 = live.stack.client("s3")
    listed = s3.list_multipart_uploads(Bucket=EXPORTS_BUCKET, Prefix=prefix)
    return [u["Key"] for u in listed.get("Uploads", [])]


def test_orders_as_csv_and_payments_as_xlsx_are_downloaded_and_read_back(live, hotel):
    ada = book(live, hotel, "Ada", day(30))
    bob = book(live, hotel, "=Bob", day(31))
    book(live, hotel, "Cy", day(40))  # outside the range
    assert send(live, "POST", f"/v1/orders/{ada['id']}/confirm", hotel).status_code == 200
    paid = {"amount": 5000, "method": "cash", "reference": "@receipt-1"}
    r = send(live, "POST", f"/v1/orders/{ada['id']}/payments", hotel, paid)
    assert r.status_code == 201, r.body

    orders_id = export(live, hotel, kind="orders", format="csv", **{"from": day(29), "to": day(31)})
    work(live, hotel, orders_id)
    status, body = downloaded(live, hotel, orders_id)
    assert status["rows"] == 2
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [(r["order_id"], r["customer_name"]) for r in rows] == [
        (ada["id"], "Ada"),
        (bob["id"], "'=Bob"),
    ]
    assert rows[0]["status"] == "confirmed" and rows[0]["paid_minor"] == "5000"
    assert rows[0]["currency"] == "CNY" and rows[0]["start_local"].startswith(day(30))

    payments_id = export(
        live, hotel, kind="payments", format="xlsx", **{"from": day(29), "to": day(31)}
    )
    work(live, hotel, payments_id)
    _, body = downloaded(live, hotel, payments_id)
    book_ = openpyxl.load_workbook(io.BytesIO(body))
    header, *sheet = list(book_["payments"].iter_rows(values_only=True))
    got = [dict(zip(header, r, strict=True)) for r in sheet]
    assert len(got) == 1
    assert (got[0]["order_id"], got[0]["method"], got[0]["amount_minor"]) == (
        ada["id"],
        "cash",
        5000,
    )
    assert (
        got[0]["reference"] == "@receipt-1"
    )  # a typed text cell in the workbook: never run, not escaped
    assert isinstance(got[0]["at_local"], datetime)
    assert len(objects(live, f"reports/{hotel['tenant_id']}/")) == 2


def test_customers_are_read_through_the_customers_listing(live, hotel):
    c = bootstrap.container()
    at = "2026-11-30T09:00:00.000000Z"
    for n, name in enumerate(("Ada Lovelace", "+Grace Hopper")):
        record = CustomerRecord(
            f"cus_{n}",
            Profile(name=name, email=f"c{n}@example.com"),
            at,
            at,
            figures=CustomerFigures(bookings=n + 1, spend=1000 * (n + 1)),
        )
        c.client("dynamodb").put_item(TableName=hotel["table"], Item=customer_item(record))

    export_id = export(live, hotel, kind="customers", format="xlsx")
    work(live, hotel, export_id)
    status, body = downloaded(live, hotel, export_id)
    assert status["rows"] == 2
    header, *sheet = list(openpyxl.load_workbook(io.BytesIO(body))["customers"].values)
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in sheet}
    assert set(by_id) == {"cus_0", "cus_1"}
    assert by_id["cus_1"]["name"] == "+Grace Hopper"  # XLSX: typed text, unchanged
    assert by_id["cus_1"]["spend_minor"] == 2000 and by_id["cus_1"]["bookings"] == 2
    # 09:00 UTC is 17:00 in Shanghai (the tenant's zone).
    assert by_id["cus_0"]["created_at_local"] == datetime(2026, 11, 30, 17, 0)


def test_the_same_message_twice_makes_one_file_and_leaves_no_upload_open(live, hotel):
    book(live, hotel, "Ada", day(30))
    export_id = export(
        live, hotel, kind="orders", format="xlsx", **{"from": day(30), "to": day(30)}
    )

    work(live, hotel, export_id, times=2)
    work(live, hotel, export_id)  # and once more, later

    prefix = f"reports/{hotel['tenant_id']}/"
    assert objects(live, prefix) == [f"{prefix}{export_id}.xlsx"]
    assert open_uploads(live, prefix) == []
    status, body = downloaded(live, hotel, export_id)
    assert status["rows"] == 1
    assert openpyxl.load_workbook(io.BytesIO(body))["orders"].max_row == 2


def rows(n: int) -> Iterator[tuple]:
    for i in range(n):
        yield (f"ord_{i:07d}", "confirmed", "x" * 200, i)


def test_a_file_of_several_parts_is_read_back_whole(live):
    files = S3ReportFiles(live.stack.client("s3"), EXPORTS_BUCKET, part_size=MIN_PART)
    key = "reports/t_parts/exp_parts.csv"

    assert (
        files.write(key, ExportFormat.CSV, "orders", ("id", "s", "x", "n"), rows(60_000)) == 60_000
    )

    assert files.last_parts >= 3  # about 13 MB in parts of 5 MiB
    body = live.stack.client("s3").get_object(Bucket=EXPORTS_BUCKET, Key=key)["Body"].read()
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(table) == 60_001 and table[-1][0] == "ord_0059999"


def test_a_failure_midway_aborts_the_upload_and_leaves_no_object(live):
    files = S3ReportFiles(live.stack.client("s3"), EXPORTS_BUCKET, part_size=MIN_PART)
    key = "reports/t_broken/exp_broken.csv"

    def broken() -> Iterator[tuple]:
        yield from rows(40_000)  # past the first part
        raise RuntimeError("the table went away")

    with pytest.raises(RuntimeError):
        files.write(key, ExportFormat.CSV, "orders", ("id", "s", "x", "n"), broken())
    assert objects(live, "reports/t_broken/") == []
    assert open_uploads(live, "reports/t_broken/") == []
