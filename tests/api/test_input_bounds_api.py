"""Values the schema's shape let through although the code cannot use them: instants and
dates outside 2000-2999 (or not YYYY-MM-DD), digits of other scripts where a pattern asks
for digits, time zones that depend on the host, prices no payment can take, and refund
tiers that contradict each other. Each is a 422 that names what is wrong and changes
nothing."""

from __future__ import annotations

import pytest

from chalicelib.kernel.domain.money import MAX_AMOUNT
from tests.api.support import assert_error, fields_named, forbid_server_errors, snapshot

ROOM = {"name": "Double room", "kind": "nightly", "capacity": 5}
STYLIST = {
    "name": "Anna",
    "kind": "timed",
    "capacity": 1,
    "skills": ["cut"],
    "hours": {"mon": [["09:00", "17:00"]]},
}
TOUR = {
    "name": "Harbour tour",
    "kind": "session",
    "capacity": 30,
    "session_times": {"sat": ["10:00"]},
}


@pytest.fixture
def hotel(api):
    forbid_server_errors(api)
    return api.signup("bounds")


def post(api, tenant, path, body):
    return api.call("POST", path, auth=tenant["secret_key"], body=body)


def resource(api, tenant, body):
    r = post(api, tenant, "/v1/resources", body)
    assert r.status_code == 201, r.body
    return r.data


def stay(resource_id, pricing=None, **extra):
    return {
        "name": "Double room stay",
        "kind": "nightly",
        "requirements": [{"resource_id": resource_id}],
        "pricing": {"amount": 12000, "basis": "night", **(pricing or {})},
        **extra,
    }


def refused(api, response, *fields, code="validation_failed"):
    error = assert_error(response, 422, code)
    assert fields_named(error) == set(fields), error
    return error


# -- instants: webhook replay ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "fields"),
    [
        ("0001-01-01T00:00:00Z", "9999-12-31T00:00:00Z", {"from", "to"}),
        ("1999-12-31T23:59:59Z", "2026-11-24T09:00:00Z", {"from"}),
        ("2026-11-20T00:00:00Z", "2999-12-31T23:00:00-05:00", {"to"}),  # 3000 in UTC
        ("0001-01-01T00:00:00+05:00", "2026-11-24T09:00:00Z", {"from"}),
    ],
)
def test_a_replay_range_outside_2000_to_2999_is_422_naming_the_field(
    api, hotel, start, end, fields
):
    created = post(
        api,
        hotel,
        "/v1/webhooks/endpoints",
        {"url": "https://hooks.example.com/r", "event_types": ["*"]},
    )
    assert created.status_code == 201, created.body
    before = snapshot(api.container)
    r = post(
        api,
        hotel,
        f"/v1/webhooks/endpoints/{created.data['id']}/replay",
        {"from": start, "to": end},
    )
    refused(api, r, *fields)
    assert snapshot(api.container) == before


# -- digits of other scripts -------------------------------------------------------------------


def test_a_phone_with_digits_of_another_script_is_422(api, hotel):
    resource(api, hotel, ROOM)
    before = snapshot(api.container)
    body = {
        "customer": {"name": "Fuzz", "email": "fuzz@example.com", "phone": "+49١٥١١٢٣٤٥٦٧٨"},
        "lines": [{"offering_id": "off_x", "check_in": "2026-12-24"}],
    }
    refused(api, post(api, hotel, "/v1/orders", body), "customer.phone")
    assert snapshot(api.container) == before


