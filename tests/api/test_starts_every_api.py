"""An offering's starts may be longer apart than an hour, up to once a day in whole 5 minutes
(P7A finding 9: a restaurant's 18:00 and 20:30 sittings could not be set by the interval: it
stopped at 60 minutes)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.api.support import assert_error, fields_named, forbid_server_errors

WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TABLES = {
    "name": "Tables for two",
    "kind": "timed",
    "capacity": 4,
    "hours": {d: [["18:00", "23:00"]] for d in WEEK},
    "slot_minutes": 15,
}


@pytest.fixture
def bistro(api):
    forbid_server_errors(api)
    tenant = api.signup("sittings-bistro")
    r = api.call("POST", "/v1/resources", auth=tenant["secret_key"], body=TABLES)
    assert r.status_code == 201, r.body
    return tenant, r.data["id"]


def _dinner(resource_id: str, interval: int) -> dict:
    return {
        "name": "Dinner",
        "kind": "timed",
        "requirements": [{"resource_id": resource_id}],
        "pricing": {"amount": 3000, "basis": "person"},
        "duration_minutes": 120,
        "interval_minutes": interval,
    }


def test_sittings_two_and_a_half_hours_apart_are_the_starts_offered(api, bistro):
    tenant, rid = bistro
    made = api.call("POST", "/v1/offerings", auth=tenant["secret_key"], body=_dinner(rid, 150))
    assert made.status_code == 201, made.body
    assert made.data["interval_minutes"] == 150
    first = (api.container.clock.moment + timedelta(days=10)).date()
    day, after = first.isoformat(), (first + timedelta(days=1)).isoformat()
    got = api.call(
        "GET",
        f"/v1/availability?offering={made.data['id']}&from={day}&to={after}&party=2",
        auth=tenant["secret_key"],
    )
    assert got.status_code == 200, got.body
    starts = [o["start"][11:16] for o in got.data["options"] if o["start"].startswith(day)]
    assert starts == ["18:00", "20:30"]


@pytest.mark.parametrize("interval", [1440, 240, 90])
def test_longer_intervals_up_to_a_day_are_taken(api, bistro, interval):
    tenant, rid = bistro
    made = api.call("POST", "/v1/offerings", auth=tenant["secret_key"], body=_dinner(rid, interval))
    assert made.status_code == 201, made.body


@pytest.mark.parametrize("interval", [7, 0, 1445, 2880])
def test_an_interval_off_the_five_minutes_or_over_a_day_is_refused(api, bistro, interval):
    tenant, rid = bistro
    r = api.call("POST", "/v1/offerings", auth=tenant["secret_key"], body=_dinner(rid, interval))
    assert "interval_minutes" in fields_named(assert_error(r, 422))
