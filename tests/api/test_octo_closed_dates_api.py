"""An OCTO reseller is held to the dates the business marked closed (`opening_hours.
closed_dates`), as the widget is: the date is CLOSED in the availability and the calendar, a
reservation on it and a change onto it are refused in OCTO's shape (UNPROCESSABLE_ENTITY),
while a booking made before the date was closed keeps it. A tour operator in Shanghai with a
daily 08:00 departure; every answer is checked against OCTO's own document."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests import octo_schema
from tests.api.octo_support import Reseller, octo, tour_operator
from tests.api.support import forbid_server_errors

TOUR = {"productId": "off_tour", "optionId": "DEFAULT"}


@pytest.fixture
def shop(api) -> Reseller:
    forbid_server_errors(api)
    return tour_operator(api, "shut-tours")


def _day(api, days: int) -> str:
    return (api.container.clock.moment + timedelta(days=days)).date().isoformat()


def _start(day: str) -> str:
    return f"{day}T08:00:00+08:00"


def close(api, shop: Reseller, *days: str) -> None:
    hours = {"closed_dates": list(days)}
    r = api.call("PATCH", "/v1/tenant", auth=shop.secret_key, body={"opening_hours": hours})
    assert r.status_code == 200, r.body


def reserve(api, shop: Reseller, start: str, people: int = 1):
    body = {**TOUR, "availabilityId": start, "unitItems": [{"unitId": "adult"}] * people}
    return octo(api, shop, "POST", "/octo/bookings", body=body)


def refused_closed(response, method: str, path: str, day: str) -> None:
    assert response.status_code == 400, response.body
    body = response.data
    assert body["error"] == "UNPROCESSABLE_ENTITY", body
    assert day in body["errorMessage"], body
    assert not octo_schema.problems(method, path, 400, body), body


def test_a_closed_date_is_closed_in_the_availability_and_the_calendar(api, shop):
    shut = _day(api, 30)
    before, after = _day(api, 29), _day(api, 31)
    close(api, shop, shut)
    by_date = octo(api, shop, "POST", "/octo/availability", body={**TOUR, "localDate": shut})
    assert by_date.status_code == 200 and by_date.data == []  # nothing on sale that day
    ids = [_start(before), _start(shut), _start(after)]
    by_id = octo(api, shop, "POST", "/octo/availability", body={**TOUR, "availabilityIds": ids})
    assert [(a["id"], a["status"], a["available"], a["vacancies"]) for a in by_id.data] == [
        (ids[0], "AVAILABLE", True, 20),
        (ids[1], "CLOSED", False, 0),
        (ids[2], "AVAILABLE", True, 20),
    ]
    window = {"localDateStart": before, "localDateEnd": after}
    listed = octo(api, shop, "POST", "/octo/availability", body={**TOUR, **window})
    assert [a["id"] for a in listed.data] == [ids[0], ids[2]]
    calendar = octo(api, shop, "POST", "/octo/availability/calendar", body={**TOUR, **window})
    assert [(d["localDate"], d["status"], d["available"]) for d in calendar.data] == [
        (before, "AVAILABLE", True),
        (shut, "CLOSED", False),
        (after, "AVAILABLE", True),
    ]


def test_a_reservation_on_a_closed_date_is_refused_in_octos_shape_and_holds_nothing(api, shop):
    shut = _day(api, 30)
    close(api, shop, shut)
    refused_closed(reserve(api, shop, _start(shut), people=2), "POST", "/octo/bookings", shut)
    ask = {**TOUR, "availabilityIds": [_start(shut)]}
    close(api, shop)  # opened again: all 20 seats are still there
    (start,) = octo(api, shop, "POST", "/octo/availability", body=ask).data
    assert (start["status"], start["vacancies"]) == ("AVAILABLE", 20)
    assert reserve(api, shop, _start(shut)).status_code == 200


def test_a_booking_cannot_move_onto_a_closed_date_but_keeps_the_date_it_held(api, shop):
    held_day, other = _day(api, 30), _day(api, 32)
    booked = reserve(api, shop, _start(held_day))
    assert booked.status_code == 200, booked.body
    uuid = booked.data["uuid"]
    close(api, shop, held_day, other)  # closed after it was booked
    path = f"/octo/bookings/{uuid}"
    moved = octo(api, shop, "PATCH", path, body={"availabilityId": _start(other)})
    refused_closed(moved, "PATCH", "/octo/bookings/{uuid}", other)
    assert octo(api, shop, "GET", path).data["availabilityId"] == _start(held_day)
    bigger = {"availabilityId": _start(held_day), "unitItems": [{"unitId": "adult"}] * 3}
    kept = octo(api, shop, "PATCH", path, body=bigger)
    assert kept.status_code == 200, kept.body
    assert kept.data["availabilityId"] == _start(held_day) and len(kept.data["unitItems"]) == 3
    confirmed = octo(api, shop, "POST", f"{path}/confirm", body={})
    assert (confirmed.status_code, confirmed.data["status"]) == (200, "CONFIRMED")


def test_the_desk_still_books_a_date_closed_to_partners(api, shop):
    shut = _day(api, 30)
    close(api, shop, shut)
    body = {
        "customer": {"name": "Private Group", "email": "group@example.com"},
        "lines": [{"offering_id": "off_tour", "start": f"{shut}T08:00", "party": 4}],
    }
    r = api.call("POST", "/v1/orders", auth=shop.secret_key, body=body)
    assert r.status_code == 201, r.body
