"""The catalog over HTTP: resources, date overrides and offerings; ETag and If-Match; who may
read and write; another tenant's ids; bad input refused with nothing written."""

from __future__ import annotations

import copy

import pytest

from chalicelib.booking.domain.orders import (
    Allocation,
    BookingStatus,
    Channel,
    Customer,
    Line,
    Order,
    PaymentStatus,
)
from chalicelib.booking.domain.resource_entries import resource_entries
from chalicelib.booking.services.transaction_items import (
    BucketTake,
    OrderPut,
    ResourceEntryPut,
    RevisionCheck,
)
from chalicelib.catalog.domain.inventory import BucketRef, Take
from tests.api.support import assert_error, audit_entries, fields_named, forbid_server_errors

ROOM = {"name": "Double room", "kind": "nightly", "capacity": 5}
STYLIST = {
    "name": "Anna",
    "kind": "timed",
    "capacity": 1,
    "skills": ["cut"],
    "hours": {"mon": [["09:00", "17:00"]], "sat": [["10:00", "13:00"], ["14:00", "24:00"]]},
    "slot_minutes": 15,
}
TOUR = {
    "name": "Harbour tour",
    "kind": "session",
    "capacity": 30,
    "session_times": {"sat": ["10:00", "14:30"]},
    "session_minutes": 90,
}


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def hotel(api):
    return api.signup("hotel-cat")


def post(api, tenant, path, body, auth=None):
    return api.call("POST", path, auth=auth or tenant["secret_key"], body=body)


def change(api, tenant, method, path, body=None, *, rev=None, auth=None):
    headers = {} if rev is None else {"If-Match": f'"{rev}"'}
    return api.call(method, path, auth=auth or tenant["secret_key"], body=body, headers=headers)


def stay(resource_id, **extra):
    return {
        "name": "Double room stay",
        "kind": "nightly",
        "requirements": [{"resource_id": resource_id}],
        "pricing": {"amount": 12000, "basis": "night", "tax_bp": 700},
        **extra,
    }


def data_of(api, tenant):
    return api.container.tenant_data.data[tenant["tenant_id"]]


def stored(api, tenant):
    catalog = data_of(api, tenant).catalog
    return copy.deepcopy((catalog.resources, catalog.offerings))


# -- resources -------------------------------------------------------------------------------


def test_a_created_resource_is_read_back_with_its_etag(api, hotel):
    r = post(api, hotel, "/v1/resources", STYLIST)
    assert r.status_code == 201, r.body
    assert r.headers["ETag"] == '"1"'
    rid = r.data["id"]
    assert rid.startswith("res_") and r.headers["Location"] == f"/v1/resources/{rid}"
    assert r.data["hours"] == STYLIST["hours"]
    assert r.data["rev"] == 1 and r.data["active"] is True and r.data["overrides"] == {}
    got = api.call("GET", f"/v1/resources/{rid}", auth=hotel["secret_key"])
    assert got.status_code == 200 and got.data == r.data and got.headers["ETag"] == '"1"'
    listed = api.call("GET", "/v1/resources", auth=hotel["secret_key"])
    assert [x["id"] for x in listed.data["data"]] == [rid]
    assert "resource.created" in [e.action for e in audit_entries(api, hotel)]


def test_sessions_and_nights_round_trip(api, hotel):
    tour = post(api, hotel, "/v1/resources", TOUR).data
    assert tour["session_times"] == {"sat": ["10:00", "14:30"]}
    room = post(
        api,
        hotel,
        "/v1/resources",
        {
            **ROOM,
            "open_nights": ["fri", "sat"],
            "closures": [{"from": "2027-01-05", "to": "2027-01-09", "reason": "Painting"}],
        },
    ).data
    assert room["open_nights"] == ["fri", "sat"]
    assert room["closures"] == [{"from": "2027-01-05", "to": "2027-01-09", "reason": "Painting"}]


