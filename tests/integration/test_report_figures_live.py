"""The daily figures over DynamoDB Local: bookings made through the app, carried by the table's
stream and the events queue to the figures consumer by the worker loop; the report route's one
Query; the same events handled three times more leave every day item as it was; a rebuild of
the range gives the same answers."""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import date, timedelta

from chalicelib import bootstrap
from chalicelib.kernel.domain.event_registry import typed
from chalicelib.kernel.services.context import system_context
from chalicelib.reports.services import rebuild
from chalicelib.reports.services.figures import CountDailyFigures
from chalicelib.reports.services.rebuild import run_rebuild, start_rebuild
from tests.builders import haircut, stylist, timed_booking
from tests.integration.support import ahead
from tests.integration.test_catalog_live import send
from tests.integration.test_events_live import later, loop_for, run_loop


def salon(live):
    tenant = live.signup("figures", business_type="appointments")
    live.provision(tenant["tenant_id"])
    c = bootstrap.container()
    data = c.tenant_data.for_tenant(c.platform.get_tenant(tenant["tenant_id"]))
    data.catalog.put_resource(stylist("res_alex", "Alex"), expected_rev=None)
    data.catalog.put_offering(haircut(), expected_rev=None)
    data.catalog.put_offering(replace(haircut(oid="off_trim"), name="Trim"), expected_rev=None)
    return tenant, data


def month_after(day: date) -> tuple[date, date]:
    """The first and last days of the month after `day`'s: a month wholly ahead of the real
    clock, its 4th and 5th days bookable."""
    first = (day.replace(day=1) + timedelta(days=31)).replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def report(live, tenant, query):
    r = send(live, "GET", f"/v1/reports/figures?{query}", tenant)
    assert r.status_code == 200, r.body
    return r.data