@pytest.mark.parametrize("locale", ["<script>", "xx-!!", "en_US", "english"])
def test_a_customer_locale_that_is_no_locale_tag_is_422(api, hotel, locale):
    """An outside tester's hold took `<script>` as the customer's language and put it in
    every manage link the customer was sent."""
    before = snapshot(api.container)
    body = {
        "customer": {"name": "Fuzz", "email": "fuzz@example.com", "locale": locale},
        "lines": [{"offering_id": "off_x", "check_in": "2026-12-24"}],
    }
    refused(api, post(api, hotel, "/v1/orders", body), "customer.locale")
    assert snapshot(api.container) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**STYLIST, "hours": {"mon": [["0٩:00", "17:00"]]}}, "hours.mon.0.0"),
        ({**STYLIST, "hours": {"mon": [["09:00", "1٧:00"]]}}, "hours.mon.0.1"),
        ({**STYLIST, "hours": {"mon": [["09:00", "１7:00"]]}}, "hours.mon.0.1"),
        ({**TOUR, "session_times": {"sat": ["1٠:00"]}}, "session_times.sat.0"),
    ],
)
def test_times_with_digits_of_another_script_are_422(api, hotel, body, field):
    before = snapshot(api.container)
    refused(api, post(api, hotel, "/v1/resources", body), field)
    assert snapshot(api.container) == before


def test_override_times_with_digits_of_another_script_are_422(api, hotel):
    rid = resource(api, hotel, TOUR)["id"]
    r = api.call(
        "PUT",
        f"/v1/resources/{rid}/overrides/2026-12-26",
        auth=hotel["secret_key"],
        body={"session_times": ["1٠:00"]},
        headers={"If-Match": '"1"'},
    )
    refused(api, r, "session_times.0")


# -- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day", ["9999-12-31", "0001-01-01", "1999-12-31", "2026-W52-3", "2026-366"]
)
def test_an_override_date_outside_the_range_or_not_yyyy_mm_dd_is_422(api, hotel, day):
    rid = resource(api, hotel, STYLIST)["id"]
    before = snapshot(api.container)
    path = f"/v1/resources/{rid}/overrides/{day}"
    headers = {"If-Match": '"1"'}
    put = api.call("PUT", path, auth=hotel["secret_key"], body={"closed": True}, headers=headers)
    refused(api, put, "date", code="invalid_date")
    delete = api.call("DELETE", path, auth=hotel["secret_key"], headers=headers)
    refused(api, delete, "date", code="invalid_date")
    assert snapshot(api.container) == before


def test_override_dates_up_to_the_end_of_the_range_are_taken(api, hotel):
    etag = '"1"'
    rid = resource(api, hotel, STYLIST)["id"]
    for day in ("2026-12-24", "2999-12-31"):  # 2000-01-01 has passed: date_in_past
        r = api.call(
            "PUT",
            f"/v1/resources/{rid}/overrides/{day}",
            auth=hotel["secret_key"],
            body={"closed": True},
            headers={"If-Match": etag},
        )
        assert r.status_code == 200, r.body
        assert day in r.data["overrides"]
        etag = r.headers["ETag"]


BAD_DAYS = ["0001-01-01", "9999-12-31", "1798761600", "2026-12-24T00:00:00"]


@pytest.mark.parametrize("day", BAD_DAYS)
def test_a_closure_outside_the_range_or_not_a_date_is_422(api, hotel, day):
    before = snapshot(api.container)
    body = {**ROOM, "closures": [{"from": day, "to": "2026-12-31"}]}
    refused(api, post(api, hotel, "/v1/resources", body), "closures.0.from")
    body = {**ROOM, "closures": [{"from": "2026-12-24", "to": day}]}
    refused(api, post(api, hotel, "/v1/resources", body), "closures.0.to")
    assert snapshot(api.container) == before


@pytest.mark.parametrize("day", BAD_DAYS)
def test_season_and_rate_calendar_dates_outside_the_range_are_422(api, hotel, day):
    rid = resource(api, hotel, ROOM)["id"]
    before = snapshot(api.container)
    season = {"seasons": [{"from": day, "to": "2026-12-31", "percent_bp": 1000}]}
    refused(api, post(api, hotel, "/v1/offerings", stay(rid, season)), "pricing.seasons.0.from")
    rates = {"date_prices": {day: 5}}
    error = assert_error(
        post(api, hotel, "/v1/offerings", stay(rid, rates)), 422, "validation_failed"
    )
    assert all(f["field"].startswith("pricing.date_prices") for f in error["details"]["fields"])
    assert snapshot(api.container) == before


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "1999-12", "2026-13"])
def test_an_audit_month_outside_the_range_is_422(api, hotel, month):
    r = api.call("GET", f"/v1/audit?month={month}", auth=hotel["secret_key"])
    refused(api, r, "month")


