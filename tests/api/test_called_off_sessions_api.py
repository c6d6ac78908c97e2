"""A departure called off (a bulk cancellation of its session) is taken off sale: an outside
tester's widget went on offering and selling the 08:00 the business had just cancelled for a
storm, until someone closed it by hand. The mark (`called_off` in the date's override) keeps
the session's bookings valid while the job cancels them one by one, so nothing is refused as
oversold, and a booking made in between is cancelled too. Removing the mark sells it again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from chalicelib.queues import BULK_JOBS
from tests.api.octo_support import octo, tour_operator
from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_bulk_jobs_api import book, job, start, version, work
from tests.builders import day_tour, departure, haircut, stylist

DAY = "2026-11-26"
TOUR = {"offering_id": "off_tour", "start": f"{DAY}T08:00", "party": 2}
ANY = {"If-Match": "*"}
OFF = {"action": "cancel", "resource_id": "res_wall", "session": f"{DAY}T08:00", "reason": "Storm"}


@pytest.fixture
def shop(api) -> dict[str, Any]:
    forbid_server_errors(api)
    tenant = api.signup("calledoff")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(departure(times=(8 * 60, 14 * 60)), expected_rev=None)
    data.catalog.put_offering(day_tour(), expected_rev=None)
    data.catalog.put_resource(stylist("res_alex", "Alex"), expected_rev=None)
    data.catalog.put_offering(haircut(), expected_rev=None)
    return tenant


def starts(api, shop, day: str = DAY) -> list[str]:
    after = f"{day[:8]}{int(day[8:]) + 1:02d}"
    q = f"?offering=off_tour&from={day}&to={after}&party=1"
    r = api.call("GET", f"/v1/public/availability{q}", auth=shop["publishable_key"])
    assert r.status_code == 200, r.body
    return [str(o["start"])[11:16] for o in r.data["options"] if o["date"] == day]


def wall(api, shop) -> dict[str, Any]:
    r = api.call("GET", "/v1/resources/res_wall", auth=shop["secret_key"])
    assert r.status_code == 200, r.body
    return r.data


def sheet(api, shop) -> list[tuple[str, bool, int]]:
    r = api.call("GET", f"/v1/resources/res_wall/day?date={DAY}", auth=shop["secret_key"])
    assert r.status_code == 200, r.body
    return [(s["start"][11:16], s["on_sale"], s["booked"]) for s in r.data["sessions"]]


def public_hold(api, shop, line: dict[str, Any]) -> Any:
    body = {"customer": {"name": "Late Lu", "email": "lu@example.com"}, "lines": [line]}
    return api.call("POST", "/v1/public/orders", auth=shop["publishable_key"], body=body)


def test_a_called_off_departure_is_sold_no_more_and_its_bookings_are_cancelled(api, shop):
    riders = [book(api, shop, n, TOUR)["id"] for n in ("Li", "Mo")]
    assert starts(api, shop) == ["08:00", "14:00"]
    r = start(api, shop, OFF)
    assert r.status_code == 202 and r.data["total"] == 2, r.body
    # Before the worker has cancelled anyone: nobody can book it, the riders keep their seats.
    assert starts(api, shop) == ["14:00"]
    assert_error(public_hold(api, shop, TOUR), 422, "session_called_off")
    assert sheet(api, shop) == [("08:00", False, 4), ("14:00", True, 0)]
    assert wall(api, shop)["overrides"][DAY]["called_off"] == ["08:00"]
    work(api)
    assert job(api, shop, r.data["id"])["done"] == 2
    assert sheet(api, shop) == [("08:00", False, 0), ("14:00", True, 0)]
    assert starts(api, shop) == ["14:00"]  # still off once empty
    assert starts(api, shop, "2026-11-27") == ["08:00", "14:00"]  # the next day's runs
    # Asked again once everyone is cancelled: nothing to do, and the mark is not rewritten.
    rev = wall(api, shop)["rev"]
    assert_error(start(api, shop, OFF), 422, "no_orders")
    assert wall(api, shop)["rev"] == rev
    for order_id in riders:
        got = api.call("GET", f"/v1/orders/{order_id}", auth=shop["secret_key"]).data
        assert got["status"] == "cancelled"


def test_a_refused_job_takes_nothing_off_sale(api, shop):
    book(api, shop, "Li", TOUR)
    rev = wall(api, shop)["rev"]
    assert_error(start(api, shop, {**OFF, "reason": ""}), 422, "reason_required")
    staff = api.staff_token(shop, "staff")
    assert_error(start(api, shop, OFF, auth=staff), 403, "forbidden_role")
    # A time the departure does not have is said so (a tester's 09:00 was `no_orders`).
    assert_error(start(api, shop, {**OFF, "session": f"{DAY}T09:00"}), 422, "no_such_session")
    assert_error(start(api, shop, {**OFF, "session": "2026-11-27T08:00"}), 422, "no_orders")
    assert wall(api, shop)["rev"] == rev and wall(api, shop)["overrides"] == {}
    assert starts(api, shop) == ["08:00", "14:00"]


@pytest.mark.parametrize("choice", [{"session": f"{DAY}T08:00"}, {"date": DAY}])
def test_a_job_refused_after_the_mark_sells_the_departure_again(api, shop, monkeypatch, choice):
    """A tester's day was called off, the orders chosen again then were too many, and the
    request was refused 422 `too_many_orders` with the day left off sale: nobody could book
    it and no job would cancel it."""
    from chalicelib.booking.services import bulk_jobs

    riders = [book(api, shop, n, TOUR)["id"] for n in ("Li", "Mo", "Ng")]
    monkeypatch.setattr("chalicelib.booking.domain.bulk.MAX_BULK_ORDERS", 2)  # check_job's
    real, calls = bulk_jobs.choose, []

    def choose(ctx, choice, *, consistent=False):
        ids, chosen_by, on = real(ctx, choice, consistent=consistent)
        calls.append(consistent)
        return (ids[:1] if not consistent else ids), chosen_by, on  # the rest booked after

    monkeypatch.setattr(bulk_jobs, "choose", choose)
    rev = wall(api, shop)["rev"]
    body = {"action": "cancel", "resource_id": "res_wall", "reason": "Storm", **choice}
    assert_error(start(api, shop, body), 422, "too_many_orders")
    assert calls == [False, True]
    assert starts(api, shop) == ["08:00", "14:00"]
    assert wall(api, shop)["overrides"] == {} and wall(api, shop)["rev"] == rev + 2
    assert [version(api, shop, o)["status"] for o in riders] == ["confirmed"] * 3
    assert public_hold(api, shop, TOUR).status_code == 201


def test_a_day_called_off_takes_each_of_its_sessions_off_sale(api, shop):
    book(api, shop, "Li", TOUR)
    day = {"action": "cancel", "resource_id": "res_wall", "date": DAY, "reason": "Road closed"}
    assert start(api, shop, day).status_code == 202
    assert starts(api, shop) == []
    assert wall(api, shop)["overrides"][DAY]["called_off"] == ["08:00", "14:00"]


def test_the_business_may_sell_it_again_and_calls_off_only_sessions_there_are(api, shop):
    book(api, shop, "Li", TOUR)
    assert start(api, shop, OFF).status_code == 202
    path = f"/v1/resources/res_wall/overrides/{DAY}"
    r = api.call("DELETE", path, auth=shop["secret_key"], headers={"If-Match": "*"})
    assert r.status_code == 200, r.body
    assert starts(api, shop) == ["08:00", "14:00"]
    r = api.call("PUT", path, auth=shop["secret_key"], headers=ANY, body={"called_off": ["14:00"]})
    assert r.status_code == 200 and r.data["overrides"][DAY]["called_off"] == ["14:00"], r.body
    assert starts(api, shop) == ["08:00"]
    bad = api.call(
        "PUT", path, auth=shop["secret_key"], headers=ANY, body={"called_off": ["09:00"]}
    )
    assert_error(bad, 422, "no_such_session")
    assert bad.data["error"]["details"]["times"] == ["09:00"]
    fewer = {"session_times": ["08:00"], "called_off": ["14:00"]}  # not a session that day
    assert_error(
        api.call("PUT", path, auth=shop["secret_key"], headers=ANY, body=fewer),
        422,
        "no_such_session",
    )
    timed = f"/v1/resources/res_alex/overrides/{DAY}"
    no_kind = api.call(
        "PUT", timed, auth=shop["secret_key"], headers=ANY, body={"called_off": ["10:00"]}
    )
    assert_error(no_kind, 422, "not_for_kind")
    assert starts(api, shop) == ["08:00"]


def test_an_order_that_also_books_another_departure_is_left_for_the_desk(api, shop):
    """A tester's customer booked the 26th and the 27th in one order: calling off the 26th
    cancelled the order whole, the 27th's trip with it."""
    both = {
        "customer": {"name": "Two Trips", "email": "two@example.com"},
        "lines": [TOUR, {**TOUR, "start": "2026-11-27T08:00"}],
    }
    r = api.call("POST", "/v1/orders", auth=shop["secret_key"], body=both)
    assert r.status_code == 201, r.body
    two = r.data
    one = book(api, shop, "Li", TOUR)["id"]
    made = start(api, shop, OFF)
    assert made.status_code == 202 and made.data["total"] == 2, made.body
    work(api)
    done = job(api, shop, made.data["id"])
    outcomes = {x["order_id"]: (x["outcome"], x["code"]) for x in done["results"]}
    assert outcomes == {one: ("done", ""), two["id"]: ("failed", "other_lines")}
    after = api.call("GET", f"/v1/orders/{two['id']}", auth=shop["secret_key"]).data
    assert (after["status"], after["version"]) == (two["status"], two["version"])
    assert sheet(api, shop) == [("08:00", False, 2), ("14:00", True, 0)]  # its seats kept


