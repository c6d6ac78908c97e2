"""The free plan's 100 bookings a month on the real stack (DynamoDB Local, the real hold): a
burst of holds from 8 threads at the edge of the month never passes it, a refused hold leaves
no order and no mark, and the month is the business's. The outside tester's defect 4: 150
holds of 8 threads were all accepted, the count being written seconds later by a consumer."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from chalicelib.booking.domain.orders import Channel, Customer
from chalicelib.booking.services.booking import HoldInput
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.booking.services.placing import place_order
from chalicelib.kernel.domain.tenant import Plan
from chalicelib.kernel.domain.timefmt import format_utc
from chalicelib.kernel.services.context import system_context
from chalicelib.tenancy.domain.plans import PlanLimitReached
from chalicelib.tenancy.services.plan_limits import business_month
from tests.integration.support import ahead, live_hotel

LIMIT, BEFORE, BURST = 100, 95, 24


def test_a_burst_at_the_edge_of_the_free_plan_never_passes_it(live):
    c, tenant, data = live_hotel(live, "limitburst", rooms=BURST + 5)
    assert tenant.plan is Plan.FREE
    month = business_month(tenant, format_utc(datetime.now(UTC)))
    for n in range(BEFORE):  # the month's earlier holds
        data.payments.count_booking(month, f"ord_earlier_{n}")
    check_in = ahead(30)

    def hold(n: int) -> str | None:
        ctx = system_context(tenant, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
        line = LineInput("off_stay", check_in=check_in, nights=1)
        request = HoldInput(Customer(f"G {n}", f"g{n}@example.com"), [line], Channel.API)
        try:
            return place_order(
                ctx, c.catalog_cache, c.work_marks, request, order_id=f"ord_burst{n}"
            ).id
        except PlanLimitReached:
            return None

    with ThreadPoolExecutor(8) as pool:
        placed = [o for o in pool.map(hold, range(BURST)) if o]
    assert 1 <= len(placed) <= LIMIT - BEFORE
    assert data.payments.bookings_in(month, consistent=True) == BEFORE + len(placed)
    for n in range(BURST):  # a refused hold left no order
        order = data.orders.get(f"ord_burst{n}")
        assert (order is not None) == (f"ord_burst{n}" in placed)
        if order is not None:
            assert order.status.value == "held"
