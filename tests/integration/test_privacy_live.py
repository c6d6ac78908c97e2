"""The issue's own test of an erase, over DynamoDB Local, moto's S3, SES and Scheduler and the
worker loop: a customer with several orders (answers to booking questions, a payment, a refund,
reminders scheduled, an invoice issued, an idempotent POST remembered), their record, notes and
points, and an export; then the erase; then EVERY item of the tenant's table is read (a Scan:
fine in a test) and the customer's name, e-mail, phone and answers are found nowhere but in the
issued invoice's items; the export file is gone from S3 and the invoice's PDF is not; the
reminders left behind fire and send nothing; and a second erase changes no item."""

from __future__ import annotations

import base64
import contextlib
import json
import urllib.request
import zlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from boto3.dynamodb.types import TypeSerializer

from chalicelib import bootstrap
from chalicelib.booking.adapters.codec import open_document
from chalicelib.catalog.domain.questions import Question, QuestionKind
from chalicelib.customers.adapters.customer_items import customer_item
from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.domain.records import CustomerRecord, Profile
from chalicelib.queues import EVENTS, MESSAGE_EVENTS, PAYMENT_EVENTS, REMINDERS
from local.schedules import OneTimeSchedules
from tests.builders import room_type, stay_offering
from tests.integration.test_events_live import emails_to, loop_for, queue_depth, run_loop

NAME = "Zenobia Quillfeather"
PHONE = "+447700900123"
ANSWER = "Allergic to hazelnuts"
KEPT = ("INVC#", "ORDINV#")  # issued invoices and their order's invoicing: kept by law


def _hotel(live) -> tuple[dict[str, Any], Any, Any]:
    tenant = live.signup("privacy")
    live.provision(tenant["tenant_id"])
    c = bootstrap.container()
    t = c.platform.get_tenant(tenant["tenant_id"])
    data = c.tenant_data.for_tenant(t)
    data.catalog.put_resource(room_type(rooms=5), expected_rev=None)
    diet = Question("diet", "Dietary needs", QuestionKind.TEXT)
    data.catalog.put_offering(replace(stay_offering(), questions=(diet,)), expected_rev=None)
    return tenant, t, c


def _post(live, path: str, auth: str, body: Any, key: str | None = None) -> Any:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {auth}"}
    if key:
        headers["Idempotency-Key"] = key
    r = live.client.http.post(path, headers=headers, body=json.dumps(body))
    r.data = json.loads(r.body) if r.body else None
    return r


def _book(
    live, tenant, email: str, days: int, name: str = NAME, key: str | None = None, **other: str
) -> str:
    check_in = (datetime.now(UTC) + timedelta(days=days)).date().isoformat()
    body = {
        "customer": {"name": name, "email": email, "phone": other.get("phone", PHONE)},
        "lines": [
            {
                "offering_id": "off_stay",
                "check_in": check_in,
                "nights": 1,
                "answers": {"booking": {"diet": other.get("answer", ANSWER)}},
            }
        ],
    }
    r = _post(live, "/v1/orders", tenant["secret_key"], body, key)
    assert r.status_code == 201, r.body
    return r.data["id"]


def _ok(r: Any, status: int = 200) -> Any:
    assert r.status_code == status, r.body
    return r.data


def _text(value: Any) -> str:
    """An item's attribute as text: compressed documents opened, binary shown."""
    if isinstance(value, dict) and "B" in value:
        raw = value["B"]
        try:
            return open_document(raw)  # an order's document, from its preset dictionary or not
        except zlib.error:
            return base64.b64encode(raw).decode() + raw.decode("latin-1")
    return json.dumps(value, ensure_ascii=False)


def _every_item(c, table: str) -> list[dict[str, Any]]:
    client = c.client("dynamodb")
    items, start = [], None
    while True:
        page = client.scan(TableName=table, **({"ExclusiveStartKey": start} if start else {}))
        items += page["Items"]
        start = page.get("LastEvaluatedKey")
        if not start:
            return items


def _mentions(item: dict[str, Any], needles: list[str]) -> list[str]:
    text = " ".join(f"{k}={_text(v)}" for k, v in item.items()).lower()
    return [n for n in needles if n.lower() in text]


