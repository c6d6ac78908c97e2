"""Coupons and promotion codes: a code that takes a percentage or an amount off a booking.

A coupon is known by its code (upper case, letters, digits and dashes): the code is its key,
so two coupons never share one and a booking finds it with one read. It applies to the
offerings it names (none named: all), on the tenant's local dates from `valid_from` to
`valid_until` (inclusive; the booking's local date, in the tenant's zone, so a change of the
clocks moves nothing), when what it applies to reaches `min_spend`, at most `max_uses` times
in all and `per_customer` times per customer (the derived id of the booking's e-mail:
customers/domain/identity.py). The counts are kept by the redemptions themselves, in the
booking's transaction (customers/adapters/redemption_items.py), not checked here alone: this
module says whether a coupon can apply and what it takes off; the write refuses a use beyond
the limits even when twenty bookings race for the last one.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from chalicelib.kernel.domain.errors import Conflict, InvalidInput, NotFound
from chalicelib.kernel.domain.values import value

CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{2,31}")
MAX_BP = 10_000


class CouponKind(StrEnum):
    PERCENT = "percent"  # `value` in basis points: 1000 = 10 %
    AMOUNT = "amount"  # `value` in minor units of the tenant's currency


class CouponNotFound(NotFound):
    code = "coupon_not_found"


class CouponInactive(Conflict):
    """Disabled, not valid yet, or no longer valid (`reason` says which)."""

    code = "coupon_inactive"


class CouponUsedUp(Conflict):
    code = "coupon_used_up"


class CouponCustomerLimit(Conflict):
    code = "coupon_customer_limit"


class CouponNotApplicable(InvalidInput):
    """Nothing in the booking is something the coupon applies to, or it is below the
    minimum spend."""

    code = "coupon_not_applicable"


def normal_code(text: str) -> str:
    """The code as stored: trimmed and upper case; 422 `invalid_coupon_code` if it is not
    3 to 32 letters, digits and dashes."""
    code = text.strip().upper()
    if not CODE.fullmatch(code):
        raise InvalidInput(
            "A code is 3 to 32 letters, digits and dashes.", code="invalid_coupon_code"
        )
    return code


@value
class Coupon:
    code: str
    kind: CouponKind
    value: int
    created_at: str
    created_by: str
    name: str = ""
    valid_from: str = ""  # local date, inclusive ("" : from its creation)
    valid_until: str = ""  # local date, inclusive ("" : for ever)
    offering_ids: tuple[str, ...] = ()  # () : every offering
    min_spend: int = 0  # minor units, on what it applies to
    max_uses: int = 0  # 0 : no limit
    per_customer: int = 0  # 0 : no limit
    used: int = 0  # uses held by bookings (given back when one is cancelled)
    disabled_at: str = ""
    version: int = 1

    def __post_init__(self) -> None:
        check_terms(self)

    def applies_to(self, offering_id: str) -> bool:
        return not self.offering_ids or offering_id in self.offering_ids

    def usable_on(self, today: date) -> None:
        """CouponInactive unless the coupon can be redeemed on the local date `today`."""
        if self.disabled_at:
            raise CouponInactive("This code is no longer offered.", reason="disabled")
        if self.valid_from and today.isoformat() < self.valid_from:
            raise CouponInactive(
                f"This code is valid from {self.valid_from}.",
                reason="not_yet",
                valid_from=self.valid_from,
            )
        if self.valid_until and today.isoformat() > self.valid_until:
            raise CouponInactive(
                f"This code was valid until {self.valid_until}.",
                reason="expired",
                valid_until=self.valid_until,
            )
        if self.max_uses and self.used >= self.max_uses:
            raise CouponUsedUp("This code has been used as many times as it may be.")


def terms_text(c: Coupon) -> str:
    """The terms a booking keeps of its code (kind, value, minimum spend, offerings), to be
    priced again by them when it is moved: a code changed or withdrawn since changes nothing
    of a booking that holds it (a tester's 5 % code, raised to 50 % after it was withdrawn,
    gave a booking moved the next day 50 %)."""
    return "|".join((c.kind.value, str(c.value), str(c.min_spend), ",".join(c.offering_ids)))


def coupon_as_booked(code: str, terms: str) -> Coupon:
    kind, amount, min_spend, offerings = terms.split("|")
    return Coupon(
        code,
        CouponKind(kind),
        int(amount),
        "",  # made: not kept with the booking
        "",
        offering_ids=tuple(o for o in offerings.split(",") if o),
        min_spend=int(min_spend),
    )


def check_terms(c: Coupon) -> None:
    """422 for terms no coupon may have (the API's models bound each field; this holds the
    rules between them, for every way a coupon is made)."""
    if c.kind is CouponKind.PERCENT and not 0 < c.value <= MAX_BP:
        raise InvalidInput(
            "A percentage is 1 to 10000 basis points.", code="invalid_coupon", field="value"
        )
    if c.kind is CouponKind.AMOUNT and c.value <= 0:
        raise InvalidInput("An amount is at least 1.", code="invalid_coupon", field="value")
    if c.valid_from and c.valid_until and c.valid_until < c.valid_from:
        raise InvalidInput(
            "valid_until is before valid_from.", code="invalid_coupon", field="valid_until"
        )
    if min(c.min_spend, c.max_uses, c.per_customer) < 0:
        raise InvalidInput("Limits are 0 or more.", code="invalid_coupon")


@value
class Priceable:
    """A booked line as a discount sees it: which offering, what it costs as priced (its
    subtotal when priced before tax, its total when priced with tax in it)."""

    offering_id: str
    amount: int


def coupon_discounts(coupon: Coupon, lines: list[Priceable]) -> list[int]:
    """What `coupon` takes off each line (0 for a line it does not apply to): a percentage
    of each line it applies to (rounded down), or its amount spread over them by their
    prices (never more than they cost). CouponNotApplicable when it applies to nothing here
    or to less than its minimum spend."""
    eligible = [line.amount if coupon.applies_to(line.offering_id) else 0 for line in lines]
    base = sum(eligible)
    if base <= 0:
        raise CouponNotApplicable("This code does not apply to what is booked.")
    if base < coupon.min_spend:
        raise CouponNotApplicable(
            "What this code applies to is below its minimum spend.", min_spend=coupon.min_spend
        )
    if coupon.kind is CouponKind.PERCENT:
        return [amount * coupon.value // MAX_BP for amount in eligible]
    return spread(min(coupon.value, base), eligible)


def spread(amount: int, weights: list[int]) -> list[int]:
    """`amount` split over `weights` in proportion, in whole minor units that add up to it
    (largest remainders first), never more than a weight. `amount` <= sum(weights)."""
    total = sum(weights)
    if total <= 0 or amount <= 0:
        return [0] * len(weights)
    shares = [amount * w // total for w in weights]
    rest = amount - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-(amount * weights[i] % total), i))
    for i in order:
        if rest == 0:
            break
        if shares[i] < weights[i]:
            shares[i] += 1
            rest -= 1
    return shares
