"""The limits a tenant's plan buys (tenancy/domain/plans.py): bookings a month, staff seats,
resources.

Checked by the use cases that would pass them (a hold, an invitation, a new resource) before
they change anything; 402 `plan_limit_reached`. The resources' check is the catalog's
(catalog/services/resources.py): it counts the catalog's store, which tenancy never reads. The
subscription that sets the plan is billing.py's.

The monthly booking count is one mark per hold in the tenant's table, in the business's month
(its time zone, not UTC's). A plan with a monthly limit (free, pro) has the hold's request
write its mark before the hold and then count the month's marks with a consistent read: a hold
that finds more than the limit takes its mark back and is refused. Of the holds admitted, the
last to write its mark saw every other admitted mark, so no burst passes the limit; at the
edge two holds at once may both be refused (each saw the other), and either one's retry is
admitted. The price is the limited plans' alone: a write and a consistent Query per hold (2 RRU
at 100 marks, 18 at 1,000), none in the booking's transaction (docs/SCALING.md, "Third cost
pass"), and the consumer's write of the same mark is saved. `CountBookings` writes the mark of
an unlimited plan's hold from its `OrderHeld` event (the plan page's count), and
`ReleaseBookings` marks a hold that ran out or was cancelled unconfirmed as released: it no
longer counts, so unpaid holds block nobody once they end. A hold that ran out and is revived
(its late payment) counts again (`count_revived`), and no release takes that back.

The desk is not blocked by the widget: a widget hold's mark carries the end of its hold period
(`until`), and the desk's count (staff, API keys, partners) leaves out the widget's holds still
within it, so anonymous holds made with the publishable key cannot lock the staff out even
while they last. The widget's count leaves out nothing: the widget never passes the limit. The
price is a bounded overshoot: a desk booking that fills the month while widget holds are open,
whose customers then pay, ends the month above the limit by at most the widget's holds of that
one hold period (which the widget's rate limits bound).
"""

from __future__ import annotations

from datetime import timedelta

from chalicelib.kernel.domain.calendar import local_month
from chalicelib.kernel.domain.events import (
    OrderCancelled,
    OrderExpired,
    OrderHeld,
    OrderStatusChanged,
)
from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.tenancy.domain.plans import check_limit, terms
from chalicelib.tenancy.services.counter_ports import BookingCounts, TenancyContext
from chalicelib.tenancy.services.platform_ports import PlatformRepository

# A hold lasts at most a day (the settings' `hold_minutes` <= 1440); its end is seen at most
# about half an hour late (booking/services/expiry.py).
LONGEST_HOLD = timedelta(days=1, hours=1)


def business_month(tenant: Tenant, stamp: str) -> str:
    """The month (yyyy-mm) of an instant in the business's own time zone."""
    return local_month(parse(stamp), tenant.timezone)


def check_booking_allowed(
    ctx: TenancyContext, order_id: str, *, widget: bool = False
) -> str | None:
    """Count the order's hold in this month, or refuse it (402) when the plan's monthly
    bookings are all taken. The month when the mark is new: the caller takes it back with
    `give_back` if the hold then fails. A retried request whose order has its mark already is
    not counted again (nor refused: its order exists, or its first try failed and took the
    mark back). The widget's hold counts every mark; the desk's (staff, API, partners) leaves
    out the widget's holds still within their hold period (`desk_count`)."""
    limit = terms(ctx.tenant.plan).bookings_per_month
    if limit is None:
        return None  # unlimited: no read, no write; the consumer counts it for the plan page
    now = ctx.now()
    month, at = business_month(ctx.tenant, now), int(parse(now).timestamp())
    until = at + ctx.tenant.settings.hold_minutes * 60 if widget else None
    if not ctx.data.bookings.count_booking(month, order_id, until=until):
        return None
    after = None if widget else at
    used = ctx.data.bookings.bookings_in(month, consistent=True, widget_holds_after=after)
    if used > limit:
        ctx.data.bookings.drop_booking(month, order_id)
        check_limit(ctx.tenant.plan, "bookings_per_month", used - 1)
    return month


def bookings_left(tenant: Tenant, counts: BookingCounts, now: str) -> int | None:
    """How many more bookings the desk may make this month (None: unlimited), as the desk's
    count sees it (eventually consistent): what an import's dry run says it would refuse."""
    limit = terms(tenant.plan).bookings_per_month
    if limit is None:
        return None
    month, at = business_month(tenant, now), int(parse(now).timestamp())
    return max(0, limit - counts.bookings_in(month, widget_holds_after=at))