def test_a_session_is_sharded_and_its_shards_change_through_put(api, hotel):
    tour = post(api, hotel, "/v1/resources", {**TOUR, "shards": 4}).data
    assert tour["shards"] == 4
    assert post(api, hotel, "/v1/resources", ROOM).data["shards"] == 1
    path = f"/v1/resources/{tour['id']}"
    ok = change(api, hotel, "PUT", path, {**TOUR, "shards": 8}, rev=tour["rev"])
    assert ok.status_code == 200, ok.body
    # Paused for the check, then the new definition: two revisions, active again.
    assert ok.data["shards"] == 8 and ok.data["active"] and ok.data["rev"] == tour["rev"] + 2


def test_a_change_needs_if_match_and_a_stale_one_is_refused(api, hotel):
    rid = post(api, hotel, "/v1/resources", ROOM).data["id"]
    path = f"/v1/resources/{rid}"
    assert_error(change(api, hotel, "PUT", path, {**ROOM, "capacity": 4}), 428, "if_match_required")
    assert_error(change(api, hotel, "DELETE", path), 428, "if_match_required")
    ok = change(api, hotel, "PUT", path, {**ROOM, "capacity": 4}, rev=1)
    assert ok.status_code == 200, ok.body
    assert ok.data["capacity"] == 4 and ok.data["rev"] == 2 and ok.headers["ETag"] == '"2"'
    stale = change(api, hotel, "PUT", path, {**ROOM, "capacity": 3}, rev=1)
    assert assert_error(stale, 412, "version_mismatch")["details"]["current_rev"] == 2
    assert_error(change(api, hotel, "PUT", path, ROOM, rev="x"), 412, "invalid_if_match")
    # A weak ETag never matches a write (RFC 9110's strong comparison), even the current one.
    weak = api.call("PUT", path, auth=hotel["secret_key"], body=ROOM, headers={"If-Match": 'W/"2"'})
    assert_error(weak, 412, "invalid_if_match")
    assert api.call("GET", path, auth=hotel["secret_key"]).data["capacity"] == 4


def test_deactivating_keeps_the_resource_readable(api, hotel):
    rid = post(api, hotel, "/v1/resources", ROOM).data["id"]
    gone = change(api, hotel, "DELETE", f"/v1/resources/{rid}", rev=1)
    assert gone.status_code == 200 and gone.data["active"] is False and gone.data["rev"] == 2
    got = api.call("GET", f"/v1/resources/{rid}", auth=hotel["secret_key"])
    assert got.data["active"] is False


def test_overrides_are_set_and_removed_by_date(api, hotel):
    rid = post(api, hotel, "/v1/resources", STYLIST).data["id"]
    path = f"/v1/resources/{rid}/overrides/2026-12-21"  # a Monday: 09:00-17:00
    body = {"hours": [["09:00", "12:00"]], "capacity": 2}
    assert_error(change(api, hotel, "PUT", path, body), 428, "if_match_required")
    r = change(api, hotel, "PUT", path, body, rev=1)
    assert r.status_code == 200, r.body
    assert r.data["overrides"] == {
        "2026-12-21": {
            "closed": False,
            "hours": [["09:00", "12:00"]],
            "session_times": None,
            "capacity": 2,
            "called_off": [],
        }
    }
    # Fewer hours but more capacity that day (and back): the meet is written first, then
    # the change, so the revision moves by two. The answer's ETag is the one to send next.
    assert r.data["rev"] == 3 and r.headers["ETag"] == '"3"'
    r = change(api, hotel, "DELETE", path, rev=3)
    assert r.status_code == 200 and r.data["overrides"] == {} and r.data["rev"] == 5
    assert_error(change(api, hotel, "DELETE", path, rev=5), 404, "override_not_found")
    bad = change(api, hotel, "PUT", f"/v1/resources/{rid}/overrides/2026-13-01", body, rev=5)
    assert fields_named(assert_error(bad, 422, "invalid_date")) == {"date"}


