"""What a new booking may redeem (the fields of `OrderIn` for coupons and loyalty points):
booking/services/redemption_ports.py says how they are priced and taken."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from chalicelib.web.models import Body

CouponCode = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9 -]+$")]
OrderRef = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class PointsProofIn(Body):
    """That the customer spending points is who they say: one of their own orders, its
    manage token and the e-mail proof from the link of an e-mail about it (the widget only;
    staff and secret keys need none)."""

    order_id: OrderRef
    manage_token: Annotated[str, Field(min_length=1, max_length=512)]
    email_proof: Annotated[str, Field(min_length=1, max_length=512)] | None = Field(
        default=None,
        description="`reservoir_proof` from the link in an e-mail about that order (only "
        "e-mails carry it; a hold's answer does not): without it, 403 `points_need_proof`.",
    )


class RedeemFields(Body):
    coupon: CouponCode | None = Field(
        default=None,
        description="A coupon or promotion code (any case). Unknown: 404 `coupon_not_found`; "
        "withdrawn, not yet or no longer valid: 409 `coupon_inactive`; used up: 409 "
        "`coupon_used_up`; by this customer as often as it may be: 409 "
        "`coupon_customer_limit`; nothing booked it applies to: 422 `coupon_not_applicable`.",
    )
    points: Annotated[int, Field(ge=0, le=10_000_000)] = Field(
        default=0,
        description="Loyalty points of the customer (by the booking's e-mail) to spend as a "
        "discount, at most what takes the booking to zero. More than the balance: 409 "
        "`points_insufficient`; from the widget without `points_proof`: 403 "
        "`points_need_proof`.",
    )
    points_proof: PointsProofIn | None = Field(
        default=None,
        description="The widget's proof that the customer is who they say: one of their "
        "own orders (same e-mail), its manage token and its e-mail link's proof.",
    )


class PriceFields(RedeemFields):
    """What a booking says of its price: the codes and points it redeems, and the total the
    customer was shown (a price changed since is refused, not held at the new one)."""

    expected_total: Annotated[int, Field(ge=0, le=10**12)] | None = Field(
        default=None,
        description="The lines' total the customer was shown (the sum of the availability "
        "options' `price.total`, before any code or points). When the lines cost another "
        "amount now, nothing is held: 409 `price_changed` with `details.total`, the price "
        "now (and `subtotal`, `tax`). Optional: left out, the hold takes today's price.",
    )
