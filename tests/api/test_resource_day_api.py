"""`GET /v1/resources/{id}/day`: a room type's arrivals, departures and staying guests, a
stylist's appointments, a departure's manifest; moves and cancellations followed; the local
day's edges on a daylight-saving day; one tenant's only."""

from __future__ import annotations

import unicodedata

import pytest

from tests.api.support import assert_error, forbid_server_errors
from tests.builders import day_tour, departure, haircut, room_type, stay_offering, stylist


@pytest.fixture
def shop(api):
    forbid_server_errors(api)
    tenant = api.signup("day-shop")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=10), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    data.catalog.put_resource(stylist("res_alex", "Alex"), expected_rev=None)
    data.catalog.put_resource(stylist("res_blair", "Blair"), expected_rev=None)
    data.catalog.put_offering(haircut(), expected_rev=None)
    data.catalog.put_resource(departure(seats=20, times=(30, 8 * 60, 14 * 60)), expected_rev=None)
    data.catalog.put_offering(day_tour(), expected_rev=None)
    return tenant


def mailbox(who: str) -> str:
    """An address for `who` whose local part is ASCII, as mail needs (Jürgen's is jurgen...;
    a name with no Latin letter, a number of its own)."""
    folded = unicodedata.normalize("NFKD", who.lower()).encode("ascii", "ignore").decode()
    local = ".".join(folded.split()) or f"guest{sum(map(ord, who))}"
    return f"{local}@example.com"


def book(api, tenant, who: str, line: dict, auth: str | None = None) -> str:
    body = {
        "customer": {"name": who, "email": mailbox(who)},
        "lines": [line],
    }
    r = api.call("POST", "/v1/orders", auth=auth or tenant["secret_key"], body=body)
    assert r.status_code == 201, r.body
    return r.data["id"]


def stay(check_in: str, nights: int) -> dict:
    return {"offering_id": "off_stay", "check_in": check_in, "nights": nights}


def day(api, tenant, resource: str, date: str, auth: str | None = None):
    r = api.call(
        "GET", f"/v1/resources/{resource}/day?date={date}", auth=auth or tenant["secret_key"]
    )
    assert r.status_code == 200, r.body
    return r.data


def names(lines: list[dict]) -> list[str]:
    return [line["customer"]["name"] for line in lines]


def test_a_room_types_day_has_its_arrivals_departures_and_staying_guests(api, shop):
    book(api, shop, "Arriving", stay("2026-12-10", 2))
    book(api, shop, "Leaving", stay("2026-12-08", 2))
    book(api, shop, "Staying", stay("2026-12-09", 3))
    book(api, shop, "Long", stay("2026-11-25", 30))  # thirty nights: leaves on 12-25
    book(api, shop, "Tomorrow", stay("2026-12-11", 1))
    gone = book(api, shop, "Cancelled", stay("2026-12-10", 1))
    api.call("POST", f"/v1/orders/{gone}/cancel", auth=shop["secret_key"])
    sheet = day(api, shop, "res_double", "2026-12-10")
    assert sheet["kind"] == "nightly" and sheet["resource_name"] == "Double room"
    assert names(sheet["arrivals"]) == ["Arriving"]
    assert names(sheet["departures"]) == ["Leaving"]
    assert sorted(names(sheet["in_house"])) == ["Long", "Staying"]
    assert sheet["appointments"] == [] and sheet["sessions"] == []
    arriving = sheet["arrivals"][0]
    assert arriving["nights"] == 2 and arriving["units"] == 1 and arriving["role"] == "arrival"
    assert arriving["start"].startswith("2026-12-10T")
    assert arriving["end"].startswith("2026-12-12T")


def test_a_moved_stay_leaves_the_old_day_and_joins_the_new_one(api, shop):
    order = book(api, shop, "Mover", stay("2026-12-10", 1))
    r = api.call(
        "POST",
        f"/v1/orders/{order}/reschedule",
        auth=shop["secret_key"],
        headers={"If-Match": '"1"'},
        body={"lines": [stay("2026-12-20", 2)]},
    )
    assert r.status_code == 200, r.body
    assert day(api, shop, "res_double", "2026-12-10")["arrivals"] == []
    assert names(day(api, shop, "res_double", "2026-12-20")["arrivals"]) == ["Mover"]
    assert names(day(api, shop, "res_double", "2026-12-22")["departures"]) == ["Mover"]


