"""`GET /v1/orders`: every filter, alone and combined, against a brute-force answer computed
here from every order read one by one; pages of 3 walked to the end; cursors bound to their
search; bad filters 422 with nothing read."""

from __future__ import annotations

import base64
import json
import urllib.parse
from datetime import date, timedelta

import pytest

from tests.api.support import assert_error, forbid_server_errors
from tests.builders import day_tour, departure, haircut, room_type, stay_offering, stylist
from tests.order_search_oracle import PEOPLE, brute, walk

TODAY = "2026-12-03"  # the fake clock after the fixture's thirty orders, seven hours apart


@pytest.fixture
def booked(api):
    """One tenant with a hotel, a salon and a tour; 30 orders over 3 weeks by 6 customers,
    through three channels, made on different days, some confirmed, cancelled or checked in."""
    forbid_server_errors(api)
    shop = api.signup("search-shop")
    other = api.signup("search-other")
    for tenant in (shop, other):
        data = api.container.tenant_data.for_tenant(
            api.container.platform.get_tenant(tenant["tenant_id"])
        )
        data.catalog.put_resource(room_type(rooms=50), expected_rev=None)
        data.catalog.put_offering(stay_offering(), expected_rev=None)
        data.catalog.put_resource(stylist("res_alex", "Alex"), expected_rev=None)
        data.catalog.put_resource(stylist("res_blair", "Blair"), expected_rev=None)
        data.catalog.put_offering(haircut(), expected_rev=None)
        data.catalog.put_resource(departure(seats=100), expected_rev=None)
        data.catalog.put_offering(day_tour(), expected_rev=None)
    staff_user = api.call(
        "POST",
        "/v1/staff",
        auth=shop["secret_key"],
        body={"email": "desk@search-shop.example", "name": "Desk", "role": "staff"},
    ).data["id"]
    first = date(2026, 12, 1)
    made = []
    for n in range(30):
        name, email, phone = PEOPLE[n % len(PEOPLE)]
        day = first + timedelta(days=(n * 5) % 21)
        kind = n % 3
        if kind == 0:
            line = {"offering_id": "off_stay", "check_in": day.isoformat(), "nights": 1 + n % 3}
        elif kind == 1:
            line = {"offering_id": "off_cut", "start": f"{day.isoformat()}T{10 + n % 6:02d}:00"}
        else:
            line = {"offering_id": "off_tour", "start": f"{day.isoformat()}T08:00", "party": 2}
        customer = {"name": name, "email": email, **({"phone": phone} if phone else {})}
        body = {"customer": customer, "lines": [line]}
        channel = n % 4
        if channel == 0:
            r = api.call("POST", "/v1/public/orders", auth=shop["publishable_key"], body=body)
        elif channel == 1:
            r = api.call("POST", "/v1/orders", auth=api.token(staff_user), body=body)
        else:
            r = api.call("POST", "/v1/orders", auth=shop["secret_key"], body=body)
        assert r.status_code == 201, r.body
        order_id = r.data["id"]
        if n % 5 in (1, 2):
            ok = api.call("POST", f"/v1/orders/{order_id}/confirm", auth=shop["secret_key"])
            assert ok.status_code == 200, ok.body
        if n % 5 == 2:
            c = api.call("POST", f"/v1/orders/{order_id}/cancel", auth=shop["secret_key"])
            assert c.status_code == 200, c.body
        made.append(order_id)
        api.container.clock.advance(7 * 3600)  # orders are made over about nine days
    # orders of several lines: a stay and a haircut with Alex five days later, two haircuts
    # with Alex two days apart, a tour and a haircut the same day
    cut = {"offering_id": "off_cut", "resource_ids": {"0": "res_alex"}}
    for who, lines in (
        (
            "Multi Stay",
            [
                {"offering_id": "off_stay", "check_in": "2026-12-04", "nights": 1},
                {**cut, "start": "2026-12-09T16:00"},
            ],
        ),
        (
            "Twice Alex",
            [{**cut, "start": "2026-12-07T11:00"}, {**cut, "start": "2026-12-09T11:00"}],
        ),
        (
            "Tour Cut",
            [
                {"offering_id": "off_tour", "start": "2026-12-11T08:00", "party": 1},
                {**cut, "start": "2026-12-11T16:00"},
            ],
        ),
    ):
        body = {"customer": {"name": who, "email": "multi@example.com"}, "lines": lines}
        r = api.call("POST", "/v1/orders", auth=shop["secret_key"], body=body)
        assert r.status_code == 201, r.body
        made.append(r.data["id"])
    # another tenant's orders, with the same customers: never in the answers
    body = {
        "customer": {"name": "Ada Lovelace", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": TODAY, "nights": 1}],
    }
    assert api.call("POST", "/v1/orders", auth=other["secret_key"], body=body).status_code == 201
    orders = [api.call("GET", f"/v1/orders/{i}", auth=shop["secret_key"]).data for i in made]
    return api, shop, orders


SEARCHES = [
    {},
    {"from": "2026-12-01", "to": "2026-12-31"},
    {"from": "2026-12-05", "to": "2026-12-12", "order": "desc"},
    {"date": "2026-12-06"},
    {"from": "2026-12-01", "to": "2026-12-21", "status": "held"},
    {"from": "2026-12-01", "to": "2026-12-21", "status": "confirmed,cancelled"},
    {"from": "2026-12-01", "to": "2026-12-21", "payment_status": "unpaid", "status": "held"},
    {"from": "2026-12-01", "to": "2026-12-21", "channel": "widget"},
    {"from": "2026-12-01", "to": "2026-12-21", "channel": "staff,api", "offering": "off_cut"},
    {"email": "ADA@example.com"},
    {"email": "elodie@example.com", "from": "2026-12-05", "to": "2026-12-15"},
    {"email": "bob@example.com", "status": "held", "order": "desc"},
    {"phone": "+33612345678"},
    {"phone": "+33612345678", "status": "confirmed"},
    {"name": "elo"},
    {"name": "ELODIE D"},
    {"name": "Elodie", "order": "desc"},
    {"name": "ådne"},
    {"name": "adne"},
    {"name": "王"},
    {"name": "a", "status": "confirmed"},
    {"resource": "res_double"},
    {"resource": "res_alex", "from": "2026-12-01", "to": "2026-12-10"},
    {"resource": "res_alex", "from": "2026-12-08", "to": "2026-12-09"},
    {"resource": "res_alex", "order": "desc"},
    {"resource": "res_double", "from": "2026-12-04", "to": "2026-12-04"},
    {
        "email": "multi@example.com",
        "resource": "res_alex",
        "from": "2026-12-09",
        "to": "2026-12-09",
    },
    {"from": "2026-12-09", "to": "2026-12-09"},
    {"resource": "res_wall", "order": "desc"},
    {"offering": "off_stay", "from": "2026-12-01", "to": "2026-12-21"},
    {"created_from": "2026-11-25", "created_to": "2026-11-27"},
    {"created_from": "2026-11-24", "created_to": "2026-11-28", "order": "desc"},
    {"created_from": "2026-11-26", "created_to": "2026-11-26", "channel": "widget"},
]


def test_every_filter_matches_the_brute_force_answer_page_by_page(booked):
    api, shop, orders = booked
    for query in SEARCHES:
        expected = brute(orders, TODAY, **query)
        assert walk(api, shop, query) == expected, query
        assert walk(api, shop, query, limit=100) == expected, query


def test_the_searches_above_find_something_and_not_everything(booked):
    api, shop, orders = booked
    sizes = [len(brute(orders, TODAY, **q)) for q in SEARCHES]
    assert all(0 < s < len(orders) for s in sizes[4:]), sizes


def test_a_reference_finds_its_order_and_only_in_its_own_tenant(booked):
    api, shop, orders = booked
    one = orders[7]["id"]
    assert walk(api, shop, {"reference": one}) == [one]
    other = api.signup("search-third")
    r = api.call("GET", f"/v1/orders?reference={one}", auth=other["secret_key"])
    assert r.status_code == 200 and r.data["data"] == []


def test_the_answer_says_how_it_is_sorted(booked):
    api, shop, _ = booked
    for query, sorted_by in (
        ("name=ada", "name"),
        ("created_from=2026-11-25", "created"),
        ("", "start"),
    ):
        r = api.call("GET", f"/v1/orders?{query}", auth=shop["secret_key"])
        assert r.data["sorted_by"] == sorted_by, query


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("date=2026-12-01&from=2026-12-01", "invalid_filter"),
        ("from=2026-12-10&to=2026-12-01", "invalid_filter"),
        ("from=2026-01-01&to=2027-12-31", "invalid_filter"),
        ("created_from=2026-12-10&created_to=2026-12-01", "invalid_filter"),
        ("name=%E2%80%8B", "validation_failed"),  # a zero-width space: no letter
        ("status=held,gone", "validation_failed"),
        ("status=", "validation_failed"),
        ("channel=fax", "validation_failed"),
        ("phone=%2B12", "invalid_phone"),  # a country code, no number
        ("phone=call-me", "validation_failed"),
        ("limit=0", "validation_failed"),
        ("limit=101", "validation_failed"),
        ("order=up", "validation_failed"),
        ("cursor=!!", "invalid_cursor"),
        ("cursor=bm90LWpzb24", "invalid_cursor"),
        ("cursor=eyJ2IjoxfQ", "invalid_cursor"),
    ],
)
def test_a_bad_search_is_a_clear_422(booked, query, code):
    api, shop, _ = booked
    assert_error(api.call("GET", f"/v1/orders?{query}", auth=shop["secret_key"]), 422, code)


