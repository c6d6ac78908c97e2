"""Imports over DynamoDB Local, through the real app and the import worker's Lambda handler:
an import run twice adds no order, no event and takes no inventory the second time; imported
bookings take their rooms (a row beyond them is refused); a worker that dies half-way is
resumed without doubles; the file's cells are gone from the table once the job is done."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib import bootstrap
from chalicelib.queues import IMPORTS
from tests.import_support import die_at_confirmation
from tests.integration.test_catalog_live import active_tenant, send


def day(n: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=n)).isoformat()


def bookings_csv() -> str:
    rows = [
        "Ref;Guest;Mail;Room;Arrival;Nights",
        f'A-1;"Chen; Wei";wei@example.cn;Stay;{day(30)};2',
        f"A-2;Maria Garcia;maria@example.es;Stay;{day(35)};1",
        f"A-3;Tom Baker;tom@example.co.uk;Stay;{day(31)};1",  # the one room is Chen's still
        f"A-4;Old Guest;old@example.com;Stay;{day(-3)};1",
        f"A-5;Lea Martin;lea@example.fr;Stay;{day(40)};3",
    ]
    return "\ufeff" + "\r\n".join(rows) + "\r\n"


MAPPING = {
    "Ref": "reference",
    "Guest": "name",
    "Mail": "email",
    "Room": "offering",
    "Arrival": "date",
    "Nights": "nights",
}
CUSTOMERS = "Name,Email,Phone\nAda,ada@example.com,+49 151 23456789\nBo,,030 1234567\n"


def hotel(live):
    tenant = active_tenant(live, "imports")
    room = send(
        live, "POST", "/v1/resources", tenant, {"name": "Room", "kind": "nightly", "capacity": 1}
    )
    offering = {
        "name": "Stay",
        "kind": "nightly",
        "requirements": [{"resource_id": room.data["id"]}],
        "pricing": {"amount": 12000, "basis": "night"},
    }
    tenant["offering"] = send(live, "POST", "/v1/offerings", tenant, offering).data["id"]
    return tenant


def start(live, tenant, body):
    r = send(live, "POST", "/v1/imports", tenant, body)
    assert r.status_code == 202, r.body
    return r.data["id"]


def work(live, tenant, import_id):
    event = live.client.events.generate_sqs_event(
        message_bodies=[json.dumps({"tenant_id": tenant["tenant_id"], "import_id": import_id})],
        queue_name=IMPORTS.name,
    )
    event["Records"][0]["messageId"] = f"msg-{import_id}"
    assert live.client.lambda_.invoke("run_imports", event).payload == {"batchItemFailures": []}
    r = send(live, "GET", f"/v1/imports/{import_id}", tenant)
    assert r.status_code == 200, r.body
    return r.data


def forget_queued(live, import_id: str) -> bool:
    """Take this import's job message off the shared imports queue, others left as they were:
    a job these tests run by hand (`work`) or not at all must not be run later by another
    test's worker loop (a 4,000-row job held a loop round for 46 s and failed a privacy test's
    wait on the same stack)."""
    sqs = live.stack.client("sqs")
    url = live.stack.resources.queue_urls[IMPORTS.name]
    for _ in range(20):
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0)
        messages = got.get("Messages", [])
        mine = [m for m in messages if json.loads(m["Body"]).get("import_id") == import_id]
        for m in mine:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        if mine or not messages:
            return bool(mine)
    return False


def table_items(tenant):
    c = bootstrap.container()
    data = c.tenant_data.for_tenant(c.platform.get_tenant(tenant["tenant_id"]))
    pages = data.client.get_paginator("scan").paginate(TableName=data.table_name)
    return [item for page in pages for item in page["Items"]]


def counted(tenant):
    items = table_items(tenant)
    orders = sorted(i["pk"]["S"] for i in items if i["pk"]["S"].startswith("ORD#"))
    events = sorted(i["pk"]["S"] for i in items if i["pk"]["S"].startswith("EVT#"))
    used = sorted(
        (i["pk"]["S"], i["sk"]["S"], i["used"]["N"])
        for i in items
        if i["pk"]["S"].startswith("INV#") and "used" in i
    )
    return orders, events, used


def test_a_bookings_import_run_twice_takes_its_rooms_once(live):
    tenant = hotel(live)
    first = work(
        live,
        tenant,
        start(live, tenant, {"kind": "bookings", "csv": bookings_csv(), "mapping": MAPPING}),
    )
    assert (first["status"], first["taken"], first["refused"]) == ("done", 3, 2), first
    codes = {r["row"]: r["code"] for r in first["results"]}
    assert codes == {4: "unavailable", 5: "in_the_past"}
    before = counted(tenant)
    assert len(before[0]) == 3 and before[2]  # three orders, their nights taken

    again = work(
        live,
        tenant,
        start(live, tenant, {"kind": "bookings", "csv": bookings_csv(), "mapping": MAPPING}),
    )
    assert (again["taken"], again["already_imported"], again["refused"]) == (0, 3, 2)
    assert counted(tenant) == before  # no order, no event, no unit more
    # The file's cells left the table with each job; the reports stay.
    assert not [i for i in table_items(tenant) if i["sk"]["S"].startswith("ROWS#")]


def test_a_customers_import_run_twice_writes_each_event_once(live):
    tenant = hotel(live)
    body = {
        "kind": "customers",
        "csv": CUSTOMERS,
        "mapping": {"Name": "name", "Email": "email", "Phone": "phone"},
    }
    first = work(live, tenant, start(live, tenant, body))
    assert first["taken"] == 2, first
    _, events, _ = counted(tenant)
    checked = send(live, "POST", "/v1/imports/check", tenant, body)  # the events, looked up
    assert (checked.data["taken"], checked.data["already_imported"]) == (0, 2), checked.body
    again = work(live, tenant, start(live, tenant, body))
    assert (again["taken"], again["already_imported"]) == (0, 2)
    assert counted(tenant)[1] == events
    listed = send(live, "GET", "/v1/imports", tenant).data["imports"]
    assert [i["id"] for i in listed] == [again["id"], first["id"]]


def test_an_import_whose_worker_died_half_way_resumes_without_doubles(live, monkeypatch):
    tenant = hotel(live)
    die_at_confirmation(monkeypatch, 2)
    import_id = start(live, tenant, {"kind": "bookings", "csv": bookings_csv(), "mapping": MAPPING})
    with pytest.raises(SystemExit):
        work(live, tenant, import_id)
    # (The dying worker let its claim go on the way out; one killed outright leaves it to run
    # out first: tests/unit/test_import_runs.py.)
    done = work(live, tenant, import_id)
    assert (done["status"], done["taken"], done["refused"]) == ("done", 3, 2), done
    orders, _, used = counted(tenant)
    assert len(orders) == 3
    assert {u[2] for u in used} == {"1"}  # each night of the one room taken once
    statuses = {send(live, "GET", f"/v1/orders/{o[4:]}", tenant).data["status"] for o in orders}
    assert statuses == {"confirmed"}


def test_a_large_file_is_kept_in_chunks_under_the_item_size_and_read_back_whole(live):
    tenant = hotel(live)
    notes = "Prefers the quiet room at the back; " * 4  # about 150 bytes a row
    text = "Name,Email,Notes\n" + "".join(
        f'Guest {i},guest{i}@example.com,"{notes}{i}"\n' for i in range(4000)
    )
    import_id = start(
        live,
        tenant,
        {
            "kind": "customers",
            "csv": text,
            "mapping": {"Name": "name", "Email": "email", "Notes": "notes"},
        },
    )
    c = bootstrap.container()
    data = c.tenant_data.for_tenant(c.platform.get_tenant(tenant["tenant_id"]))
    chunks = [i for i in table_items(tenant) if i["sk"]["S"].startswith("ROWS#")]
    assert len(chunks) > 1 and all(len(i["doc"]["S"].encode()) <= 300_000 for i in chunks)
    rows = data.imports.rows(import_id)
    assert [r.row for r in rows] == list(range(2, 4002))
    assert dict(rows[-1].cells)["notes"] == f"{notes}3999".strip()
    assert forget_queued(live, import_id)  # stored and read back: its 4,000 rows are not run
