"""A no-show at the desk (booking/domain/no_show.py): a stay's not before its arrival day's
check-in time in the hotel's zone, an appointment's once it started; what the order asks
then (its no-show fee, not the stay's price); and a manager taking it back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.catalog.domain.payment_policy import DepositPolicy
from tests.api.support import assert_error, forbid_server_errors
from tests.api.support import patch_tenant as _patch
from tests.builders import haircut, room_type, stay_offering, stylist


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def _shop(api, slug: str, *things):
    tenant = api.signup(slug)
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    for thing in things:
        put = data.catalog.put_resource if hasattr(thing, "capacity") else data.catalog.put_offering
        put(thing, expected_rev=None)
    return tenant


@pytest.fixture
def hotel(api):  # Europe/Berlin; fee 0 unless a test says otherwise
    return _shop(api, "noshow-inn", room_type(rooms=2), stay_offering())


def _confirmed_stay(api, shop, check_in: str = "2026-12-24") -> str:
    body = {
        "customer": {"name": "Nora Noshow", "email": "nora@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": check_in, "nights": 1}],
    }
    order = api.call("POST", "/v1/orders", auth=shop["secret_key"], body=body)
    assert order.status_code == 201, order.body
    path = f"/v1/orders/{order.data['id']}"
    assert api.call("POST", f"{path}/confirm", auth=shop["secret_key"]).status_code == 200
    return path


def _at(api, *when: int) -> None:
    api.container.clock.moment = datetime(*when, tzinfo=UTC)


@pytest.mark.parametrize("step", ["check-in", "cancel"])
def test_a_stay_that_can_never_be_a_no_show_is_told_so_before_check_in_time(api, hotel, step):
    """A tester's checked-in (or cancelled) guest was refused a no-show as "still arriving
    today", to be tried again at 15:00, and then refused otherwise."""
    path = _confirmed_stay(api, hotel)
    _at(api, 2026, 12, 24, 8, 0)  # 09:00 in Berlin, before the check-in time
    assert api.call("POST", f"{path}/{step}", auth=hotel["secret_key"]).status_code == 200
    refused = api.call("POST", f"{path}/no-show", auth=hotel["secret_key"])
    assert_error(refused, 409, "illegal_transition")


def test_a_stay_is_no_no_show_before_its_arrival_days_check_in_time_in_the_hotels_zone(api, hotel):
    path = _confirmed_stay(api, hotel)
    _at(api, 2026, 12, 24, 13, 59)  # 14:59 in Berlin: the guest may still come
    early = assert_error(api.call("POST", f"{path}/no-show", auth=hotel["secret_key"]), 409)
    assert early["code"] == "no_show_too_early"
    assert early["details"]["opens_at"] == "2026-12-24T14:00Z"  # 15:00 Berlin, the default
    assert api.call("GET", path, auth=hotel["secret_key"]).data["status"] == "confirmed"

    assert _patch(api, hotel, {"business": {"check_in_time": "18:00"}}).status_code == 200
    _at(api, 2026, 12, 24, 16, 30)  # 17:30 in Berlin: before the hotel's own check-in time
    later = assert_error(api.call("POST", f"{path}/no-show", auth=hotel["secret_key"]), 409)
    assert later["details"]["opens_at"] == "2026-12-24T17:00Z"
    _at(api, 2026, 12, 24, 17, 0)
    marked = api.call("POST", f"{path}/no-show", auth=hotel["secret_key"])
    assert marked.status_code == 200 and marked.data["status"] == "no_show", marked.body