@pytest.mark.parametrize(
    "body", [{"closed": True, "hours": [["09:00", "10:00"]]}, {"closed": True, "capacity": 1}, {}]
)
def test_an_override_that_contradicts_itself_or_changes_nothing_is_refused(api, hotel, body):
    """An outside tester's day was stored closed with hours, and another with nothing."""
    rid = post(api, hotel, "/v1/resources", STYLIST).data["id"]
    before = stored(api, hotel)
    r = change(api, hotel, "PUT", f"/v1/resources/{rid}/overrides/2026-12-21", body, rev=1)
    assert_error(r, 422, "validation_failed")
    assert stored(api, hotel) == before


def test_an_override_naming_a_session_time_the_day_does_not_have_is_refused(api, hotel):
    tour = post(api, hotel, "/v1/resources", TOUR).data["id"]
    path = f"/v1/resources/{tour}/overrides/2027-03-28"  # Berlin's clocks skip 02:00-03:00
    skipped = change(api, hotel, "PUT", path, {"session_times": ["10:00", "02:30"]}, rev=1)
    error = assert_error(skipped, 422, "nonexistent_time")
    assert error["details"]["times"] == ["02:30"] and fields_named(error) == {"session_times"}
    stylist = post(api, hotel, "/v1/resources", STYLIST).data["id"]
    gap = f"/v1/resources/{stylist}/overrides/2027-03-28"
    only_skipped = change(api, hotel, "PUT", gap, {"hours": [["02:00", "03:00"]]}, rev=1)
    error = assert_error(only_skipped, 422, "nonexistent_time")
    assert error["details"]["times"] == ["02:00-03:00"] and fields_named(error) == {"hours"}
    partly = change(api, hotel, "PUT", gap, {"hours": [["02:00", "04:00"]]}, rev=1)
    assert partly.status_code == 200, partly.body  # 03:00-04:00 happens
    hours = change(api, hotel, "PUT", path, {"hours": [["09:00", "12:00"]]}, rev=1)
    assert fields_named(assert_error(hours, 422, "not_for_kind")) == {"hours"}
    anna = post(api, hotel, "/v1/resources", STYLIST).data["id"]
    sessions = change(
        api,
        hotel,
        "PUT",
        f"/v1/resources/{anna}/overrides/2026-12-21",
        {"session_times": ["10:00"]},
        rev=1,
    )
    assert fields_named(assert_error(sessions, 422, "not_for_kind")) == {"session_times"}
    for rid in (tour, anna):
        unchanged = api.call("GET", f"/v1/resources/{rid}", auth=hotel["secret_key"]).data
        assert unchanged["rev"] == 1 and unchanged["overrides"] == {}

    ok = change(api, hotel, "PUT", path, {"session_times": ["10:00", "03:30"]}, rev=1)
    assert ok.status_code == 200 and ok.data["overrides"]["2027-03-28"]["session_times"] == [
        "03:30",
        "10:00",
    ]


def test_lowering_capacity_below_what_is_sold_is_refused_naming_the_orders(api, hotel):
    room = post(api, hotel, "/v1/resources", {**ROOM, "capacity": 2}).data
    take = Take(BucketRef(room["id"], "N#2026-12-24"), 2, 2)
    line = Line(
        "off_x", "Stay", "2026-12-23T23:00Z", "2026-12-24T23:00Z", "2026-12-24T00:00+01:00",
        "2026-12-24", 2, 1, (Allocation(0, room["id"], "Double room", (take,)),), (), 0, 0, 0, 0,
    )  # fmt: skip
    order = Order(
        "ord_xmas", BookingStatus.CONFIRMED, PaymentStatus.PAID, Customer("Ada", "a@b.example"),
        Channel.API, "EUR", (line,), "2026-11-24T09:00:00.000000Z",
        "2026-11-24T09:00:00.000000Z", None,
    )  # fmt: skip
    entries = [ResourceEntryPut(e) for e in resource_entries(order)]  # as the engine writes
    data_of(api, hotel).transactions.write(
        [OrderPut(order, None), BucketTake(take), *entries, RevisionCheck(room["id"], 1)]
    )
    before = stored(api, hotel)
    r = change(api, hotel, "PUT", f"/v1/resources/{room['id']}", {**ROOM, "capacity": 1}, rev=1)
    error = assert_error(r, 409, "capacity_below_sold")
    assert error["details"]["orders"] == ["ord_xmas"]
    assert error["details"]["buckets"] == ["N#2026-12-24"]
    assert stored(api, hotel) == before


