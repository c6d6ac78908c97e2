"""Segments' rules (customers/domain/segments.py), pure: the issue's three examples, every
kind of rule, the business's month for birthdays (across the year's end and a daylight-saving
change), and the refusals; then the campaign's pieces that need no storage (who may be
e-mailed, the unsubscribe token)."""

from __future__ import annotations

import pytest

from chalicelib.customers.domain.campaigns import (
    Unsubscribe,
    Wording,
    check_campaign,
    first_name,
    reachable,
    read_unsubscribe_token,
    unsubscribe_token,
)
from chalicelib.customers.domain.figures import CustomerFigures
from chalicelib.customers.domain.records import Consent, ConsentSource, CustomerRecord, Profile
from chalicelib.customers.domain.segments import (
    Op,
    PastOrder,
    Rule,
    RuleKind,
    birthday_month,
    check_segment,
    matches,
    needs_orders,
)
from chalicelib.kernel.domain.errors import InvalidInput

NOW = "2026-11-30T12:00:00.000000Z"
UTC = "UTC"


def customer(
    *,
    visits: int = 0,
    last_visit: str = "",
    birthday: str = "",
    tags: tuple[str, ...] = (),
    consent: bool | None = None,
    language: str = "",
    locale: str = "",
    email: str = "ada@example.com",
    spend: int = 0,
    no_shows: int = 0,
) -> CustomerRecord:
    given = (
        None
        if consent is None
        else Consent(granted=consent, source=ConsentSource.BOOKING_FORM, at="2026-01-01T00:00Z")
    )
    return CustomerRecord(
        id="cus_a",
        profile=Profile(
            name="Ada Lovelace",
            email=email,
            birthday=birthday,
            language=language,
            locale=locale,
        ),
        created_at="2025-01-01T00:00Z",
        updated_at="2025-01-01T00:00Z",
        figures=CustomerFigures(
            visits=visits, last_visit=last_visit, spend=spend, no_shows=no_shows
        ),
        tags=tags,
        consent=given,
    )


LAPSED = [
    Rule(RuleKind.DAYS_SINCE_LAST_VISIT, op=Op.GE, number=90),
    Rule(RuleKind.VISITS, op=Op.GT, number=3),
]


def test_no_visit_for_90_days_and_more_than_3_visits_before():
    assert matches(LAPSED, customer(visits=4, last_visit="2026-09-01T10:00Z"), now=NOW, tz=UTC)
    # 89 whole days since the last visit: not yet lapsed.
    assert not matches(LAPSED, customer(visits=4, last_visit="2026-09-02T13:00Z"), now=NOW, tz=UTC)
    assert not matches(LAPSED, customer(visits=3, last_visit="2026-01-01T10:00Z"), now=NOW, tz=UTC)
    # Never came: "no visit for 90 days" says nothing about them.
    assert not matches(LAPSED[:1], customer(), now=NOW, tz=UTC)


def test_booked_a_great_wall_tour_ever_or_within_days():
    ever = [Rule(RuleKind.BOOKED_OFFERING, text="off_great_wall")]
    recent = [Rule(RuleKind.BOOKED_OFFERING, text="off_great_wall", days=30)]
    assert needs_orders(ever) and not needs_orders(LAPSED)
    went = [PastOrder("2026-06-01T01:00Z", "completed", ("off_great_wall",))]
    soon = [PastOrder("2026-11-20T01:00Z", "confirmed", ("off_duck", "off_great_wall"))]
    cancelled = [PastOrder("2026-11-20T01:00Z", "cancelled", ("off_great_wall",))]
    c = customer()
    assert matches(ever, c, now=NOW, tz=UTC, orders=went)
    assert not matches(recent, c, now=NOW, tz=UTC, orders=went)
    assert matches(recent, c, now=NOW, tz=UTC, orders=soon)
    assert not matches(ever, c, now=NOW, tz=UTC, orders=cancelled)
    # Orders not read yet: the rule is left for the caller to check with them.
    assert matches(ever, c, now=NOW, tz=UTC, orders=None)


def test_birthday_this_month_is_the_business_month_across_the_year_end():
    rule = [Rule(RuleKind.BIRTHDAY_THIS_MONTH)]
    january = customer(birthday="--01-15")
    december = customer(birthday="1990-12-03")
    # 31 December 23:30 UTC is already 1 January in Auckland (UTC+13 in summer).
    new_year_utc = "2026-12-31T23:30:00.000000Z"
    assert matches(rule, january, now=new_year_utc, tz="Pacific/Auckland")
    assert not matches(rule, december, now=new_year_utc, tz="Pacific/Auckland")
    assert matches(rule, december, now=new_year_utc, tz="UTC")
    # And 1 January 03:00 UTC is still 31 December in Los Angeles.
    assert matches(rule, december, now="2027-01-01T03:00:00.000000Z", tz="America/Los_Angeles")


def test_birthday_month_follows_the_clocks_through_a_daylight_saving_change():
    rule = [Rule(RuleKind.BIRTHDAY_THIS_MONTH)]
    april = customer(birthday="--04-02")
    # Sydney leaves summer time on the first Sunday of April (5 April 2026, 03:00 -> 02:00):
    # 31 March 13:30 UTC is 1 April 00:30 there (UTC+11 still).
    assert matches(rule, april, now="2026-03-31T13:30:00.000000Z", tz="Australia/Sydney")
    assert not matches(rule, april, now="2026-03-31T12:30:00.000000Z", tz="Australia/Sydney")
    # Berlin enters summer time on 29 March 2026: 31 March 22:30 UTC is 1 April 00:30 (UTC+2).
    assert matches(rule, april, now="2026-03-31T22:30:00.000000Z", tz="Europe/Berlin")
    assert not matches(rule, april, now="2026-03-31T21:30:00.000000Z", tz="Europe/Berlin")


