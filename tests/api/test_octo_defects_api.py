"""Defects an outside tester found in the OCTO API on a running stack, each pinned here through
the route, every answer checked against OCTO's own document (tests/octo_schema.py)."""

from __future__ import annotations

import urllib.parse
from dataclasses import replace
from datetime import timedelta

import pytest

from chalicelib.catalog.domain.catalog import (
    Requirement,
    Resource,
    ResourceKind,
    Selector,
    UnitsPer,
)
from chalicelib.catalog.domain.payment_policy import DepositPolicy
from chalicelib.channels.domain.connections import Settlement
from tests import octo_schema
from tests.api.octo_support import Reseller, octo, tenant_context, tour_operator
from tests.api.support import forbid_server_errors
from tests.builders import day_tour, departure

TOUR = {"productId": "off_tour", "optionId": "DEFAULT"}


@pytest.fixture
def shop(api) -> Reseller:
    forbid_server_errors(api)
    return tour_operator(api, "wall-tours")


def _day(api, days: int = 30) -> str:
    return (api.container.clock.moment + timedelta(days=days)).date().isoformat()


def refused(response, method: str, path: str, status: int, error: str) -> dict:
    assert response.status_code == status, response.body
    body = response.data
    assert body["error"] == error and body["errorMessage"], body
    assert not octo_schema.problems(method, path, status, body), body
    return body


@pytest.mark.parametrize(
    ("method", "path"),
    [("DELETE", "/octo/products"), ("GET", "/octo/availability"), ("PUT", "/octo/bookings/x")],
)
def test_a_method_the_route_does_not_take_is_refused_in_octos_shape(api, shop, method, path):
    r = api.call(method, path, auth=shop.key, body={} if method == "PUT" else None)
    assert r.status_code in (400, 405), r.body
    assert isinstance(r.data["error"], str) and r.data["errorMessage"], r.body
    assert r.data["error"] == "BAD_REQUEST"


def test_a_publishable_key_is_told_a_partner_key_is_needed(api, shop):
    r = api.call("GET", "/octo/products", auth=shop.tenant["publishable_key"])
    body = refused(r, "GET", "/octo/products", 403, "FORBIDDEN")
    assert "partner" in body["errorMessage"] and "secret key" not in body["errorMessage"]


@pytest.mark.parametrize(
    ("path", "extra", "error"),
    [
        ("/octo/availability", {"localDate": "9999-12-31"}, "BAD_REQUEST"),
        (
            "/octo/availability",
            {"localDateStart": "9999-12-01", "localDateEnd": "9999-12-31"},
            "BAD_REQUEST",
        ),
        ("/octo/availability", {"localDate": "1999-12-31"}, "BAD_REQUEST"),
        (
            "/octo/availability",
            {"availabilityIds": ["9999-12-31T07:30:00+08:00"]},
            "INVALID_AVAILABILITY_ID",
        ),
        (
            "/octo/availability",
            {"availabilityIds": ["0001-01-01T00:00:00+08:00"]},
            "INVALID_AVAILABILITY_ID",
        ),
        (
            "/octo/availability/calendar",
            {"localDateStart": "9999-12-30", "localDateEnd": "9999-12-31"},
            "BAD_REQUEST",
        ),
    ],
)
def test_a_day_outside_2000_to_2999_is_refused_not_a_server_error(api, shop, path, extra, error):
    r = octo(api, shop, "POST", path, body={**TOUR, **extra})
    refused(r, "POST", path, 400, error)


@pytest.mark.parametrize(
    "query", ["localDate=9999-12-31", "localDateStart=9999-12-01&localDateEnd=9999-12-31"]
)
def test_bookings_of_a_day_outside_2000_to_2999_are_a_bad_request(api, shop, query):
    r = octo(api, shop, "GET", f"/octo/bookings?{query}")
    refused(r, "GET", "/octo/bookings", 400, "BAD_REQUEST")


def _reserve(api, shop, start: str, people: int = 1, **extra):
    body = {**TOUR, "availabilityId": start, "unitItems": [{"unitId": "adult"}] * people, **extra}
    return octo(api, shop, "POST", "/octo/bookings", body=body)