# -- offerings -------------------------------------------------------------------------------


FULL_PRICING = {
    "amount": 12000,
    "basis": "night",
    "weekdays": {"fri": {"percent_bp": 2000}, "sat": {"percent_bp": 2000, "amount": 500}},
    "seasons": [{"from": "2026-12-20", "to": "2027-01-06", "percent_bp": 5000, "name": "Xmas"}],
    "date_prices": {"2026-12-31": 30000},
    "tax_bp": 700,
    "tax_inclusive": True,
}


def test_an_offering_round_trips_with_its_pricing_and_policies(api, hotel):
    rid = post(api, hotel, "/v1/resources", ROOM).data["id"]
    body = stay(
        rid,
        pricing=FULL_PRICING,
        deposit={
            "kind": "percent",
            "value": 3000,
            "balance_due_days_before": 7,
            "if_unpaid": "cancel",
        },
        cancellation=[
            {"hours_before": 48, "refund_bp": 10000},
            {"hours_before": 0, "refund_bp": 0},
        ],
        max_nights=14,
        description="Sea view.",
    )
    r = post(api, hotel, "/v1/offerings", body)
    assert r.status_code == 201, r.body
    oid = r.data["id"]
    assert oid.startswith("off_") and r.headers["ETag"] == '"1"'
    pricing = r.data["pricing"]
    assert pricing["weekdays"] == {
        "fri": {"percent_bp": 2000, "amount": 0},
        "sat": {"percent_bp": 2000, "amount": 500},
    }
    assert pricing["seasons"] == [
        {"from": "2026-12-20", "to": "2027-01-06", "percent_bp": 5000, "amount": 0, "name": "Xmas"}
    ]
    assert pricing["date_prices"] == {"2026-12-31": 30000}
    assert r.data["requirements"] == [
        {"resource_id": rid, "skill": None, "tag": None, "units": 1, "per": "booking"}
    ]
    assert r.data["deposit"] == {
        "kind": "percent",
        "value": 3000,
        "manual_capture": False,
        "no_show_fee": 0,
        "balance_due_days_before": 7,
        "if_unpaid": "cancel",
        "instalments": 1,
        "instalment_months": 1,
    }
    got = api.call("GET", f"/v1/offerings/{oid}", auth=hotel["secret_key"])
    assert got.data == r.data and got.headers["ETag"] == '"1"'
    listed = api.call("GET", "/v1/offerings", auth=hotel["secret_key"])
    assert [o["id"] for o in listed.data["data"]] == [oid]


def test_an_offering_changes_by_revision_and_is_deactivated(api, hotel):
    rid = post(api, hotel, "/v1/resources", ROOM).data["id"]
    oid = post(api, hotel, "/v1/offerings", stay(rid)).data["id"]
    path = f"/v1/offerings/{oid}"
    dearer = stay(rid, pricing={"amount": 15000, "basis": "night"})
    assert_error(change(api, hotel, "PUT", path, dearer), 428, "if_match_required")
    r = change(api, hotel, "PUT", path, dearer, rev=1)
    assert r.status_code == 200 and r.data["pricing"]["amount"] == 15000 and r.data["rev"] == 2
    assert_error(change(api, hotel, "PUT", path, dearer, rev=1), 412, "version_mismatch")
    gone = change(api, hotel, "DELETE", path, rev=2)
    assert gone.status_code == 200 and gone.data["active"] is False


def test_an_offering_cannot_name_an_unknown_or_a_foreign_resource(api, hotel):
    other = api.signup("other-cat")
    theirs = post(api, other, "/v1/resources", ROOM).data["id"]
    post(api, hotel, "/v1/resources", ROOM)
    for rid in (theirs, "res_missing"):
        error = assert_error(post(api, hotel, "/v1/offerings", stay(rid)), 422, "unknown_resource")
        assert fields_named(error) == {"requirements.0.resource_id"}
    assert stored(api, hotel)[1] == {}


