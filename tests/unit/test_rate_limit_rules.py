"""Rate-limit rules: budgets per plan, what a tenant may change, windows and subjects."""

from __future__ import annotations

import pytest

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.tenant import Plan
from chalicelib.tenancy.domain.rate_limits import (
    PLAN_LIMITS,
    Action,
    RateLimited,
    Scope,
    SignupLimits,
    client_subject,
    contact_budgets,
    effective_limits,
    lower_limits,
    public_budgets,
    signup_budgets,
)


def test_the_free_plan_allows_30_holds_a_minute_per_address_300_per_key_5_per_contact():
    limits = PLAN_LIMITS[Plan.FREE]
    assert limits.holds_per_minute_per_address == 30
    assert limits.holds_per_minute_per_key == 300
    assert limits.holds_per_contact == 5


def test_higher_plans_never_allow_less_than_lower_ones():
    free, pro, business = (PLAN_LIMITS[p].as_dict() for p in (Plan.FREE, Plan.PRO, Plan.BUSINESS))
    for name in free:
        assert free[name] <= pro[name] <= business[name], name


def test_a_tenant_lowers_a_budget_and_it_applies():
    own = lower_limits(Plan.FREE, (), {"holds_per_minute_per_address": 3})
    assert effective_limits(Plan.FREE, own).holds_per_minute_per_address == 3
    assert effective_limits(Plan.FREE, own).holds_per_minute_per_key == 300


def test_a_tenant_cannot_raise_a_budget_above_its_plan():
    with pytest.raises(InvalidInput) as caught:
        lower_limits(Plan.FREE, (), {"holds_per_minute_per_address": 31})
    assert caught.value.code == "limit_above_plan"
    assert caught.value.details["allowed"] == 30


@pytest.mark.parametrize("value", [0, -1])
def test_a_budget_below_one_is_refused(value):
    with pytest.raises(InvalidInput):
        lower_limits(Plan.FREE, (), {"holds_per_contact": value})


def test_none_returns_a_budget_to_the_plans():
    own = lower_limits(Plan.FREE, (), {"holds_per_contact": 2, "holds_per_minute_per_key": 10})
    own = lower_limits(Plan.FREE, own, {"holds_per_contact": None})
    assert own == (("holds_per_minute_per_key", 10),)


def test_an_unknown_budget_name_is_refused():
    with pytest.raises(InvalidInput) as caught:
        lower_limits(Plan.FREE, (), {"holds_per_day": 3})
    assert caught.value.code == "invalid_limit"


def test_the_scale_raises_plan_budgets_but_never_a_tenants_own_lower_one():
    own = (("holds_per_contact", 2),)
    limits = effective_limits(Plan.FREE, own, scale=1000)
    assert limits.holds_per_minute_per_address == 30_000
    assert limits.holds_per_contact == 2


def test_a_scale_below_one_cannot_switch_budgets_off():
    assert effective_limits(Plan.FREE, (), scale=0) == PLAN_LIMITS[Plan.FREE]


def test_a_downgrade_caps_a_tenants_own_budget_at_the_new_plan():
    own = lower_limits(Plan.BUSINESS, (), {"holds_per_minute_per_address": 100})
    assert effective_limits(Plan.FREE, own).holds_per_minute_per_address == 30


def test_a_hold_draws_on_the_address_then_the_key():
    budgets = public_budgets(
        Action.HOLD, PLAN_LIMITS[Plan.FREE], address="203.0.113.7", key="pk_id"
    )
    assert [(b.scope, b.subject, b.limit, b.window_seconds) for b in budgets] == [
        (Scope.ADDRESS, "203.0.113.7", 30, 60),
        (Scope.KEY, "pk_id", 300, 60),
    ]


def test_availability_has_its_own_cheaper_budgets():
    budgets = public_budgets(Action.BROWSE, PLAN_LIMITS[Plan.FREE], address="1.2.3.4", key="k")
    assert {b.name for b in budgets} == {
        "availability_per_minute_per_address",
        "availability_per_minute_per_key",
    }
    assert budgets[0].limit > PLAN_LIMITS[Plan.FREE].holds_per_minute_per_address


def test_contacts_are_counted_per_hold_period_under_a_hash():
    budgets = contact_budgets(
        PLAN_LIMITS[Plan.FREE], email=" Ada@Example.com", phone="+4915112345678", hold_minutes=15
    )
    assert [b.window_seconds for b in budgets] == [900, 900]
    assert all("ada" not in b.counter_key() and "4915" not in b.counter_key() for b in budgets)
    same = contact_budgets(
        PLAN_LIMITS[Plan.FREE], email="ada@example.com", phone=None, hold_minutes=15
    )
    assert same[0].counter_key() == budgets[0].counter_key()  # case and spaces do not matter


def test_sign_ups_are_budgeted_per_address_and_for_everyone():
    budgets = signup_budgets(SignupLimits(), address="198.51.100.1")
    assert [(b.scope, b.limit, b.window_seconds) for b in budgets] == [
        (Scope.ADDRESS, 5, 3600),
        (Scope.PLATFORM, 60, 3600),
    ]


def test_ipv6_clients_are_counted_by_their_64_prefix():
    a = client_subject("2001:db8:1:2:aaaa::1")
    b = client_subject("2001:db8:1:2:ffff::9")
    assert a == b == "2001:db8:1:2::/64"
    assert client_subject("2001:db8:1:3::1") != a


def test_an_ipv4_mapped_address_counts_as_the_ipv4_one():
    assert client_subject("::ffff:203.0.113.7") == "203.0.113.7"


@pytest.mark.parametrize("odd", ["", "   ", "not-an-ip", "x" * 5000])
def test_an_unparsable_address_still_gets_a_bounded_subject(odd):
    subject = client_subject(odd)
    assert subject and len(subject) < 64


def test_windows_are_fixed_and_the_refusal_says_when_to_retry():
    (budget, _) = public_budgets(Action.HOLD, PLAN_LIMITS[Plan.FREE], address="1.2.3.4", key="k")
    window = budget.window(1_000_000_042.5)
    assert (window.start, window.end) == (1_000_000_020, 1_000_000_080)
    assert window.expires_at > window.end
    refusal = budget.refused(1_000_000_042.5)
    assert isinstance(refusal, RateLimited)
    assert refusal.code == "rate_limited"
    assert refusal.retry_after == 38
    assert refusal.details["budget"] == "holds_per_minute_per_address"


def test_the_retry_is_never_sooner_than_a_second():
    (budget, _) = public_budgets(Action.HOLD, PLAN_LIMITS[Plan.FREE], address="1.2.3.4", key="k")
    assert budget.refused(1_000_000_079.9).retry_after == 1