# -- time zones --------------------------------------------------------------------------------

HOST_ZONES = ["localtime", "Factory", "posixrules", "posix/Europe/Berlin", "right/UTC"]


@pytest.mark.parametrize("zone", HOST_ZONES)
def test_a_sign_up_in_a_host_dependent_time_zone_is_422(api, zone):
    forbid_server_errors(api)
    before = snapshot(api.container)
    body = {
        "business_name": "Zone Ltd",
        "slug": "zone-ltd",
        "owner_email": "owner@zone.example",
        "timezone": zone,
        "currency": "EUR",
        "locale": "en",
        "business_type": "hotel",
    }
    refused(api, api.call("POST", "/v1/signup", body=body), "timezone", code="invalid_timezone")
    assert snapshot(api.container) == before


@pytest.mark.parametrize("zone", HOST_ZONES)
def test_a_tenant_cannot_move_to_a_host_dependent_time_zone(api, hotel, zone):
    before = snapshot(api.container)
    r = api.call("PATCH", "/v1/tenant", auth=hotel["secret_key"], body={"timezone": zone})
    refused(api, r, "timezone", code="invalid_timezone")
    assert snapshot(api.container) == before


def test_availability_in_a_host_dependent_caller_zone_is_422(api, hotel):
    rid = resource(api, hotel, ROOM)["id"]
    oid = post(api, hotel, "/v1/offerings", stay(rid)).data["id"]
    query = f"offering={oid}&from=2026-12-24&to=2026-12-25"
    ok = api.call("GET", f"/v1/availability?{query}&tz=Asia/Tokyo", auth=hotel["secret_key"])
    assert ok.status_code == 200, ok.body
    r = api.call("GET", f"/v1/availability?{query}&tz=localtime", auth=hotel["secret_key"])
    assert assert_error(r, 422, "invalid_timezone")["details"]["field"] == "tz"  # as sent


# -- prices and refund tiers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pricing": {"amount": MAX_AMOUNT + 1, "basis": "night"}}, "pricing.amount"),
        (
            {"pricing": {"amount": 1, "date_prices": {"2026-12-24": MAX_AMOUNT + 1}}},
            "pricing.date_prices.2026-12-24",
        ),
        (
            {"pricing": {"amount": 1, "weekdays": {"sat": {"amount": MAX_AMOUNT + 1}}}},
            "pricing.weekdays.sat.amount",
        ),
        (
            {
                "pricing": {
                    "amount": 1,
                    "seasons": [
                        {"from": "2026-12-01", "to": "2026-12-31", "amount": MAX_AMOUNT + 1}
                    ],
                }
            },
            "pricing.seasons.0.amount",
        ),
        ({"deposit": {"kind": "fixed", "value": MAX_AMOUNT + 1}}, "deposit.value"),
        ({"deposit": {"kind": "none", "no_show_fee": MAX_AMOUNT + 1}}, "deposit.no_show_fee"),
    ],
)
def test_an_offering_price_no_payment_could_take_is_422(api, hotel, change, field):
    rid = resource(api, hotel, ROOM)["id"]
    before = snapshot(api.container)
    refused(api, post(api, hotel, "/v1/offerings", {**stay(rid), **change}), field)
    assert snapshot(api.container) == before


