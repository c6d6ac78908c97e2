"""Loyalty points: earned on completed bookings at the tenant's rate, redeemed as a discount
when booking, expiring after the programme's months, every movement in the customer's ledger.

Points are earned in lots; a lot expires on the local date its months run out (the tenant's
zone: a lot earned on 31 January with 1 month expires on 28 or 29 February). Spending takes
from the lots that expire first, so what expires is what is left of a lot once all that was
spent is taken from the earlier ones: with `spent` the points ever redeemed or expired and
`passed` the points of every lot already expired, `max(0, passed - spent)` points expire now
(customers/services/loyalty.py applies it lazily, on every read and before every redemption).
The balance never goes below zero: a redemption's write is conditional on it
(customers/adapters/redemption_items.py), so two bookings at once beyond it cannot both pass.
"""

from __future__ import annotations

import calendar
from datetime import date
from enum import StrEnum

from chalicelib.kernel.domain.errors import Conflict, Forbidden, InvalidInput
from chalicelib.kernel.domain.money import minor_units
from chalicelib.kernel.domain.values import value

NEVER = "9999-12-31"  # the expiry of a lot of a programme whose points do not expire
MAX_POINTS = 10_000_000


class LoyaltyOff(Conflict):
    code = "loyalty_off"


class PointsInsufficient(Conflict):
    code = "points_insufficient"


class PointsNeedProof(Forbidden):
    """The widget may spend a customer's points only with the manage token and the e-mail
    proof of one of their own orders: typing someone's e-mail is not proof."""

    code = "points_need_proof"


class Movement(StrEnum):
    EARNED = "earned"
    REDEEMED = "redeemed"
    RETURNED = "returned"  # given back by a cancelled booking or an expired hold
    EXPIRED = "expired"
    MERGED_OUT = "merged_out"  # moved to the record this one was merged into
    MERGED_IN = "merged_in"
    TAKEN_BACK = "taken_back"  # by a refund of a booking that earned them (`note`: not taken)


@value
class Programme:
    enabled: bool = False
    points_per_unit: int = 1  # points per whole currency unit spent (1 EUR, 1 JPY)
    point_value: int = 1  # minor units a point takes off when redeemed
    expiry_months: int = 0  # 0: points never expire
    updated_at: str = ""
    updated_by: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.points_per_unit <= 1000 or not 1 <= self.point_value <= 100_000:
            raise InvalidInput(
                "points_per_unit is 0 to 1000, point_value 1 to 100000.", code="invalid_programme"
            )
        if not 0 <= self.expiry_months <= 120:
            raise InvalidInput("expiry_months is 0 to 120.", code="invalid_programme")

    def earned_on(self, spent: int, currency: str) -> int:
        """Points for `spent` minor units: per whole unit, rounded down."""
        if not self.enabled or spent <= 0:
            return 0
        per_unit: int = 10 ** minor_units(currency)
        return min(MAX_POINTS, spent // per_unit * self.points_per_unit)

    def expiry_of(self, earned_on: date) -> str:
        """The local date a lot earned on `earned_on` expires (it is spendable that day no
        more): `expiry_months` later, on the month's last day when it is shorter."""
        if self.expiry_months <= 0:
            return NEVER
        months = earned_on.month - 1 + self.expiry_months
        year, month = earned_on.year + months // 12, months % 12 + 1
        day = min(earned_on.day, calendar.monthrange(year, month)[1])
        return date(year, month, day).isoformat()


@value
class Balance:
    """The customer's points, as the balance item keeps them: `points` spendable, `spent`
    ever redeemed or expired, and `passed` the points of the lots whose expiry is before
    `checked` (a local date: the lots counted so far)."""

    points: int = 0
    spent: int = 0
    passed: int = 0
    checked: str = ""


def to_expire(balance: Balance, newly_passed: int) -> int:
    """Points that expire once lots of `newly_passed` points more are past their date."""
    return max(0, balance.passed + newly_passed - balance.spent)


def points_for(programme: Programme, wanted: int, payable: int) -> int:
    """How many of the `wanted` points a booking that still costs `payable` minor units
    spends: no more than takes it to zero (whole points)."""
    if not programme.enabled:
        raise LoyaltyOff("The business has no loyalty programme.")
    if not 0 < wanted <= MAX_POINTS:
        raise InvalidInput(f"Points are 1 to {MAX_POINTS}.", code="invalid_points")
    return min(wanted, payable // programme.point_value)


@value
class LedgerEntry:
    id: str
    at: str
    movement: Movement
    points: int  # positive: the direction is the movement's
    order_id: str = ""
    note: str = ""


@value
class Earning:
    """What an order earned (`points`) on what it billed (`billed`, minor units), as its
    earning's mark keeps them; a refund takes back its share (`taken_back_due`)."""

    points: int
    billed: int


def taken_back_due(earning: Earning, refunded: int) -> int:
    """The points refunds of `refunded` minor units in all take back from an order's earning:
    its points in proportion to the refunded share of what it billed, rounded down, so partial
    refunds add up to no more than it earned and refunding the whole bill takes all of them."""
    if earning.points <= 0 or refunded <= 0:
        return 0
    if earning.billed <= 0 or refunded >= earning.billed:
        return earning.points
    return earning.points * refunded // earning.billed