def test_a_called_off_departure_is_closed_to_an_octo_reseller_not_an_unknown_id(api):
    """A tester's reseller asked for the called-off 07:30 by id and was told its id was
    invalid (400 INVALID_AVAILABILITY_ID), where a closed start is CLOSED."""
    forbid_server_errors(api)
    reseller = tour_operator(api, "calledoff-octo")
    day = (api.container.clock.moment + timedelta(days=2)).date().isoformat()
    start = f"{day}T08:00:00+08:00"
    ask = {"productId": "off_tour", "optionId": "DEFAULT", "availabilityIds": [start]}
    (before,) = octo(api, reseller, "POST", "/octo/availability", body=ask).data
    assert before["status"] == "AVAILABLE"
    path = f"/v1/resources/res_wall/overrides/{day}"
    off = {"called_off": ["08:00"]}
    r = api.call("PUT", path, auth=reseller.secret_key, headers=ANY, body=off)
    assert r.status_code == 200, r.body
    (closed,) = octo(api, reseller, "POST", "/octo/availability", body=ask).data
    assert (closed["status"], closed["available"]) == ("CLOSED", False)
    reserve = {
        "productId": "off_tour",
        "optionId": "DEFAULT",
        "availabilityId": start,
        "unitItems": [{"unitId": "adult"}],
    }
    held = octo(api, reseller, "POST", "/octo/bookings", body=reserve)
    assert held.status_code == 400 and held.data["error"] == "UNPROCESSABLE_ENTITY", held.body


