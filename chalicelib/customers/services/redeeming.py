"""Booking's `Redeemer` (booking/services/redemption_ports.py) over the tenant's coupon and
loyalty stores: prices a booking's coupon and points against its planned lines and gives the
items that take them in the booking's own transaction.

Reads: the coupon (one GetItem), the customer's record (one GetItem a hop, to follow merges:
the live record's balance and counts are spent; a per-customer limit also reads the uses still
counted under the records on the way, which a merge's job has not yet summed in),
and for points the programme and the balance (after any lots past their date expire:
loyalty.current_balance). Nothing is written here except a lazy expiry; the limits are the
transaction's conditions, so a race for the last use or the last points refuses all but one.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from chalicelib.booking.domain.folio import Charge, ChargeKind, discounts_taxed
from chalicelib.booking.domain.folio_changes import band_totals
from chalicelib.booking.domain.orders import Order
from chalicelib.booking.domain.redemptions import (
    MAX_CODES,
    Redemption,
    RedemptionAsk,
    RedemptionKind,
)
from chalicelib.booking.services.redemption_ports import Priced
from chalicelib.customers.domain.coupons import (
    Coupon,
    CouponCustomerLimit,
    CouponNotApplicable,
    CouponNotFound,
    Priceable,
    coupon_as_booked,
    coupon_discounts,
    normal_code,
    spread,
    terms_text,
)
from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.domain.loyalty import (
    LedgerEntry,
    Movement,
    PointsInsufficient,
    PointsNeedProof,
    points_for,
)
from chalicelib.customers.services.loyalty import (
    current_balance,
    live_customer,
    returned_mark,
    today_of,
)
from chalicelib.customers.services.records import chain
from chalicelib.customers.services.redemption_ports import (
    CouponCount,
    CouponRedemptionPut,
    CouponStore,
    CouponUseHeld,
    CustomerCouponCount,
    LedgerPut,
    LoyaltyMarkCheck,
    LoyaltyMarkDelete,
    LoyaltyStore,
    PointsMove,
)
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.services.context import KernelContext
from chalicelib.kernel.services.transaction_ports import TransactionItem


class CustomerRedeemer:
    """The redeemer of one tenant's table (built with its stores by the composition root)."""

    def __init__(self, coupons: CouponStore, loyalty: LoyaltyStore) -> None:
        self._coupons = coupons
        self._loyalty = loyalty

    def price(self, ctx: KernelContext, order: Order, ask: RedemptionAsk) -> Priced:
        if len(ask.codes) > MAX_CODES:
            raise InvalidInput("A booking takes one code.", code="too_many_codes")
        if ask.points > 0 and not ask.points_allowed:
            raise PointsNeedProof(
                "To spend points from the widget, open it from the link in an e-mail about one of "
                "your own bookings."
            )
        ids = chain(customer_id_for(order.customer.email, order.customer.phone), self._merged)
        customer = ids[-1]  # the live record (records.follow's rule)
        today = today_of(ctx)
        left = [line.subtotal for line in order.lines]
        out = _Priced(order, ctx.now(), ctx.actor.label, ctx.tenant.locale)
        for text in ask.codes:
            coupon = self.usable(normal_code(text), today)
            lines = zip(order.lines, left, strict=True)
            off = coupon_discounts(coupon, [Priceable(ln.offering_id, a) for ln, a in lines])
            left = [a - d for a, d in zip(left, off, strict=True)]
            out.coupon(coupon, customer, off, self._limit_left(coupon, ids))
        if ask.points > 0:
            off, points = self._points(ctx, customer, ask.points, left)
            out.points(customer, points, off)
        return Priced(tuple(out.charges), tuple(out.redemptions), tuple(out.items))

    def _merged(self, customer_id: str) -> str | None:
        return self._loyalty.merged_into(customer_id)

    def _limit_left(self, coupon: Coupon, ids: list[str]) -> int:
        """The per-customer limit the live record's count is held to: less the uses still
        counted under the records merged into it on the way (a merge whose job has not yet
        summed them: mergers.MoveCouponUses), so the limit holds in between. 0: no limit."""
        if not coupon.per_customer or len(ids) == 1:
            return coupon.per_customer
        elsewhere = sum(self._coupons.customer_uses(i, coupon.code) for i in ids[:-1])
        if elsewhere >= coupon.per_customer:
            raise CouponCustomerLimit("You have used this code as many times as you may.")
        return coupon.per_customer - elsewhere

    def reprice(self, ctx: KernelContext, order: Order) -> Priced:
        out = _Priced(order, ctx.now(), ctx.actor.label, ctx.tenant.locale)
        redemptions: list[Redemption] = []
        for r in order.redemptions:
            if r.kind is not RedemptionKind.COUPON:
                continue  # points are worth what they were
            coupon = coupon_as_booked(r.ref, r.terms) if r.terms else self._coupons.get(r.ref)
            if coupon is None:
                continue  # a code gone, booked before its terms were kept: no rules to apply
            lines = [Priceable(line.offering_id, line.subtotal) for line in order.lines]
            try:
                off = coupon_discounts(coupon, lines)
            except CouponNotApplicable:
                off = [0] * len(lines)
            # New ids: the discounts they replace stay on the folio, voided.
            label = code_label(r.ref, order.customer.locale or ctx.tenant.locale)
            out.discounts(off, f"cpn_{r.ref}_v{order.version}", label, f"coupon:{r.ref}")
            redemptions.append(replace(r, amount=sum(off)))
        return Priced(tuple(out.charges), tuple(redemptions), ())

    def retake(self, ctx: KernelContext, order: Order) -> tuple[TransactionItem, ...]:
        items: list[TransactionItem] = []
        for redemption in order.redemptions:
            if redemption.kind is RedemptionKind.COUPON:
                items += self._coupon_again(ctx, order.id, redemption)
            else:
                items += self._points_again(ctx, order.id, redemption)
        return tuple(items)

    def _coupon_again(
        self, ctx: KernelContext, order_id: str, r: Redemption
    ) -> list[TransactionItem]:
        """Still held (its expiry's give-back has not run: it will find the order confirmed
        and give nothing back): checked; given back: taken again within the limits."""
        if self._coupons.holds(r.ref, order_id):
            return [CouponUseHeld(r.ref, order_id)]
        coupon = self._coupons.get(r.ref)
        limits = (coupon.max_uses, coupon.per_customer) if coupon else (0, 0)
        customer = live_customer(self._loyalty, r.customer_id)  # the counts merged there
        return [
            CouponCount(r.ref, 1, limits[0]),
            CouponRedemptionPut(r.ref, order_id, r.amount, ctx.now()),
            CustomerCouponCount(customer, r.ref, 1, limits[1]),
        ]

    def _points_again(
        self, ctx: KernelContext, order_id: str, r: Redemption
    ) -> list[TransactionItem]:
        # The give-back's mark sits under the redemption's own id (a merge does not move it:
        # redemption_consumers.py), the points on the live customer.
        mark, owner = returned_mark(order_id), r.customer_id
        if not self._loyalty.has_mark(owner, mark):
            return [LoyaltyMarkCheck(owner, mark)]
        customer = live_customer(self._loyalty, owner)
        at = ctx.now()
        entry = LedgerEntry(f"red_{order_id}_{at}", at, Movement.REDEEMED, r.points, order_id)
        return [
            LoyaltyMarkDelete(owner, mark),
            PointsMove(customer, -r.points),
            LedgerPut(customer, entry),
        ]

    def usable(self, code: str, today: date) -> Coupon:
        coupon = self._coupons.get(code)
        if coupon is None:
            raise CouponNotFound("No such code.", code_sent=code)
        coupon.usable_on(today)
        return coupon

    def _points(
        self, ctx: KernelContext, customer: str, wanted: int, left: list[int]
    ) -> tuple[list[int], int]:
        programme = self._loyalty.programme()
        points = points_for(programme, wanted, sum(left))
        balance = current_balance(ctx, self._loyalty, customer)
        if points > balance.points:
            raise PointsInsufficient(
                f"Only {balance.points} points to spend.", balance=balance.points
            )
        return spread(points * programme.point_value, left), points