def test_offering_and_resource_kinds_must_fit(api, hotel):
    anna = post(api, hotel, "/v1/resources", STYLIST).data["id"]
    mismatch = assert_error(
        post(api, hotel, "/v1/offerings", stay(anna)), 422, "resource_kind_mismatch"
    )
    assert mismatch["message"] == (
        "A nightly offering sells a room type: a nightly resource, not a timed resource."
    )
    # A second session requirement: said as the rule (an outside tester could not tell why
    # "a resource of kind timed here, not session").
    tour = post(api, hotel, "/v1/resources", TOUR).data["id"]
    twice = {
        "name": "Two tours",
        "kind": "session",
        "requirements": [{"resource_id": tour}, {"resource_id": tour}],
        "pricing": {"amount": 100, "basis": "person"},
    }
    said = assert_error(post(api, hotel, "/v1/offerings", twice), 422, "resource_kind_mismatch")
    assert said["message"] == (
        "A session offering takes its seats from its first requirement; the others go with "
        "each session (a guide, a van): timed resources, not a session resource."
    )
    colour = {**stay(anna), "kind": "timed", "requirements": [{"skill": "colour"}]}
    colour["pricing"] = {**colour["pricing"], "basis": "booking"}
    assert_error(post(api, hotel, "/v1/offerings", colour), 422, "no_matching_resource")


@pytest.mark.parametrize(
    ("kind", "resource", "basis"),
    [("session", "class", "night"), ("session", "class", "hour"), ("timed", "stylist", "night")],
)
def test_a_price_counts_only_what_its_kind_has(api, hotel, kind, resource, basis):
    """Found by an outside tester: a class priced "per night" was taken, listed "from 15,000
    per night" and charged once whatever the party."""
    body = TOUR if resource == "class" else STYLIST
    rid = post(api, hotel, "/v1/resources", body).data["id"]
    before = stored(api, hotel)
    offer = {
        **stay(rid),
        "kind": kind,
        "pricing": {"amount": 1500, "basis": basis},
        "duration_minutes": 60,
    }
    refused = post(api, hotel, "/v1/offerings", offer)
    assert assert_error(refused, 422, "basis_not_for_kind")["details"]["field"] == "pricing.basis"
    assert stored(api, hotel) == before


def test_a_resource_stored_before_the_kind_rule_is_still_stopped_and_given_overrides(api, hotel):
    """A review's finding: the rule ran on every write, so a timed resource stored with
    leftover `session_times` before it could not even be deactivated. It holds for the
    definition a create or an update sends; other writes change such a resource as before."""
    from dataclasses import replace

    rid = post(api, hotel, "/v1/resources", STYLIST).data["id"]
    catalog = data_of(api, hotel).catalog
    stored = catalog.resources[rid]
    leftover = replace(stored, session_times=((600,),) + ((),) * 6, rev=stored.rev + 1)
    catalog.put_resource(leftover, expected_rev=stored.rev)
    path = f"/v1/resources/{rid}/overrides/2026-12-21"
    r = change(api, hotel, "PUT", path, {"capacity": 2}, rev=leftover.rev)
    assert r.status_code == 200, r.body
    gone = change(api, hotel, "DELETE", f"/v1/resources/{rid}", rev=r.data["rev"])
    assert gone.status_code == 200 and gone.data["active"] is False, gone.body


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "timed", "session_times": {"fri": ["18:00"]}}, "session_times"),
        (
            {"kind": "session", "session_minutes": 60, "hours": {"sat": [["09:00", "12:00"]]}},
            "hours",
        ),
        ({"kind": "nightly", "hours": {"sat": [["09:00", "12:00"]]}}, "hours"),
        ({"kind": "timed", "open_nights": ["mon"]}, "open_nights"),
        ({"kind": "session", "session_minutes": 60, "open_nights": ["fri"]}, "open_nights"),
    ],
)
def test_a_resource_keeps_nothing_its_kind_cannot_use(api, hotel, body, field):
    """Found by an outside tester: a timed resource kept the `session_times` it was sent,
    without effect; a date override's are refused the same way (422 `not_for_kind`)."""
    before = stored(api, hotel)
    refused = post(api, hotel, "/v1/resources", {"name": "Odd", "capacity": 2, **body})
    assert assert_error(refused, 422, "not_for_kind")["details"]["field"] == field
    assert stored(api, hotel) == before


