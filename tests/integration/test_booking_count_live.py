"""The month's booking count on DynamoDB Local (payments_store, tenancy's `BookingCounts`): one
mark per hold, the same item however often it is written, counted by a Query across pages;
a month up to `COUNTERS_UNTIL` adds the counter its holds were counted on before the marks."""

from __future__ import annotations

from datetime import date

from chalicelib.payments.adapters.payments_store import (
    COUNTERS_UNTIL,
    DynamoTenantPaymentRecords,
)


def month(ahead: int) -> str:
    """The month `ahead` months after this one (YYYY-MM): always after `COUNTERS_UNTIL`, and
    its marks' ttl (400 days from its first day) ahead of the real clock, which DynamoDB Local
    sweeps by."""
    today = date.today()
    n = today.year * 12 + today.month - 1 + ahead
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def test_a_hold_counts_once_however_often_its_mark_is_written(stack, empty_tenant_table):
    table = empty_tenant_table
    counts = DynamoTenantPaymentRecords(stack.client("dynamodb"), table)
    one, two = month(3), month(4)
    assert counts.bookings_in(one) == 0
    for order in ("ord_a", "ord_b", "ord_a", "ord_a"):  # a redelivered event writes it again
        counts.count_booking(one, order)
    counts.count_booking(two, "ord_c")
    assert (counts.bookings_in(one), counts.bookings_in(two)) == (2, 1)
    ddb = stack.client("dynamodb")
    item = ddb.get_item(TableName=table, Key={"pk": {"S": f"BOOKED#{one}"}, "sk": {"S": "ord_a"}})[
        "Item"
    ]
    assert int(item["ttl"]["N"]) > 0 and set(item) == {"pk", "sk", "type", "ttl"}


def test_the_count_reads_every_page_and_the_counter_of_a_month_before_the_marks(
    stack, empty_tenant_table
):
    table = empty_tenant_table
    ddb = stack.client("dynamodb")
    counts = DynamoTenantPaymentRecords(ddb, table)
    # Wide marks, so that one Query page (1 MB) cannot hold them all: the count pages on.
    pad, wide = "x" * 300_000, month(5)
    for n in range(5):
        ddb.put_item(
            TableName=table,
            Item={"pk": {"S": f"BOOKED#{wide}"}, "sk": {"S": f"ord_{n}"}, "pad": {"S": pad}},
        )
    queries: list[str] = []
    ddb.meta.events.register("before-call.dynamodb.Query", lambda **_: queries.append("q"))
    assert counts.bookings_in(wide) == 5
    assert len(queries) >= 2  # it did page
    # The month of the change: the holds counted on the counter before it, and the marks after.
    counter = {"pk": {"S": f"USAGE#{COUNTERS_UNTIL}"}, "sk": {"S": "META"}}
    ddb.put_item(TableName=table, Item={**counter, "bookings": {"N": "7"}})
    counts.count_booking(COUNTERS_UNTIL, "ord_new")
    assert counts.bookings_in(COUNTERS_UNTIL) == 8
    # A later month never reads a counter (none is written any more).
    ddb.put_item(
        TableName=table, Item={**counter, "pk": {"S": f"USAGE#{month(6)}"}, "bookings": {"N": "9"}}
    )
    assert counts.bookings_in(month(6)) == 0


def test_a_released_mark_stops_counting_whichever_of_the_two_writes_comes_first(
    stack, empty_tenant_table
):
    table = empty_tenant_table
    ddb = stack.client("dynamodb")
    counts = DynamoTenantPaymentRecords(ddb, table)
    m = month(3)
    assert counts.count_booking(m, "ord_a") is True  # new
    assert counts.count_booking(m, "ord_a") is False  # written again: the same mark
    counts.count_booking(m, "ord_b")
    counts.release_booking(m, "ord_a")  # ran out after its count
    counts.release_booking(m, "ord_c")  # its release overtook its count
    assert counts.count_booking(m, "ord_c") is False
    assert counts.bookings_in(m) == 1 and counts.bookings_in(m, consistent=True) == 1
    item = ddb.get_item(TableName=table, Key={"pk": {"S": f"BOOKED#{m}"}, "sk": {"S": "ord_c"}})
    assert item["Item"]["released"] == {"BOOL": True} and int(item["Item"]["ttl"]["N"]) > 0
    counts.drop_booking(m, "ord_b")  # a refused or failed hold's mark: gone
    assert counts.bookings_in(m) == 0


