"""Suggestions over DynamoDB Local: a history built by real bookings through the app, carried
by the table's stream and the events queue to the co-booking consumer by the worker loop, and
read back through the route; the same event handled three times more leaves every count as it
was; two orders of one customer counted at once are both counted (the second reads again)."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from chalicelib import bootstrap
from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.services.suggestions import CountCoBookings, record_order
from chalicelib.kernel.domain.event_registry import typed
from chalicelib.kernel.services.context import system_context
from tests.builders import haircut, stylist, timed_booking
from tests.integration.support import ahead
from tests.integration.test_catalog_live import send
from tests.integration.test_events_live import later, loop_for, run_loop

PLAN = [  # (customer, offering, stylist): four of five cut customers also take colour
    ("ann", "off_cut", "res_alex"),
    ("ann", "off_colour", "res_alex"),
    ("ben", "off_cut", "res_alex"),
    ("ben", "off_colour", "res_bea"),
    ("cat", "off_cut", "res_bea"),
    ("cat", "off_colour", "res_bea"),
    ("dan", "off_cut", "res_alex"),
    ("dan", "off_colour", "res_alex"),
    ("eve", "off_cut", "res_bea"),
]


def salon(live):
    tenant = live.signup("suggest", business_type="appointments")
    live.provision(tenant["tenant_id"])
    c = bootstrap.container()
    data = c.tenant_data.for_tenant(c.platform.get_tenant(tenant["tenant_id"]))
    for rid, name in [("res_alex", "Alex"), ("res_bea", "Bea")]:
        resource = stylist(rid, name, skills=("cut", "colour"))
        data.catalog.put_resource(resource, expected_rev=None)
    data.catalog.put_offering(haircut(), expected_rev=None)
    colour = replace(haircut(oid="off_colour"), name="Colour")
    data.catalog.put_offering(colour, expected_rev=None)
    return tenant, data


def book(live, tenant, who, offering, staff, day):
    """`who` books at 10:00 on the `day`th day after three weeks from today (the salon opens
    every day: tests/builders.py)."""
    body = timed_booking(who, offering, f"{ahead(21 + day)}T10:00", staff)
    order = send(live, "POST", "/v1/orders", tenant, body)
    assert order.status_code == 201, order.body
    confirmed = send(live, "POST", f"/v1/orders/{order.data['id']}/confirm", tenant)
    assert confirmed.status_code == 200, confirmed.body
    return order.data


def counts(data):
    rows = data.suggestions.co_bookings(["off_cut", "off_colour"])
    return {o: (r.customers, dict(r.pairs)) for o, r in rows.items()}


@pytest.mark.slow
def test_bookings_become_suggestions_counted_once_per_change(live):
    tenant, data = salon(live)
    orders = [book(live, tenant, *row, day) for day, row in enumerate(PLAN, start=1)]
    loop = loop_for(live, tenant)
    eve = customer_id_for("eve@example.com")
    run_loop(loop, lambda: counts(data).get("off_cut", (0,))[0] == 5, seconds=60)
    run_loop(loop, lambda: counts(data).get("off_colour", (0,))[0] == 4, seconds=30)
    assert counts(data) == {
        "off_cut": (5, {"off_colour": 4}),
        "off_colour": (4, {"off_cut": 4}),
    }

    r = send(live, "GET", f"/v1/customers/{eve}/suggestions", tenant)
    assert r.status_code == 200, r.body
    assert [
        (s["offering_id"], s["because_offering_id"], s["support"], s["base"], s["share_percent"])
        for s in r.data["suggestions"]
    ] == [("off_colour", "off_cut", 4, 5, 80)]
    ann = send(live, "GET", "/v1/customers/by-email/suggestions?email=ann@example.com", tenant)
    assert ann.data["usual_staff"]["name"] == "Alex"
    assert ann.data["usual_time"] == {"name": "10:00", "resource_id": None, "times": 2, "of": 2}

    # Every event of these orders handled three more times, as redeliveries would: unchanged.
    c = bootstrap.container()
    t = c.platform.get_tenant(tenant["tenant_id"])
    ctx = system_context(t, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
    ids = {o["id"] for o in orders}
    events = [
        typed(e)
        for _, e in data.webhooks.events_between(later(-3600)(), later(60)())
        if e.order_id in ids and e.name == "OrderConfirmed"
    ]
    assert len(events) == len(PLAN)
    before = counts(data)
    for _ in range(3):
        for event in events:
            CountCoBookings().handle(ctx, event, c)
    assert counts(data) == before
    assert data.suggestions.booked(customer_id_for("ann@example.com")).version == 2


def test_two_orders_of_one_customer_counted_at_once_are_both_counted(live):
    tenant, data = salon(live)
    first = book(live, tenant, "fay", "off_cut", "res_alex", 20)
    second = book(live, tenant, "fay", "off_colour", "res_bea", 21)
    c = bootstrap.container()
    t = c.platform.get_tenant(tenant["tenant_id"])
    ctx = system_context(t, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
    done: list[bool] = []
    workers = [
        threading.Thread(target=lambda o=o: done.append(record_order(ctx, o["id"])))
        for o in (first, second)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert done == [True, True]
    fay = data.suggestions.booked(customer_id_for("fay@example.com"))
    assert sorted(v.order_id for v in fay.visits) == sorted([first["id"], second["id"]])
    assert counts(data) == {
        "off_cut": (1, {"off_colour": 1}),
        "off_colour": (1, {"off_cut": 1}),
    }