# -- access ----------------------------------------------------------------------------------


def test_every_role_reads_but_only_owners_and_managers_write(api, hotel):
    rid = post(api, hotel, "/v1/resources", ROOM).data["id"]
    for role in ("viewer", "staff"):
        token = api.staff_token(hotel, role)
        assert api.call("GET", "/v1/resources", auth=token).status_code == 200
        assert api.call("GET", f"/v1/resources/{rid}", auth=token).status_code == 200
        assert api.call("GET", "/v1/offerings", auth=token).status_code == 200
        assert_error(post(api, hotel, "/v1/resources", ROOM, auth=token), 403, "role_forbidden")
        denied = change(api, hotel, "PUT", f"/v1/resources/{rid}", ROOM, rev=1, auth=token)
        assert_error(denied, 403, "role_forbidden")
        assert_error(post(api, hotel, "/v1/offerings", stay(rid), auth=token), 403)
    manager = api.staff_token(hotel, "manager")
    assert post(api, hotel, "/v1/resources", ROOM, auth=manager).status_code == 201
    pk = api.call("GET", "/v1/resources", auth=hotel["publishable_key"])
    assert_error(pk, 403, "publishable_key_not_allowed")


def test_another_tenants_resource_and_offering_are_not_found(api, hotel):
    rid = post(api, hotel, "/v1/resources", ROOM).data["id"]
    oid = post(api, hotel, "/v1/offerings", stay(rid)).data["id"]
    other = api.signup("other-cat")
    before = stored(api, hotel)
    for method, path, body in (
        ("GET", f"/v1/resources/{rid}", None),
        ("PUT", f"/v1/resources/{rid}", ROOM),
        ("DELETE", f"/v1/resources/{rid}", None),
        ("PUT", f"/v1/resources/{rid}/overrides/2026-12-24", {"closed": True}),
        ("GET", f"/v1/offerings/{oid}", None),
        ("PUT", f"/v1/offerings/{oid}", stay(rid)),
        ("DELETE", f"/v1/offerings/{oid}", None),
    ):
        assert_error(change(api, other, method, path, body, rev=1), 404)
    assert stored(api, hotel) == before


# -- bad input -------------------------------------------------------------------------------


BAD_RESOURCES = [
    ({**ROOM, "capacity": -1}, "capacity"),
    ({**ROOM, "capacity": "5"}, "capacity"),
    ({**ROOM, "capacity": 100_001}, "capacity"),
    ({**ROOM, "kind": "hourly"}, "kind"),
    ({**ROOM, "colour": "blue"}, "colour"),
    ({**ROOM, "name": ""}, "name"),
    ({**STYLIST, "slot_minutes": 7}, "slot_minutes"),
    ({**STYLIST, "hours": {"monday": [["09:00", "17:00"]]}}, "hours.monday.[key]"),
    ({**STYLIST, "hours": {"mon": [["9:00", "17:00"]]}}, "hours.mon.0.0"),
    ({**STYLIST, "hours": {"mon": [["09:00", "25:00"]]}}, "hours.mon.0.1"),
    ({**STYLIST, "hours": {"mon": [["09:00", "17:00", "18:00"]]}}, "hours.mon.0"),
    ({**TOUR, "session_times": {"sat": ["24:00"]}}, "session_times.sat.0"),
    ({**TOUR, "session_minutes": 4}, "session_minutes"),
    ({**TOUR, "shards": 0}, "shards"),
    ({**TOUR, "shards": 65}, "shards"),
    ({**ROOM, "open_nights": ["someday"]}, "open_nights.0"),
    ({**ROOM, "closures": [{"from": "2027-01-05"}]}, "closures.0.to"),
    ({**ROOM, "tags": ["ok", ""]}, "tags.1"),
]


