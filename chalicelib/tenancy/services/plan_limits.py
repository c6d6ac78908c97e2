"""The limits a tenant's plan buys (tenancy/domain/plans.py): bookings a month, staff seats,
resources.

Checked by the use cases that would pass them (a hold, an invitation, a new resource) before
they change anything; 402 `plan_limit_reached`. The resources' check is the catalog's
(catalog/services/resources.py): it counts the catalog's store, which tenancy never reads. The
monthly booking count is one mark per hold in the tenant's table that `CountBookings` keeps
from the `OrderHeld` events (billing.py says why it is not part of the booking transaction).
The subscription that sets the plan is billing.py's.
"""

from __future__ import annotations

from chalicelib.kernel.domain.events import OrderHeld
from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.kernel.domain.timefmt import month_of
from chalicelib.tenancy.domain.plans import check_limit, terms
from chalicelib.tenancy.services.counter_ports import TenancyContext
from chalicelib.tenancy.services.platform_ports import PlatformRepository


def check_booking_allowed(ctx: TenancyContext) -> None:
    if terms(ctx.tenant.plan).bookings_per_month is None:
        return  # unlimited: no read at all
    used = ctx.data.bookings.bookings_in(month_of(ctx.now()))
    check_limit(ctx.tenant.plan, "bookings_per_month", used)


class CountBookings:
    """Consumer of `OrderHeld` (pipeline/consumers.py): the month's booking count.

    One write per hold outside the hold's transaction, on purpose: every hold of the month
    would otherwise write the month's partition in its transaction, and concurrent holds would
    cancel each other on it. The write is the order's mark in the month (counter_ports.py), the
    same item however often it is written, so the count is exact without a claim on the event:
    the hold's event costs no ledger write (a claim and a finish, 2 WRU, for a count of 1 WRU
    before the third cost pass). Reading the count is a Query of the month's marks, which only
    the free and pro plans' limits do before a hold (at most 100 and 1,000 marks of about 70
    bytes: 1 to 9 RRU where a counter was 0.5), and the plan page."""

    name = "booking_count"
    events = (OrderHeld,)
    # Its one write is keyed by the order: written again, the same item.
    repeatable = True

    def handle(self, ctx: TenancyContext, event: OrderHeld, deps: object) -> None:
        ctx.data.bookings.count_booking(month_of(event.at), event.order_id)


def check_staff_allowed(tenant: Tenant, platform: PlatformRepository) -> None:
    if terms(tenant.plan).staff is None:
        return
    active = [u for u in platform.list_staff(tenant.id) if u.status.value != "disabled"]
    check_limit(tenant.plan, "staff", len(active))