def test_a_phone_is_searched_as_it_was_booked_national_or_spaced(booked):
    """PROBE 43: the console's orders search refused "030 1234567", a number the booking and
    the customers page take as the business's own country's (Berlin: +49301234567)."""
    api, shop, _ = booked
    key = shop["secret_key"]
    line = {"offering_id": "off_cut", "start": "2026-12-30T11:00"}
    body = {"customer": {"name": "Nat", "email": "nat@example.com", "phone": "030 1234567"}}
    made = api.call("POST", "/v1/orders", auth=key, body={**body, "lines": [line]})
    assert made.status_code == 201, made.body
    for typed in ("030 1234567", "+49 30 1234567", "+49301234567"):
        query = urllib.parse.urlencode({"phone": typed})
        r = api.call("GET", f"/v1/orders?{query}", auth=key)
        assert r.status_code == 200, (typed, r.body)
        assert [o["id"] for o in r.data["data"]] == [made.data["id"]], typed
    spaced = urllib.parse.urlencode({"phone": "+33 6 12 34 56 78"})
    plain = api.call("GET", "/v1/orders?phone=%2B33612345678", auth=key).data["data"]
    assert api.call("GET", f"/v1/orders?{spaced}", auth=key).data["data"] == plain != []


def test_a_cursor_only_continues_the_search_it_came_from(booked):
    api, shop, _ = booked
    r = api.call("GET", "/v1/orders?from=2026-12-01&to=2026-12-31&limit=2", auth=shop["secret_key"])
    cursor = r.data["next_cursor"]
    assert cursor
    other = f"/v1/orders?from=2026-12-01&to=2026-12-30&limit=2&cursor={cursor}"
    assert_error(api.call("GET", other, auth=shop["secret_key"]), 422, "cursor_mismatch")
    # the limit is not part of the search: a client may change its page size
    same = f"/v1/orders?from=2026-12-01&to=2026-12-31&limit=5&cursor={cursor}"
    assert api.call("GET", same, auth=shop["secret_key"]).status_code == 200


