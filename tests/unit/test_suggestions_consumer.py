"""The co-booking consumer over the fakes: it counts the fixed history to the hand-worked
answers, the same event delivered three times leaves every count as it was, an event
delivered late counts the order as it stands now, and a customer changed by another event
meanwhile is read again rather than overwritten."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.booking.domain.orders import BookingStatus
from chalicelib.customers.services.suggestion_ports import BookedPut
from chalicelib.customers.services.suggestions import CountCoBookings, record_order
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.domain.events import OrderCancelled, OrderConfirmed
from tests.builders import Shop
from tests.unit.suggestion_history import BOTH, CUSTOMERS, HISTORY, cid, order_of


def confirmed(order_id: str, version: int = 2) -> OrderConfirmed:
    return OrderConfirmed(
        id=f"evt_{order_id}_{version}",
        at="2026-02-01T10:00:00.000000Z",
        order_id=order_id,
        status="confirmed",
        version=version,
        start="2026-02-01T10:00Z",
        actor="system:reservoir",
        previous_status="held",
    )


def counted_shop() -> Shop:
    shop = Shop()
    for row in HISTORY:
        shop.data.orders.orders[row[0]] = order_of(row)
        record_order(shop.ctx, row[0])
    return shop


def counts(shop: Shop) -> dict:
    rows = shop.data.suggestions.rows
    return {o: (r.customers, dict(r.pairs)) for o, r in rows.items()}


def test_the_history_is_counted_to_the_hand_worked_answers():
    rows = counted_shop().data.suggestions.rows
    assert {o: r.customers for o, r in rows.items()} == CUSTOMERS
    assert {(a, b): rows[a].pairs.get(b) for a, b in BOTH} == BOTH


def test_the_same_event_three_times_leaves_the_counts_unchanged():
    shop = counted_shop()
    before, commits = counts(shop), shop.data.orders.commits
    order = replace(order_of(("o30", "ida", BookingStatus.HELD, "off_colour", "res_bea",
                              "2026-03-01T11:00Z")), version=1)  # fmt: skip
    shop.data.orders.orders["o30"] = order
    shop.data.orders.orders["o30"] = replace(order, status=BookingStatus.CONFIRMED, version=2)
    consumer = CountCoBookings()
    for _ in range(3):
        consumer.handle(shop.ctx, confirmed("o30"), deps=object())
    after = counts(shop)
    assert shop.data.orders.commits == commits + 1  # one transaction, the first delivery's
    assert after["off_colour"][0] == before["off_colour"][0] + 1
    assert after["off_cut"][1]["off_colour"] == before["off_cut"][1]["off_colour"] + 1
    assert after["off_beard"] == before["off_beard"]
    assert shop.data.suggestions.booked(cid("ida")).version == 2


def test_a_cancellation_takes_the_customer_out_and_a_late_confirmation_does_not_bring_back():
    shop = counted_shop()
    before = counts(shop)
    # lea's colour (o29) is cancelled: she no longer counts for colour, nor cut with colour.
    lea = shop.data.orders.orders["o29"]
    shop.data.orders.orders["o29"] = replace(lea, status=BookingStatus.CANCELLED, version=4)
    cancelled = OrderCancelled(
        id="evt_c",
        at="2026-02-20T10:00:00.000000Z",
        order_id="o29",
        status="cancelled",
        version=4,
        start="2026-02-17T11:00Z",
        actor="system:reservoir",
        previous_status="confirmed",
        fee=0,
        refundable=0,
        cancelled_by="customer",
        refund=0,
    )
    consumer = CountCoBookings()
    consumer.handle(shop.ctx, cancelled, deps=object())
    consumer.handle(shop.ctx, confirmed("o29", 2), deps=object())  # the older event, late
    after = counts(shop)
    assert after["off_colour"][0] == before["off_colour"][0] - 1
    assert after["off_cut"][1]["off_colour"] == before["off_cut"][1]["off_colour"] - 1
    assert after["off_cut"][0] == before["off_cut"][0]  # lea still booked a cut


def test_a_customer_changed_meanwhile_is_read_again_not_overwritten():
    shop = counted_shop()
    writes = shop.data.transactions
    real = writes.write
    raced = []

    def write_after_another(items):
        if not raced:  # another event of ben's commits between our read and our write
            raced.append(True)
            theirs = shop.data.suggestions.booked(cid("ben"))
            real([BookedPut(cid("ben"), theirs.visits, theirs.version)])
        real(items)

    writes.write = write_after_another  # type: ignore[method-assign]
    ben = shop.data.orders.orders["o07"]
    shop.data.orders.orders["o07"] = replace(ben, status=BookingStatus.CANCELLED, version=4)
    assert record_order(shop.ctx, "o07") is True
    assert raced and shop.data.suggestions.booked(cid("ben")).version == 4
    assert shop.data.suggestions.rows["off_colour"].customers == CUSTOMERS["off_colour"] - 1


def test_a_put_over_a_stale_version_is_refused():
    shop = counted_shop()
    stale = BookedPut(cid("ann"), (), 1)
    with pytest.raises(Conflict) as refused:
        shop.data.transactions.write([stale])
    assert refused.value.code == "booked_changed"
