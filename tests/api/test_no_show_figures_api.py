"""A no-show taken back is taken off the customer's own no-show figure (customers/domain/
figures.py: the order is counted while it is a no-show as read), once however often its event
is delivered and whatever order the queue hands the events over in, and a no-show marked again
counts again; the segments built on no-shows (customers/domain/segments.py) count from the
same figure. Every event goes through the real relay and the very dispatcher Lambda invokes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.kernel.domain.customer_ids import customer_id_for
from tests.api.support import forbid_server_errors, tenant_data
from tests.builders import room_type, stay_offering

EMAIL = "nora@example.com"
ONE_NO_SHOW = {"rules": [{"kind": "no_shows", "op": ">=", "number": 1}]}


@pytest.fixture
def hotel(api):
    forbid_server_errors(api)
    tenant = api.signup("undo-inn")
    data = tenant_data(api, tenant)
    data.catalog.put_resource(room_type(rooms=2), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    return tenant


def deliver(api, messages: list[dict[str, Any]]) -> None:
    """`messages` (relayed events) to the dispatcher Lambda invokes, each twice in one batch."""
    event = api.client.events.generate_sqs_event(
        message_bodies=[json.dumps(m) for m in messages * 2], queue_name="reservoir-events"
    )
    for i, record in enumerate(event["Records"]):
        record["messageId"] = f"m-{i}"
    assert api.client.lambda_.invoke("dispatch_events", event).payload == {"batchItemFailures": []}


def figures(api, hotel, *, kept: list[dict[str, Any]] | None = None) -> dict:
    """The customer's figures and how many customers the no-show segment counts, once the
    events so far are delivered twice each (a redelivery); `kept` gets those events."""
    messages = api.container.relayed_events()
    if messages:
        deliver(api, messages)
    if kept is not None:
        kept.extend(messages)
    key = hotel["secret_key"]
    record = api.call("GET", f"/v1/customers/{customer_id_for(EMAIL)}", auth=key)
    assert record.status_code == 200, record.body
    counted = api.call("POST", "/v1/segment-counts", auth=key, body=ONE_NO_SHOW)
    assert counted.status_code == 200, counted.body
    return {**record.data["figures"], "segment": counted.data["matched"]}


def booked_stay(api, hotel) -> str:
    """Nora's confirmed stay on 24 December, the clock at 20:00 that evening: its path."""
    key = hotel["secret_key"]
    body = {
        "customer": {"name": "Nora Noshow", "email": EMAIL},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 1}],
    }
    order = api.call("POST", "/v1/orders", auth=key, body=body)
    assert order.status_code == 201, order.body
    path = f"/v1/orders/{order.data['id']}"
    assert api.call("POST", f"{path}/confirm", auth=key).status_code == 200
    api.container.clock.moment = datetime(2026, 12, 24, 20, 0, tzinfo=UTC)
    return path


def test_a_no_show_and_its_undo_delivered_in_the_other_order_leave_no_no_show(api, hotel):
    """An undo handled before its no-show (a retry of the no-show's delivery, a reordering)
    leaves no no-show (a reviewer found 1: the undo was clamped at 0, the late no-show +1)."""
    path = booked_stay(api, hotel)
    deliver(api, api.container.relayed_events())
    manager = api.staff_token(hotel, "manager")
    assert api.call("POST", f"{path}/no-show", auth=manager).status_code == 200
    assert api.call("POST", f"{path}/no-show/undo", auth=manager).status_code == 200
    messages = api.container.relayed_events()
    names = [m["event"]["name"] for m in messages]
    assert names.index("OrderMarkedNoShow") < names.index("OrderNoShowUndone"), names
    deliver(api, list(reversed(messages)))  # the undo's delivery first, the no-show's after
    after = figures(api, hotel)
    assert (after["no_shows"], after["segment"]) == (0, 0)  # the guest came: no no-show


def test_a_no_show_undone_is_taken_off_the_figure_once_and_a_new_one_counts_again(api, hotel):
    path = booked_stay(api, hotel)
    manager = api.staff_token(hotel, "manager")

    def step(action: str, kept: list[dict[str, Any]] | None = None) -> dict:
        r = api.call("POST", f"{path}/{action}", auth=manager)
        assert r.status_code == 200, r.body
        return figures(api, hotel, kept=kept)

    before = figures(api, hotel)
    assert (before["bookings"], before["no_shows"], before["segment"]) == (1, 0, 0)
    marked = step("no-show")
    assert (marked["no_shows"], marked["segment"]) == (1, 1)
    undo_events: list[dict[str, Any]] = []
    undone = step("no-show/undo", undo_events)
    assert "OrderNoShowUndone" in [m["event"]["name"] for m in undo_events]
    assert (undone["no_shows"], undone["segment"]) == (0, 0)
    assert undone["bookings"] == 1  # the booking stays one
    again = step("no-show")
    assert (again["no_shows"], again["segment"]) == (1, 1)
    deliver(api, undo_events)  # the undo delivered again, after the second no-show
    record = api.call("GET", f"/v1/customers/{customer_id_for(EMAIL)}", auth=hotel["secret_key"])
    assert record.data["figures"]["no_shows"] == 1
