"""What a cancellation costs: the fee and the refundable share by each line's cancellation
policy, the offering's when the line was booked (hours before its start), on what the lines
cost after the folio's discounts. The cancellation itself (orders.cancel) and its quote, the
customer's move rule (own_orders) and the tests read it here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from chalicelib.booking.domain import order_money
from chalicelib.booking.domain.folio import ChargeKind
from chalicelib.booking.domain.line_begins import line_begins
from chalicelib.booking.domain.orders import BookingStatus, CancelledBy, Line, Order
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.catalog.domain.catalog import CancellationPolicy
from chalicelib.catalog.domain.payment_policy import RefundTier
from chalicelib.catalog.domain.pricing import share
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.errors import Forbidden
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.domain.values import value
from chalicelib.tenancy.domain.staff import MANAGE

S = BookingStatus


def stored_stamp(iso_minute: str) -> str:
    """2026-12-24T09:15Z -> the stored timestamp format."""
    return iso_minute.replace("Z", ":00.000000Z")


@value
class StayClock:
    """Where a stay begins for its guest: the business's zone and check-in time (minutes)."""

    tz: str
    check_in: int


def stay_clock(ctx: BookingContext) -> StayClock:
    return StayClock(ctx.tenant.timezone, ctx.tenant.settings.business.check_in)


def cancellation_terms(
    order: Order,
    now: str,
    policies: dict[str, CancellationPolicy],
    clock: StayClock,
    by: CancelledBy = CancelledBy.CUSTOMER,
) -> dict[str, int]:
    """The fee and refund share by each line's offering's policy (hours before the line
    begins: a stay's at the check-in time on its arrival day, domain/line_begins.py). A hold
    was never paid, and a cancellation by the business is not the customer's doing: either
    costs nothing."""
    fee = 0
    for line in order.lines:
        policy = booked_policy(line) or policies.get(line.offering_id)
        begins = line_begins(line, clock.tz, clock.check_in)
        hours = (begins - parse(now)).total_seconds() / 3600
        refund_bp = policy.refund_bp(hours) if policy is not None else 10000
        fee += line.total - share(line.total, refund_bp)
    if order.status is S.HELD or by is CancelledBy.BUSINESS:
        fee = 0
    fee = _discounted(fee, order)
    return {"fee": fee, "refundable": order.total - fee}


def booked_policy(line: Line) -> CancellationPolicy | None:
    """The cancellation terms the line was booked under (an outside tester's business made
    its policy stricter, and a booking made with free cancellation then cost its whole price
    to cancel); None for a line stored before they were kept: the offering's as they are."""
    if line.refund_tiers is None:
        return None
    return CancellationPolicy(tuple(RefundTier(h, bp) for h, bp in line.refund_tiers))


def with_booked_terms(before: Sequence[Line], planned: Sequence[Line]) -> list[Line]:
    """Lines planned again (a move, a stay made longer or shorter, a room of another type)
    keep the cancellation terms the booking was made under for each offering it had; a line
    of an offering it did not have takes that offering's terms as planned."""
    booked = {ln.offering_id: ln.refund_tiers for ln in reversed(before) if ln.refund_tiers}
    return [
        replace(ln, refund_tiers=booked[ln.offering_id]) if ln.offering_id in booked else ln
        for ln in planned
    ]


def terms_for(
    ctx: BookingContext,
    cache: CatalogCache,
    order: Order,
    now: str,
    by: CancelledBy,
    *,
    waive_fee: bool = True,
) -> dict[str, int]:
    """The cancellation's terms for who calls it off (PROBE5 defect 3). The customer: the
    policy's fee. The business with `waive_fee`: no fee, and `waived` names the policy's fee
    given up, a manager's or owner's decision (a staff member waiving a fee gives money back
    beyond the policy, as a refund does: 403 `waiver_needs_manager`). The business without
    `waive_fee`: the policy's fee, as the customer's cancellation would keep (staff may)."""
    policies = cancellation_policies(ctx, cache, order)
    clock = stay_clock(ctx)
    policy = kept_terms(order, cancellation_terms(order, now, policies, clock))
    if by is CancelledBy.CUSTOMER or not waive_fee:
        return {**policy, "waived": 0}
    role = ctx.actor.role
    if policy["fee"] > 0 and role is not None and role not in MANAGE:
        raise Forbidden(
            "Only a manager or owner waives the cancellation fee; a business cancellation by "
            "staff keeps the policy's fee (send `waive_fee: false`).",
            code="waiver_needs_manager",
            fee=policy["fee"],
        )
    return {
        **kept_terms(order, cancellation_terms(order, now, policies, clock, by)),
        "waived": policy["fee"],
    }