def test_bookings_flow_into_the_figures_once_and_a_rebuild_gives_them_again(live, monkeypatch):
    tenant, data = salon(live)
    first, last = month_after(ahead())
    # The rebuild reads the made-on index day by day (8 shards a day) from LOOKBACK_DAYS
    # before `first`: 731 days of an index that holds two orders made today were 5,800
    # Queries, 85 s of this test on DynamoDB Local. Back to today is enough for these two.
    # The day-by-day walk is the order search's (its created ranges are tested on DynamoDB
    # Local in test_order_search_live.py); the API tier's rebuilds run the whole lookback
    # over the fakes.
    monkeypatch.setattr(rebuild, "LOOKBACK_DAYS", (first - date.today()).days + 2)
    served = [first.replace(day=4).isoformat(), first.replace(day=5).isoformat()]
    ids = []
    for day, (who, offering) in zip(served, [("ann", "off_cut"), ("ben", "off_trim")], strict=True):
        body = timed_booking(who, offering, f"{day}T10:00", "res_alex")
        order = send(live, "POST", "/v1/orders", tenant, body)
        assert order.status_code == 201, order.body
        ok = send(live, "POST", f"/v1/orders/{order.data['id']}/confirm", tenant)
        assert ok.status_code == 200, ok.body
        ids.append(order.data["id"])
    query = f"basis=service&from={first}&to={last}&by=offering"
    loop = loop_for(live, tenant)
    run_loop(loop, lambda: report(live, tenant, query)["totals"]["bookings"] == 2, seconds=60)
    live_answer = report(live, tenant, query)
    assert [(r["period"], r["key"]) for r in live_answer["rows"]] == [
        (served[0], "off_cut"),
        (served[1], "off_trim"),
    ]
    assert live_answer["totals"]["units_available"] > 0
    days = data.figures.days("service", first.isoformat(), last.isoformat())
    assert [d.day for d in days] == served

    c = bootstrap.container()
    t = c.platform.get_tenant(tenant["tenant_id"])
    ctx = system_context(t, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
    events = [
        typed(e)
        for _, e in data.webhooks.events_between(later(-3600)(), later(60)())
        if e.order_id in ids and e.name == "OrderConfirmed"
    ]
    assert len(events) == 2
    for _ in range(3):
        for event in events:
            CountDailyFigures().handle(ctx, event, c)
    assert data.figures.days("service", first.isoformat(), last.isoformat()) == days

    start_rebuild(ctx, first, last, "rbd_live", c.bus)
    assert run_rebuild(ctx, "rbd_live").status == "done"
    again = report(live, tenant, query)
    assert again["rows"] == live_answer["rows"] and again["totals"] == live_answer["totals"]


def test_the_demo_history_is_booked_in_the_past_and_reaches_the_figures(live):
    """local/demo_history.py, as make dev runs it: bookings made by the engine with a past
    clock, counted by the consumer through the stream and the worker loop."""
    from datetime import timedelta

    from local.demo_history import seed_history

    tenant, data = salon(live)
    assert seed_history([tenant["tenant_id"]], days=4, per_day=1) == []
    today = date.today()
    query = f"basis=booked&from={(today - timedelta(days=20)).isoformat()}&to={today.isoformat()}"
    loop = loop_for(live, tenant)
    run_loop(loop, lambda: report(live, tenant, query)["totals"]["bookings"] >= 4, seconds=90)
    booked = report(live, tenant, query)
    assert all(r["period"] < today.isoformat() for r in booked["rows"] if r["figures"]["bookings"])
    served = report(
        live,
        tenant,
        f"basis=service&from={(today - timedelta(days=4)).isoformat()}&to={today.isoformat()}",
    )
    assert served["totals"]["bookings"] >= 4 and served["totals"]["units_sold"] > 0


def test_the_first_booking_check_reads_the_index_of_before_only_for_a_new_customer(live):
    """A returning customer's earlier booking is found in the keys-only customer index, and
    the index orders were in before it (gsi1) is not queried; a new customer's look reads
    both in a table made before that index, and only the keys-only one in a table made since
    (kernel/adapters/table_format.py); an earlier booking only in gsi1 (written before the
    keys-only index) still counts."""
    from chalicelib.reports.services.figures import first_booking
    from tests.integration.support import made_before_keys_only_indexes
    from tests.integration.test_customers_live import ADA, _book, _hotel

    tenant, t, c = _hotel(live, "figures-first")
    old, new = _book(live, tenant, ADA, 0), _book(live, tenant, ADA, 1)
    queried: list[str] = []

    def count(params, **_):
        queried.append(params.get("IndexName", "table"))

    def looks(container):  # a context on the container's data, its Queries counted
        ctx = system_context(t, data_factory=container.tenant_data, now=c.now, new_id=c.new_id)
        ctx.data.client.meta.events.register("before-parameter-build.dynamodb.Query", count)
        queried.clear()
        return ctx

    ctx = looks(c)
    try:
        first, then = ctx.data.orders.get(old), ctx.data.orders.get(new)
        assert first is not None and then is not None
        assert first_booking(ctx, first) is True
        assert queried == ["gsi7"]  # a table made today: no order in gsi1
        ctx = looks(made_before_keys_only_indexes(t))
        assert first_booking(ctx, first) is True
        assert queried == ["gsi7", "gsi1", "gsi1"]  # its own id's and its e-mail's, before
        queried.clear()
        assert first_booking(ctx, then) is False
        assert queried == ["gsi7"]
        # As the first order was written before customer ids and the keys-only index.
        ctx.data.client.update_item(
            TableName=t.table_name,
            Key={"pk": {"S": f"ORD#{old}"}, "sk": {"S": "META"}},
            UpdateExpression="SET gsi1pk = :k, gsi1sk = gsi7sk REMOVE gsi7pk, gsi7sk",
            ExpressionAttributeValues={":k": {"S": f"CUS#{ADA['email']}"}},
        )
        queried.clear()
        assert first_booking(ctx, then) is False
        assert queried == ["gsi7", "gsi1", "gsi1"]
    finally:
        for client in (c.tenant_data.for_tenant(t).client, ctx.data.client):
            client.meta.events.unregister("before-parameter-build.dynamodb.Query", count)