def test_orders_made_while_paging_are_neither_skipped_nor_repeated(api):
    """Walk a search with pages of 2 while new orders land before, inside and after the
    position reached: every order that existed at the start comes exactly once, in order."""
    forbid_server_errors(api)
    shop = api.signup("paging-shop")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(shop["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=50), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)

    def book(day: str, who: str) -> str:
        body = {
            "customer": {"name": who, "email": f"{who.lower()}@example.com"},
            "lines": [{"offering_id": "off_stay", "check_in": day, "nights": 1}],
        }
        r = api.call("POST", "/v1/orders", auth=shop["secret_key"], body=body)
        assert r.status_code == 201, r.body
        return r.data["id"]

    before = [book(f"2026-12-{1 + n % 20:02d}", f"First{n}") for n in range(12)]
    query = "from=2026-12-01&to=2026-12-21"
    every = [
        o["id"]
        for o in api.call("GET", f"/v1/orders?{query}&limit=100", auth=shop["secret_key"]).data[
            "data"
        ]
    ]
    assert sorted(every) == sorted(before)
    seen: list[str] = []
    cursor = None
    days = iter(["2026-12-01", "2026-12-21", "2026-12-10", "2026-12-02", "2026-12-20"] * 10)
    while True:
        url = f"/v1/orders?{query}&limit=2" + (f"&cursor={cursor}" if cursor else "")
        r = api.call("GET", url, auth=shop["secret_key"])
        seen += [o["id"] for o in r.data["data"]]
        cursor = r.data["next_cursor"]
        if cursor is None:
            break
        book(next(days), "Late")
    assert len(seen) == len(set(seen))
    assert [i for i in seen if i in set(every)] == every


def test_a_cursor_altered_to_an_empty_position_is_refused(booked):
    """A cursor's digest is not secret (it names the filters): an altered position must be a
    clear 422, never a query DynamoDB refuses."""
    api, shop, _ = booked
    first = api.call("GET", "/v1/orders?email=ada@example.com&limit=1", auth=shop["secret_key"])
    doc = json.loads(base64.urlsafe_b64decode(first.data["next_cursor"] + "=="))
    forged = base64.urlsafe_b64encode(json.dumps({**doc, "p": ""}).encode()).decode().rstrip("=")
    r = api.call(
        "GET", f"/v1/orders?email=ada@example.com&cursor={forged}", auth=shop["secret_key"]
    )
    assert_error(r, 422, "invalid_cursor")