@pytest.mark.parametrize(("body", "field"), BAD_RESOURCES)
def test_a_bad_resource_is_refused_naming_the_field_and_nothing_is_written(api, hotel, body, field):
    before = stored(api, hotel), len(audit_entries(api, hotel))
    error = assert_error(post(api, hotel, "/v1/resources", body), 422, "validation_failed")
    assert field in fields_named(error)
    assert (stored(api, hotel), len(audit_entries(api, hotel))) == before


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({**STYLIST, "hours": {"mon": [["17:00", "09:00"]]}}, "invalid_hours"),
        ({**STYLIST, "hours": {"mon": [["09:00", "13:00"], ["12:00", "17:00"]]}}, "invalid_hours"),
        ({**STYLIST, "hours": {"mon": [["09:05", "17:00"]]}}, "hours_off_grid"),
        ({**ROOM, "closures": [{"from": "2027-01-05", "to": "2027-01-01"}]}, "invalid_closure"),
        ({**STYLIST, "shards": 2}, "invalid_shards"),
    ],
)
def test_a_resource_breaking_a_business_rule_is_422_and_nothing_is_written(api, hotel, body, code):
    before = stored(api, hotel)
    assert_error(post(api, hotel, "/v1/resources", body), 422, code)
    assert stored(api, hotel) == before


def test_a_bad_change_writes_nothing(api, hotel):
    rid = post(api, hotel, "/v1/resources", STYLIST).data["id"]
    before = stored(api, hotel)
    path = f"/v1/resources/{rid}"
    bad = change(api, hotel, "PUT", path, {**STYLIST, "capacity": -2}, rev=1)
    assert_error(bad, 422, "validation_failed")
    grid = change(api, hotel, "PUT", path, {**STYLIST, "slot_minutes": 30}, rev=1)
    assert_error(grid, 422, "immutable_field")
    assert stored(api, hotel) == before


@pytest.mark.parametrize(
    ("change_", "field"),
    [
        ({"requirements": []}, "requirements"),
        ({"requirements": [{"resource_id": "r", "skill": "cut"}]}, "requirements.0"),
        ({"requirements": [{"units": 2}]}, "requirements.0"),
        ({"requirements": [{"skill": "cut", "units": 0}]}, "requirements.0.units"),
        ({"requirements": [{"skill": "cut", "per": "hour"}]}, "requirements.0.per"),
        ({"pricing": {"amount": -1}}, "pricing.amount"),
        ({"pricing": {"amount": 1, "weekdays": {"fri": {"percent_bp": 200_000}}}}, None),
        ({"pricing": {"amount": 1, "date_prices": {"2026-02-30": 5}}}, None),
        ({"pricing": {"amount": 1, "seasons": [{"from": "2027-01-02", "to": "2027-01-01"}]}}, None),
        ({"pricing": {"amount": 1, "tax_bp": 10_001}}, "pricing.tax_bp"),
        ({"interval_minutes": 7}, "interval_minutes"),
        ({"max_nights": 31}, "max_nights"),
        ({"party_min": 0}, "party_min"),
        ({"deposit": {"kind": "most"}}, "deposit.kind"),
        ({"cancellation": [{"hours_before": 1, "refund_bp": 10_001}]}, None),
        ({"description": "x" * 2001}, "description"),
    ],
)
def test_a_bad_offering_is_refused_and_nothing_is_written(api, hotel, change_, field):
    rid = post(api, hotel, "/v1/resources", ROOM).data["id"]
    before = stored(api, hotel)
    error = assert_error(post(api, hotel, "/v1/offerings", {**stay(rid), **change_}), 422)
    if field is not None:
        assert field in fields_named(error), error
    assert stored(api, hotel) == before


@pytest.mark.parametrize(
    ("change_", "code"),
    [
        ({"party_min": 5, "party_max": 2}, "invalid_party_limits"),
        ({"deposit": {"kind": "percent", "value": 0}}, "invalid_deposit"),
    ],
)
def test_an_offering_breaking_a_business_rule_is_422(api, hotel, change_, code):
    rid = post(api, hotel, "/v1/resources", ROOM).data["id"]
    assert_error(post(api, hotel, "/v1/offerings", {**stay(rid), **change_}), 422, code)
    assert stored(api, hotel)[1] == {}