def _put_customer_items(c, table: str, cid: str, email: str) -> None:
    put = TypeSerializer().serialize
    at = "2026-11-30T09:00Z"
    record = CustomerRecord(cid, Profile(name=NAME, email=email, phone=PHONE), at, at)
    # The record as the customers' core writes it (its consumer may have made one already).
    c.client("dynamodb").put_item(TableName=table, Item=customer_item(record))
    for item in (
        {"pk": f"CUS#{cid}", "sk": "NOTE#2026-11-30#1", "text": f"{NAME} prefers the quiet side"},
        {"pk": f"LOY#{cid}", "sk": "E#2026-11-30#1", "points": 120},
    ):
        c.client("dynamodb").put_item(TableName=table, Item={k: put(v) for k, v in item.items()})


def _settle(live, loop) -> None:
    """Every event relayed and handled by every group (reminders scheduled, e-mails sent)."""
    run_loop(loop, lambda: loop.run_round(wait_seconds=0).relayed == 0)
    groups = (EVENTS, MESSAGE_EVENTS, PAYMENT_EVENTS)
    run_loop(loop, lambda: all(queue_depth(live, q.name) == 0 for q in groups))


def _reminder_schedules(live, tenant, order_id: str) -> list[dict[str, Any]]:
    scheduler = live.stack.client("scheduler")
    group = live.stack.env["RESERVOIR_SCHEDULE_GROUP"]
    found = [
        scheduler.get_schedule(Name=s["Name"], GroupName=group)
        for s in scheduler.list_schedules(GroupName=group)["Schedules"]
    ]
    # Other tests' schedules share the emulator: some (a balance's try) name no order.
    return [s for s in found if json.loads(s["Target"]["Input"]).get("order_id") == order_id]


