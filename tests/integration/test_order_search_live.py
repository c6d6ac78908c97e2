"""Order search and a resource's day on DynamoDB Local, through the real app and adapters:
the day-sharded indexes merged a page at a time, the keys-only indexes read back with
BatchGetItem, the resource entries moved with their order. The brute-force answer is
tests/order_search_oracle.py's, as in the API tier."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.order_search_oracle import PEOPLE, TZ, brute, walk


def make(live, tenant, path, body):
    r = live.call("POST", path, auth=tenant["secret_key"], body=body)
    assert r.status_code == 201, r.body
    return r.data["id"]


@pytest.fixture
def hotel(live):
    tenant = live.signup("search-live")
    live.provision(tenant["tenant_id"])
    rooms = {}
    for name in ("Double room", "Suite"):
        rid = make(live, tenant, "/v1/resources", {"name": name, "kind": "nightly", "capacity": 40})
        rooms[name] = rid
        rooms[name + " offering"] = make(
            live,
            tenant,
            "/v1/offerings",
            {
                "name": f"{name} stay",
                "kind": "nightly",
                "requirements": [{"resource_id": rid}],
                "pricing": {"amount": 12000, "basis": "night"},
            },
        )
    return tenant, rooms


@pytest.mark.slow
def test_every_index_answers_as_the_brute_force_does_on_dynamodb_local(live, hotel):
    tenant, rooms = hotel
    today = datetime.now(ZoneInfo("UTC")).astimezone(TZ).date()
    base = today + timedelta(days=5)
    made = []
    for n in range(26):
        name, email, phone = PEOPLE[n % len(PEOPLE)]
        room = "Double room" if n % 3 else "Suite"
        check_in = base + timedelta(days=(n * 4) % 15)
        body = {
            "customer": {"name": name, "email": email, **({"phone": phone} if phone else {})},
            "lines": [
                {
                    "offering_id": rooms[room + " offering"],
                    "check_in": check_in.isoformat(),
                    "nights": 1 + n % 3,
                }
            ],
        }
        key = tenant["publishable_key"] if n % 4 == 0 else tenant["secret_key"]
        r = live.call(
            "POST", "/v1/public/orders" if n % 4 == 0 else "/v1/orders", auth=key, body=body
        )
        assert r.status_code == 201, r.body
        if n % 5 == 1:
            ok = live.call("POST", f"/v1/orders/{r.data['id']}/confirm", auth=tenant["secret_key"])
            assert ok.status_code == 200, ok.body
        made.append(r.data["id"])
    orders = [live.call("GET", f"/v1/orders/{i}", auth=tenant["secret_key"]).data for i in made]
    d = lambda days: (base + timedelta(days=days)).isoformat()  # noqa: E731
    yesterday, tomorrow = (
        (today - timedelta(days=1)).isoformat(),
        (today + timedelta(days=1)).isoformat(),
    )
    searches = [
        {"from": d(0), "to": d(14)},
        {"from": d(2), "to": d(9), "order": "desc"},
        {"date": d(4)},
        {"from": d(0), "to": d(14), "status": "confirmed"},
        {"from": d(0), "to": d(14), "channel": "widget"},
        {"email": "ada@example.com"},
        {"email": "elodie@example.com", "from": d(3), "to": d(12)},
        {"phone": "+33612345678", "order": "desc"},
        {"name": "elo"},
        {"name": "ÅDNE"},
        {"name": "王"},
        {"resource": rooms["Suite"]},
        {"resource": rooms["Double room"], "from": d(0), "to": d(6), "order": "desc"},
        {"offering": rooms["Suite offering"], "from": d(0), "to": d(14)},
        {"created_from": yesterday, "created_to": tomorrow},
        {"created_from": yesterday, "created_to": tomorrow, "order": "desc", "status": "held"},
    ]
    for query in searches:
        expected = brute(orders, today.isoformat(), **query)
        assert expected, query
        assert walk(live, tenant, query) == expected, query
        assert walk(live, tenant, query, limit=100) == expected, query


def test_a_room_types_day_follows_a_move_on_dynamodb_local(live, hotel):
    tenant, rooms = hotel
    start = datetime.now(ZoneInfo("UTC")).astimezone(TZ).date() + timedelta(days=3)
    body = {
        "customer": {"name": "Mover", "email": "mover@example.com"},
        "lines": [
            {
                "offering_id": rooms["Double room offering"],
                "check_in": start.isoformat(),
                "nights": 2,
            }
        ],
    }
    r = live.call("POST", "/v1/orders", auth=tenant["secret_key"], body=body)
    assert r.status_code == 201, r.body
    order_id = r.data["id"]

    def sheet(resource: str, day: date) -> dict:
        got = live.call(
            "GET", f"/v1/resources/{resource}/day?date={day.isoformat()}", auth=tenant["secret_key"]
        )
        assert got.status_code == 200, got.body
        return got.data

    assert [a["order_id"] for a in sheet(rooms["Double room"], start)["arrivals"]] == [order_id]
    assert [
        a["order_id"] for a in sheet(rooms["Double room"], start + timedelta(days=1))["in_house"]
    ] == [order_id]
    moved = live.client.http.post(
        f"/v1/orders/{order_id}/reschedule",
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {tenant['secret_key']}",
            "If-Match": '"1"',
        },
        body=json.dumps(
            {
                "lines": [
                    {
                        "offering_id": rooms["Suite offering"],
                        "check_in": start.isoformat(),
                        "nights": 3,
                    }
                ]
            }
        ),
    )
    assert moved.status_code == 200, moved.body
    assert sheet(rooms["Double room"], start)["arrivals"] == []
    assert [a["order_id"] for a in sheet(rooms["Suite"], start)["arrivals"]] == [order_id]
    assert [
        a["order_id"] for a in sheet(rooms["Suite"], start + timedelta(days=3))["departures"]
    ] == [order_id]


def test_a_name_that_grows_when_folded_is_booked_and_found(live, hotel):
    """U+FDFA folds (NFKC) to 18 characters: forty of them would pass DynamoDB's 1,024 bytes
    for a sort key. The index keeps the folded name's first 200 bytes; the whole is checked."""
    tenant, rooms = hotel
    name = "\ufdfa" * 40
    check_in = (datetime.now(ZoneInfo("UTC")).date() + timedelta(days=9)).isoformat()
    body = {
        "customer": {"name": name, "email": "long@example.com"},
        "lines": [{"offering_id": rooms["Suite offering"], "check_in": check_in, "nights": 1}],
    }
    widget = live.call("POST", "/v1/public/orders", auth=tenant["publishable_key"], body=body)
    assert widget.status_code == 201, widget.body
    assert walk(live, tenant, {"name": name}) == [widget.data["id"]]
    assert walk(live, tenant, {"name": name + "x"}) == []
