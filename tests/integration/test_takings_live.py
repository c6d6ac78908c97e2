"""The day's takings through the real app over DynamoDB Local: each desk payment and refund
is an entry counted on the business's local day in the order's own transaction, the day's
figures and the list of days read back from the table, the close stored on condition of the
count it read, and a closed day that refuses a payment with nothing written."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chalicelib import bootstrap
from chalicelib.kernel.domain.errors import Conflict
from tests.integration.test_catalog_live import ROOM, active_tenant, send
from tests.integration.test_desk_money_live import post


def confirmed_order(live, tenant):
    rid = send(live, "POST", "/v1/resources", tenant, ROOM).data["id"]
    offering = {
        "name": "Stay",
        "kind": "nightly",
        "requirements": [{"resource_id": rid}],
        "pricing": {"amount": 12000, "basis": "night"},
    }
    oid = send(live, "POST", "/v1/offerings", tenant, offering).data["id"]
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": oid, "check_in": in_three_weeks(), "nights": 2}],
    }
    order = send(live, "POST", "/v1/orders", tenant, body).data
    send(live, "POST", f"/v1/orders/{order['id']}/confirm", tenant)
    return order


def in_three_weeks() -> str:
    return (datetime.now(UTC) + timedelta(days=21)).date().isoformat()


def local_today() -> str:
    return datetime.now(UTC).astimezone(ZoneInfo("Europe/Berlin")).date().isoformat()


def by_method(day):
    return {m["method"]: m for m in day["methods"]}


def test_the_desk_records_its_day_and_a_closed_day_refuses_a_change(live):
    tenant = active_tenant(live, "takings")
    order = confirmed_order(live, tenant)
    path = f"/v1/orders/{order['id']}"
    for key, body in [
        ("t-1", {"amount": 10000, "method": "cash"}),
        ("t-1", {"amount": 10000, "method": "cash"}),  # the till's retry: recorded once
        # with a tip on the terminal's slip: on the day's takings, apart (tip_card_terminal)
        ("t-2", {"amount": 4000, "method": "card_terminal", "reference": "T-9", "tip": 300}),
    ]:
        assert post(live, tenant, f"{path}/payments", body, key).status_code == 201
    back = {"amount": 2500, "reason": "Late check-in", "method": "cash"}
    assert post(live, tenant, f"{path}/refunds", back, "t-3").status_code == 201
    today = local_today()
    # Between the stroke of midnight in Berlin and the first request the day could move on.
    day = send(live, "GET", f"/v1/takings/{today}", tenant).data
    if day["entry_count"] == 0:
        pytest.skip("the local day changed during the test")

    assert day["entry_count"] == 3
    cash, card = by_method(day)["cash"], by_method(day)["card_terminal"]
    assert (cash["taken"], cash["given_back"], cash["expected"]) == (10000, 2500, 7500)
    assert (card["taken"], card["tips"], card["expected"]) == (4000, 300, 4300)
    assert (day["tips"], [e["tip"] for e in day["entries"]]) == (300, [0, 300, 0])
    assert [(e["direction"], e["amount"]) for e in day["entries"]] == [
        ("in", 10000),
        ("in", 4000),
        ("out", 2500),
    ]
    listed = send(live, "GET", f"/v1/takings?from={today}&to={today}", tenant).data["data"]
    assert [(d["date"], d["entry_count"], d["closed"]) for d in listed] == [(today, 3, False)]

    counted = {"counted_cash": 7400, "counted_other": {"card_terminal": 4300}, "float_left": 2000}
    closed = post(live, tenant, f"/v1/takings/{today}/close", counted, "close-1")
    assert closed.status_code == 201, closed.body
    assert by_method(closed.data)["cash"]["difference"] == -100
    assert post(live, tenant, f"/v1/takings/{today}/close", counted, "close-1").data == closed.data
    again = post(live, tenant, f"/v1/takings/{today}/close", counted, "close-2")
    assert (again.status_code, again.data["error"]["code"]) == (409, "day_already_closed")

    late = post(live, tenant, f"{path}/payments", {"amount": 100, "method": "cash"}, "t-4")
    assert late.status_code == 201, late.body  # on the next day's takings: today is closed
    stored = send(live, "GET", f"/v1/takings/{today}", tenant).data
    assert stored["entry_count"] == 3 and stored["methods"] == closed.data["methods"]
    tomorrow = (date.fromisoformat(today) + timedelta(days=1)).isoformat()
    nxt = send(live, "GET", f"/v1/takings/{tomorrow}", tenant).data
    assert [(e["amount"], e["method"]) for e in nxt["entries"]] == [(100, "cash")]


def test_a_close_computed_before_a_payment_landed_is_refused_by_the_table(live):
    tenant = active_tenant(live, "takings-race")
    order = confirmed_order(live, tenant)
    platform_tenant = bootstrap.container().platform.get_tenant(tenant["tenant_id"])
    store = bootstrap.container().tenant_data.for_tenant(platform_tenant).takings
    today = local_today()
    pay = {"amount": 500, "method": "cash"}
    assert post(live, tenant, f"/v1/orders/{order['id']}/payments", pay, "r-1").status_code == 201
    read = store.day(today)
    if read.entries == 0:
        pytest.skip("the local day changed during the test")
    from chalicelib.payments.domain.takings import CloseRequest, close

    stale = close(
        read,
        CloseRequest(counted_cash=500),
        opening_float=0,
        today=date.fromisoformat(today),
        closed_by="test",
        closed_at="2000-01-01T00:00:00.000000Z",
        close_id="c",
    )
    assert post(live, tenant, f"/v1/orders/{order['id']}/payments", pay, "r-2").status_code == 201

    with pytest.raises(Conflict) as refused:
        store.close(today, stale)

    assert refused.value.code == "takings_changed"
    assert not store.day(today).closed and store.day(today).entries == 2