def test_a_called_off_time_the_clocks_skip_is_refused(api, shop):
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(shop["tenant_id"])
    )
    data.catalog.put_resource(departure("res_night", times=(150, 210)), expected_rev=None)
    path = "/v1/resources/res_night/overrides/2027-03-28"  # Berlin skips 02:00-03:00
    skipped = api.call(
        "PUT", path, auth=shop["secret_key"], headers=ANY, body={"called_off": ["02:30"]}
    )
    error = assert_error(skipped, 422, "nonexistent_time")
    assert error["details"]["times"] == ["02:30"]
    real = api.call(
        "PUT", path, auth=shop["secret_key"], headers=ANY, body={"called_off": ["03:30"]}
    )
    assert real.status_code == 200, real.body


def test_a_bookings_key_may_not_call_a_session_off_and_changes_nothing(api, shop):
    """A reviewer's `bookings` key, refused on the override route, took a session off sale
    through a bulk cancellation: the catalog write is refused there too, before anything."""
    book(api, shop, "Li", TOUR)
    made = api.call(
        "POST",
        "/v1/keys",
        auth=shop["secret_key"],
        body={"kind": "secret", "name": "Site", "scope": "bookings"},
    )
    assert made.status_code == 201, made.body
    key = made.data["key"]
    rev = wall(api, shop)["rev"]
    assert_error(start(api, shop, OFF, auth=key), 403, "key_scope_forbidden")
    assert wall(api, shop)["rev"] == rev and starts(api, shop) == ["08:00", "14:00"]
    assert api.container.bus.take(BULK_JOBS.name) == []


