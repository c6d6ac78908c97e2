"""The business's details, opening hours and branding through /v1/tenant, and the public parts
of them that /v1/public/tenant shows the booking widget."""

from __future__ import annotations

import pytest

from tests.api.support import assert_error, audit_entries, forbid_server_errors, invite
from tests.api.support import patch_tenant as _patch

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

DETAILS = {
    "legal_name": "Harbour View Hotel GmbH",
    "email": "Hello@Harbour-View.example",
    "phone": "030 1234567",
    "address": {
        "lines": ["Hafenstraße 1", ""],
        "city": "Berlin",
        "postcode": "10115",
        "country": "de",
    },
    "website": "https://www.harbour-view.example/",
    "tax_id": "de 123456789",
}
HOURS = {
    "weekly": {
        "mon": [["07:00", "12:00"], ["13:00", "22:00"]],
        "sat": [["08:00", "24:00"]],
        "sun": [["00:00", "02:00"]],
    },
    "closed_dates": ["2026-12-25", "2026-12-24", "2026-12-25"],
}
ADDRESS_SHOWN = {"lines": ["Hafenstraße 1"], "city": "Berlin", "postcode": "10115", "country": "DE"}
BRANDING = {
    "primary_colour": "#0B57D0",
    "logo_url": "https://cdn.harbour-view.example/logo.svg",
    "widget_language": "zh-Hans",
}


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def tenant(api):
    return api.signup("harbour-view")


def test_patch_sets_every_detail_hour_and_brand_and_get_shows_them_canonical(api, tenant):
    r = _patch(api, tenant, {"business": DETAILS, "opening_hours": HOURS, "branding": BRANDING})
    assert r.status_code == 200, r.body
    again = api.call("GET", "/v1/tenant", auth=tenant["secret_key"]).data
    for shown in (r.data, again):
        assert shown["business"] == {
            "legal_name": "Harbour View Hotel GmbH",
            "email": "hello@harbour-view.example",
            "phone": "+49 30 1234567",  # national, read in the business's own country
            "address": ADDRESS_SHOWN,
            "website": "https://www.harbour-view.example/",
            "tax_id": "DE 123456789",
            "check_in_time": "15:00",  # not named: the defaults
            "check_out_time": "11:00",
        }
        assert shown["opening_hours"] == {
            "weekly": {
                "mon": [["07:00", "12:00"], ["13:00", "22:00"]],
                "tue": [],
                "wed": [],
                "thu": [],
                "fri": [],
                "sat": [["08:00", "24:00"]],
                "sun": [["00:00", "02:00"]],
            },
            "closed_dates": ["2026-12-24", "2026-12-25"],
        }
        assert shown["branding"] == {
            "primary_colour": "#0b57d0",
            "logo_url": "https://cdn.harbour-view.example/logo.svg",
            "widget_language": "zh-Hans",
        }
    (entry,) = [e for e in audit_entries(api, tenant) if e.action == "tenant.updated"]
    assert entry.details == {"fields": ["settings"]}


def test_a_detail_not_named_is_kept_and_an_empty_one_is_cleared(api, tenant):
    _patch(api, tenant, {"business": DETAILS, "branding": BRANDING})
    r = _patch(
        api,
        tenant,
        {"business": {"tax_id": "", "phone": "+86 21 6888 8888"}, "branding": {"logo_url": ""}},
    )
    assert r.status_code == 200, r.body
    assert r.data["business"]["tax_id"] == ""
    assert r.data["business"]["phone"] == "+86 21 6888 8888"
    assert r.data["business"]["legal_name"] == "Harbour View Hotel GmbH"
    assert r.data["branding"] == {**r.data["branding"], "logo_url": "", "primary_colour": "#0b57d0"}