def test_an_erase_leaves_no_personal_data_in_the_table_but_the_issued_invoices(live):
    tenant, t, c = _hotel(live)
    owner = tenant["secret_key"]
    email = f"zenobia.q@{tenant['slug']}.example"
    cid = customer_id_for(email)
    stay = _book(live, tenant, email, days=3, key="book-stay-1")  # remembered with its answer
    other = _book(live, tenant, email, days=5)
    bob_email = f"bob@{tenant['slug']}.example"
    bob = _book(live, tenant, bob_email, 6, "Bob Marley", phone="+447700900999", answer="Vegan")
    _ok(live.call("POST", f"/v1/orders/{stay}/confirm", auth=owner))
    paid = {"amount": 5000, "method": "cash", "reference": "receipt 17"}
    _ok(_post(live, f"/v1/orders/{stay}/payments", owner, paid), 201)
    back = {"amount": 2000, "method": "cash", "reason": "minibar was empty"}
    _ok(_post(live, f"/v1/orders/{stay}/refunds", owner, back), 201)
    invoice = _ok(_post(live, f"/v1/orders/{stay}/invoices", owner, {}), 201)
    pdf = _ok(live.call("GET", f"/v1/invoices/{invoice['id']}/pdf", auth=owner))
    # A bulk message naming her: the job keeps its words 90 days, and the erase scrubs them.
    words = {"action": "message", "order_ids": [stay], "subject": f"Hi {NAME}", "body": "Hi"}
    _ok(_post(live, "/v1/bulk-jobs", owner, words), 202)
    loop = loop_for(live, tenant)
    _settle(live, loop)
    reminders = _reminder_schedules(live, tenant, stay)
    assert len(reminders) == 2  # a day and two hours before
    _put_customer_items(c, t.table_name, cid, email)
    exported = _ok(_post(live, f"/v1/customers/{cid}/export", owner, {}), 201)
    assert exported["orders"] == 2 and exported["records"] >= 3
    assert ANSWER in urllib.request.urlopen(exported["url"]).read().decode()  # noqa: S310

    refused = _post(live, f"/v1/customers/{cid}/erase", owner, {"confirm": email})
    assert (refused.status_code, refused.data["error"]["code"]) == (
        409,
        "customer_has_open_bookings",
    )
    for order_id in (stay, other):
        _ok(live.call("POST", f"/v1/orders/{order_id}/cancel", auth=owner, body={}))
    # What the cancellation owes her back is given back first: the erase refuses a customer
    # still owed money (409 customer_owed_money), nobody could return it afterwards.
    owed = _ok(live.call("GET", f"/v1/orders/{stay}", auth=owner))["totals"]["owed_back"]
    assert owed > 0
    refused = _post(live, f"/v1/customers/{cid}/erase", owner, {"confirm": email})
    assert (refused.status_code, refused.data["error"]["code"]) == (409, "customer_owed_money")
    given = {"amount": owed, "method": "cash", "reason": "cancelled"}
    _ok(_post(live, f"/v1/orders/{stay}/refunds", owner, given), 201)
    _settle(live, loop)
    sent_before = len(emails_to(live, email))
    # Whatever the customer's partitions hold by now (other capabilities write there too, the
    # suggestions' counted orders for one): the erase deletes them all.
    store = c.tenant_data.for_tenant(t).privacy
    held = sum(len(store.partition(f"{p}{cid}")) for p in ("CUS#", "LOY#"))
    assert held >= 3
    erased = _ok(_post(live, f"/v1/customers/{cid}/erase", owner, {"confirm": email}, "erase-1"))

    assert (erased["done"], erased["orders"], erased["records"], erased["files"]) == (
        True,
        2,
        held,
        1,
    )
    assert erased["invoices_kept"] == 2  # the invoice, and the credit note of its cancellation
    items = _every_item(c, t.table_name)
    needles = [NAME, *NAME.split(), email, PHONE, PHONE.lstrip("+"), ANSWER]
    leaks = {
        (i["pk"]["S"], i["sk"]["S"]): _mentions(i, needles)
        for i in items
        if not i["pk"]["S"].startswith(KEPT) and _mentions(i, needles)
    }
    assert leaks == {}
    kept = [i for i in items if i["pk"]["S"].startswith("INVC#")]
    assert kept and all(_mentions(i, [NAME]) for i in kept)  # the invoice still names its buyer
    assert any(_mentions(i, ["Bob Marley"]) for i in items)  # Bob is not erased
    assert not any(i["pk"]["S"] in (f"CUS#{cid}", f"LOY#{cid}") for i in items)
    s3 = live.stack.client("s3")
    exports = s3.list_objects_v2(Bucket="reservoir-exports", Prefix=f"exports/{t.id}/")
    assert exports.get("KeyCount", 0) == 0
    assert urllib.request.urlopen(pdf["url"]).read().startswith(b"%PDF")  # noqa: S310
    orders = c.tenant_data.for_tenant(t).orders
    assert orders.get(stay).total == orders.get(stay).total and orders.get(stay).customer.erased
    assert orders.get(bob).customer.name == "Bob Marley"

    # The reminders' schedules left behind (a cancel deletes them best-effort) fire: nothing.
    scheduler, sqs = live.stack.client("scheduler"), live.stack.client("sqs")
    group = live.stack.env["RESERVOIR_SCHEDULE_GROUP"]
    for s in reminders:
        kwargs = {k: s[k] for k in ("Name", "GroupName", "ScheduleExpression", "Target")}
        with contextlib.suppress(scheduler.exceptions.ConflictException):  # still there
            scheduler.create_schedule(FlexibleTimeWindow={"Mode": "OFF"}, **kwargs)
    at_start = (datetime.now(UTC) + timedelta(days=4)).timestamp()
    assert OneTimeSchedules(scheduler, sqs, group=group, clock=lambda: at_start).fire_due() >= 2
    run_loop(loop, lambda: queue_depth(live, REMINDERS.name) == 0)
    assert len(emails_to(live, email)) == sent_before

    # Erasing again changes nothing (no idempotency record: no key sent; rate counters aside).
    def state() -> list[Any]:
        return sorted(
            json.dumps(i, sort_keys=True, default=str) for i in _every_item(c, t.table_name)
             if not i["pk"]["S"].startswith("RL#")
        )  # fmt: skip

    before = state()
    again = _ok(_post(live, f"/v1/customers/{cid}/erase", owner, {"confirm": email}))
    assert (again["orders"], again["events"], again["records"], again["files"]) == (0, 0, 0, 0)
    assert state() == before