def test_a_stylists_day_lists_only_their_appointments_in_time_order(api, shop):
    cut = {"offering_id": "off_cut"}
    book(api, shop, "Late", {**cut, "start": "2026-12-10T15:00", "resource_ids": {"0": "res_alex"}})
    book(
        api, shop, "Early", {**cut, "start": "2026-12-10T09:00", "resource_ids": {"0": "res_alex"}}
    )
    book(
        api, shop, "Other", {**cut, "start": "2026-12-10T09:00", "resource_ids": {"0": "res_blair"}}
    )
    book(
        api,
        shop,
        "Next day",
        {**cut, "start": "2026-12-11T09:00", "resource_ids": {"0": "res_alex"}},
    )
    sheet = day(api, shop, "res_alex", "2026-12-10")
    assert sheet["kind"] == "timed"
    assert names(sheet["appointments"]) == ["Early", "Late"]
    assert [a["start"][11:16] for a in sheet["appointments"]] == ["09:00", "15:00"]
    assert names(day(api, shop, "res_blair", "2026-12-10")["appointments"]) == ["Other"]


def test_a_departures_manifest_lists_every_session_with_its_passengers(api, shop):
    tour = {"offering_id": "off_tour", "start": "2026-12-10T08:00"}
    book(api, shop, "Four", {**tour, "party": 4})
    book(api, shop, "Two", {**tour, "party": 2})
    book(api, shop, "Afternoon", {**tour, "start": "2026-12-10T14:00", "party": 1})
    sheet = day(api, shop, "res_wall", "2026-12-10")
    sessions = {s["start"][11:16]: s for s in sheet["sessions"]}
    assert set(sessions) == {"00:30", "08:00", "14:00"}  # the empty one too
    assert sessions["00:30"]["booked"] == 0 and sessions["00:30"]["lines"] == []
    assert sessions["08:00"]["booked"] == 6 and sessions["08:00"]["capacity"] == 20
    assert sorted(names(sessions["08:00"]["lines"])) == ["Four", "Two"]
    assert [p["party"] for p in sessions["08:00"]["lines"] if p["customer"]["name"] == "Four"] == [
        4
    ]
    assert sessions["14:00"]["booked"] == 1


def test_the_day_is_the_local_day_on_a_daylight_saving_change(api, shop):
    """Berlin leaves summer time on 2026-10-25: its 00:30 is 22:30 UTC the day before, and
    that departure belongs to the 25th's sheet, not the 24th's."""
    api.container.clock.advance(-60 * 86400)
    book(api, shop, "Night owl", {"offering_id": "off_tour", "start": "2026-10-25T00:30"})
    book(api, shop, "Evening", {"offering_id": "off_tour", "start": "2026-10-24T14:00"})
    on_25 = {s["start"][11:16]: s for s in day(api, shop, "res_wall", "2026-10-25")["sessions"]}
    assert names(on_25["00:30"]["lines"]) == ["Night owl"]
    assert on_25["00:30"]["start_utc"] == "2026-10-24T22:30Z"
    on_24 = {s["start"][11:16]: s for s in day(api, shop, "res_wall", "2026-10-24")["sessions"]}
    assert on_24["00:30"]["lines"] == []
    assert names(on_24["14:00"]["lines"]) == ["Evening"]


def test_a_viewer_reads_the_day_another_tenant_sees_nothing(api, shop):
    book(api, shop, "Arriving", stay("2026-12-10", 1))
    viewer = api.staff_token(shop, "viewer")
    assert names(day(api, shop, "res_double", "2026-12-10", auth=viewer)["arrivals"]) == [
        "Arriving"
    ]
    other = api.signup("day-other")
    r = api.call("GET", "/v1/resources/res_double/day?date=2026-12-10", auth=other["secret_key"])
    assert_error(r, 404, "resource_not_found")  # as every route of a resource answers
    r = api.call(
        "GET", "/v1/resources/res_double/day?date=2026-12-10", auth=shop["publishable_key"]
    )
    assert r.status_code == 403


