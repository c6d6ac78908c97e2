"""Who gets a text message: a mobile number in a country the tenant allows, classified by
`phonenumbers` from real numbers. Landlines, premium-rate, shared-cost, VoIP, satellite and
international-network numbers are accepted for a booking but get no SMS."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.tenant import TenantSettings
from chalicelib.tenancy.services.auth import KeyCache
from chalicelib.tenancy.services.phones import allowed_sms_countries, sms_refusal
from chalicelib.tenancy.services.tenants import update_tenant
from tests.builders import Shop
from tests.fakes import FakePlatform, FakeTimeZoneGuard

DE = frozenset({"DE"})


@pytest.mark.parametrize(
    ("phone", "allowed", "refusal"),
    [
        ("+4915112345678", DE, None),  # a German mobile
        ("+4930123456", DE, "not_mobile"),  # a Berlin landline
        ("+499001234567", DE, "not_mobile"),  # German premium rate
        ("+4918012345", DE, "not_mobile"),  # German shared cost
        ("+88216000000", DE, "international_network"),  # International Networks (+882)
        ("+881612345678", DE, "international_network"),  # a satellite phone (+881)
        ("+2399901234", DE, "country_not_allowed"),  # a São Tomé mobile (+239)
        ("+2399901234", frozenset({"DE", "ST"}), None),
        ("+2392221234", frozenset({"ST"}), "not_mobile"),  # a São Tomé landline
        ("+12125551234", DE, "country_not_allowed"),  # a US number
        ("+12125551234", frozenset({"US"}), None),  # US: fixed line or mobile, cannot tell
        ("+4990012345678", DE, "invalid_number"),  # too long to be a German number
        ("+4915112345678", frozenset(), "country_not_allowed"),  # the tenant allows none
        (None, DE, "no_phone"),
    ],
)
def test_a_text_goes_only_to_a_mobile_in_an_allowed_country(phone, allowed, refusal):
    assert sms_refusal(phone, allowed) == refusal


@pytest.mark.parametrize(
    ("tz", "locale", "countries"),
    [
        ("Europe/Berlin", "en", ("DE",)),
        ("Asia/Shanghai", "zh-Hans", ("CN",)),
        ("America/New_York", "en", ("US",)),
        ("UTC", "en-GB", ("GB",)),  # no country for the zone: the locale's region
        ("UTC", "en", ()),  # neither: no SMS until the tenant says where
    ],
)
def test_by_default_a_tenant_allows_its_own_country(tz, locale, countries):
    tenant = replace(Shop(tz=tz).tenant, locale=locale)
    assert allowed_sms_countries(tenant) == frozenset(countries)


def test_the_tenant_sets_its_countries_and_unknown_codes_are_refused():
    shop = Shop()
    platform = FakePlatform()
    platform.tenants[shop.tenant.id] = shop.tenant
    keys = KeyCache()
    guard = FakeTimeZoneGuard()
    updated = update_tenant(
        shop.ctx, platform, key_cache=keys, zone_guard=guard, sms_countries=["us", "DE", "DE"]
    )
    assert updated.settings.sms_countries == ("DE", "US")
    assert allowed_sms_countries(updated) == {"DE", "US"}
    for bad in (["XX"], ["DEU"], ["001"]):
        with pytest.raises(InvalidInput) as refused:
            update_tenant(shop.ctx, platform, key_cache=keys, zone_guard=guard, sms_countries=bad)
        assert refused.value.details["field"] == "sms_countries"
    assert TenantSettings().sms_countries is None  # derived until set
