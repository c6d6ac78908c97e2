"""Working hours as a booking may use them (catalog/domain/open_hours.py): a restaurant's
tester, open 18:00-02:00 (Monday 18:00-24:00, Tuesday 00:00-02:00), could never sell its
23:00 two-hour table, and hours written 12:00-15:00 and 15:00-18:00 never sold 14:00 for two
hours. Touching spans are one, and a span to midnight runs on into the next day's from 00:00;
the table's units past midnight are the next day's slots, shared with its own bookings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from chalicelib.catalog.domain.catalog import Requirement, Selector
from tests.api.support import assert_error, deliver_events_times, forbid_server_errors
from tests.api.test_no_show_api import _shop
from tests.builders import haircut, stylist

LATE = ((18 * 60, 24 * 60),)  # Monday: to midnight
EARLY = ((0, 2 * 60),)  # Tuesday: on to 02:00
SPLIT = ((12 * 60, 15 * 60), (15 * 60, 18 * 60))  # Wednesday, written in two
HOURS = (LATE, EARLY, SPLIT, (), (), (), ())
MON, TUE, WED = "2026-12-07", "2026-12-08", "2026-12-09"


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def bar(api) -> dict[str, Any]:
    table = stylist("res_t1", "Table 1", hours=HOURS, skills=("table",))
    dinner = haircut(oid="off_dinner", duration_minutes=120, buffer_after=0)
    at_a_table = (Requirement(Selector(skill="table")),)
    return _shop(api, "late-bar", table, replace(dinner, name="Dinner", requirements=at_a_table))


def starts(api, shop, day: str, after: str) -> list[str]:
    q = f"/v1/availability?offering=off_dinner&from={day}&to={after}"
    r = api.call("GET", q, auth=shop["secret_key"])
    assert r.status_code == 200, r.body
    return [o["start"][11:16] for o in r.data["options"] if o["start"].startswith(day)]


def hold(api, shop, start: str):
    body = {
        "customer": {"name": "Nat Night", "email": "nat@example.com"},
        "lines": [{"offering_id": "off_dinner", "start": start}],
    }
    return api.call("POST", "/v1/orders", auth=shop["secret_key"], body=body)


def override(api, shop, day: str, body: dict[str, Any]):
    key = shop["secret_key"]
    etag = api.call("GET", "/v1/resources/res_t1", auth=key).headers["ETag"]
    path = f"/v1/resources/res_t1/overrides/{day}"
    return api.call("PUT", path, auth=key, body=body, headers={"If-Match": etag})


def test_a_table_at_23_00_runs_on_past_midnight_into_the_next_days_hours(api, bar):
    monday = starts(api, bar, MON, TUE)
    assert monday[0] == "18:00" and monday[-1] == "23:45" and "23:00" in monday
    assert starts(api, bar, TUE, WED) == ["00:00"]  # Tuesday's own: two hours to 02:00
    late = hold(api, bar, f"{MON}T23:00")
    assert late.status_code == 201, late.body
    [line] = late.data["lines"]
    assert (line["start"][:16], line["end"][:16]) == (f"{MON}T23:00", f"{TUE}T01:00")
    assert line["date"] == MON  # on Monday's sheet
    confirmed = api.call("POST", f"/v1/orders/{late.data['id']}/confirm", auth=bar["secret_key"])
    assert confirmed.status_code == 200, confirmed.body
    assert deliver_events_times(api, 1) == {"batchItemFailures": []}  # figures, customer
    for day in (MON, TUE):
        sheet = api.call("GET", f"/v1/resources/res_t1/day?date={day}", auth=bar["secret_key"])
        assert sheet.status_code == 200, sheet.body
        ids = {x["order_id"] for x in sheet.data["appointments"]}
        assert (late.data["id"] in ids) == (day == MON), (day, ids)
    # One table: the 00:00 of Tuesday shares its slots with Monday's 23:00.
    assert starts(api, bar, TUE, WED) == []
    assert_error(hold(api, bar, f"{TUE}T00:00"), 409)
    assert "23:00" not in starts(api, bar, MON, TUE)
    path = f"/v1/orders/{late.data['id']}"
    assert api.call("POST", f"{path}/cancel", auth=bar["secret_key"]).status_code == 200
    assert starts(api, bar, TUE, WED) == ["00:00"]


def test_hours_written_in_two_touching_spans_sell_across_the_join(api, bar):
    wednesday = starts(api, bar, WED, "2026-12-10")
    assert "14:00" in wednesday and wednesday[-1] == "16:00"
    assert hold(api, bar, f"{WED}T14:00").status_code == 201


def test_a_table_past_midnight_takes_the_next_days_slots_at_that_days_capacity(api):
    """A reviewer's find: the slots after midnight were taken at Monday's two tables while
    Tuesday's override sold one, and a second 23:00 sold Tuesday's one table twice."""
    table = replace(stylist("res_t1", "Tables", hours=HOURS, skills=("table",)), capacity=2)
    dinner = haircut(oid="off_dinner", duration_minutes=120, buffer_after=0)
    at_a_table = (Requirement(Selector(skill="table")),)
    bar = _shop(api, "cap-bar", table, replace(dinner, name="Dinner", requirements=at_a_table))
    one = override(api, bar, TUE, {"capacity": 1})
    assert one.status_code == 200, one.body
    assert hold(api, bar, f"{MON}T23:00").status_code == 201
    assert_error(hold(api, bar, f"{MON}T23:00"), 409)
    assert "23:00" not in starts(api, bar, MON, TUE)
    assert hold(api, bar, f"{MON}T21:00").status_code == 201  # Monday's second table


def test_taking_away_the_hours_a_table_past_midnight_holds_names_its_order(api, bar):
    """A tester's refusal named no order ("complete") when Tuesday's 00:00-02:00 went while a
    Monday 23:00 table held its first hour."""
    late = hold(api, bar, f"{MON}T23:00").data
    r = override(api, bar, TUE, {"closed": True})
    refused = assert_error(r, 409, "capacity_below_sold")["details"]
    assert refused["orders"] == [late["id"]] and refused["orders_complete"] is True


def test_a_skipped_time_off_the_grid_is_said_to_be_skipped(api):
    """A tester's 01:30 on London's spring-forward night was refused `not_a_start_time`
    (the grid of a two-hour dinner from 00:00 has no 01:30) rather than as a time the clocks
    skip."""
    table = stylist("res_t1", "Table", hours=(((0, 120),),) * 7, skills=("table",))
    dinner = haircut(oid="off_dinner", duration_minutes=120, buffer_after=0)
    at_a_table = (Requirement(Selector(skill="table")),)
    london = api.signup("spring-bar", timezone="Europe/London")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(london["tenant_id"])
    )
    data.catalog.put_resource(table, expected_rev=None)
    data.catalog.put_offering(replace(dinner, requirements=at_a_table), expected_rev=None)
    skipped = hold(api, london, "2027-03-28T01:30")
    assert assert_error(skipped, 422, "nonexistent_time")["details"]["field"] == "start"
    assert_error(hold(api, london, "2027-03-27T01:30"), 422, "not_a_start_time")
    # Its 00:00 is no nearest start that night: two hours from it run past the 02:00 close,
    # an hour of real time away.
    assert_error(hold(api, london, "2027-03-28T00:15"), 409, "unavailable")
    said = assert_error(hold(api, london, "2027-03-27T00:15"), 422, "not_a_start_time")
    assert said["details"]["nearest"] == ["00:00"]


def test_the_evenings_sheet_shows_its_bookings_past_midnight(api, bar):
    """Outside testers: a table at 00:00 the night of Monday, sold from the hours Monday's run
    on into, was on Tuesday's sheet only, so Monday's host never saw it. Monday's sheet now
    lists it too, and says to when its hours run on; Tuesday's keeps it where the clock puts
    it, and Wednesday's evening (whose hours stop at 18:00) takes nothing of Thursday's."""
    small_hours = hold(api, bar, f"{TUE}T00:00")
    assert small_hours.status_code == 201, small_hours.body
    key = bar["secret_key"]

    def sheet(day: str) -> dict[str, Any]:
        r = api.call("GET", f"/v1/resources/res_t1/day?date={day}", auth=key)
        assert r.status_code == 200, r.body
        return dict(r.data)

    monday, tuesday, wednesday = sheet(MON), sheet(TUE), sheet(WED)
    assert [a["order_id"] for a in monday["appointments"]] == [small_hours.data["id"]]
    assert monday["appointments"][0]["start"].startswith(f"{TUE}T00:00")
    assert monday["late_until"] == "02:00"
    assert [a["order_id"] for a in tuesday["appointments"]] == [small_hours.data["id"]]
    assert tuesday["late_until"] is None and wednesday["late_until"] is None


@pytest.mark.parametrize(
    ("saturday", "late"),
    [
        ("2027-10-30", ("01:30", "03:15")),  # clocks back at 03:00: 03:15 is an hour later
        ("2027-03-27", ("01:30", "03:15")),  # clocks on at 02:00: 03:15 is an hour sooner
    ],
)
def test_the_evenings_sheet_keeps_its_small_hours_the_night_the_clocks_change(api, saturday, late):
    """A reviewer's: the evening's sheet read to midnight plus the minutes its hours run on,
    which on the night the clocks go back is an hour short of the wall clock's 04:00, so a
    table at 03:15 was on the next day's sheet only (Europe/Berlin)."""
    sat, sun = ((18 * 60, 24 * 60),), ((0, 4 * 60),)
    table = stylist("res_t1", "Table 1", hours=((), (), (), (), (), sat, sun), skills=("t",))
    drink = haircut(oid="off_drink", duration_minutes=30, buffer_after=0)
    at_a_table = (Requirement(Selector(skill="t")),)
    shop = _shop(api, "dst-bar", table, replace(drink, name="Drink", requirements=at_a_table))
    key, night = shop["secret_key"], date.fromisoformat(saturday) + timedelta(days=1)
    made = set()
    for clock in late:
        body = {
            "customer": {"name": "Nat", "email": "nat@example.com"},
            "lines": [{"offering_id": "off_drink", "start": f"{night}T{clock}"}],
        }
        r = api.call("POST", "/v1/orders", auth=key, body=body)
        assert r.status_code == 201, r.body
        made.add(r.data["id"])
    evening = api.call("GET", f"/v1/resources/res_t1/day?date={saturday}", auth=key).data
    assert evening["late_until"] == "04:00"
    assert {a["order_id"] for a in evening["appointments"]} == made
