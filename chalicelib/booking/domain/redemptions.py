"""What an order redeemed as a discount when it was booked: a coupon's use, loyalty points.

Booking does not know what a coupon or a point is (the customers capability does, and prices
them through booking's `Redeemer` port: booking/services/redemption_ports.py); it keeps, on the
order, what was redeemed, so that a cancellation or an expired hold can give it back
(customers/services/giving_back.py) and the bill and the invoice show the discount, which is
one folio discount per tax rate (folio.Charge, kind DISCOUNT, `item_id` naming the
redemption), counted in the order's total like any other.
"""

from __future__ import annotations

from enum import StrEnum

from chalicelib.kernel.domain.values import value

MAX_CODES = 1  # one coupon per booking: stacking codes is a pricing policy nobody asked for


class RedemptionKind(StrEnum):
    COUPON = "coupon"
    POINTS = "points"


@value
class Redemption:
    """One thing redeemed: a coupon (`ref` its code) or points (`points` of them), by the
    customer `customer_id` (customers/domain/identity.py, after following a merge), worth
    `amount` minor units off the order."""

    kind: RedemptionKind
    ref: str
    customer_id: str
    amount: int
    points: int = 0
    # A coupon's terms as booked, in the customers capability's words (coupons.terms_text):
    # a move prices the code again by them, whatever the code says or is since.
    terms: str = ""


@value
class RedemptionAsk:
    """What a booking asks to redeem: coupon codes as typed, points, and whether the caller
    may spend the customer's points (staff and secret keys may; the widget only with proof
    that the customer is who they say: booking/services/placing.py)."""

    codes: tuple[str, ...] = ()
    points: int = 0
    points_allowed: bool = False

    @property
    def empty(self) -> bool:
        return not self.codes and self.points <= 0


NO_REDEMPTION = RedemptionAsk()
