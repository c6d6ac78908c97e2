"""A start is on the grid of whoever serves it. A tester's salon gave Ana a lunch break to
12:30 and Ben a whole day, with an hourly haircut: Ana's starts are 09:00 to 11:00, then 12:30,
13:30...; Ben's every hour. A booking of Ana at 13:00 (Ben's start) was taken, and so was
"anyone" at 13:00 once Ben was busy: Ana then lost both 12:30 and 13:30."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.api.support import assert_error, forbid_server_errors
from tests.builders import WEEKDAYS_NINE_TO_FIVE, haircut, stylist

ANA_HOURS = (((9 * 60, 12 * 60), (12 * 60 + 30, 17 * 60)),) * 7
CUSTOMER = {"name": "Grid Test", "email": "grid@example.com"}


@pytest.fixture
def salon(api):
    forbid_server_errors(api)
    tenant = api.signup("gridsalon")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(stylist("res_ana", "Ana", hours=ANA_HOURS), expected_rev=None)
    data.catalog.put_resource(stylist("res_ben", "Ben"), expected_rev=None)
    hourly = replace(haircut(duration_minutes=45, buffer_after=0), interval_minutes=60)
    data.catalog.put_offering(hourly, expected_rev=None)
    return tenant


def hold(api, tenant, start: str, who: str | None = None):
    line: dict = {"offering_id": "off_cut", "start": start}
    if who:
        line["resource_ids"] = {"0": who}
    body = {"customer": CUSTOMER, "lines": [line]}
    return api.call("POST", "/v1/public/orders", auth=tenant["publishable_key"], body=body)


def starts(api, tenant, who: str) -> list[str]:
    r = api.call(
        "GET",
        f"/v1/public/availability?offering=off_cut&from=2026-12-02&to=2026-12-03&resource={who}",
        auth=tenant["publishable_key"],
    )
    assert r.status_code == 200, r.body
    return [o["start"][11:16] for o in r.data["options"]]


def test_a_named_stylist_is_booked_only_at_their_own_starts(api, salon):
    ana = starts(api, salon, "res_ana")
    assert ana[:5] == ["09:00", "10:00", "11:00", "12:30", "13:30"], ana
    error = assert_error(hold(api, salon, "2026-12-02T13:00", "res_ana"), 422, "not_a_start_time")
    assert error["details"]["nearest"] == ["12:30", "13:30"]  # hers, not Ben's
    assert starts(api, salon, "res_ana") == ana


def test_anyone_at_a_start_only_another_has_is_served_by_them_or_not_at_all(api, salon):
    ana = starts(api, salon, "res_ana")
    first = hold(api, salon, "2026-12-02T13:00")
    assert first.status_code == 201, first.body
    assert first.data["lines"][0]["resources"][0]["resource_id"] == "res_ben"
    # Ben busy then: Ana is not given 13:00, which would cost her 12:30 and 13:30
    assert_error(hold(api, salon, "2026-12-02T13:00"), 409)
    assert starts(api, salon, "res_ana") == ana


def test_a_named_stylists_day_off_is_said_as_theirs_not_as_a_time_taken(api, salon):
    """Cleo works weekdays: her Saturday was a bare 409 "not available", read as a taken time
    to retry, while an hour outside her day was told its nearest starts (a salon tester's)."""
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(salon["tenant_id"])
    )
    data.catalog.put_resource(
        stylist("res_cleo", "Cleo", hours=WEEKDAYS_NINE_TO_FIVE), expected_rev=None
    )
    saturday = "2026-12-05T10:00"
    error = assert_error(hold(api, salon, saturday, "res_cleo"), 409, "unavailable")
    assert "Cleo does not work on 2026-12-05" in error["message"]
    assert error["details"]["reason"] == "not_working"
    assert error["details"]["resource_id"] == "res_cleo"
    # A Saturday she comes in for half an hour has no start a 45-minute cut fits: not a day
    # off (a reviewer's), the plain refusal.
    from chalicelib.catalog.domain.catalog import DateOverride

    cleo = data.catalog.get_resource("res_cleo")
    short = DateOverride(hours=((9 * 60, 9 * 60 + 30),))
    data.catalog.put_resource(
        replace(cleo, overrides={date(2026, 12, 5): short}, rev=cleo.rev + 1),
        expected_rev=cleo.rev,
    )
    api.container.catalog_cache.invalidate(salon["tenant_id"])
    error = assert_error(hold(api, salon, "2026-12-05T09:00", "res_cleo"), 409, "unavailable")
    assert error["details"].get("reason") is None, error
    # Someone else that day, and Cleo on a weekday, are booked as ever.
    assert hold(api, salon, saturday).status_code == 201
    assert hold(api, salon, "2026-12-04T10:00", "res_cleo").status_code == 201