@pytest.mark.parametrize("query", ["", "?date=2026-13-01", "?date=today", "?date=2026-12-10&x=1"])
def test_a_bad_date_is_422(api, shop, query):
    r = api.call("GET", f"/v1/resources/res_double/day{query}", auth=shop["secret_key"])
    assert_error(r, 422, "validation_failed")


def test_an_appointment_begun_the_evening_before_is_on_the_next_days_sheet_too(api, shop):
    """A time-zone tester's 24-hour chair: 23:30 to 00:15 still takes it at midnight, and the
    next day's sheet showed it free while the report counted it. The day's bulk choice (its
    own bookings) leaves it to the day it began."""
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(shop["tenant_id"])
    )
    all_day = (((0, 24 * 60),),) * 7
    data.catalog.put_resource(stylist("res_night", "Nico", hours=all_day), expected_rev=None)
    cut = {"offering_id": "off_cut", "resource_ids": {"0": "res_night"}}
    book(api, shop, "Late", {**cut, "start": "2026-12-10T23:30"})
    book(api, shop, "Morning", {**cut, "start": "2026-12-11T09:00"})
    book(api, shop, "Early", {**cut, "start": "2026-12-10T21:00"})  # over before midnight
    next_day = day(api, shop, "res_night", "2026-12-11")["appointments"]
    assert names(next_day) == ["Late", "Morning"]
    assert (next_day[0]["start"][:16], next_day[0]["end"][:16]) == (
        "2026-12-10T23:30",
        "2026-12-11T00:15",
    )
    assert names(day(api, shop, "res_night", "2026-12-10")["appointments"]) == ["Early", "Late"]
    ask = {"action": "complete", "resource_id": "res_night", "date": "2026-12-11"}
    job = api.call("POST", "/v1/bulk-jobs", auth=shop["secret_key"], body=ask)
    assert job.status_code == 202 and job.data["total"] == 1, job.body  # Morning alone


def test_a_stylists_day_gives_the_hours_the_timeline_shades(api, shop):
    """The day's working hours after the date's override, so the console can draw the
    closed time; a closed day has none, and other kinds none."""
    assert day(api, shop, "res_alex", "2026-12-10")["hours"] == [{"start": "09:00", "end": "17:00"}]
    rev = api.call("GET", "/v1/resources/res_alex", auth=shop["secret_key"]).data["rev"]
    r = api.call(
        "PUT",
        "/v1/resources/res_alex/overrides/2026-12-11",
        auth=shop["secret_key"],
        body={"hours": [["08:00", "12:00"], ["13:00", "19:30"]]},
        headers={"If-Match": f'"{rev}"'},
    )
    assert r.status_code == 200, r.body
    assert day(api, shop, "res_alex", "2026-12-11")["hours"] == [
        {"start": "08:00", "end": "12:00"},
        {"start": "13:00", "end": "19:30"},
    ]
    r = api.call(
        "PUT",
        "/v1/resources/res_alex/overrides/2026-12-12",
        auth=shop["secret_key"],
        body={"closed": True},
        headers={"If-Match": f'"{r.data["rev"]}"'},
    )
    assert r.status_code == 200, r.body
    assert day(api, shop, "res_alex", "2026-12-12")["hours"] == []
    assert day(api, shop, "res_wall", "2026-12-10")["hours"] == []
    assert day(api, shop, "res_double", "2026-12-10")["hours"] == []


def test_a_sessions_end_is_its_real_length_later_across_a_clock_change(api, shop):
    """Eight hours from 00:30 on the night Berlin leaves summer time end at 07:30 by the
    wall clock (the hour from 02:00 to 03:00 comes twice)."""
    ends = {
        s["start"][11:16]: s["end"] for s in day(api, shop, "res_wall", "2026-12-10")["sessions"]
    }
    assert ends["08:00"] == "2026-12-10T16:00+01:00"
    on_25 = {
        s["start"][11:16]: s["end"] for s in day(api, shop, "res_wall", "2026-10-25")["sessions"]
    }
    assert on_25["00:30"] == "2026-10-25T07:30+01:00"
