"""Coupons for staff (create, change, withdraw, read with their uses and orders) and the
check a customer runs before booking (what a code would take off).

A coupon's code is its key (customers/domain/coupons.py): creating one whose code exists is
409 `coupon_exists`, so a retried create with another Idempotency-Key makes no second. Its
uses are never written here: the bookings' transactions count them
(customers/adapters/redemption_items.py), and a change of terms leaves them as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from chalicelib.booking.domain.folio import discounts_taxed
from chalicelib.catalog.domain.catalog import Offering
from chalicelib.catalog.domain.pricing import with_tax
from chalicelib.catalog.services.catalog_view import on_sale
from chalicelib.customers.domain.coupons import (
    Coupon,
    CouponNotFound,
    Priceable,
    coupon_discounts,
    normal_code,
)
from chalicelib.customers.services.customer_ports import CustomersContext
from chalicelib.customers.services.known_offerings import refuse_unknown_offerings
from chalicelib.customers.services.loyalty import today_of
from chalicelib.customers.services.redemption_ports import CustomerCouponCount, LoyaltyContext
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.unit_of_work import UnitOfWork

MOVE_TRIES = 3  # a give-back took one of the loser's uses down meanwhile: read and move again


def create_coupon(ctx: CustomersContext, code: str, **terms: Any) -> Coupon:
    coupon = Coupon(normal_code(code), created_at=ctx.now(), created_by=ctx.actor.label, **terms)
    refuse_unknown_offerings(ctx.data.catalog, coupon.offering_ids, field="offering_ids")
    ctx.data.coupons.create(coupon)
    ctx.audit("coupon.created", coupon.code, kind=coupon.kind.value, value=coupon.value)
    return coupon


def get_coupon(ctx: LoyaltyContext, code: str) -> Coupon:
    coupon = ctx.data.coupons.get(normal_code(code))
    if coupon is None:
        raise CouponNotFound("No such code.", code_sent=code)
    return coupon


def change_coupon(
    ctx: CustomersContext, code: str, changes: dict[str, Any], expected: int | None
) -> Coupon:
    """New terms (its uses stay); with `expected` (If-Match) a change since is refused. A
    limit below the uses bookings hold already is refused (409 `coupon_max_below_uses`): those
    bookings keep their use, so the limit could never hold."""
    coupon = get_coupon(ctx, code)
    if expected is not None and expected != coupon.version:
        raise Conflict(
            "The coupon was changed since you read it.",
            code="version_mismatch",
            current_version=coupon.version,
        )
    refuse_unknown_offerings(
        ctx.data.catalog, changes.get("offering_ids", ()), field="offering_ids"
    )
    limit = changes.get("max_uses", coupon.max_uses)
    if limit and limit < coupon.used:
        raise Conflict(
            f"The code is used {coupon.used} times already: the limit is at least that.",
            code="coupon_max_below_uses",
            used=coupon.used,
        )
    after = replace(coupon, **changes, version=coupon.version + 1)
    ctx.data.coupons.update(after, expected_version=coupon.version)
    ctx.audit("coupon.changed", coupon.code, fields=sorted(changes))
    return after


def disable_coupon(ctx: LoyaltyContext, code: str) -> Coupon:
    """Withdrawn: no booking takes it from now on (one that races it is refused by its
    condition); bookings that hold a use keep it. Again: nothing more changes."""
    coupon = get_coupon(ctx, code)
    if coupon.disabled_at:
        return coupon
    after = replace(coupon, disabled_at=ctx.now(), version=coupon.version + 1)
    ctx.data.coupons.update(after, expected_version=coupon.version)
    ctx.audit("coupon.disabled", coupon.code)
    return after


def coupon_page(
    ctx: LoyaltyContext, *, after: str | None, limit: int
) -> tuple[list[Coupon], str | None]:
    return ctx.data.coupons.page(after=after, limit=limit)


def redemptions(ctx: LoyaltyContext, code: str, *, limit: int) -> list[tuple[str, int, str]]:
    coupon = get_coupon(ctx, code)
    return ctx.data.coupons.redemptions(coupon.code, limit=limit)


@value
class CodeCheck:
    coupon: Coupon
    # Minor units off the lines sent (0 when none was sent), as the booking's discount line
    # takes them off the total: tax included (`charged_discount`).
    discount: int


def check_code(ctx: CustomersContext, code: str, *, lines: Sequence[Priceable]) -> CodeCheck:
    """What `code` would take off `lines` today: the refusals a booking would meet (unknown,
    not yet or no longer valid, used up, not for these lines), checked again, for good, by the
    booking. Not a per-customer limit: this check is public and an answer that depended on an
    e-mail would tell anyone whether that address used the code; the booking answers it (409
    `coupon_customer_limit`), for the customer booking."""
    coupon = get_coupon(ctx, code)
    coupon.usable_on(today_of(ctx))
    # Each offering read once; one the business does not sell is refused as the booking
    # refuses it, rather than given a discount.
    sold = {
        line.offering_id: on_sale(ctx.data.catalog.get_offering(line.offering_id), line.offering_id)
        for line in lines
    }
    if not lines:
        return CodeCheck(coupon, 0)
    off = coupon_discounts(coupon, list(lines))
    return CodeCheck(coupon, charged_discount(sold, list(zip(lines, off, strict=True))))


def charged_discount(sold: Mapping[str, Offering], offs: list[tuple[Priceable, int]]) -> int:
    """What the discounts `offs` (each line's, on its price before tax) take off the total
    the customer pays: grouped by tax rate and taxed as the booking's discount lines are
    (customers/services/redeeming.py `_Priced.discounts`), so the check and the booking say
    one figure. `sold`: the lines' offerings, by id. Each rate keeps the tax of what it still
    bills (folio.discount_taxed, on what the lines bill at it), as the booking's discount does:
    taxed on its own, $5.00 off a $45.00 line at 8.88 % was said as $5.44 and booked as $5.45."""
    groups: dict[tuple[int, bool], int] = {}
    bands: dict[int, tuple[int, int]] = {}  # each rate's (total, tax), as the lines bill it
    for line, amount in offs:
        pricing = sold[line.offering_id].pricing
        price = with_tax(line.amount, pricing.tax_bp, pricing.tax_inclusive, ())
        billed, billed_tax = bands.get(pricing.tax_bp, (0, 0))
        bands[pricing.tax_bp] = (billed + price.total, billed_tax + price.tax)
        if amount > 0:
            key = (pricing.tax_bp, pricing.tax_inclusive)
            groups[key] = groups.get(key, 0) + amount
    return sum(total for *_, total in discounts_taxed(bands, groups))


def move_coupon_uses(ctx: LoyaltyContext, loser: str, winner: str) -> int:
    """A merge's per-customer uses (for the merge job: mergers.MoveCouponUses): each code's
    uses counted under the loser move to the winner, summed with the winner's, code by code in
    one transaction conditional on the loser still holding what was read. Run again, it finds
    the loser's counts at zero and moves nothing; uses a give-back takes off the loser
    meanwhile are read again. The uses moved."""
    moved = 0
    for code, uses in ctx.data.coupons.customer_counts(loser).items():
        moved += _move_uses(ctx, loser, winner, code, uses)
    return moved


def _move_uses(ctx: LoyaltyContext, loser: str, winner: str, code: str, uses: int) -> int:
    for attempt in range(MOVE_TRIES):
        if uses <= 0:
            return 0
        try:
            with UnitOfWork(ctx) as uow:
                # The winner's count takes the sum whatever its limit: uses already made.
                uow.add(
                    CustomerCouponCount(loser, code, -uses),
                    CustomerCouponCount(winner, code, uses),
                )
                uow.commit()
        except Conflict as exc:
            if exc.code != "redemption_failed" or attempt == MOVE_TRIES - 1:
                raise  # the merge job runs this merger again
            uses = ctx.data.coupons.customer_uses(loser, code)
            continue
        return uses
    return 0
