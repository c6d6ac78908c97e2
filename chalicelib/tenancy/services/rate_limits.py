"""Spend a request's budgets, or refuse it with `RateLimited` (429) before it does anything.

The rules (which budgets, how many, which window) are in `tenancy/domain/rate_limits.py`; the
counting is one conditional increment per budget through the `RateCounters` port. Budgets are spent
in order (address first) and the first one spent out refuses the request; a refused request
counts nothing in the budget that refused it.
"""

from __future__ import annotations

from chalicelib.kernel.domain.timefmt import parse
from chalicelib.tenancy.domain.rate_limits import (
    Action,
    Budget,
    SignupLimits,
    contact_budgets,
    effective_limits,
    public_budgets,
    signup_budgets,
)
from chalicelib.tenancy.services.counter_ports import RateCounters, TenancyContext


def spend(counters: RateCounters, budgets: list[Budget], now: str) -> None:
    moment = parse(now).timestamp()
    for budget in budgets:
        window = budget.window(moment)
        taken = counters.take(
            budget.counter_key(), window.start, limit=budget.limit, expires_at=window.expires_at
        )
        if not taken:
            raise budget.refused(moment)


def check_public(
    ctx: TenancyContext, action: Action, *, address: str, key: str, scale: int
) -> None:
    """The per-address and per-key budgets of a public route of this tenant."""
    tenant = ctx.tenant
    limits = effective_limits(tenant.plan, tenant.settings.public_limits, scale)
    budgets = public_budgets(action, limits, address=address, key=key)
    spend(ctx.data.counters, budgets, ctx.now())


def check_contact(ctx: TenancyContext, *, email: str, phone: str | None, scale: int) -> None:
    """Holds per customer contact (e-mail, and phone when given) per hold period."""
    tenant = ctx.tenant
    limits = effective_limits(tenant.plan, tenant.settings.public_limits, scale)
    budgets = contact_budgets(
        limits, email=email, phone=phone, hold_minutes=tenant.settings.hold_minutes
    )
    spend(ctx.data.counters, budgets, ctx.now())


def check_signup(counters: RateCounters, limits: SignupLimits, *, address: str, now: str) -> None:
    """Sign-ups per client address, then the platform's ceiling."""
    spend(counters, signup_budgets(limits, address=address), now)
