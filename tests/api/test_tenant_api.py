"""/v1/tenant: the profile, and what PATCH may change."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest

from chalicelib.catalog.services import catalog_writes
from chalicelib.kernel.domain.tenant import MESSAGE_KINDS
from tests.api.support import (
    assert_error,
    audit_entries,
    fields_named,
    forbid_server_errors,
    snapshot,
    tenant_data,
)
from tests.api.support import (
    patch_tenant as _patch,
)
from tests.builders import room_type, stay_offering


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def tenant(api):
    return api.signup("harbour-view")


def test_get_tenant_shows_the_whole_profile(api, tenant):
    r = api.call("GET", "/v1/tenant", auth=tenant["secret_key"])
    assert r.status_code == 200
    assert r.data == {
        "id": tenant["tenant_id"],
        "slug": "harbour-view",
        "name": "Harbour-View Ltd",
        "status": "active",
        "business_type": "hotel",
        "timezone": "Europe/Berlin",
        "currency": "EUR",
        "locale": "en",
        "plan": "free",
        "owner_email": "owner@harbour-view.example",
        "created_at": "2026-11-24T09:00:00.000000Z",
        "version": 2,
        "settings": {
            "hold_minutes": 15,
            "reminder_offsets_minutes": [1440, 120],
            "public_limits": {  # the free plan's (tests/api/test_rate_limits_api.py)
                "holds_per_minute_per_address": 30,
                "holds_per_minute_per_key": 300,
                "holds_per_contact": 5,
                "changes_per_minute_per_address": 30,
                "changes_per_minute_per_key": 300,
                "availability_per_minute_per_address": 120,
                "availability_per_minute_per_key": 1200,
            },
            "sms_countries": ["DE"],
            "message_channels": {kind: ["email", "sms"] for kind in MESSAGE_KINDS},
            "widget_origins": [],
            "booking_page": "",
            "invoice_at_completion": False,
        },
        # none given yet (tests/api/test_business_api.py sets them)
        "business": {
            "legal_name": "",
            "email": "",
            "phone": "",
            "address": {"lines": [], "city": "", "postcode": "", "country": ""},
            "website": "",
            "tax_id": "",
            "check_in_time": "15:00",  # the defaults (tests/api/test_stay_times_api.py)
            "check_out_time": "11:00",
        },
        "opening_hours": {
            "weekly": {day: [] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
            "closed_dates": [],
        },
        "branding": {"primary_colour": "", "logo_url": "", "widget_language": ""},
        "date_order": "dmy",  # Berlin's: day first
    }


def test_patch_changes_name_timezone_locale_and_hold_minutes_and_bumps_the_version(api, tenant):
    r = _patch(
        api,
        tenant,
        {
            "name": "  Harbour View Hotel  ",
            "timezone": "America/New_York",
            "locale": "en-US",
            "hold_minutes": 30,
        },
    )
    assert r.status_code == 200, r.body
    assert r.data["name"] == "Harbour View Hotel"
    assert r.data["timezone"] == "America/New_York"
    assert r.data["locale"] == "en-US"
    assert {
        k: v
        for k, v in r.data["settings"].items()
        if k not in ("public_limits", "message_channels")
    } == {
        "hold_minutes": 30,
        "reminder_offsets_minutes": [1440, 120],
        "sms_countries": ["US"],  # derived from the new time zone
        "widget_origins": [],
        "booking_page": "",
        "invoice_at_completion": False,
    }
    assert r.data["version"] == 3

    again = api.call("GET", "/v1/tenant", auth=tenant["secret_key"])
    assert again.data == r.data
    stored = api.container.platform.tenants[tenant["tenant_id"]]
    assert (stored.name, stored.timezone, stored.locale) == (
        "Harbour View Hotel",
        "America/New_York",
        "en-US",
    )


def test_patch_changes_only_the_fields_given(api, tenant):
    r = _patch(api, tenant, {"hold_minutes": 20})
    assert {
        k: v
        for k, v in r.data["settings"].items()
        if k not in ("public_limits", "message_channels")
    } == {
        "hold_minutes": 20,
        "reminder_offsets_minutes": [1440, 120],
        "sms_countries": ["DE"],
        "widget_origins": [],
        "booking_page": "",
        "invoice_at_completion": False,
    }
    assert r.data["name"] == "Harbour-View Ltd"
    assert r.data["timezone"] == "Europe/Berlin"
    assert r.data["locale"] == "en"


@pytest.mark.parametrize("body", [{}, {"name": None}, {"name": "Harbour-View Ltd"}])
def test_a_patch_that_changes_nothing_writes_nothing(api, tenant, body):
    before = snapshot(api.container)
    r = _patch(api, tenant, body)
    assert r.status_code == 200, r.body
    assert r.data["version"] == 2
    assert snapshot(api.container) == before  # no new version, no audit entry


def test_a_patch_without_a_body_changes_nothing(api, tenant):
    before = snapshot(api.container)
    r = api.call("PATCH", "/v1/tenant", auth=tenant["secret_key"])
    assert r.status_code == 200, r.body
    assert snapshot(api.container) == before


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone", "invalid_timezone"),
        ({"timezone": ""}, "timezone", "validation_failed"),
        ({"locale": "english"}, "locale", "invalid_locale"),
        ({"locale": "en\n"}, "locale", "invalid_locale"),
        ({"name": "   "}, "name", "validation_failed"),
        ({"name": ""}, "name", "validation_failed"),
        ({"hold_minutes": 0}, "hold_minutes", "validation_failed"),
        ({"hold_minutes": 1441}, "hold_minutes", "validation_failed"),
        ({"hold_minutes": "15"}, "hold_minutes", "validation_failed"),
        ({"hold_minutes": True}, "hold_minutes", "validation_failed"),
        ({"hold_minutes": 15.5}, "hold_minutes", "validation_failed"),
        ({"reminder_offsets_minutes": [4]}, "reminder_offsets_minutes.0", "validation_failed"),
        ({"reminder_offsets_minutes": [60] * 6}, "reminder_offsets_minutes", "validation_failed"),
        ({"reminder_offsets_minutes": 60}, "reminder_offsets_minutes", "validation_failed"),
        ({"currency": "USD"}, "currency", "validation_failed"),
        ({"slug": "new-slug"}, "slug", "validation_failed"),
        ({"status": "active"}, "status", "validation_failed"),
        ({"plan": "business"}, "plan", "validation_failed"),
        ({"version": 99}, "version", "validation_failed"),
        ({"settings": {"hold_minutes": 5}}, "settings", "validation_failed"),
    ],
)
def test_an_invalid_patch_is_422_and_writes_nothing(api, tenant, body, field, code):
    before = snapshot(api.container)
    r = _patch(api, tenant, body)
    assert field in fields_named(assert_error(r, 422, code))
    assert snapshot(api.container) == before


def test_one_invalid_field_stops_the_whole_patch(api, tenant):
    before = snapshot(api.container)
    r = _patch(api, tenant, {"name": "Fine Name", "timezone": "Nowhere/Land"})
    assert_error(r, 422, "invalid_timezone")
    assert snapshot(api.container) == before


def test_a_manager_may_patch_the_tenant(api, tenant):
    token = api.staff_token(tenant, "manager")
    r = _patch(api, tenant, {"name": "Managed"}, auth=token)
    assert r.status_code == 200, r.body
    (entry,) = [e for e in audit_entries(api, tenant) if e.action == "tenant.updated"]
    assert entry.actor.role == "manager"
    assert entry.details == {"fields": ["name"]}


def test_the_public_tenant_shows_no_private_fields(api, tenant):
    _patch(api, tenant, {"name": "Renamed"})
    r = api.call("GET", "/v1/public/tenant", auth=tenant["publishable_key"])
    assert r.data["name"] == "Renamed"
    assert set(r.data) == {
        "name",
        "slug",
        "business_type",
        "timezone",
        "currency",
        "currency_decimals",
        "locale",
        "branding",
        "opening_hours",
        "contact",  # e-mail, phone, address, website: never the legal name or tax id
        "stay_times",  # when a stay's guests may arrive and must leave
    }
    assert set(r.data["contact"]) == {"email", "phone", "address", "website"}
    assert r.data["currency_decimals"] == 2  # EUR


def test_the_public_tenant_says_how_many_decimals_its_currency_has(api):
    for currency, decimals in (("JPY", 0), ("HUF", 2), ("KWD", 3)):
        t = api.signup(f"shop-{currency.lower()}", currency=currency)
        r = api.call("GET", "/v1/public/tenant", auth=t["publishable_key"])
        assert r.data["currency_decimals"] == decimals, currency


HOURLY_GUIDE = {
    "name": "Guide Gao",
    "kind": "timed",
    "capacity": 1,
    "skills": ["guide"],
    "hours": {"mon": [["09:00", "17:00"]], "tue": [["09:00", "17:00"]]},
    "slot_minutes": 60,
}


def test_a_zone_whose_offsets_misfit_a_resources_grid_is_refused_naming_it(api, tenant):
    r = api.call("POST", "/v1/resources", auth=tenant["secret_key"], body=HOURLY_GUIDE)
    assert r.status_code == 201, r.body
    guide = r.data["id"]
    before = snapshot(api.container)

    misfit = _patch(api, tenant, {"timezone": "Asia/Kolkata", "name": "Moved"})  # UTC+05:30
    error = assert_error(misfit, 422, "slot_grid_misfits_zone")
    assert error["details"]["resources"] == [guide]
    assert snapshot(api.container) == before  # nothing changed, the name neither

    fits = _patch(api, tenant, {"timezone": "America/New_York"})  # whole hours: fits
    assert fits.status_code == 200 and fits.data["timezone"] == "America/New_York"


def test_a_zone_change_is_refused_while_bookings_lie_ahead(api, tenant):
    data = tenant_data(api, tenant)
    data.catalog.put_resource(room_type(rooms=2), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    sk = tenant["secret_key"]
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24"}],
    }
    order = api.call("POST", "/v1/orders", auth=sk, body=body).data

    refused = _patch(api, tenant, {"timezone": "Asia/Shanghai"})
    error = assert_error(refused, 409, "bookings_ahead")
    assert error["details"]["resources"] == ["res_double"]
    assert error["details"]["orders"] == [order["id"]]
    assert api.container.platform.tenants[tenant["tenant_id"]].timezone == "Europe/Berlin"

    assert api.call("POST", f"/v1/orders/{order['id']}/cancel", auth=sk).status_code == 200
    moved = _patch(api, tenant, {"timezone": "Asia/Shanghai"})
    assert moved.status_code == 200 and moved.data["timezone"] == "Asia/Shanghai"


# -- what a refused zone change reads --------------------------------------------------------
# To name the orders ahead (409 `bookings_ahead`): one read of each booked resource's order
# lines and their orders in batches, not the tenant's day sheets of every day a booked night
# could have begun on. On the demo hotel late in a browser run the day sheets made one request
# 8,352 DynamoDB requests (8,165 Queries) and no answer within 45 s; 14 now.

ROOM_TYPES = ("res_a", "res_b", "res_c")


def three_room_types(api, tenant):
    data = tenant_data(api, tenant)
    for rid in ROOM_TYPES:
        data.catalog.put_resource(room_type(rid, rooms=2, name=rid), expected_rev=None)
        data.catalog.put_offering(stay_offering(rid, oid=f"off_{rid}"), expected_rev=None)
    return data


def book_ahead(api: Any, tenant: dict[str, Any], count: int) -> list[str]:
    """`count` two-night stays over the next months, round the room types."""
    today = api.container.clock.moment.date()
    ids = []
    for i in range(count):
        body = {
            "customer": {"name": "Ada", "email": f"ada{i}@example.com"},
            "lines": [
                {
                    "offering_id": f"off_{ROOM_TYPES[i % len(ROOM_TYPES)]}",
                    "check_in": (today + timedelta(days=3 + 5 * i)).isoformat(),
                    "nights": 2,
                }
            ],
        }
        r = api.call("POST", "/v1/orders", auth=tenant["secret_key"], body=body)
        assert r.status_code == 201, r.body
        ids.append(r.data["id"])
    return ids


def count_reads(monkeypatch: Any, orders: Any) -> Counter[str]:
    """The calls the catalog makes on the orders store to name the orders of a refusal."""
    calls: Counter[str] = Counter()
    for name in ("on_day", "resource_lines", "get_many"):
        real = getattr(orders, name)

        def counted(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            calls[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(orders, name, counted)
    return calls


def test_a_refused_zone_change_reads_each_resources_lines_once(api, tenant, monkeypatch):
    data = three_room_types(api, tenant)
    booked = book_ahead(api, tenant, 18)  # nights over three months on three room types
    gone = booked.pop()
    cancel = api.call("POST", f"/v1/orders/{gone}/cancel", auth=tenant["secret_key"])
    assert cancel.status_code == 200, cancel.body
    calls = count_reads(monkeypatch, data.orders)

    refused = _patch(api, tenant, {"timezone": "Asia/Shanghai"})

    details = assert_error(refused, 409, "bookings_ahead")["details"]
    assert details["resources"] == list(ROOM_TYPES)
    assert details["orders"] == sorted(booked)  # the cancelled one holds nothing
    assert details["orders_complete"] is True
    # One read of each room type's lines and one of their orders; no day's sheet (each a
    # Query per shard of the day index and per key of the index before it: 17).
    assert calls == {"resource_lines": 3, "get_many": 3}


def test_the_orders_named_stop_at_enough_and_say_so(api, tenant, monkeypatch):
    data = three_room_types(api, tenant)
    booked = book_ahead(api, tenant, 18)
    monkeypatch.setattr(catalog_writes, "NAMED_ORDERS", 2)
    monkeypatch.setattr(catalog_writes, "ORDERS_PER_READ", 1)
    calls = count_reads(monkeypatch, data.orders)

    refused = _patch(api, tenant, {"timezone": "Asia/Shanghai"})

    details = assert_error(refused, 409, "bookings_ahead")["details"]
    soonest = {rid: booked[i :: len(ROOM_TYPES)][:2] for i, rid in enumerate(ROOM_TYPES)}
    assert details["orders"] == sorted(o for two in soonest.values() for o in two)
    assert details["orders_complete"] is False
    assert calls == {"resource_lines": 3, "get_many": 6}  # two orders read a room type


def test_a_tenant_chooses_the_channels_of_each_message(api, tenant):
    r = _patch(api, tenant, {"message_channels": {"reminder": ["sms"], "held": []}})
    assert r.status_code == 200, r.body
    channels = r.data["settings"]["message_channels"]
    assert channels["reminder"] == ["sms"] and channels["held"] == []
    assert channels["confirmed"] == ["email", "sms"]  # not named: unchanged
    r = _patch(api, tenant, {"message_channels": {"reminder": ["sms", "email"]}})
    assert r.data["settings"]["message_channels"]["reminder"] == ["email", "sms"]
    assert r.data["settings"]["message_channels"]["held"] == []  # kept


@pytest.mark.parametrize(
    "channels",
    [{"reminders": ["sms"]}, {"reminder": ["fax"]}, {"reminder": "sms"}, {"reminder": [1]}],
)
def test_an_unknown_message_or_channel_is_refused_and_changes_nothing(api, tenant, channels):
    before = api.call("GET", "/v1/tenant", auth=tenant["secret_key"]).data
    r = _patch(api, tenant, {"message_channels": channels})
    assert r.status_code == 422, r.body
    assert api.call("GET", "/v1/tenant", auth=tenant["secret_key"]).data == before