@pytest.mark.parametrize(
    "at", ["08:00:00Z", "08:00:00-11:00", "08:00:00+08:30", "08:00:00+14:00", "00:00:00Z"]
)
def test_an_id_whose_offset_is_not_the_zones_is_invalid_everywhere(api, shop, at):
    """The tour starts at 08:00+08:00; the same wall clock with another offset is another
    instant (refused, never booked as 08:00+08:00), and the right instant in UTC is not the
    canonical id either (refused alike: the answers' ids are the ones to send)."""
    text = f"{_day(api)}T{at}"
    r = octo(api, shop, "POST", "/octo/availability", body={**TOUR, "availabilityIds": [text]})
    assert (
        refused(r, "POST", "/octo/availability", 400, "INVALID_AVAILABILITY_ID")["availabilityId"]
        == text
    )
    r = _reserve(api, shop, text)
    assert (
        refused(r, "POST", "/octo/bookings", 400, "INVALID_AVAILABILITY_ID")["availabilityId"]
        == text
    )


def test_an_id_that_is_no_start_of_the_schedule_is_invalid_for_reserve_and_patch(api, shop):
    not_a_start = f"{_day(api)}T09:00:00+08:00"
    r = _reserve(api, shop, not_a_start)
    refused(r, "POST", "/octo/bookings", 400, "INVALID_AVAILABILITY_ID")
    held = _reserve(api, shop, f"{_day(api)}T08:00:00+08:00").data
    r = octo(
        api,
        shop,
        "PATCH",
        f"/octo/bookings/{held['uuid']}",
        body={"availabilityId": not_a_start},
    )
    refused(r, "PATCH", "/octo/bookings/{uuid}", 400, "INVALID_AVAILABILITY_ID")
    got = octo(api, shop, "GET", f"/octo/bookings/{held['uuid']}").data
    assert got["availabilityId"] == held["availabilityId"]


def test_a_confirmed_booking_cannot_be_moved_to_a_product_that_asks_a_deposit_online(api):
    """Customer settlement: a walk that asks nothing online confirms to be paid at the venue;
    moving it to the tour, which asks a 30 % deposit online, would skip the deposit that a
    direct confirmation of the tour is refused for: refused alike, and nothing changes."""
    forbid_server_errors(api)
    shop = tour_operator(api, "deposit-tours", settlement=Settlement.CUSTOMER)
    walk = replace(day_tour(), id="off_walk", name="Hutong walk", deposit=DepositPolicy())
    tenant_context(api, shop.tenant).data.catalog.put_offering(walk, expected_rev=None)
    connect = api.call("POST", "/v1/payments/connect", auth=shop.secret_key)
    api.container.gateway.enable(connect.data["account_id"])
    start = f"{_day(api)}T08:00:00+08:00"
    held = _reserve(api, shop, start, productId="off_walk").data
    uuid = held["uuid"]
    confirmed = octo(api, shop, "POST", f"/octo/bookings/{uuid}/confirm", body={"contact": {}})
    assert confirmed.data["status"] == "CONFIRMED", confirmed.body
    path = f"/v1/orders/{held['id']}"
    before = api.call("GET", path, auth=shop.secret_key).data
    later = f"{_day(api, 31)}T08:00:00+08:00"
    for change in (
        {"productId": "off_tour"},
        {"productId": "off_tour", "availabilityId": later, "unitItems": [{"unitId": "adult"}] * 3},
    ):
        r = octo(api, shop, "PATCH", f"/octo/bookings/{uuid}", body=change)
        body = refused(r, "PATCH", "/octo/bookings/{uuid}", 400, "UNPROCESSABLE_ENTITY")
        assert "online" in body["errorMessage"], body
    got = octo(api, shop, "GET", f"/octo/bookings/{uuid}").data
    assert got["productId"] == "off_walk" and got["status"] == "CONFIRMED"
    assert got["availabilityId"] == start and len(got["unitItems"]) == 1
    assert api.call("GET", path, auth=shop.secret_key).data == before
    # A move that still asks nothing online (the walk, another day) is made.
    moved = octo(api, shop, "PATCH", f"/octo/bookings/{uuid}", body={"availabilityId": later})
    assert moved.status_code == 200 and moved.data["availabilityId"] == later, moved.body