def test_birthdays_that_are_not_dates_match_no_month():
    assert birthday_month("2000-02-29") == 2
    assert birthday_month("--12-01") == 12
    for bad in ("", "1990", "--13-01", "--1a-01", "--٠١-01"):
        assert birthday_month(bad) is None


def test_tag_language_consent_and_numbers():
    c = customer(
        tags=("VIP", "Family"),
        language="zh-Hans",
        consent=True,
        spend=12_500,
        no_shows=2,
    )
    assert matches([Rule(RuleKind.TAG, text="vip")], c, now=NOW, tz=UTC)
    assert not matches([Rule(RuleKind.TAG, text="staff")], c, now=NOW, tz=UTC)
    assert matches([Rule(RuleKind.LANGUAGE, text="zh")], c, now=NOW, tz=UTC)
    assert matches([Rule(RuleKind.LANGUAGE, text="zh-hans")], c, now=NOW, tz=UTC)
    assert not matches([Rule(RuleKind.LANGUAGE, text="z")], c, now=NOW, tz=UTC)
    assert matches([Rule(RuleKind.CONSENT, flag=True)], c, now=NOW, tz=UTC)
    assert not matches([Rule(RuleKind.CONSENT, flag=True)], customer(), now=NOW, tz=UTC)
    assert matches([Rule(RuleKind.CONSENT, flag=False)], customer(consent=False), now=NOW, tz=UTC)
    assert matches([Rule(RuleKind.SPEND, op=Op.GE, number=12_500)], c, now=NOW, tz=UTC)
    assert not matches([Rule(RuleKind.SPEND, op=Op.GT, number=12_500)], c, now=NOW, tz=UTC)
    assert matches([Rule(RuleKind.NO_SHOWS, op=Op.EQ, number=2)], c, now=NOW, tz=UTC)
    # Language falls back to the one they booked in.
    assert matches([Rule(RuleKind.LANGUAGE, text="en")], customer(locale="en-GB"), now=NOW, tz=UTC)


@pytest.mark.parametrize(
    "rule",
    [
        Rule(RuleKind.VISITS),
        Rule(RuleKind.VISITS, op=Op.GT),
        Rule(RuleKind.SPEND, op=Op.GE, number=-1),
        Rule(RuleKind.TAG),
        Rule(RuleKind.TAG, text="   "),
        Rule(RuleKind.BOOKED_OFFERING, text="off_x", days=0),
        Rule(RuleKind.LANGUAGE, text="!!"),  # a tester's: kept, and met by no one
        Rule(RuleKind.LANGUAGE, text="English"),
    ],
)
def test_a_rule_without_what_its_kind_needs_is_refused_by_position(rule):
    with pytest.raises(InvalidInput) as refused:
        check_segment("Lapsed", [Rule(RuleKind.BIRTHDAY_THIS_MONTH), rule])
    assert refused.value.code == "invalid_rule"
    assert refused.value.details["rule"] == 1


def test_a_language_rule_takes_a_tag_in_any_case():
    _, rules = check_segment("Chinese", [Rule(RuleKind.LANGUAGE, text=" zh-hans ")])
    assert rules == (Rule(RuleKind.LANGUAGE, text="zh-hans"),)


def test_a_segment_needs_a_name_and_one_to_twenty_rules():
    with pytest.raises(InvalidInput, match="name"):
        check_segment("  ", LAPSED)
    with pytest.raises(InvalidInput) as none:
        check_segment("x", [])
    assert none.value.code == "invalid_rules"
    name, rules = check_segment("  Lapsed   regulars ", [Rule(RuleKind.CONSENT)])
    assert name == "Lapsed regulars" and rules == (Rule(RuleKind.CONSENT, flag=True),)


def test_only_consenting_customers_with_an_email_who_were_not_merged_are_reachable():
    assert reachable(customer(consent=True))
    assert not reachable(customer())
    assert not reachable(customer(consent=False))
    assert not reachable(customer(consent=True, email=""))
    merged = customer(consent=True)
    assert not reachable(CustomerRecord(**{**merged.__dict__, "merged_into": "cus_b"}))


def test_the_unsubscribe_token_names_one_customer_and_campaign_and_cannot_be_forged():
    who = Unsubscribe("ten_1", "cmp_1", "cus_a")
    token = unsubscribe_token("secret", who)
    assert read_unsubscribe_token("secret", token) == who
    assert read_unsubscribe_token("other", token) is None
    head, _, mac = token.partition(".")
    forged_head = unsubscribe_token("secret", Unsubscribe("ten_1", "cmp_1", "cus_b")).split(".")[0]
    assert read_unsubscribe_token("secret", f"{forged_head}.{mac}") is None
    for junk in ("", ".", "a.b", "ü.ü", token + "x"):
        assert read_unsubscribe_token("secret", junk) is None


def test_a_campaign_needs_a_wording_in_a_known_language_and_a_window():
    wording = {"en": Wording("Hi {{ first_name }}", "We miss you.")}
    name, kept = check_campaign(" Come back ", wording, 14)
    assert name == "Come back" and kept == (("en", Wording("Hi {{ first_name }}", "We miss you.")),)
    for bad_wordings, days, code in (
        ({}, 7, "invalid_wording"),
        ({"fr": Wording("a", "b")}, 7, "invalid_wording"),
        ({"en": Wording(" ", "b")}, 7, "invalid_wording"),
        (wording, 0, "invalid_follow_days"),
        (wording, 91, "invalid_follow_days"),
    ):
        with pytest.raises(InvalidInput) as refused:
            check_campaign("x", bad_wordings, days)
        assert refused.value.code == code
    assert first_name("Ada Lovelace") == "Ada" and first_name("王小明") == "王小明"
