"""The customers' event marks kept in their records, on DynamoDB Local: merges across records
from before the marks and after, a full record, two deliveries at once: each event counts once."""

from __future__ import annotations

import json

from chalicelib.customers.services.merge_job import run_merge
from chalicelib.kernel.services.context import system_context
from tests.integration.test_customers_live import (
    ADA,
    BEA,
    A,
    B,
    Events,
    _book,
    _customer,
    _hotel,
)


def _as_before(c, t, customer_id: str, event_ids: list[str]) -> None:
    """Rewrite the record as the code before the marks wrote it: no `counted`, no
    `counted_since` in its document, each counted event's mark an item apart."""
    data = c.tenant_data.for_tenant(t)
    key = {"pk": {"S": f"CUS#{customer_id}"}, "sk": {"S": "META"}}
    item = data.client.get_item(TableName=t.table_name, Key=key, ConsistentRead=True)["Item"]
    doc = json.loads(item["doc"]["S"])
    doc.pop("counted", None)
    doc.pop("counted_since", None)
    data.client.update_item(
        TableName=t.table_name,
        Key=key,
        UpdateExpression="SET doc = :d",
        ExpressionAttributeValues={":d": {"S": json.dumps(doc)}},
    )
    for event_id in event_ids:
        data.client.put_item(
            TableName=t.table_name,
            Item={"pk": {"S": f"CUS#{customer_id}"}, "sk": {"S": f"EVT#{event_id}"}},
        )


def test_a_loser_counted_in_its_record_merged_into_a_record_from_before_counts_once(live):
    """Ada's record is from before the marks (her events' marks apart); Bea's was made since
    (her confirmation's mark in her record only). Bea is merged into Ada: the merge hands
    Bea's marks to Ada's record, but a record without `counted_since` was written without its
    `counted`, so Bea's confirmation, delivered again once its order is Ada's, was counted a
    second time."""
    tenant, t, c = _hotel(live, "marks-merge-old")
    _book(live, tenant, ADA)
    _book(live, tenant, BEA)
    events = Events(c, t)
    records = events.all()
    events.deliver(records)
    ada = c.tenant_data.for_tenant(t).customers.get(A)
    assert ada is not None and ada.counted_since == ""
    _as_before(c, t, A, [e for e, _ in ada.counted])
    assert c.tenant_data.for_tenant(t).customers.get(A).counted_since is None

    r = live.call("POST", f"/v1/customers/{A}/merge", auth=tenant["secret_key"], body={"loser": B})
    assert r.status_code == 202, r.body
    ctx = system_context(t, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
    run_merge(ctx, A, B)
    assert _customer(live, tenant, f"/v1/customers/{A}")["figures"]["bookings"] == 2

    events.deliver(records)  # every event again: both orders are Ada's now
    assert _customer(live, tenant, f"/v1/customers/{A}")["figures"]["bookings"] == 2


def test_the_event_past_a_full_record_is_marked_apart_and_counted_once(live):
    """A customer whose record keeps `MAX_MARKS` marks (three real, the rest of other events
    still within their days): the next booking's confirmation is marked apart, the record's
    `counted_since` moves past it, and every event delivered again counts nothing."""
    from chalicelib.customers.services.figures import MAX_MARKS

    tenant, t, c = _hotel(live, "marks-full")
    for n in range(3):
        _book(live, tenant, ADA, n)
    events = Events(c, t)
    events.deliver(events.all())
    data = c.tenant_data.for_tenant(t)
    key = {"pk": {"S": f"CUS#{A}"}, "sk": {"S": "META"}}
    item = data.client.get_item(TableName=t.table_name, Key=key, ConsistentRead=True)["Item"]
    doc = json.loads(item["doc"]["S"])
    far = max(doc["counted"].values())
    doc["counted"].update({f"evt_busy_{n:02d}": far for n in range(MAX_MARKS - 3)})
    assert len(doc["counted"]) == MAX_MARKS
    data.client.update_item(
        TableName=t.table_name,
        Key=key,
        UpdateExpression="SET doc = :d",
        ExpressionAttributeValues={":d": {"S": json.dumps(doc)}},
    )
    _book(live, tenant, ADA, 3)
    records = events.all()
    events.deliver(records)
    record = data.customers.get(A)
    assert record is not None and record.figures.bookings == 4
    assert len(record.counted) == MAX_MARKS and record.counted_since
    apart = data.client.query(
        TableName=t.table_name,
        KeyConditionExpression="pk = :k AND begins_with(sk, :e)",
        ExpressionAttributeValues={":k": {"S": f"CUS#{A}"}, ":e": {"S": "EVT#"}},
    )["Items"]
    assert len(apart) == 1  # the fourth confirmation's mark
    events.deliver(records)
    events.deliver(records)
    assert _customer(live, tenant, f"/v1/customers/{A}")["figures"]["bookings"] == 4


def test_the_same_events_delivered_twice_at_once_count_once(live):
    """Two deliveries of every event at the same moment (two dispatchers, no claim between
    them: the customers' consumers are repeatable): the record's put over the version read
    lets one count each event; the other reads again and finds its mark in the record. The
    interleaving is the threads' own; the outcome is asserted whatever it was."""
    import threading

    tenant, t, c = _hotel(live, "marks-twice")
    for n in range(3):
        _book(live, tenant, ADA, n)
    events = Events(c, t)
    records = events.all()
    start = threading.Barrier(2)
    failed: list[BaseException] = []

    def deliver() -> None:
        start.wait()
        try:
            events.deliver(records)
        except BaseException as exc:  # noqa: BLE001 - reported below
            failed.append(exc)

    both = [threading.Thread(target=deliver) for _ in range(2)]
    for th in both:
        th.start()
    for th in both:
        th.join()
    events.deliver(records)  # a delivery that failed on a busy record is retried: once more
    assert all(type(e).__name__ in ("ConsumersFailed",) for e in failed), failed
    assert _customer(live, tenant, f"/v1/customers/{A}")["figures"]["bookings"] == 3


def test_a_loser_from_before_the_marks_merged_into_a_new_record_counts_once(live):
    """The other way round: Bea's record is from before the marks (her confirmation's mark
    apart, under her e-mail's id), Ada's is new. After the merge and the move of Bea's order,
    her confirmation delivered again is looked for apart (the winner holds a record from
    before: `counted_since` None) and found there."""
    tenant, t, c = _hotel(live, "marks-merge-new")
    _book(live, tenant, ADA)
    _book(live, tenant, BEA)
    events = Events(c, t)
    records = events.all()
    events.deliver(records)
    bea = c.tenant_data.for_tenant(t).customers.get(B)
    assert bea is not None
    _as_before(c, t, B, [e for e, _ in bea.counted])

    r = live.call("POST", f"/v1/customers/{A}/merge", auth=tenant["secret_key"], body={"loser": B})
    assert r.status_code == 202, r.body
    ctx = system_context(t, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
    run_merge(ctx, A, B)
    assert c.tenant_data.for_tenant(t).customers.get(A).counted_since is None
    events.deliver(records)
    events.deliver(records)
    assert _customer(live, tenant, f"/v1/customers/{A}")["figures"]["bookings"] == 2