def count_made(ctx: TenancyContext, order_id: str) -> None:
    """Count a hold made without `check_booking_allowed` (a channel manager's booking, an
    overbooking conflict: made by the partner already, never refused here; a room block's
    pickup is checked like POST /v1/orders) in a limited plan's month; an unlimited plan's the
    consumer counts. After its commit: a process that dies between leaves it uncounted (the
    count errs low, never high)."""
    if terms(ctx.tenant.plan).bookings_per_month is not None:
        ctx.data.bookings.count_booking(business_month(ctx.tenant, ctx.now()), order_id)


def count_revived(ctx: TenancyContext, order_id: str, held_at: str) -> None:
    """Count again, on every plan, a hold that ran out and was revived (confirmed by its late
    payment, or a partner's retry): its expiry released its mark. In the month it was held
    (`held_at`, its order's creation), where its mark is; a hold whose mark was written in
    the last instant of a month and its order in the next counts in the next (the month it
    held is released). Never refused: the money came, the booking stands. The mark's `revived`
    keeps the expiry's release off it in whichever order the two arrive, and written twice it
    is the same mark: counted once."""
    ctx.data.bookings.count_revived(business_month(ctx.tenant, held_at), order_id)


def give_back(ctx: TenancyContext, month: str, order_id: str) -> None:
    """Take back the mark `check_booking_allowed` wrote for a hold that did not happen."""
    ctx.data.bookings.drop_booking(month, order_id)


class CountBookings:
    """Consumer of `OrderHeld` (pipeline/consumers.py): the month's booking count.

    One write per hold outside the hold's transaction, on purpose: every hold of the month
    would otherwise write the month's partition in its transaction, and concurrent holds would
    cancel each other on it. The write is the order's mark in the month (counter_ports.py), the
    same item however often it is written, so the count is exact without a claim on the event:
    the hold's event costs no ledger write (a claim and a finish, 2 WRU, for a count of 1 WRU
    before the third cost pass). Reading the count is a Query of the month's marks, which only
    the free and pro plans' limits do before a hold (at most 100 and 1,000 marks of about 70
    bytes: 1 to 9 RRU where a counter was 0.5), and the plan page. A limited plan's hold wrote
    its mark already (`check_booking_allowed`), so this writes only an unlimited plan's: a
    tenant whose plan gained a limit between the hold and its event (seconds) has that one
    hold uncounted."""

    name = "booking_count"
    events = (OrderHeld,)
    # Its one write is keyed by the order: written again, the same item.
    repeatable = True

    def handle(self, ctx: TenancyContext, event: OrderHeld, deps: object) -> None:
        if terms(ctx.tenant.plan).bookings_per_month is not None:
            return  # marked by its request (`check_booking_allowed`)
        ctx.data.bookings.count_booking(business_month(ctx.tenant, event.at), event.order_id)


class ReleaseBookings:
    """Consumer of `OrderExpired` and of `OrderCancelled` from held: the hold no longer counts
    towards the month's bookings (a confirmed booking cancelled later still does: it was a
    booking). The hold's month is the month of its end or, when the hold may have begun in the
    month before (its end within `LONGEST_HOLD` of the month's start), both: a release in the
    wrong month is a released mark no order has, counted by nobody. The release is an update
    that a late `CountBookings` leaves released, so the two may arrive in either order. A
    hold longer than `LONGEST_HOLD` (OCTO's extend) is released in its own month by
    `release_long_hold` too."""

    name = "booking_release"
    events = (OrderExpired, OrderCancelled)
    # Its writes are keyed by the order: written again, the same items.
    repeatable = True

    def handle(self, ctx: TenancyContext, event: OrderStatusChanged, deps: object) -> None:
        if event.previous_status != "held":
            return
        end = parse(event.at)
        months = {local_month(end - LONGEST_HOLD, ctx.tenant.timezone)}
        months.add(local_month(end, ctx.tenant.timezone))
        for month in sorted(months):
            ctx.data.bookings.release_booking(month, event.order_id)


def release_long_hold(ctx: TenancyContext, order_id: str, *, held_at: str, ended_at: str) -> None:
    """A hold that lasted longer than `LONGEST_HOLD` (an OCTO hold extended again and again:
    channels' octo_hold_release.py) ended unconfirmed: its mark is released in the month it
    was held in (`held_at`, its order's creation; and a minute before, where the request's
    mark may be), which `ReleaseBookings`, reaching a day back from its end, may miss. A
    release where no mark is counts for nobody; nothing for a hold within a day."""
    if parse(ended_at) - parse(held_at) <= LONGEST_HOLD:
        return
    held = parse(held_at)
    for at in (held - timedelta(minutes=1), held):
        ctx.data.bookings.release_booking(local_month(at, ctx.tenant.timezone), order_id)


def check_staff_allowed(tenant: Tenant, platform: PlatformRepository) -> None:
    if terms(tenant.plan).staff is None:
        return
    active = [u for u in platform.list_staff(tenant.id) if u.status.value != "disabled"]
    check_limit(tenant.plan, "staff", len(active))
