"""The limits a tenant's plan buys (tenancy/domain/plans.py): bookings a month, staff seats,
resources.

Checked by the use cases that would pass them (a hold, an invitation, a new resource) before
they change anything; 402 `plan_limit_reached`. The resources' check is the catalog's
(catalog/services/resources.py): it counts the catalog's store, which tenancy never reads. The
monthly booking count is a counter in the tenant's table that `CountBookings` keeps from the
`OrderHeld` events (billing.py says why it is not part of the booking transaction). The subscription
that sets the plan is billing.py's.
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

    One UpdateItem ADD outside the hold's transaction, on purpose: every hold of the month
    would otherwise write the same item in its transaction, and concurrent holds would cancel
    each other on it. The ledger runs it once per event; a process that dies after the ADD and
    before the ledger's completion runs it again once the lease ends, so the count can be one
    too high (a plan's limit refuses a booking one early), never too low. Nothing repairs it
    and nothing needs to: the count only gates the free and pro plans' monthly limits."""

    name = "booking_count"
    events = (OrderHeld,)
    # Adding to the month's count twice would count the booking twice.
    repeatable = False

    def handle(self, ctx: TenancyContext, event: OrderHeld, deps: object) -> None:
        ctx.data.bookings.count_booking(month_of(event.at))


def check_staff_allowed(tenant: Tenant, platform: PlatformRepository) -> None:
    if terms(tenant.plan).staff is None:
        return
    active = [u for u in platform.list_staff(tenant.id) if u.status.value != "disabled"]
    check_limit(tenant.plan, "staff", len(active))