@pytest.mark.parametrize(
    ("contact", "field"),
    [
        ({"emailAddress": "<script>@example.com"}, "contact.emailAddress"),
        ({"emailAddress": "not-an-address"}, "contact.emailAddress"),
        ({"phoneNumber": "12"}, "contact.phoneNumber"),
        ({"phoneNumber": "call me"}, "contact.phoneNumber"),
    ],
)
def test_a_contact_with_no_real_address_or_number_is_refused_and_keeps_the_stored_one(
    api, shop, contact, field
):
    good = {"fullName": "Li Wei", "emailAddress": "li@example.com", "phoneNumber": "+8613800138000"}
    start = f"{_day(api)}T08:00:00+08:00"
    r = _reserve(api, shop, start, contact=contact)
    assert field in refused(r, "POST", "/octo/bookings", 400, "BAD_REQUEST")["errorMessage"]
    held = _reserve(api, shop, start, contact=good).data
    uuid = held["uuid"]
    for method, path, body in (
        ("PATCH", "/octo/bookings/{uuid}", {"contact": contact}),
        (
            "PATCH",
            "/octo/bookings/{uuid}",
            {"contact": contact, "unitItems": [{"unitId": "adult"}] * 2},
        ),
        ("POST", "/octo/bookings/{uuid}/confirm", {"contact": contact}),
    ):
        r = octo(api, shop, method, path.replace("{uuid}", uuid), body=body)
        assert field in refused(r, method, path, 400, "BAD_REQUEST")["errorMessage"]
    got = octo(api, shop, "GET", f"/octo/bookings/{uuid}").data
    assert got["status"] == "ON_HOLD" and len(got["unitItems"]) == 1
    assert got["contact"]["emailAddress"] == "li@example.com"
    assert got["contact"]["phoneNumber"] == "+8613800138000"


def test_a_contact_that_leaves_a_field_out_keeps_the_stored_one(api, shop):
    good = {"fullName": "Li Wei", "emailAddress": "li@example.com", "phoneNumber": "+8613800138000"}
    held = _reserve(api, shop, f"{_day(api)}T08:00:00+08:00", contact=good).data
    uuid = held["uuid"]
    r = octo(api, shop, "POST", f"/octo/bookings/{uuid}/confirm", body={"contact": {}})
    assert r.data["contact"]["emailAddress"] == "li@example.com"
    assert r.data["contact"]["phoneNumber"] == "+8613800138000"


def test_bookings_listed_by_several_filters_are_those_every_filter_names(api, shop):
    on_first = _reserve(api, shop, f"{_day(api)}T08:00:00+08:00", resellerReference="RR-1").data
    later = _reserve(api, shop, f"{_day(api, 14)}T08:00:00+08:00", resellerReference="RR-1").data
    other = _reserve(api, shop, f"{_day(api)}T08:00:00+08:00", resellerReference="RR-2").data
    cases = {
        f"localDate={_day(api)}&resellerReference=RR-1": [on_first["uuid"]],
        f"localDate={_day(api, 14)}&resellerReference=RR-1": [later["uuid"]],
        f"localDate={_day(api, 1)}&resellerReference=RR-1": [],
        f"localDate={_day(api)}&supplierReference={other['id']}": [other["uuid"]],
        f"localDate={_day(api, 14)}&supplierReference={other['id']}": [],
        f"resellerReference=RR-2&supplierReference={on_first['id']}": [],
        f"localDateStart={_day(api, 14)}&localDateEnd={_day(api)}&resellerReference=RR-1": sorted(
            [on_first["uuid"], later["uuid"]]
        ),
    }
    for query, uuids in cases.items():
        r = octo(api, shop, "GET", f"/octo/bookings?{query}")
        assert r.status_code == 200, (query, r.body)
        assert sorted(b["uuid"] for b in r.data) == uuids, query
    # Days named two ways at once: which would win is a guess, so neither does (re-probe).
    both = f"localDate={_day(api)}&localDateStart={_day(api, 14)}&localDateEnd={_day(api)}"
    r = octo(api, shop, "GET", f"/octo/bookings?{both}")
    assert r.status_code == 400 and r.data["error"] == "BAD_REQUEST", r.body


def _map(api, shop, *pairs: tuple[str, str]) -> None:
    body = {"mappings": [{"partner_id": p, "offering_id": o} for p, o in pairs]}
    r = api.call(
        "PUT",
        f"/v1/channels/{shop.connection_id}/mappings",
        auth=api.owner_token(shop.tenant),
        body=body,
    )
    assert r.status_code == 200, r.body


