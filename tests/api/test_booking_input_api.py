"""Booking lines that the schema lets through but the offering cannot take: a line without
the time its kind needs, a start off the offering's grid, a resource that is unknown or
cannot serve, a blank customer name, a total no card processor can charge. Each is a 422
with its own code, on the staff route, the widget and both reschedules, and changes
nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from chalicelib.catalog.domain.catalog import Adjustment, PriceBasis, Pricing, Season
from chalicelib.kernel.domain.money import MAX_AMOUNT
from tests.api.support import assert_error, forbid_server_errors, snapshot
from tests.builders import day_tour, departure, haircut, room_type, stay_offering, stylist

CUSTOMER = {"name": "Fuzz", "email": "fuzz@example.com"}


def put_catalog(api, tenant, *things):
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    for thing in things:
        if hasattr(thing, "capacity"):
            data.catalog.put_resource(thing, expected_rev=None)
        else:
            data.catalog.put_offering(thing, expected_rev=None)


@pytest.fixture
def shop(api):
    """A salon (15-minute grid, 09:00-17:00), a hotel room and a 08:00 departure in one."""
    forbid_server_errors(api)
    tenant = api.signup("mixed")
    put_catalog(
        api,
        tenant,
        stylist("res_a", "Alex"),
        stylist("res_b", "Blair"),
        room_type(),
        departure(),
        haircut(),
        stay_offering(),
        day_tour(),
    )
    return tenant


def order(api, tenant, *lines, auth=None):
    return api.call(
        "POST",
        "/v1/orders",
        auth=auth or tenant["secret_key"],
        body={"customer": CUSTOMER, "lines": list(lines)},
    )


def widget_order(api, tenant, *lines):
    return api.call(
        "POST",
        "/v1/public/orders",
        auth=tenant["publishable_key"],
        body={"customer": CUSTOMER, "lines": list(lines)},
    )


def made(api, tenant, line):
    r = widget_order(api, tenant, line)
    assert r.status_code == 201, r.body
    return r.data


def reschedules(api, tenant, held, *lines):
    """The staff's and the customer's reschedule of `held` to `lines`."""
    body = {"lines": list(lines)}
    staff = api.call(
        "POST",
        f"/v1/orders/{held['id']}/reschedule",
        auth=tenant["secret_key"],
        body=body,
        headers={"If-Match": f'"{held["version"]}"'},
    )
    customer = api.call(
        "POST",
        f"/v1/public/orders/{held['id']}/reschedule",
        auth=tenant["publishable_key"],
        body=body,
        headers={"X-Manage-Token": held["manage_token"]},
    )
    return staff, customer


CUT = {"offering_id": "off_cut", "start": "2026-12-01T10:00"}
STAY = {"offering_id": "off_stay", "check_in": "2026-12-24"}
TOUR = {"offering_id": "off_tour", "start": "2026-12-05T08:00"}

WITHOUT_TIME = [
    ({"offering_id": "off_cut"}, "missing_start"),
    ({"offering_id": "off_cut", "check_in": "2026-12-01"}, "missing_start"),
    ({"offering_id": "off_stay"}, "missing_check_in"),
    ({"offering_id": "off_stay", "start": "2026-12-24T15:00"}, "missing_check_in"),
    ({"offering_id": "off_tour"}, "missing_start"),
]
WITHOUT_TIME_IDS = ["timed", "timed-check-in", "nightly", "nightly-start", "session"]


@pytest.mark.parametrize(("line", "code"), WITHOUT_TIME, ids=WITHOUT_TIME_IDS)
def test_a_line_without_the_time_its_kind_needs_is_422_on_both_routes(api, shop, line, code):
    before = snapshot(api.container)
    assert_error(order(api, shop, line), 422, code)
    assert_error(widget_order(api, shop, line), 422, code)
    assert snapshot(api.container) == before


@pytest.mark.parametrize(("line", "code"), WITHOUT_TIME, ids=WITHOUT_TIME_IDS)
def test_a_reschedule_to_a_line_without_its_time_is_422(api, shop, line, code):
    held = made(api, shop, CUT)
    before = snapshot(api.container)
    for r in reschedules(api, shop, held, line):
        assert_error(r, 422, code)
    assert snapshot(api.container) == before


# -- the start grid ----------------------------------------------------------------------------


def test_a_start_off_the_offerings_grid_is_422_naming_the_nearest_starts(api, shop):
    before = snapshot(api.container)
    line = {"offering_id": "off_cut", "start": "2026-12-01T10:07"}
    for r in (order(api, shop, line), widget_order(api, shop, line)):
        error = assert_error(r, 422, "not_a_start_time")
        assert error["details"]["nearest"] == ["10:00", "10:15"], error
        assert error["details"]["interval_minutes"] == 15, error
    assert snapshot(api.container) == before


def test_a_reschedule_off_the_grid_is_422_and_keeps_the_order(api, shop):
    held = made(api, shop, CUT)
    before = snapshot(api.container)
    line = {"offering_id": "off_cut", "start": "2026-12-01T13:52"}
    for r in reschedules(api, shop, held, line):
        assert_error(r, 422, "not_a_start_time")
    assert snapshot(api.container) == before


def test_a_session_start_that_no_session_has_is_422_naming_the_sessions(api, shop):
    line = {"offering_id": "off_tour", "start": "2026-12-05T08:30"}
    error = assert_error(order(api, shop, line), 422, "not_a_start_time")
    assert error["details"]["nearest"] == ["08:00"], error


def test_every_start_availability_offers_can_be_booked(api, shop):
    r = api.call(
        "GET",
        "/v1/availability?offering=off_cut&from=2026-12-01&to=2026-12-02",
        auth=shop["secret_key"],
    )
    starts = [o["start"][:16] for o in r.data["options"]]
    assert starts[:3] == ["2026-12-01T09:00", "2026-12-01T09:15", "2026-12-01T09:30"]
    assert starts[-1] == "2026-12-01T16:00"  # 45 minutes and 15 of buffer end at 17:00
    for start in starts[::4]:  # every hour: each cut and its buffer end as the next begins
        booked = order(api, shop, {"offering_id": "off_cut", "start": start})
        assert booked.status_code == 201, booked.body


# -- chosen resources ----------------------------------------------------------------------


def test_an_unknown_resource_in_resource_ids_is_422_unknown_resource(api, shop):
    other = api.signup("rival")
    put_catalog(api, other, stylist("res_rival", "Rita"))
    before = snapshot(api.container)
    for rid in ("res_nope", "res_rival"):
        line = {**CUT, "resource_ids": {"0": rid}}
        for r in (order(api, shop, line), widget_order(api, shop, line)):
            error = assert_error(r, 422, "unknown_resource")
            assert error["details"] == {"requirement": 0, "resource_id": rid}, error
    assert snapshot(api.container) == before


def test_a_resource_that_cannot_serve_the_requirement_is_422_not_eligible(api, shop):
    put_catalog(api, shop, stylist("res_c", "Casey", skills=("colour",)))
    before = snapshot(api.container)
    for rid in ("res_double", "res_wall", "res_c"):
        line = {**CUT, "resource_ids": {"0": rid}}
        error = assert_error(order(api, shop, line), 422, "resource_not_eligible")
        assert error["details"] == {"requirement": 0, "resource_id": rid}, error
    assert snapshot(api.container) == before


def test_a_choice_for_a_requirement_the_offering_has_not_is_422(api, shop):
    line = {**CUT, "resource_ids": {"1": "res_a"}}
    error = assert_error(order(api, shop, line), 422, "unknown_requirement")
    assert error["details"]["requirement"] == 1


def test_a_reschedule_naming_an_unknown_resource_is_422(api, shop):
    held = made(api, shop, CUT)
    before = snapshot(api.container)
    for r in reschedules(api, shop, held, {**CUT, "resource_ids": {"0": "res_nope"}}):
        assert_error(r, 422, "unknown_resource")
    assert snapshot(api.container) == before


def test_an_eligible_chosen_resource_still_books(api, shop):
    r = order(api, shop, {**CUT, "resource_ids": {"0": "res_b"}})
    assert r.status_code == 201, r.body
    assert r.data["lines"][0]["resources"][0]["resource_id"] == "res_b"


# -- the customer ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["   ", "\u3000", " \u00a0 ", "\u200b", " \u200b\u2060 "])
def test_a_blank_customer_name_is_422_naming_the_field(api, shop, name):
    before = snapshot(api.container)
    body = {"customer": {**CUSTOMER, "name": name}, "lines": [CUT]}
    for auth, path in (
        (shop["secret_key"], "/v1/orders"),
        (shop["publishable_key"], "/v1/public/orders"),
    ):
        r = api.call("POST", path, auth=auth, body=body)
        error = assert_error(r, 422, "validation_failed")
        assert {f["field"] for f in error["details"]["fields"]} == {"customer.name"}, error
    assert snapshot(api.container) == before


# -- the total -------------------------------------------------------------------------------


@pytest.fixture
def pricey(api, shop):
    """Per person and night, +1000 % all winter, 100 % tax on top."""
    winter = Season(date(2026, 12, 1), date(2027, 2, 28), Adjustment(percent_bp=100_000))
    pricing = Pricing(
        amount=12000,
        basis=PriceBasis.PERSON_NIGHT,
        seasons=(winter,),
        tax_bp=10000,
        tax_inclusive=False,
    )
    put_catalog(api, shop, replace(stay_offering(oid="off_suite", party_max=100), pricing=pricing))
    return shop


HUGE = {"offering_id": "off_suite", "check_in": "2026-12-24", "nights": 30, "party": 100}


def test_an_order_whose_total_no_card_can_be_charged_is_422(api, pricey):
    before = snapshot(api.container)
    for r in (order(api, pricey, HUGE), widget_order(api, pricey, HUGE)):
        error = assert_error(r, 422, "amount_too_large")
        assert error["details"]["total"] == 12000 * 11 * 100 * 30 * 2, error
        assert error["details"]["max_amount"] == MAX_AMOUNT
    assert snapshot(api.container) == before


def test_a_reschedule_that_would_make_the_total_too_large_is_422(api, pricey):
    held = made(api, pricey, {**HUGE, "nights": 1, "party": 1})
    assert held["totals"]["total"] == 12000 * 11 * 2
    before = snapshot(api.container)
    for r in reschedules(api, pricey, held, HUGE):
        assert_error(r, 422, "amount_too_large")
    assert snapshot(api.container) == before


def test_a_total_at_the_bound_is_still_taken(api, shop):
    put_catalog(
        api,
        shop,
        replace(
            stay_offering(oid="off_exact"),
            pricing=Pricing(amount=MAX_AMOUNT, basis=PriceBasis.NIGHT),
        ),
    )
    r = order(api, shop, {"offering_id": "off_exact", "check_in": "2026-12-24"})
    assert r.status_code == 201 and r.data["totals"]["total"] == MAX_AMOUNT, r.body
    more = order(api, shop, {"offering_id": "off_exact", "check_in": "2026-12-24", "nights": 2})
    assert_error(more, 422, "amount_too_large")