# -- documentation ---------------------------------------------------------------------------


def test_the_openapi_document_covers_every_catalog_route(api):
    paths = api.call("GET", "/v1/openapi.json").data["paths"]
    expected = {
        "/v1/resources": {"get", "post"},
        "/v1/resources/{resource_id}": {"get", "put", "delete"},
        "/v1/resources/{resource_id}/overrides/{date}": {"put", "delete"},
        "/v1/offerings": {"get", "post"},
        "/v1/offerings/{offering_id}": {"get", "put", "delete"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) >= methods, path
    put = paths["/v1/resources/{resource_id}"]["put"]
    assert "If-Match" in put["description"]
    assert "capacity_below_sold" in put["description"]


def test_a_sessions_length_does_not_change_under_its_bookings(api, hotel):
    """An outside tester shortened a booked boat trip from 120 to 90 minutes: the day sheet
    said 15:30, the order 16:00. Refused while a session ahead is booked, naming the orders;
    free again once nothing ahead is."""
    tour = post(api, hotel, "/v1/resources", TOUR).data
    sold = {
        "name": "Harbour tour",
        "kind": "session",
        "requirements": [{"resource_id": tour["id"], "per": "person"}],
        "pricing": {"amount": 3000, "basis": "person"},
    }
    oid = post(api, hotel, "/v1/offerings", sold).data["id"]
    line = {"offering_id": oid, "start": "2026-12-26T10:00", "party": 2}  # a Saturday
    body = {"customer": {"name": "Ada", "email": "ada@example.com"}, "lines": [line]}
    order = post(api, hotel, "/v1/orders", body).data
    path = f"/v1/resources/{tour['id']}"
    before = stored(api, hotel)
    r = change(api, hotel, "PUT", path, {**TOUR, "session_minutes": 60}, rev=tour["rev"])
    assert assert_error(r, 409, "session_length_booked")["details"]["orders"] == [order["id"]]
    assert stored(api, hotel) == before
    more = change(api, hotel, "PUT", path, {**TOUR, "capacity": 40}, rev=tour["rev"])
    assert more.status_code == 200, more.body  # its length kept: any other change goes
    cancel = {"by": "business", "reason": "Storm"}
    assert post(api, hotel, f"/v1/orders/{order['id']}/cancel", cancel).status_code == 200
    r = change(api, hotel, "PUT", path, {**TOUR, "session_minutes": 60}, rev=more.data["rev"])
    assert r.status_code == 200 and r.data["session_minutes"] == 60, r.body


def test_a_sessions_seats_are_one_a_guest_unless_the_offering_says_otherwise(api, hotel):
    """An outside tester's class of 6 seats, its offering made without `per`, sold a party of
    20 as one seat and five seats more after it: a session's seats are one a guest by
    default, as the console sets them; `per: booking` still sells a private session."""
    six = post(api, hotel, "/v1/resources", {**TOUR, "capacity": 6}).data["id"]
    made = {}
    for name, per in (("Class", None), ("Private class", "booking")):
        requirement = {"resource_id": six, **({"per": per} if per else {})}
        body = {
            "name": name,
            "kind": "session",
            "requirements": [requirement],
            "pricing": {"amount": 5000, "basis": "person"},
            "party_max": 20,
        }
        r = post(api, hotel, "/v1/offerings", body)
        assert r.status_code == 201, r.body
        assert r.data["requirements"][0]["per"] == (per or "person")
        made[name] = r.data["id"]
    line = {"offering_id": made["Class"], "start": "2026-12-05T10:00", "party": 20}
    group = {"customer": {"name": "Big Group", "email": "group@corp.example"}, "lines": [line]}
    assert_error(post(api, hotel, "/v1/orders", group), 422, "more_than_capacity")
    private = {**group, "lines": [{**line, "offering_id": made["Private class"]}]}
    assert post(api, hotel, "/v1/orders", private).status_code == 201