def test_a_booking_keeps_the_product_id_it_was_made_under_while_that_still_names_it(api, shop):
    held = _reserve(api, shop, f"{_day(api)}T08:00:00+08:00").data  # no mappings: off_tour
    uuid = held["uuid"]
    _map(api, shop, ("GREAT-WALL", "off_tour"))
    got = octo(api, shop, "GET", f"/octo/bookings/{uuid}").data
    # off_tour names nothing now: the booking shows the id the offering has now.
    assert got["productId"] == "GREAT-WALL"
    _map(api, shop, ("GREAT-WALL", "off_tour"), ("off_tour", "off_tour"))
    assert octo(api, shop, "GET", f"/octo/bookings/{uuid}").data["productId"] == "off_tour"
    # Made under GREAT-WALL: it stays GREAT-WALL whatever else is mapped to the offering.
    second = _reserve(api, shop, f"{_day(api)}T08:00:00+08:00", productId="GREAT-WALL").data
    assert second["productId"] == "GREAT-WALL"
    _map(api, shop, ("off_tour", "off_tour"), ("GREAT-WALL", "off_tour"))
    assert octo(api, shop, "GET", f"/octo/bookings/{second['uuid']}").data["productId"] == (
        "GREAT-WALL"
    )
    assert octo(api, shop, "GET", f"/octo/bookings/{uuid}").data["productId"] == "off_tour"
    listed = octo(api, shop, "GET", f"/octo/bookings?localDate={_day(api)}").data
    assert {b["uuid"]: b["productId"] for b in listed} == {
        uuid: "off_tour",
        second["uuid"]: "GREAT-WALL",
    }


def _private_tour(api, shop) -> None:
    """The demo's private tour: a departure of 6 seats (per person), a guide and a van (one
    each per booking, whatever the party)."""
    hours = (((6 * 60, 20 * 60),),) * 7
    data = tenant_context(api, shop.tenant).data.catalog
    data.put_resource(departure("res_private", seats=6, minutes=540), expected_rev=None)
    for rid, extra in (
        ("res_guide", {"skills": frozenset({"guide"})}),
        ("res_van", {"tags": frozenset({"van"})}),
    ):
        resource = Resource(
            id=rid,
            name=rid,
            kind=ResourceKind.TIMED,
            capacity=1,
            hours=hours,
            slot_minutes=15,
            **extra,
        )
        data.put_resource(resource, expected_rev=None)
    offering = replace(
        day_tour("res_private"),
        id="off_private",
        name="Private tour with guide and van",
        requirements=(
            Requirement(Selector(resource_id="res_private"), per=UnitsPer.PERSON),
            Requirement(Selector(skill="guide")),
            Requirement(Selector(tag="van")),
        ),
        party_max=6,
        deposit=DepositPolicy(),
    )
    data.put_offering(offering, expected_rev=None)


def test_a_private_tours_vacancies_are_its_party_maximum_while_its_guide_is_free(api, shop):
    _private_tour(api, shop)
    private = {"productId": "off_private", "optionId": "DEFAULT"}
    start = f"{_day(api)}T08:00:00+08:00"
    ask = {**private, "availabilityIds": [start]}
    (free,) = octo(api, shop, "POST", "/octo/availability", body=ask).data
    assert (free["status"], free["vacancies"], free["maxUnits"]) == ("AVAILABLE", 6, 6)
    calendar = octo(
        api,
        shop,
        "POST",
        "/octo/availability/calendar",
        body={**private, "localDateStart": _day(api), "localDateEnd": _day(api)},
    ).data
    assert calendar[0]["vacancies"] == 6
    held = _reserve(api, shop, start, people=6, productId="off_private")
    assert held.status_code == 200, held.body
    (taken,) = octo(api, shop, "POST", "/octo/availability", body=ask).data
    assert (taken["status"], taken["vacancies"], taken["maxUnits"]) == ("SOLD_OUT", 0, 0)


def _calendar(api, shop, first: str, last: str, **extra) -> list[dict]:
    body = {**TOUR, "localDateStart": first, "localDateEnd": last, **extra}
    r = octo(api, shop, "POST", "/octo/availability/calendar", body=body)
    assert r.status_code == 200, r.body
    return r.data


