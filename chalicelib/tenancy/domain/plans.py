"""The platform's plans: what a tenant may use, and the fee the platform takes per payment.

Limits are commercial, not safety limits: a booking past the month's allowance is refused
with 402 (upgrade). The count is a mark per hold that the hold's request writes and counts
before the hold (tenancy/services/plan_limits.py says why it is kept out of the booking's
transaction, and what a burst at the very edge may leave untaken).
"""

from __future__ import annotations

from chalicelib.kernel.domain.errors import DomainError
from chalicelib.kernel.domain.tenant import Plan
from chalicelib.kernel.domain.values import value


class PlanLimitReached(DomainError):
    """The tenant's plan allows no more of something; upgrading lifts the limit (HTTP 402)."""

    code = "plan_limit_reached"


@value
class PlanTerms:
    bookings_per_month: int | None  # None: unlimited
    staff: int | None
    resources: int | None
    fee_bp: int  # platform fee in basis points of each online payment
    fee_fixed: int = 0  # plus a fixed fee in minor units (0 keeps it currency-free)


PLANS: dict[Plan, PlanTerms] = {
    Plan.FREE: PlanTerms(bookings_per_month=100, staff=5, resources=10, fee_bp=300),
    Plan.PRO: PlanTerms(bookings_per_month=1000, staff=10, resources=50, fee_bp=150),
    Plan.BUSINESS: PlanTerms(bookings_per_month=None, staff=None, resources=None, fee_bp=50),
}

LIMITED = ("bookings_per_month", "staff", "resources")


def terms(plan: Plan) -> PlanTerms:
    return PLANS[plan]


def platform_fee(plan: Plan, amount: int) -> int:
    """The application fee on a payment of `amount`: basis points rounded half up, plus the
    fixed part, never more than the payment itself."""
    t = PLANS[plan]
    return min(amount, (amount * t.fee_bp + 5000) // 10000 + t.fee_fixed)


def check_limit(plan: Plan, what: str, used: int, adding: int = 1) -> None:
    """Refuse when `used + adding` passes the plan's limit for `what`."""
    if what not in LIMITED:
        raise ValueError(what)
    limit = getattr(PLANS[plan], what)
    if limit is not None and used + adding > limit:
        raise PlanLimitReached(
            f"The {plan.value} plan allows {limit} {what.replace('_', ' ')}; "
            "upgrade the plan to add more.",
            limit=what,
            allowed=limit,
            used=used,
            plan=plan.value,
        )


def plan_for_price(price_id: str, prices: dict[str, str]) -> Plan | None:
    """The plan a Stripe price stands for (`prices`: plan name -> price id)."""
    for name, pid in prices.items():
        if pid == price_id:
            return Plan(name)
    return None
