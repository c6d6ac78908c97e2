"""The widget's manage page asks `GET /v1/public/availability` with `order=<id>` and the
order's manage token, as the console asks the staff route: the customer's own units count as
free for it, so a 2-night stay in a full hotel may move by one night and keep the night it
already holds. Only with the token of that very order: none is 403, another order's (or a
forged one) the same 404 as an unknown order, and nothing of another order is ever answered."""

from __future__ import annotations

import pytest

from tests.api.support import assert_error, forbid_server_errors
from tests.builders import room_type, stay_offering

ARRIVAL, NEXT_DAY = "2026-12-10", "2026-12-11"


@pytest.fixture
def hotel(api):
    forbid_server_errors(api)
    tenant = api.signup("own-moves")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=2), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    return tenant


def widget_stay(api, tenant, email: str) -> dict:
    body = {
        "customer": {"name": "Ada Mover", "email": email},
        "lines": [{"offering_id": "off_stay", "check_in": ARRIVAL, "nights": 2}],
    }
    r = api.call("POST", "/v1/public/orders", auth=tenant["publishable_key"], body=body)
    assert r.status_code == 201, r.body
    assert r.data["manage_token"]
    return dict(r.data)


@pytest.fixture
def both(api, hotel) -> tuple[dict, dict]:
    """The customer's stay (10 and 11 December) and another guest's in the hotel's other
    room: both nights sold out, the 12th free."""
    return widget_stay(api, hotel, "ada@example.com"), widget_stay(api, hotel, "bo@example.com")


@pytest.fixture
def full(both) -> dict:
    return both[0]


def ask(api, tenant, query: str = "", headers: dict | None = None):
    path = f"/v1/public/availability?offering=off_stay&from={NEXT_DAY}&to=2026-12-12&nights=2"
    return api.call("GET", path + query, auth=tenant["publishable_key"], headers=headers)


def token_of(order: dict) -> dict:
    return {"X-Manage-Token": order["manage_token"]}


def test_the_customers_own_night_counts_as_free_for_their_own_move(api, hotel, full):
    plain = ask(api, hotel)
    assert plain.status_code == 200, plain.body
    assert plain.data["options"] == []  # the 11th is sold out to anyone else
    own = ask(api, hotel, f"&order={full['id']}", token_of(full))
    assert own.status_code == 200, own.body
    [option] = own.data["options"]
    assert option["date"] == NEXT_DAY
    assert option["remaining"] == 1  # its own room on the 11th, one free on the 12th
    # The move it was offered is made, as the manage page makes it.
    moved = api.call(
        "POST",
        f"/v1/public/orders/{full['id']}/reschedule",
        auth=hotel["publishable_key"],
        headers=token_of(full),
        body={"lines": [{"offering_id": "off_stay", "check_in": NEXT_DAY, "nights": 2}]},
    )
    assert moved.status_code == 200, moved.body
    assert moved.data["lines"][0]["date"] == NEXT_DAY


def test_the_token_may_come_in_the_query_as_the_e_mails_link_carries_it(api, hotel, full):
    own = ask(api, hotel, f"&order={full['id']}&token={full['manage_token']}")
    assert own.status_code == 200, own.body
    assert [o["date"] for o in own.data["options"]] == [NEXT_DAY]


def test_an_order_without_its_token_is_refused(api, hotel, full):
    assert_error(ask(api, hotel, f"&order={full['id']}"), 403, "manage_token_required")


def test_another_orders_id_with_ones_own_token_is_the_404_of_an_unknown_order(api, hotel, both):
    full, other = both
    unknown = ask(api, hotel, "&order=ord_nope", token_of(full))
    assert_error(unknown, 404, "order_not_found")
    theirs = ask(api, hotel, f"&order={other['id']}", token_of(full))
    assert_error(theirs, 404, "order_not_found")
    assert theirs.data == unknown.data  # says nothing of the other order
    forged = ask(api, hotel, f"&order={full['id']}", {"X-Manage-Token": "x" * 40})
    assert_error(forged, 404, "order_not_found")


def test_a_cancelled_orders_units_are_not_counted_twice(api, hotel, full):
    cancel = api.call(
        "POST",
        f"/v1/public/orders/{full['id']}/cancel",
        auth=hotel["publishable_key"],
        headers=token_of(full),
        body={},
    )
    assert cancel.status_code == 200, cancel.body
    own = ask(api, hotel, f"&order={full['id']}", token_of(full))
    plain = ask(api, hotel)
    assert own.status_code == 200, own.body
    # Its room was given back when it was cancelled: one room is free, not two.
    assert own.data == plain.data
    assert [o["remaining"] for o in plain.data["options"]] == [1]
