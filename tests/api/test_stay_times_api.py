"""A hotel's check-in and check-out times (`business.check_in_time`, `check_out_time`) through
PATCH /v1/tenant: set by managers and owners, read by everyone and by the widget
(/v1/public/tenant `stay_times`), refused with a code when not a time of day, and used by the
confirmation e-mail, its .ics and the resource's calendar feed."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import pytest

from tests.api.support import assert_error, forbid_server_errors, invite
from tests.api.support import patch_tenant as _patch
from tests.api.test_notifications_api import deliver_events
from tests.builders import room_type, stay_offering

TIMES = {"check_in_time": "14:00", "check_out_time": "10:30"}


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def hotel(api):
    tenant = api.signup("stay-times-inn")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=3), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    return tenant


def times_of(api, tenant, auth=None):
    shown = api.call("GET", "/v1/tenant", auth=auth or tenant["secret_key"])
    assert shown.status_code == 200, shown.body
    business = shown.data["business"]
    return business["check_in_time"], business["check_out_time"]


def test_a_tenant_that_never_set_them_has_15_00_and_11_00(api, hotel):
    assert times_of(api, hotel) == ("15:00", "11:00")
    public = api.call("GET", "/v1/public/tenant", auth=hotel["publishable_key"])
    assert public.data["stay_times"] == {"check_in_time": "15:00", "check_out_time": "11:00"}


def test_an_owner_sets_both_and_the_widget_reads_them(api, hotel):
    r = _patch(api, hotel, {"business": TIMES})
    assert r.status_code == 200, r.body
    assert (r.data["business"]["check_in_time"], r.data["business"]["check_out_time"]) == (
        "14:00",
        "10:30",
    )
    assert times_of(api, hotel) == ("14:00", "10:30")
    public = api.call("GET", "/v1/public/tenant", auth=hotel["publishable_key"])
    assert public.data["stay_times"] == TIMES


def test_check_out_may_be_later_in_the_day_than_check_in(api, hotel):
    """No rule between the two: check-out is on another day (the departure's)."""
    r = _patch(api, hotel, {"business": {"check_in_time": "09:00", "check_out_time": "23:30"}})
    assert r.status_code == 200, r.body
    assert times_of(api, hotel) == ("09:00", "23:30")


def test_one_named_keeps_the_other_and_an_empty_or_null_one_returns_to_its_default(api, hotel):
    _patch(api, hotel, {"business": TIMES})
    assert _patch(api, hotel, {"business": {"check_in_time": "16:15"}}).status_code == 200
    assert times_of(api, hotel) == ("16:15", "10:30")
    assert _patch(api, hotel, {"business": {"legal_name": "Inn GmbH"}}).status_code == 200
    assert times_of(api, hotel) == ("16:15", "10:30")
    assert _patch(api, hotel, {"business": {"check_in_time": ""}}).status_code == 200
    assert _patch(api, hotel, {"business": {"check_out_time": None}}).status_code == 200
    assert times_of(api, hotel) == ("15:00", "11:00")


@pytest.mark.parametrize("text", ["25:00", "3pm", "15:60", "9:00", "24:00", "15.00", "１５:００"])
@pytest.mark.parametrize(
    ("name", "code"),
    [("check_in_time", "invalid_check_in_time"), ("check_out_time", "invalid_check_out_time")],
)
def test_a_time_that_is_no_hh_mm_of_a_day_is_422_with_its_code_and_changes_nothing(
    api, hotel, text, name, code
):
    _patch(api, hotel, {"business": TIMES})
    error = assert_error(_patch(api, hotel, {"business": {name: text}}), 422, code)
    assert error["details"]["field"] == f"business.{name}"
    assert times_of(api, hotel) == ("14:00", "10:30")


def test_a_time_of_another_type_is_refused_by_the_schema(api, hotel):
    assert_error(_patch(api, hotel, {"business": {"check_in_time": 1500}}), 422)
    assert times_of(api, hotel) == ("15:00", "11:00")


@pytest.mark.parametrize("role", ["viewer", "staff"])
def test_viewers_and_staff_read_them_but_cannot_set_them(api, hotel, role):
    _, token = invite(api, hotel, role)
    assert_error(_patch(api, hotel, {"business": TIMES}, auth=token), 403)
    assert times_of(api, hotel, auth=token) == ("15:00", "11:00")


def test_a_manager_sets_them(api, hotel):
    _, token = invite(api, hotel, "manager")
    assert _patch(api, hotel, {"business": TIMES}, auth=token).status_code == 200
    assert times_of(api, hotel) == ("14:00", "10:30")


def _stay(api, hotel):
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-10", "nights": 2}],
    }
    r = api.call("POST", "/v1/orders", auth=hotel["secret_key"], body=body)
    assert r.status_code == 201, r.body
    return r.data


def test_the_confirmation_and_its_calendar_file_say_the_hotels_times(api, hotel):
    _patch(api, hotel, {"business": TIMES})
    order = _stay(api, hotel)
    api.call("POST", f"/v1/orders/{order['id']}/confirm", auth=hotel["secret_key"])
    assert deliver_events(api) == {"batchItemFailures": []}
    [mail] = [m for m in api.container.mailer.sent if m.subject.startswith("Confirmed")]
    assert "2 nights (check-in from 14:00, check-out by 10:30)" in mail.text
    [ics] = [a for a in mail.attachments if a.filename == "booking.ics"]
    [event] = icalendar.Calendar.from_ical(ics.data).walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    # 14:00 CET on the 10th to 10:30 CET on the 12th.
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2026, 12, 10, 13, 0, tzinfo=UTC)
    assert event.decoded("DTEND").astimezone(UTC) == datetime(2026, 12, 12, 9, 30, tzinfo=UTC)


def test_the_rooms_calendar_feed_shows_a_stay_from_check_in_to_check_out(api, hotel):
    _patch(api, hotel, {"business": TIMES})
    _stay(api, hotel)
    issued = api.call("POST", "/v1/resources/res_double/calendar-feed", auth=hotel["secret_key"])
    assert issued.status_code == 201, issued.body
    r = api.client.http.get(issued.data["path"])
    assert r.status_code == 200
    [event] = icalendar.Calendar.from_ical(r.body).walk("VEVENT")
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert (start.isoformat(), end.isoformat()) == (
        "2026-12-10T14:00:00+01:00",
        "2026-12-12T10:30:00+01:00",
    )