def test_a_day_called_off_is_one_catalog_write(api, shop):
    book(api, shop, "Li", TOUR)
    rev = wall(api, shop)["rev"]
    day = {"action": "cancel", "resource_id": "res_wall", "date": DAY, "reason": "Road closed"}
    assert start(api, shop, day).status_code == 202
    assert wall(api, shop)["rev"] == rev + 1  # both sessions in one override


def test_a_booking_left_on_a_called_off_departure_may_get_smaller_but_not_bigger(api, shop):
    """A tester could change nothing of a booking on a called-off departure, not even its
    party down to one, while the bulk job leaves such bookings (other lines) for the desk."""
    order = book(api, shop, "Li", TOUR)
    path = f"/v1/resources/res_wall/overrides/{DAY}"
    off = {"called_off": ["08:00"]}
    assert api.call("PUT", path, auth=shop["secret_key"], headers=ANY, body=off).status_code == 200

    def change(party: int, start: str = f"{DAY}T08:00"):
        return api.call(
            "POST",
            f"/v1/orders/{order['id']}/reschedule",
            auth=shop["secret_key"],
            headers=ANY,
            body={"lines": [{**TOUR, "start": start, "party": party}]},
        )

    assert_error(change(3), 422, "session_called_off")  # a seat more: not sold
    smaller = change(1)
    assert smaller.status_code == 200, smaller.body
    assert smaller.data["lines"][0]["party"] == 1
    assert sheet(api, shop) == [("08:00", False, 1), ("14:00", True, 0)]
    assert change(1).status_code == 200  # the same again: still where it is
    assert change(2, f"{DAY}T14:00").status_code == 200  # moved to a departure on sale
    assert_error(change(1), 422, "session_called_off")  # and not back onto the called-off


def test_seats_held_on_one_boat_keep_no_other_boat_called_off_at_that_time(api, shop):
    """What a change keeps is its own departure's: a booking on the wall's 08:00 may not move
    to another boat's called-off 08:00 as though it held seats there."""
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(shop["tenant_id"])
    )
    data.catalog.put_resource(departure("res_boat", times=(8 * 60,)), expected_rev=None)
    data.catalog.put_offering(day_tour("res_boat", oid="off_boat"), expected_rev=None)
    order = book(api, shop, "Li", TOUR)
    path = f"/v1/resources/res_boat/overrides/{DAY}"
    off = {"called_off": ["08:00"]}
    assert api.call("PUT", path, auth=shop["secret_key"], headers=ANY, body=off).status_code == 200
    boat = {**TOUR, "offering_id": "off_boat", "party": 1}
    moved = api.call(
        "POST",
        f"/v1/orders/{order['id']}/reschedule",
        auth=shop["secret_key"],
        headers=ANY,
        body={"lines": [boat]},
    )
    assert_error(moved, 422, "session_called_off")
