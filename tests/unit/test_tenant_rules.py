"""Tenant rules: slugs, time zones, currencies and locales, and the tenant made at sign-up."""

from __future__ import annotations

from itertools import product

import pytest

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.money import MINOR_UNITS, minor_units
from chalicelib.kernel.domain.tenant import (
    RESERVED_SLUGS,
    BusinessType,
    Plan,
    TenantStatus,
    new_tenant,
    validate_currency,
    validate_locale,
    validate_slug,
    validate_timezone,
)


def _refused(fn, value: str, code: str) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        fn(value)
    assert caught.value.code == code
    return caught.value


# -- slugs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "slug",
    ["abc", "harbour-view", "a1b", "0-9", "hotel-2026", "a" * 40, "x-y-z"],
)
def test_valid_slugs_are_accepted_unchanged(slug):
    assert validate_slug(slug) == slug


@pytest.mark.parametrize(
    ("slug", "why"),
    [
        ("", "empty"),
        ("ab", "too short"),
        ("a" * 41, "too long"),
        ("Harbour", "upper case"),
        ("harbour_view", "underscore"),
        ("harbour view", "space"),
        ("-harbour", "leading hyphen"),
        ("harbour-", "trailing hyphen"),
        ("harbour--view", "double hyphen"),
        ("hôtel", "non-ASCII letter"),
        ("abc\n", "trailing newline"),
        ("\nabc", "leading newline"),
    ],
)
def test_invalid_slugs_are_refused(slug, why):
    error = _refused(validate_slug, slug, "invalid_slug")
    assert error.details == {"field": "slug"}, why


@pytest.mark.parametrize("slug", sorted(RESERVED_SLUGS))
def test_reserved_slugs_are_refused(slug):
    error = _refused(validate_slug, slug, "invalid_slug")
    assert "reserved" in error.message


# The rule written out independently of the implementation's regex.
def _is_valid_slug(s: str) -> bool:
    allowed = set("abcdefghijklmnopqrstuvwxyz0123456789-")
    return (
        3 <= len(s) <= 40
        and set(s) <= allowed
        and not s.startswith("-")
        and not s.endswith("-")
        and "--" not in s
        and s not in RESERVED_SLUGS
    )


# Every string of up to 6 characters over an alphabet that has each kind of character the
# rule cares about, checked against the rule written out above. Exhaustive rather than
# sampled: hypothesis would read module sources and write a cache under .hypothesis/, and
# unit tests do no I/O.
ALPHABET = "a0-A_\n"


def test_slug_rule_matches_its_specification_for_every_short_string():
    checked = 0
    for length in range(7):
        for chars in product(ALPHABET, repeat=length):
            slug = "".join(chars)
            if _is_valid_slug(slug):
                assert validate_slug(slug) == slug
            else:
                with pytest.raises(InvalidInput):
                    validate_slug(slug)
            checked += 1
    assert checked == sum(len(ALPHABET) ** n for n in range(7))


@pytest.mark.parametrize("length", [38, 39, 40, 41, 42])
@pytest.mark.parametrize("shape", ["letters", "hyphenated", "trailing-hyphen", "upper-inside"])
def test_slug_rule_matches_its_specification_at_the_length_limit(length, shape):
    base = ("ab-" * 20)[:length] if shape == "hyphenated" else "a" * length
    if base.endswith("-"):
        base = base[:-1] + "c"
    slug = {
        "letters": base,
        "hyphenated": base,
        "trailing-hyphen": base[:-1] + "-",
        "upper-inside": base[:5] + "Q" + base[6:],
    }[shape]
    assert len(slug) == length
    if _is_valid_slug(slug):
        assert validate_slug(slug) == slug
    else:
        with pytest.raises(InvalidInput):
            validate_slug(slug)


# -- time zones ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC", "Pacific/Chatham"]
)
def test_iana_time_zones_are_accepted(name):
    assert validate_timezone(name) == name


@pytest.mark.parametrize(
    "name", ["Mars/Olympus_Mons", "europe/berlin", "Berlin", "", "CEST", "Europe/Berlin "]
)
def test_unknown_time_zones_are_refused(name):
    error = _refused(validate_timezone, name, "invalid_timezone")
    assert error.details == {"field": "timezone"}


# -- currencies ----------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "decimals"), [("EUR", 2), ("JPY", 0), ("KWD", 3), ("USD", 2)])
def test_iso_currencies_are_accepted_with_their_minor_units(code, decimals):
    assert validate_currency(code) == code
    assert minor_units(code) == decimals


@pytest.mark.parametrize("code", ["XYZ", "eur", "EURO", "EU", "", " EUR"])
def test_unknown_or_lower_case_currencies_are_refused(code):
    error = _refused(validate_currency, code, "invalid_currency")
    assert error.details == {"field": "currency", "supported": sorted(MINOR_UNITS)}
    assert "no ISO 4217 currency" in str(error)


@pytest.mark.parametrize("code", ["CLF", "XAU", "XXX"])
def test_a_real_currency_that_is_not_supported_says_so_and_lists_those_that_are(code):
    error = _refused(validate_currency, code, "invalid_currency")
    assert "is not supported" in str(error) and "details.supported" in str(error)
    assert "EUR" in error.details["supported"] and code not in error.details["supported"]


# -- locales -------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["en", "en-GB", "zh-Hans-CN", "es-419", "sr-Latn", "fil"])
def test_locale_tags_are_accepted(tag):
    assert validate_locale(tag) == tag


@pytest.mark.parametrize(
    "tag", ["english", "EN", "en-gb", "en_GB", "e", "zh-hans-CN", "en-", "en\n", "en-GB\n"]
)
def test_malformed_locale_tags_are_refused(tag):
    error = _refused(validate_locale, tag, "invalid_locale")
    assert error.details == {"field": "locale"}


# -- the tenant recorded at sign-up --------------------------------------------------------


def _new(**changes):
    fields = {
        "tenant_id": "t1",
        "slug": "harbour-view",
        "name": "  Harbour View  ",
        "owner_email": " Owner@Harbour.Example ",
        "timezone": "Europe/Berlin",
        "currency": "EUR",
        "locale": "en",
        "business_type": BusinessType.HOTEL,
        "table_name": "reservoir-tenant-t1",
        "now": "2026-11-24T09:00:00.000000Z",
        **changes,
    }
    return new_tenant(**fields)


def test_a_new_tenant_is_provisioning_on_the_free_plan_with_tidied_fields():
    tenant = _new()
    assert tenant.status is TenantStatus.PROVISIONING
    assert not tenant.is_active
    assert tenant.plan is Plan.FREE
    assert tenant.name == "Harbour View"
    assert tenant.owner_email == "owner@harbour.example"
    assert tenant.version == 1
    assert tenant.settings.hold_minutes == 15


def test_activating_a_tenant_bumps_its_version():
    active = _new().activated()
    assert active.is_active
    assert active.version == 2


def test_a_blank_business_name_is_refused():
    with pytest.raises(InvalidInput) as caught:
        _new(name="   ")
    assert caught.value.code == "invalid_name"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("slug", "api", "invalid_slug"),
        ("timezone", "Nowhere/Land", "invalid_timezone"),
        ("currency", "XYZ", "invalid_currency"),
        ("locale", "english", "invalid_locale"),
    ],
)
def test_a_new_tenant_checks_every_rule(field, value, code):
    with pytest.raises(InvalidInput) as caught:
        _new(**{field: value})
    assert caught.value.code == code
