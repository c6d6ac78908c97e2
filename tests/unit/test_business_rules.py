"""The rules of what a business says about itself: opening hours that read as a day reads,
a brand colour white text stays readable on, addresses and links customers can use."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.kernel.domain.business import Address, Branding, BusinessDetails, OpeningHours
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.tenant import TenantSettings
from chalicelib.tenancy.adapters.profile_items import profile_attributes, profile_values
from chalicelib.tenancy.domain.branding import (
    MIN_CONTRAST,
    contrast_with_white,
    validate_branding,
    validate_colour,
)
from chalicelib.tenancy.domain.business import validate_address, validate_website
from chalicelib.tenancy.domain.hours import validate_day, validate_opening_hours


def _code(call) -> str:
    with pytest.raises(InvalidInput) as caught:
        call()
    return caught.value.code


# -- opening hours ---------------------------------------------------------------------------


def test_a_split_day_in_order_is_taken_as_written():
    assert validate_day(((540, 720), (780, 1080)), "mon") == ((540, 720), (780, 1080))


def test_ranges_that_touch_are_not_an_overlap():
    assert validate_day(((540, 720), (720, 900)), "mon") == ((540, 720), (720, 900))


@pytest.mark.parametrize(
    ("ranges", "code"),
    [
        (((720, 540),), "opening_range_backwards"),
        (((540, 540),), "opening_range_backwards"),
        (((1380, 1500),), "opening_range_backwards"),  # past midnight: two ranges instead
        (((780, 1080), (540, 720)), "opening_ranges_out_of_order"),
        (((540, 780), (720, 1080)), "opening_ranges_overlap"),
        (((540, 1080), (600, 660)), "opening_ranges_overlap"),
        (tuple((h * 60, h * 60 + 30) for h in range(7)), "too_many_opening_ranges"),
    ],
)
def test_a_day_that_cannot_be_read_is_refused_with_its_own_code(ranges, code):
    assert _code(lambda: validate_day(ranges, "tue")) == code


def test_the_refusal_names_the_weekday():
    with pytest.raises(InvalidInput) as caught:
        validate_opening_hours(OpeningHours(weekly=((),) * 4 + (((900, 600),),) + ((),) * 2))
    assert caught.value.details["field"] == "opening_hours.weekly.fri"


def test_closed_dates_are_kept_sorted_and_once():
    hours = validate_opening_hours(
        OpeningHours(closed_dates=(date(2026, 12, 26), date(2026, 12, 25), date(2026, 12, 26)))
    )
    assert hours.closed_dates == (date(2026, 12, 25), date(2026, 12, 26))


@given(st.lists(st.tuples(st.integers(0, 1440), st.integers(0, 1440)), max_size=6))
def test_whatever_is_taken_reads_in_order_without_overlap(ranges):
    try:
        taken = validate_day(tuple(ranges), "wed")
    except InvalidInput:
        return
    for (a, b), (c, _) in zip(taken, taken[1:], strict=False):
        assert a < b <= c
    assert all(0 <= a < b <= 1440 for a, b in taken)


# -- branding --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("colour", "ratio"),
    [("#ffffff", 1.0), ("#000000", 21.0), ("#767676", 4.54), ("#777777", 4.48)],
)
def test_contrast_with_white_is_wcag_2s(colour, ratio):
    assert round(contrast_with_white(colour), 2) == ratio


def test_a_dark_colour_is_taken_in_lower_case_and_a_pale_one_is_refused():
    assert validate_colour(" #0B57D0 ") == "#0b57d0"
    assert _code(lambda: validate_colour("#ffeb3b")) == "brand_colour_low_contrast"
    assert _code(lambda: validate_colour("#777777")) == "brand_colour_low_contrast"
    assert _code(lambda: validate_colour("#12345")) == "invalid_brand_colour"
    assert _code(lambda: validate_colour("rgb(0,0,0)")) == "invalid_brand_colour"


@given(st.integers(0, 0xFFFFFF))
def test_every_colour_taken_keeps_white_text_readable(n):
    colour = f"#{n:06x}"
    try:
        validate_colour(colour)
    except InvalidInput:
        assert contrast_with_white(colour) < MIN_CONTRAST
    else:
        assert contrast_with_white(colour) >= MIN_CONTRAST


def test_the_logo_is_https_and_at_most_500_characters():
    ok = "https://cdn.example.com/logo.svg"
    assert validate_branding(Branding(logo_url=ok)).logo_url == ok
    for bad in ("http://cdn.example.com/logo.svg", "https://" + "a" * 490 + ".com", "logo.svg"):
        assert _code(lambda b=bad: validate_branding(Branding(logo_url=b))) == "invalid_logo_url"
    assert _code(lambda: validate_branding(Branding(widget_language="de"))) == (
        "invalid_widget_language"
    )


# -- details -------------------------------------------------------------------------------------


def test_an_address_names_a_first_line_a_city_and_a_country():
    full = Address((" Hafenstraße 1 ", ""), " Berlin ", "10115", "de")
    assert validate_address(full) == Address(("Hafenstraße 1",), "Berlin", "10115", "DE")
    assert validate_address(Address()) == Address()
    assert _code(lambda: validate_address(Address(city="Berlin"))) == "incomplete_address"
    too_many = Address(("1", "2", "3", "4"), "Berlin", "", "DE")
    assert _code(lambda: validate_address(too_many)) == "invalid_address"


@pytest.mark.parametrize(
    "url",
    [
        "https://localhost",
        "https://10.0.0.1/",
        "javascript:alert(1)",
        "https://a b.example",
        "https://me:pw@example.com",
    ],
)
def test_a_website_is_a_public_web_address(url):
    assert _code(lambda: validate_website(url)) == "invalid_website"


def test_the_stored_form_round_trips_and_a_tenant_stored_before_reads_the_defaults():
    settings = TenantSettings(
        business=BusinessDetails(legal_name="X Ltd", address=Address(("1 Rd",), "Y", "", "GB")),
        opening_hours=OpeningHours(weekly=(((540, 1020),),) * 7, closed_dates=(date(2027, 1, 1),)),
        branding=Branding(primary_colour="#0b57d0"),
    )
    assert TenantSettings(**profile_values(profile_attributes(settings))) == settings
    assert profile_attributes(TenantSettings()) == {}
    assert profile_values({"hold_minutes": 15}) == {}