def test_the_desks_count_leaves_out_the_widgets_holds_within_their_hold_period(
    stack, empty_tenant_table
):
    counts = DynamoTenantPaymentRecords(stack.client("dynamodb"), empty_tenant_table)
    m, at = month(3), 1_900_000_000
    counts.count_booking(m, "ord_desk")
    counts.count_booking(m, "ord_open", until=at + 900)  # a widget hold, 15 minutes to go
    counts.count_booking(m, "ord_over", until=at)  # a widget hold whose period is over
    counts.count_booking(m, "ord_gone", until=at - 60)
    counts.release_booking(m, "ord_gone")
    assert counts.bookings_in(m, consistent=True) == 3  # the widget's count: every open mark
    assert counts.bookings_in(m, consistent=True, widget_holds_after=at) == 2  # the desk's
    assert counts.bookings_in(m, widget_holds_after=at + 900) == 3


def test_holds_at_once_at_the_edge_of_the_free_plan_never_pass_it(stack, empty_tenant_table):
    """The outside tester's defect 4 (150 holds of a 100-a-month plan accepted): 40 requests
    from 8 threads for the last 10 of the month, each with its own client, against the real
    conditional-free writes and consistent Query: at most 10 admitted, and the marks are
    exactly the month's 90 and the admitted ones."""
    from concurrent.futures import ThreadPoolExecutor
    from dataclasses import replace
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from chalicelib.kernel.domain.tenant import Plan
    from chalicelib.kernel.domain.timefmt import format_utc
    from chalicelib.tenancy.domain.plans import PlanLimitReached
    from chalicelib.tenancy.services.plan_limits import business_month, check_booking_allowed
    from tests.builders import Shop

    table = empty_tenant_table
    tenant = replace(Shop(tz="Asia/Shanghai").tenant, plan=Plan.FREE)
    now = format_utc(datetime.now(UTC))
    m = business_month(tenant, now)
    seed = DynamoTenantPaymentRecords(stack.client("dynamodb"), table)
    for n in range(90):
        seed.count_booking(m, f"ord_before_{n}")

    def hold(n: int) -> bool:
        counts = DynamoTenantPaymentRecords(stack.client("dynamodb"), table)
        ctx = SimpleNamespace(tenant=tenant, data=SimpleNamespace(bookings=counts), now=lambda: now)
        try:
            check_booking_allowed(ctx, f"ord_burst_{n}")  # type: ignore[arg-type]
        except PlanLimitReached:
            return False
        return True

    with ThreadPoolExecutor(8) as pool:
        admitted = sum(pool.map(hold, range(40)))
    assert 1 <= admitted <= 10
    assert seed.bookings_in(m, consistent=True) == 90 + admitted


def test_a_revived_hold_counts_again_once_and_no_release_takes_it_back(stack, empty_tenant_table):
    """FIX-LEFT item 1: a hold that ran out (released), then revived by its late payment, counts
    again; written twice it is one mark; a release after it (the expiry's event handled late,
    or again) leaves it counted; a revival whose release had not come yet counts too."""
    ddb = stack.client("dynamodb")
    counts = DynamoTenantPaymentRecords(ddb, empty_tenant_table)
    m = month(3)
    counts.count_booking(m, "ord_a")
    counts.release_booking(m, "ord_a")
    assert counts.bookings_in(m, consistent=True) == 0
    counts.count_revived(m, "ord_a")
    counts.count_revived(m, "ord_a")  # its event delivered twice
    counts.release_booking(m, "ord_a")  # the expiry's release again
    assert counts.bookings_in(m, consistent=True) == 1
    counts.count_booking(m, "ord_b")
    counts.count_revived(m, "ord_b")  # revived before its expiry was heard of
    counts.release_booking(m, "ord_b")
    assert counts.bookings_in(m, consistent=True) == 2
    item = ddb.get_item(
        TableName=empty_tenant_table, Key={"pk": {"S": f"BOOKED#{m}"}, "sk": {"S": "ord_b"}}
    )["Item"]
    assert "released" not in item and item["revived"] == {"BOOL": True}