def test_a_sold_out_start_is_listed_sold_out_by_date_by_id_and_in_the_calendar(api):
    forbid_server_errors(api)
    shop = tour_operator(api, "tiny-tours", seats=2)
    start = f"{_day(api)}T08:00:00+08:00"
    assert _reserve(api, shop, start, people=2).status_code == 200
    by_date = octo(api, shop, "POST", "/octo/availability", body={**TOUR, "localDate": _day(api)})
    by_id = octo(api, shop, "POST", "/octo/availability", body={**TOUR, "availabilityIds": [start]})
    for answer in (by_date.data, by_id.data):
        assert [(a["id"], a["status"], a["available"], a["vacancies"]) for a in answer] == [
            (start, "SOLD_OUT", False, 0)
        ]
    window = {"localDateStart": _day(api), "localDateEnd": _day(api, 31)}
    listed = octo(api, shop, "POST", "/octo/availability", body={**TOUR, **window}).data
    assert [a["status"] for a in listed] == ["SOLD_OUT", "AVAILABLE"]
    (day,) = _calendar(api, shop, _day(api), _day(api))
    assert (day["status"], day["available"]) == ("SOLD_OUT", False)


def test_a_start_with_room_but_not_for_the_party_asked_is_listed_not_available(api):
    forbid_server_errors(api)
    shop = tour_operator(api, "small-tours", seats=6)
    start = f"{_day(api)}T08:00:00+08:00"
    assert _reserve(api, shop, start, people=2).status_code == 200
    five = {"units": [{"id": "adult", "quantity": 5}]}
    for ask in ({"localDate": _day(api)}, {"availabilityIds": [start]}):
        r = octo(api, shop, "POST", "/octo/availability", body={**TOUR, **ask, **five})
        assert [(a["status"], a["available"], a["vacancies"], a["maxUnits"]) for a in r.data] == [
            ("AVAILABLE", False, 4, 4)
        ], ask
    four = {"units": [{"id": "adult", "quantity": 4}]}
    r = octo(api, shop, "POST", "/octo/availability", body={**TOUR, "localDate": _day(api), **four})
    assert [(a["status"], a["available"]) for a in r.data] == [("AVAILABLE", True)]
    (day,) = _calendar(api, shop, _day(api), _day(api), **five)
    assert (day["status"], day["available"], day["vacancies"]) == ("AVAILABLE", False, 4)


def test_a_day_with_no_start_on_sale_is_closed_not_sold_out(api, shop):
    """Today's 08:00 start has gone (the clock is past it in Shanghai), and a day beyond the
    year the tour sells ahead has none on sale: CLOSED, as a day the schedule has no start."""
    now = api.container.clock.moment
    today = (now + timedelta(hours=8)).date()
    assert (now + timedelta(hours=8)).hour >= 8  # the tour's start today is past
    days = _calendar(api, shop, today.isoformat(), (today + timedelta(days=1)).isoformat())
    assert [d["status"] for d in days] == ["CLOSED", "AVAILABLE"]
    far = (today + timedelta(days=400)).isoformat()
    assert [d["status"] for d in _calendar(api, shop, far, far)] == ["CLOSED"]
    by_date = octo(api, shop, "POST", "/octo/availability", body={**TOUR, "localDate": far})
    assert by_date.data == []
    gone = f"{today.isoformat()}T08:00:00+08:00"
    r = octo(api, shop, "POST", "/octo/availability", body={**TOUR, "availabilityIds": [gone]})
    assert [(a["status"], a["available"]) for a in r.data] == [("CLOSED", False)]


def test_a_product_id_with_a_space_or_chinese_is_found_by_its_encoded_path(api, shop):
    """An integrator's mapping "great wall" and "长城" were listed by `/octo/products` but
    `/octo/products/great%20wall` was 400 INVALID_PRODUCT_ID: the path was never decoded."""
    _map(api, shop, ("great wall", "off_tour"), ("长城", "off_tour"))
    listed = {p["id"] for p in octo(api, shop, "GET", "/octo/products").data}
    assert listed == {"great wall", "长城"}
    for product_id in listed:
        path = f"/octo/products/{urllib.parse.quote(product_id)}"
        one = octo(api, shop, "GET", path)
        assert one.status_code == 200 and one.data["id"] == product_id, one.body