def test_a_no_show_without_a_fee_owes_nothing_and_one_with_a_fee_owes_the_fee(api):
    free = _shop(api, "noshow-free", room_type(rooms=2), stay_offering())
    fee = DepositPolicy(no_show_fee=4000)
    strict = _shop(api, "noshow-fee", room_type(rooms=2), stay_offering(deposit=fee))
    booked_at = api.container.clock.moment
    for shop, owed in ((free, 0), (strict, 4000)):
        api.container.clock.moment = booked_at
        path = _confirmed_stay(api, shop)
        _at(api, 2026, 12, 25, 9, 0)
        marked = api.call("POST", f"{path}/no-show", auth=shop["secret_key"])
        assert marked.status_code == 200, marked.body
        assert marked.data["totals"]["total"] == 12000  # the stay's price stays on record
        assert marked.data["totals"]["deposit_due"] == 0
        money = api.call("GET", f"{path}/payments", auth=shop["secret_key"]).data
        assert money["balance"] == owed  # not the stay's 120.00


def test_money_paid_beyond_the_no_show_fee_is_owed_back(api, hotel):
    path = _confirmed_stay(api, hotel)
    cash = {"amount": 3000, "method": "cash"}
    paid = api.call("POST", f"{path}/payments", auth=hotel["secret_key"], body=cash)
    assert paid.status_code in (200, 201), paid.body
    _at(api, 2026, 12, 25, 9, 0)
    marked = api.call("POST", f"{path}/no-show", auth=hotel["secret_key"])
    assert marked.data["payment_status"] == "refund_due"
    assert api.call("GET", f"{path}/payments", auth=hotel["secret_key"]).data["balance"] == -3000


def test_a_manager_takes_a_no_show_back_and_the_guest_is_checked_in(api, hotel):
    path = _confirmed_stay(api, hotel)
    _at(api, 2026, 12, 24, 20, 0)
    api.call("POST", f"{path}/no-show", auth=hotel["secret_key"])
    staff = api.staff_token(hotel, "staff")
    assert_error(api.call("POST", f"{path}/no-show/undo", auth=staff), 403, "role_forbidden")
    manager = api.staff_token(hotel, "manager")
    stale = api.call("POST", f"{path}/no-show/undo", auth=manager, headers={"If-Match": '"2"'})
    assert_error(stale, 409, "version_mismatch")
    undone = api.call("POST", f"{path}/no-show/undo", auth=manager, headers={"If-Match": '"3"'})
    assert undone.status_code == 200, undone.body
    assert undone.data["status"] == "confirmed" and undone.headers["ETag"] == '"4"'
    again = api.call("POST", f"{path}/no-show/undo", auth=manager)  # a retry: as it is
    assert again.status_code == 200 and again.headers["ETag"] == '"4"'
    money = api.call("GET", f"{path}/payments", auth=hotel["secret_key"]).data
    assert money["balance"] == 12000  # the stay asks its price again
    came = api.call("POST", f"{path}/check-in", auth=staff)
    assert came.status_code == 200 and came.data["status"] == "checked_in"
    late = api.call("POST", f"{path}/no-show/undo", auth=manager)
    assert_error(late, 409, "illegal_transition")


def test_an_appointment_keeps_its_rule_a_no_show_once_it_started(api):
    salon = _shop(api, "noshow-salon", stylist("res_a", "Alex"), haircut())
    body = {
        "customer": {"name": "B", "email": "b@example.com"},
        "lines": [{"offering_id": "off_cut", "start": "2026-12-01T10:00"}],
    }
    order = api.call("POST", "/v1/orders", auth=salon["secret_key"], body=body).data
    path = f"/v1/orders/{order['id']}"
    api.call("POST", f"{path}/confirm", auth=salon["secret_key"])
    api.container.clock.moment = datetime.fromisoformat(order["lines"][0]["start_utc"]) - timedelta(
        minutes=1
    )
    assert_error(api.call("POST", f"{path}/no-show", auth=salon["secret_key"]), 422, "not_started")
    api.container.clock.moment += timedelta(minutes=1)  # it started: no check-in time applies
    marked = api.call("POST", f"{path}/no-show", auth=salon["secret_key"])
    assert marked.status_code == 200 and marked.data["status"] == "no_show", marked.body