def test_the_privacy_store_deletes_a_partition_of_any_size_and_finds_items_by_subject(live):
    tenant, t, c = _hotel(live)
    data = c.tenant_data.for_tenant(t)
    store = data.privacy
    put = TypeSerializer().serialize
    client = c.client("dynamodb")
    for n in range(60):  # more than one BatchWriteItem (25) can delete
        item = {"pk": "CUS#cus_many", "sk": f"NOTE#{n:03d}", "text": f"note {n}", "b": b"\x00"}
        client.put_item(TableName=t.table_name, Item={k: put(v) for k, v in item.items()})
    got = store.partition("CUS#cus_many")
    assert len(got) == 60 and got[0]["b"] == "AA==" and got[0]["text"] == "note 0"
    assert store.delete_partition("CUS#cus_many") == 60
    assert store.partition("CUS#cus_many") == [] and store.delete_partition("CUS#cus_many") == 0
    # A day's takings entries of one order, and their reference replaced (amounts untouched).
    for n, order in enumerate(("ord_a", "ord_b", "ord_a")):
        item = {"pk": "TAKE#2026-12-01", "sk": f"2026-12-01T10:0{n}Z#dpay_{n}", "order_id": order,
                "reference": f"paid by Ida {n}", "amount": 100}  # fmt: skip
        client.put_item(TableName=t.table_name, Item={k: put(v) for k, v in item.items()})
    mine = store.takings_of("ord_a", "2026-12-01")
    assert [ref for _, ref in mine] == ["paid by Ida 0", "paid by Ida 2"]
    store.replace_takings_reference("2026-12-01", mine[0][0], "paid by [erased] 0")
    assert [ref for _, ref in store.takings_of("ord_a", "2026-12-01")][0] == "paid by [erased] 0"
    assert store.takings_of("ord_b", "2026-12-01") == [
        ("2026-12-01T10:01Z#dpay_1", "paid by Ida 1")
    ]
    # A channel reservation's kept messages, read and replaced; one with none reads nothing.
    res = {"pk": "CHRES#chn_1", "sk": "BDC-1", "type": "channel_reservation", "v": 2,
           "applied": '{"guest":"Ida"}', "applied_at": "2026-12-01T10:00:00Z"}  # fmt: skip
    client.put_item(TableName=t.table_name, Item={k: put(v) for k, v in res.items()})
    assert store.channel_messages("chn_1", "BDC-1") == {"applied": '{"guest":"Ida"}'}
    store.replace_channel_messages("chn_1", "BDC-1", {"applied": '{"guest":"[erased]"}'})
    assert store.channel_messages("chn_1", "BDC-1") == {"applied": '{"guest":"[erased]"}'}
    assert store.channel_messages("chn_1", "BDC-2") == {}

    order_id = _book(live, tenant, f"ida@{tenant['slug']}.example", 3, "Ida", key="ida-1")
    # The hold's key is written with the order and holds no answer: nothing names Ida there.
    assert store.answers_about(order_id) == []
    # A POST of another route remembers its answer, which names the order (and Ida).
    keys = data.idempotency
    assert keys.claim("user:u1#ida-2", "h", datetime.now(UTC).isoformat()) is None
    body = json.dumps({"id": order_id, "customer": {"name": "Ida"}})
    keys.finish("user:u1#ida-2", {"status": 200, "headers": {}, "body": body})
    [answer] = store.answers_about(order_id)  # a POST's remembered answer names its order
    assert json.loads(answer.response["body"])["customer"]["name"] == "Ida"
    store.replace_answer(answer.key, {**answer.response, "body": "{}"})
    assert store.answers_about(order_id)[0].response["body"] == "{}"
    # The hold's event has no entry of its own (it names nobody): it is found through the
    # order's audit entry, written by the bookkeeping group (its id is the event's).
    [held_id] = _event_ids(c, t, order_id)
    key = {"pk": {"S": f"EVT#{held_id}"}, "sk": {"S": "META"}}
    held = client.get_item(TableName=t.table_name, Key=key)["Item"]
    assert "gsi4pk" not in held
    assert store.order_events(order_id) == []  # its audit entry is not written yet
    _settle(live, loop_for(live, tenant))
    # An event with an entry of its own (a message's words), older than the hold: both, in order.
    at = "2026-01-01T00:00:00Z"
    words = {"pk": "EVT#evt_words", "sk": "META", "type": "event", "name": "OrderMessaged",
             "order_id": order_id, "at": at, "data": "{}",
             "gsi4pk": f"EVTORD#{order_id}", "gsi4sk": f"{at}#evt_words"}  # fmt: skip
    client.put_item(TableName=t.table_name, Item={k: put(v) for k, v in words.items()})
    events = store.order_events(order_id)
    assert [e.name for e in events] == ["OrderMessaged", "OrderHeld"]
    store.delete_events([e.id for e in events])
    assert store.order_events(order_id) == []