@pytest.mark.parametrize(
    "pricing",
    [
        {"amount": MAX_AMOUNT, "weekdays": {"sat": {"percent_bp": 1000}}},
        {"amount": MAX_AMOUNT - 100, "weekdays": {"fri": {"amount": 101}}},
        {"amount": MAX_AMOUNT, "tax_bp": 2000, "tax_inclusive": False},
        {
            "amount": 1,
            "date_prices": {"2026-12-24": MAX_AMOUNT},
            "tax_bp": 1,
            "tax_inclusive": False,
        },
        {
            "amount": MAX_AMOUNT // 2,
            "seasons": [
                {"from": "2026-12-01", "to": "2026-12-31", "percent_bp": 5000},
                {"from": "2026-12-20", "to": "2027-01-10", "percent_bp": 5000},
            ],
        },
    ],
)
def test_a_price_its_rules_raise_past_one_payment_is_422(api, hotel, pricing):
    """An outside tester's 99,999,999 with +10 % on Saturdays was saved, shown in the widget,
    and every Saturday hold was refused `amount_too_large`."""
    rid = resource(api, hotel, ROOM)["id"]
    before = snapshot(api.container)
    r = post(api, hotel, "/v1/offerings", stay(rid, pricing))
    assert assert_error(r, 422, "invalid_price")["details"]["max"] == MAX_AMOUNT
    assert snapshot(api.container) == before


def test_seasons_apart_that_each_stay_within_one_payment_are_saved(api, hotel):
    seasons = [
        {"from": "2026-12-01", "to": "2026-12-10", "percent_bp": 5000},
        {"from": "2026-12-11", "to": "2026-12-20", "percent_bp": 5000},
    ]
    pricing = {
        "amount": MAX_AMOUNT // 3 * 2,
        "seasons": seasons,
        "weekdays": {"mon": {"amount": -5}},
    }
    rid = resource(api, hotel, ROOM)["id"]
    r = post(api, hotel, "/v1/offerings", stay(rid, pricing))
    assert r.status_code == 201, r.body


def test_an_offering_priced_at_the_bound_is_saved(api, hotel):
    rid = resource(api, hotel, ROOM)["id"]
    body = stay(rid, {"amount": MAX_AMOUNT, "date_prices": {"2026-12-24": MAX_AMOUNT}})
    r = post(api, hotel, "/v1/offerings", body)
    assert r.status_code == 201, r.body


def test_two_refund_tiers_at_the_same_notice_are_422(api, hotel):
    rid = resource(api, hotel, ROOM)["id"]
    before = snapshot(api.container)
    tiers = [{"hours_before": 24, "refund_bp": 10000}, {"hours_before": 24, "refund_bp": 0}]
    r = post(api, hotel, "/v1/offerings", stay(rid, cancellation=tiers))
    error = assert_error(r, 422, "invalid_cancellation_policy")
    assert error["details"]["hours_before"] == [24], error
    assert snapshot(api.container) == before
    tiers[1]["hours_before"] = 0
    assert post(api, hotel, "/v1/offerings", stay(rid, cancellation=tiers)).status_code == 201


def test_a_fields_python_name_is_no_second_spelling_of_its_documented_one(api):
    """`?day=` for `?date=`, `from_` for `from`, `first` for `from`: only what the document
    names is accepted; anything else is an unknown field (422), as everywhere."""
    tenant = api.signup("aliases")
    sk = tenant["secret_key"]
    for path in (
        "/v1/orders?day=2026-12-01",
        "/v1/admin/invariant?from_=2026-12-01&to=2026-12-02",
        "/v1/availability?offering=off_x&from_=2026-12-01&to=2026-12-02",
    ):
        r = api.call("GET", path, auth=sk)
        assert r.status_code == 422, (path, r.body)
    body = {
        "name": "Room",
        "kind": "nightly",
        "capacity": 1,
        "closures": [{"first": "2026-12-01", "last": "2026-12-02"}],
    }
    r = api.call("POST", "/v1/resources", auth=sk, body=body)
    assert r.status_code == 422, r.body


def test_refund_tiers_that_give_back_more_for_less_notice_are_422(api, hotel):
    """An outside tester saved "24 h: 0 %, 0 h: 100 %": a late cancellation got everything
    back and an early one nothing."""
    rid = resource(api, hotel, ROOM)["id"]
    before = snapshot(api.container)
    tiers = [{"hours_before": 24, "refund_bp": 0}, {"hours_before": 0, "refund_bp": 10000}]
    r = post(api, hotel, "/v1/offerings", stay(rid, cancellation=tiers))
    error = assert_error(r, 422, "invalid_cancellation_policy")
    assert error["details"]["hours_before"] == [0, 24], error
    assert snapshot(api.container) == before
