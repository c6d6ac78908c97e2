"""The free plan's monthly count (tenancy/services/plan_limits.py), as a reviewer broke it:
a duplicate of a hold refused at the month's last place, and holds made without
`place_order` (a room block's pickup). Scenarios by the reviewer, kept as regression tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from chalicelib.kernel.domain.tenant import Plan
from tests.api.support import deliver_events_times, forbid_server_errors
from tests.api.test_own_move_paid_api import _shop

MONTH = "2026-11"


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def _free(api: Any, shop: dict[str, Any]) -> Any:
    platform = api.container.platform
    record = platform.get_tenant(shop["tenant_id"])
    if record.plan is not Plan.FREE:
        platform.save_tenant(replace(record, plan=Plan.FREE, version=record.version + 1))
    return api.container.tenant_data.for_tenant(platform.get_tenant(shop["tenant_id"]))


def test_a_duplicate_of_a_refused_hold_leaves_a_booking_without_a_mark(api, monkeypatch):
    """Two sends of one widget hold (same key, same body) at the month's last place: the
    second sees the first's mark, skips the count and holds; the first then counts 101, takes
    its mark back and is refused. The order stands, its mark is gone."""
    shop = _shop(api, "dup-inn")
    data = _free(api, shop)
    for i in range(100):
        data.payments.count_booking(MONTH, f"ord_earlier_{i}")
    data.payments.release_booking(MONTH, "ord_earlier_0")  # one place left
    assert data.payments.bookings_in(MONTH) == 99
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 2}],
    }
    headers = {"Idempotency-Key": "dup-key-1"}
    fake = type(data.payments)
    real = fake.bookings_in
    second: list[Any] = []

    def racing(self: Any, month: str, **kw: Any) -> int:
        if kw.get("consistent") and not second:
            second.append(None)  # the duplicate arrives while the first counts
            second[0] = api.call(
                "POST",
                "/v1/public/orders",
                auth=shop["publishable_key"],
                body=body,
                headers=headers,
            )
        return int(real(self, month, **kw))

    monkeypatch.setattr(fake, "bookings_in", racing)
    first = api.call(
        "POST", "/v1/public/orders", auth=shop["publishable_key"], body=body, headers=headers
    )
    monkeypatch.setattr(fake, "bookings_in", real)
    assert {first.status_code, second[0].status_code} <= {201, 402}
    orders = [o for o in data.orders.orders.values()]
    assert len(orders) == 1  # the duplicate's order stands
    # The month has 100 bookings (99 + the duplicate's): it should count them.
    assert data.payments.bookings_in(MONTH) == 100


def _free_hotel_with_block(api: Any, slug: str) -> tuple[dict[str, Any], Any, Any]:
    """A free-plan hotel of 25 rooms with a 20-room block (test_room_blocks_api.py's)."""
    from tests.api.test_room_blocks_api import block
    from tests.builders import room_type, stay_offering

    shop = api.signup(slug)
    data = _free(api, shop)
    data.catalog.put_resource(
        replace(room_type(rooms=25), rooms=tuple(str(101 + n) for n in range(25))),
        expected_rev=None,
    )
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    made = block(api, shop)
    assert made.status_code == 201, made.body
    return shop, data, made


def test_a_room_block_pickup_counts_in_a_free_plans_month(api):
    from tests.api.test_room_blocks_api import pickup

    shop, data, made = _free_hotel_with_block(api, "block-inn")
    guest = pickup(api, shop, made.data["id"], "Anna", check_in="2026-12-11", nights=3, room="101")
    assert guest.status_code == 201, guest.body
    assert deliver_events_times(api, 1) == {"batchItemFailures": []}
    # A booking of the month (before 977d374 the OrderHeld consumer counted it on every plan).
    assert data.payments.bookings_in(MONTH) == 1


def test_a_pickup_is_refused_at_the_free_plans_limit_and_holds_nothing(api):
    """An outside tester's free hotel at 100 bookings: POST /v1/orders said 402 but three
    pickups from a block were confirmed (and counted). A pickup is a booking like any other."""
    from tests.api.support import assert_error
    from tests.api.test_room_blocks_api import pickup

    shop, data, made = _free_hotel_with_block(api, "limit-inn")
    for i in range(100):
        data.payments.count_booking(MONTH, f"ord_earlier_{i}")
    for who in ("Anna", "Ben", "Cleo"):
        refused = pickup(api, shop, made.data["id"], who, check_in="2026-12-11", nights=2)
        assert_error(refused, 402, "plan_limit_reached")
    assert data.payments.bookings_in(MONTH) == 100  # nothing counted
    assert not data.orders.orders  # nothing held
    after = api.call("GET", f"/v1/blocks/{made.data['id']}", auth=shop["secret_key"]).data
    assert after["picked"] == 0