def _event_ids(c, t, order_id: str) -> list[str]:
    """The ids of the order's event items (a Scan: a test's small table)."""
    items = c.client("dynamodb").scan(
        TableName=t.table_name,
        FilterExpression="#t = :e AND order_id = :o",
        ExpressionAttributeNames={"#t": "type"},
        ExpressionAttributeValues={":e": {"S": "event"}, ":o": {"S": order_id}},
    )["Items"]
    return [i["pk"]["S"].removeprefix("EVT#") for i in items]


def _tombstone(c, t, cid: str) -> dict[str, Any] | None:
    key = {"pk": {"S": f"ERASED#{cid}"}, "sk": {"S": "META"}}
    item = c.client("dynamodb").get_item(TableName=t.table_name, Key=key)
    got: dict[str, Any] | None = item.get("Item")
    return got


def test_a_phone_names_the_customer_whose_record_holds_it_and_a_shared_phone_is_refused(live):
    tenant, t, c = _hotel(live)
    owner = tenant["secret_key"]
    email = f"zenobia.q@{tenant['slug']}.example"
    cid = customer_id_for(email)
    shared = "+447700900555"
    mine = _book(live, tenant, email, 3)
    sisters = [
        _book(live, tenant, f"{who}@{tenant['slug']}.example", 4 + n, who.title(), phone=shared)
        for n, who in enumerate(("carla", "dora"))
    ]
    for order_id in (mine, *sisters):
        _ok(live.call("POST", f"/v1/orders/{order_id}/confirm", auth=owner))
    _settle(live, loop_for(live, tenant))  # the records, with their phones, from the events

    refused = _post(live, f"/v1/customers/{shared}/export", owner, {})
    assert (refused.status_code, refused.data["error"]["code"]) == (
        409,
        "phone_names_several_customers",
    )
    ids = sorted(customer_id_for(f"{w}@{tenant['slug']}.example") for w in ("carla", "dora"))
    assert refused.data["error"]["details"]["customer_ids"] == ids
    _ok(live.call("POST", f"/v1/orders/{mine}/cancel", auth=owner, body={}))
    erased = _ok(_post(live, f"/v1/customers/{PHONE}/erase", owner, {"confirm": PHONE}))

    assert (erased["customer_id"], erased["done"], erased["orders"]) == (cid, True, 1)
    data = c.tenant_data.for_tenant(t)
    assert data.orders.get(mine).customer.erased and data.customers.get(cid) is None
    assert not any(data.orders.get(o).customer.erased for o in sisters)
    tomb = _tombstone(c, t, cid)
    assert tomb is not None and set(tomb) == {"pk", "sk", "erased_at"}  # nothing of the person


def test_an_erased_customer_is_not_made_again_by_an_import_old_or_waiting(live):
    from tests.integration.test_imports_live import start, work

    tenant, t, c = _hotel(live)
    owner = tenant["secret_key"]
    email = f"mei.chen@{tenant['slug']}.example"
    cid = customer_id_for(email)
    body = {
        "kind": "customers",
        "csv": f"Name,Email,Phone\nMei Chen,{email},+442079460000\n",
        "mapping": {"Name": "name", "Email": "email", "Phone": "phone"},
    }
    loop = loop_for(live, tenant)
    assert work(live, tenant, start(live, tenant, body))["taken"] == 1
    _settle(live, loop)
    data = c.tenant_data.for_tenant(t)
    assert data.customers.get(cid) is not None
    waiting = start(live, tenant, body)  # its rows kept, its worker not yet run

    erased = _ok(_post(live, f"/v1/customers/{email}/erase", owner, {"confirm": email}))
    assert erased["done"] and data.customers.get(cid) is None

    for import_id in (waiting, start(live, tenant, body)):  # the waiting job, the file again
        report = work(live, tenant, import_id)
        assert (report["taken"], report["refused"]) == (0, 1), report
        assert [r["code"] for r in report["results"]] == ["customer_erased"]
    phone_only = {
        **body,
        "csv": "Name,Phone\nM. Chen,+442079460000\n",
        "mapping": {"Name": "name", "Phone": "phone"},
    }
    report = work(live, tenant, start(live, tenant, phone_only))  # her phone alone: refused too
    assert [r["code"] for r in report["results"]] == ["customer_erased"], report
    _settle(live, loop)
    assert data.customers.get(cid) is None
    assert data.customers.with_phone("+442079460000") == []
    items = _every_item(c, t.table_name)
    assert not [i for i in items if _mentions(i, ["Mei Chen", email, "+442079460000"])]