class _Priced:
    """The discounts, redemptions and items of one booking, as they are priced."""

    def __init__(self, order: Order, at: str, by: str, home_locale: str) -> None:
        self._order, self._at, self._by = order, at, by
        # The discount lines are worded in the customer's language (their e-mails, invoice
        # and widget show the label as it is), else the business's.
        self._locale = order.customer.locale or home_locale
        # Each rate's (total, tax) as the discounts leave it: a code and points are priced
        # on the lines alone, first, as when booked (a move prices the code again so).
        self._bands = band_totals(replace(order, charges=()))
        self.charges: list[Charge] = []
        self.redemptions: list[Redemption] = []
        self.items: list[TransactionItem] = []

    def coupon(self, coupon: Coupon, customer: str, off: list[int], limit: int) -> None:
        code, oid = coupon.code, self._order.id
        self.discounts(off, f"cpn_{code}", code_label(code, self._locale), f"coupon:{code}")
        self.redemptions.append(
            Redemption(RedemptionKind.COUPON, code, customer, sum(off), terms=terms_text(coupon))
        )
        self.items += [
            CouponCount(code, 1, coupon.max_uses),
            CouponRedemptionPut(code, oid, sum(off), self._at),
            CustomerCouponCount(customer, code, 1, limit),
        ]

    def points(self, customer: str, points: int, off: list[int]) -> None:
        if points <= 0:
            return  # nothing left to pay with them
        oid = self._order.id
        self.discounts(off, "pts", points_label(points, self._locale), "points")
        self.redemptions.append(
            Redemption(RedemptionKind.POINTS, "", customer, sum(off), points=points)
        )
        entry = LedgerEntry(f"red_{oid}", self._at, Movement.REDEEMED, points, order_id=oid)
        self.items += [PointsMove(customer, -points), LedgerPut(customer, entry)]

    def discounts(self, off: list[int], prefix: str, label: str, item_id: str) -> None:
        """One folio discount per tax rate (and way of pricing) of the lines discounted."""
        groups: dict[tuple[int, bool], int] = {}
        for line, amount in zip(self._order.lines, off, strict=True):
            if amount > 0:
                key = (line.tax_bp, line.tax_inclusive)
                groups[key] = groups.get(key, 0) + amount
        for rate, inclusive, amount, tax, total in discounts_taxed(self._bands, groups):
            self.charges.append(
                Charge(
                    id=f"{prefix}_{rate}{'i' if inclusive else 'x'}",
                    kind=ChargeKind.DISCOUNT,
                    label=label,
                    quantity=1,
                    unit_amount=amount,
                    tax_bp=rate,
                    tax_inclusive=inclusive,
                    tax=tax,
                    total=total,
                    at=self._at,
                    by=self._by,
                    item_id=item_id,
                    reason=label,
                )
            )


def code_label(code: str, locale: str) -> str:
    """The discount line of a coupon, in the customer's language ("Code WINTER15")."""
    return f"优惠码 {code}" if locale.lower().startswith("zh") else f"Code {code}"


def points_label(points: int, locale: str) -> str:
    """The discount line of loyalty points, in the customer's language ("120 points")."""
    if locale.lower().startswith("zh"):
        return f"{points} 积分"
    return f"{points} point" if points == 1 else f"{points} points"