def check_fee_kept(ctx: BookingContext, cache: CatalogCache, before: Order, after: Order) -> None:
    """A booking made smaller (fewer people, fewer nights) inside its cancellation tiers gives
    up the fee cancelling that part would keep: a manager's or owner's decision, as waiving
    the fee of a cancellation is (403 `waiver_needs_manager` for staff). A desk key cut a party
    of ten to one 17 hours before a tour that keeps everything, and the cancellation that
    followed kept a tenth of the fee (an outside tester's)."""
    role = ctx.actor.role
    if role is None or role in MANAGE or before.partner or not _smaller(before, after):
        return  # the customer's own move is refused earlier (move_needs_the_business); a
        # partner's booking follows the partner's terms; a move to cheaper dates or another
        # room type is no part given back (a reviewer's desk was refused one)
    now = ctx.now()
    given_up = (
        terms_for(ctx, cache, before, now, CancelledBy.CUSTOMER)["policy_fee"]
        - terms_for(ctx, cache, after, now, CancelledBy.CUSTOMER)["policy_fee"]
    )
    if given_up > 0:
        raise Forbidden(
            "Making this booking smaller now gives up the cancellation fee its policy keeps "
            "on the part given back: a manager or owner decides that.",
            code="waiver_needs_manager",
            fee=given_up,
        )


def _smaller(before: Order, after: Order) -> bool:
    """Fewer lines, or a line with fewer people, a smaller quantity or fewer nights."""
    if len(after.lines) < len(before.lines):
        return True
    return any(
        a.party < b.party or a.quantity < b.quantity or a.nights < b.nights
        for b, a in zip(before.lines, after.lines, strict=False)  # more lines: the new ones
    )


def kept_terms(order: Order, terms: dict[str, int]) -> dict[str, int]:
    """The fee a cancellation keeps is at most what the order holds when it is cancelled
    (received less refunded; P7A finding 1): a deposit of 15.00 under a "nothing back" policy
    on a 60.00 table keeps the 15.00, and the customer owes nothing more. Nothing collects
    more after a cancellation: an open card authorisation and open attempts are released
    (payments/services/refunds.settle_cancellation), and a card saved at booking is charged
    only for a no-show's fee or a confirmed booking's scheduled dues. `policy_fee` keeps
    what the policy alone would ask."""
    fee = min(terms["fee"], order_money.refundable(order))
    return {**terms, "fee": fee, "policy_fee": terms["fee"]}


def cancellation_policies(
    ctx: BookingContext, cache: CatalogCache, order: Order
) -> dict[str, CancellationPolicy]:
    """The cancellation policy of each line's offering, as the catalog has it now."""
    offerings = cache.get(ctx.tenant.id, ctx.data.catalog).offerings
    lines = [ln for ln in order.lines if ln.offering_id in offerings]
    return {ln.offering_id: offerings[ln.offering_id].cancellation for ln in lines}


def _discounted(fee: int, order: Order) -> int:
    """The fee on what the lines cost after the folio's discounts (a stay half off keeps
    half the fee), never more than the order costs."""
    lines = order.lines_total
    off = sum(c.total for c in order.charges if c.live and c.kind is ChargeKind.DISCOUNT)
    if lines > 0 and off > 0:
        fee = (fee * max(0, lines - off) * 2 + lines) // (lines * 2)
    return max(0, min(fee, order.total))


def refund_ways_now(ctx: BookingContext, order: Order, refund: int) -> dict[str, int]:
    """Of a cancellation's `refund`, what goes back by itself and what the desk owes back
    (order_money.refund_ways), with the gift cards the order was paid with as they are now: a
    card staff disabled takes nothing back, so its part is the desk's (one read per card, only
    for an order a gift card paid)."""
    paid_with = order_money.gift_cards_paid_with(order)
    closed = ctx.data.gift_cards.disabled(paid_with) if paid_with else frozenset()
    return order_money.refund_ways(order, refund, closed)