def test_opening_hours_are_replaced_whole(api, tenant):
    _patch(api, tenant, {"opening_hours": HOURS})
    r = _patch(api, tenant, {"opening_hours": {"weekly": {"tue": [["10:00", "16:00"]]}}})
    assert r.data["opening_hours"]["weekly"]["mon"] == []
    assert r.data["opening_hours"]["weekly"]["tue"] == [["10:00", "16:00"]]
    assert r.data["opening_hours"]["closed_dates"] == []


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"business": {"email": "not-an-address"}}, "invalid_contact_email", "business.email"),
        ({"business": {"phone": "12"}}, "invalid_contact_phone", "business.phone"),
        ({"business": {"website": "ftp://x.example"}}, "invalid_website", "business.website"),
        ({"business": {"tax_id": "#?"}}, "invalid_tax_id", "business.tax_id"),
        ({"business": {"legal_name": "A\nB"}}, "invalid_legal_name", "business.legal_name"),
        (
            {"business": {"address": {"lines": ["Main St 1"]}}},
            "incomplete_address",
            "business.address",
        ),
        (
            {"business": {"address": {"lines": ["1 Rd"], "city": "X", "country": "ZZ"}}},
            "invalid_address_country",
            "business.address.country",
        ),
        (
            {"opening_hours": {"weekly": {"mon": [["12:00", "09:00"]]}}},
            "opening_range_backwards",
            "opening_hours.weekly.mon",
        ),
        (
            {"opening_hours": {"weekly": {"tue": [["09:00", "13:00"], ["12:00", "18:00"]]}}},
            "opening_ranges_overlap",
            "opening_hours.weekly.tue",
        ),
        (
            {"opening_hours": {"weekly": {"wed": [["14:00", "18:00"], ["09:00", "12:00"]]}}},
            "opening_ranges_out_of_order",
            "opening_hours.weekly.wed",
        ),
        (
            {"branding": {"primary_colour": "#ffeb3b"}},
            "brand_colour_low_contrast",
            "branding.primary_colour",
        ),
        (
            {"branding": {"primary_colour": "blue"}},
            "invalid_brand_colour",
            "branding.primary_colour",
        ),
        (
            {"branding": {"logo_url": "http://cdn.example.com/logo.png"}},
            "invalid_logo_url",
            "branding.logo_url",
        ),
        (
            {"branding": {"logo_url": "https://cdn.example.com/" + "a" * 480}},
            "invalid_logo_url",
            "branding.logo_url",
        ),
    ],
)
def test_a_broken_rule_is_a_422_naming_its_field_and_changes_nothing(
    api, tenant, body, code, field
):
    before = api.call("GET", "/v1/tenant", auth=tenant["secret_key"]).data
    error = assert_error(_patch(api, tenant, body), 422, code)
    assert error["details"]["field"] == field
    assert api.call("GET", "/v1/tenant", auth=tenant["secret_key"]).data == before


def test_the_low_contrast_refusal_says_the_contrast_and_the_minimum(api, tenant):
    error = assert_error(
        _patch(api, tenant, {"branding": {"primary_colour": "#777777"}}),
        422,
        "brand_colour_low_contrast",
    )
    # 4.4799..., said to two places without rounding up (never "4.50, below 4.5")
    assert error["details"]["contrast"] == 4.47 and error["details"]["minimum"] == 4.5
    assert "4.47:1" in error["message"]
    nearly = _patch(api, tenant, {"branding": {"primary_colour": "#0a6ffa"}})  # 4.4996...
    assert assert_error(nearly, 422, "brand_colour_low_contrast")["details"]["contrast"] == 4.49


def test_an_unknown_widget_language_is_refused_by_the_schema(api, tenant):
    assert_error(_patch(api, tenant, {"branding": {"widget_language": "de"}}), 422)


@pytest.mark.parametrize("role", ["viewer", "staff"])
def test_viewers_and_staff_cannot_change_the_business(api, tenant, role):
    _, token = invite(api, tenant, role)
    r = _patch(api, tenant, {"business": {"legal_name": "Mine now"}}, auth=token)
    assert_error(r, 403)
    shown = api.call("GET", "/v1/tenant", auth=token)
    assert shown.status_code == 200 and shown.data["business"]["legal_name"] == ""


def test_a_manager_login_changes_the_business(api, tenant):
    _, token = invite(api, tenant, "manager")
    r = _patch(api, tenant, {"business": {"legal_name": "Harbour View GmbH"}}, auth=token)
    assert r.status_code == 200 and r.data["business"]["legal_name"] == "Harbour View GmbH"


def test_the_public_tenant_shows_branding_hours_and_contact_but_no_legal_name_or_tax_id(
    api, tenant
):
    _patch(api, tenant, {"business": DETAILS, "opening_hours": HOURS, "branding": BRANDING})
    public = api.call("GET", "/v1/public/tenant", auth=tenant["publishable_key"]).data
    assert public["branding"]["primary_colour"] == "#0b57d0"
    assert public["branding"]["widget_language"] == "zh-Hans"
    assert public["opening_hours"]["weekly"]["mon"] == [["07:00", "12:00"], ["13:00", "22:00"]]
    assert public["contact"] == {
        "email": "hello@harbour-view.example",
        "phone": "+49 30 1234567",
        "address": ADDRESS_SHOWN,
        "website": "https://www.harbour-view.example/",
    }
    text = str(public)
    assert "GmbH" not in text and "123456789" not in text


def test_a_tenant_without_any_shows_empty_parts_publicly(api, tenant):
    public = api.call("GET", "/v1/public/tenant", auth=tenant["publishable_key"]).data
    assert public["branding"] == {"primary_colour": "", "logo_url": "", "widget_language": ""}
    assert public["opening_hours"]["weekly"] == {day: [] for day in WEEKDAYS}
    assert public["contact"]["address"]["lines"] == []
