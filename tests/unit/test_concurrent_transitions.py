"""Two requests change one order at once. With `If-Match`, the loser's version is stale and
it says so (409 `version_mismatch`). Without it, the caller asked for an outcome, not a
version: the service reads again and decides again on the order as it now is, so a second
cancel finds the order cancelled and answers with it, and a confirm that lost to a cancel
is refused as the transition it now is."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest

from chalicelib.booking.domain.orders import BookingStatus, IllegalTransition
from chalicelib.booking.services import no_shows
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.booking.services.transaction_items import OrderPut
from chalicelib.kernel.domain.errors import Conflict
from tests.builders import Shop, room_type, stay_offering
from tests.fakes import FakeTransactions

S = BookingStatus


def held(shop: Shop, order_id: str = "ord_1"):
    from chalicelib.booking.domain.orders import Channel, Customer

    hold = HoldInput(
        Customer("Ada", "ada@example.com"),
        [LineInput("off_stay", check_in=date(2026, 12, 24))],
        Channel.API,
    )
    return hold_order(shop.ctx, shop.cache, hold, order_id=order_id)


def race(monkeypatch, shop: Shop, competitor) -> list[int]:
    """Run `competitor` (another request) once, between our read and our first commit:
    exactly the window in which a real concurrent request commits first."""
    transactions = shop.data.transactions
    real_write = FakeTransactions.write
    state = {"raced": False}
    attempts: list[int] = []

    def write(self, items):
        attempts.append(next(i.expected_version for i in items if isinstance(i, OrderPut)))
        if not state["raced"]:
            state["raced"] = True
            competitor()
        return real_write(self, items)

    monkeypatch.setattr(transactions, "write", write.__get__(transactions))
    return attempts


@pytest.fixture
def shop():
    shop = Shop().add(room_type(rooms=1), stay_offering())
    held(shop)
    order_service.confirm(shop.ctx, "ord_1")
    return shop


def test_a_second_concurrent_cancel_without_if_match_answers_the_cancelled_order(monkeypatch, shop):
    first: list = []
    attempts = race(
        monkeypatch,
        shop,
        lambda: first.append(order_service.cancel(shop.ctx, shop.cache, "ord_1", reason="a")),
    )
    second = order_service.cancel(shop.ctx, shop.cache, "ord_1", reason="b")
    assert second == first[0] == shop.data.orders.get("ord_1")
    assert second.status is S.CANCELLED and second.cancellation["reason"] == "a"
    assert attempts == [2, 2]  # ours lost at version 2; the competitor's won
    events = [e.name for e in shop.data.orders.events]
    assert events.count("OrderCancelled") == 1  # cancelled once, one refund, one e-mail
    assert shop.data.orders.buckets[("res_double", "N#2026-12-24")] == 0


def test_a_cancel_of_a_cancelled_order_answers_it_unchanged(shop):
    first = order_service.cancel(shop.ctx, shop.cache, "ord_1", reason="a")
    again = order_service.cancel(shop.ctx, shop.cache, "ord_1", reason="b")
    assert again == first and again.version == 3
    assert [e.name for e in shop.data.orders.events].count("OrderCancelled") == 1


def test_with_a_stale_if_match_the_loser_is_still_told_its_version_is_stale(monkeypatch, shop):
    race(monkeypatch, shop, lambda: order_service.cancel(shop.ctx, shop.cache, "ord_1"))
    with pytest.raises(Conflict) as refused:
        order_service.cancel(shop.ctx, shop.cache, "ord_1", expected_version=2)
    assert refused.value.code == "version_mismatch"


def test_a_confirm_that_loses_to_a_cancel_is_refused_as_the_transition_it_now_is(monkeypatch):
    shop = Shop().add(room_type(rooms=1), stay_offering())
    held(shop)
    race(monkeypatch, shop, lambda: order_service.cancel(shop.ctx, shop.cache, "ord_1"))
    with pytest.raises(IllegalTransition):
        order_service.confirm(shop.ctx, "ord_1")
    assert shop.data.orders.get("ord_1").status is S.CANCELLED


@pytest.mark.parametrize("name", ["confirm", "check_in", "complete"])
def test_the_same_status_change_twice_at_once_answers_both_with_one_change(monkeypatch, name):
    shop = Shop().add(room_type(rooms=1), stay_offering())
    held(shop)
    before = {"confirm": [], "check_in": ["confirm"], "complete": ["confirm", "check_in"]}[name]
    if name != "confirm":
        shop.clock.advance(30 * 24 * 3600)  # the day of the stay: check-in is open
    for step in before:
        getattr(order_service, step)(shop.ctx, "ord_1")
    change = getattr(order_service, name)
    if name == "complete":  # the stay is unpaid: checked out leaving the balance open
        change = partial(change, leave_balance_open=True)
    first: list = []
    race(monkeypatch, shop, lambda: first.append(change(shop.ctx, "ord_1")))
    second = change(shop.ctx, "ord_1")
    assert second == first[0] == shop.data.orders.get("ord_1")
    assert len(shop.data.orders.events) == 2 + len(before)  # held, the steps, this one


def test_a_no_show_marked_twice_at_once_answers_both_with_one_change(monkeypatch, shop):
    shop.clock.advance(40 * 24 * 3600)
    first: list = []
    race(monkeypatch, shop, lambda: first.append(no_shows.no_show(shop.ctx, "ord_1")))
    second = no_shows.no_show(shop.ctx, "ord_1")
    assert second == first[0] and second.status is S.NO_SHOW
    assert [e.name for e in shop.data.orders.events].count("OrderMarkedNoShow") == 1


def test_a_move_without_if_match_that_loses_to_a_confirm_is_planned_again(monkeypatch):
    """The widget's reschedule sends no version: a staff confirm landing first is no
    reason to refuse the customer's move."""
    shop = Shop().add(room_type(rooms=1), stay_offering())
    held(shop)
    race(monkeypatch, shop, lambda: order_service.confirm(shop.ctx, "ord_1"))
    moved = order_service.reschedule(
        shop.ctx,
        shop.cache,
        "ord_1",
        [LineInput("off_stay", check_in=date(2026, 12, 26))],
        expected_version=None,
    )
    assert moved.status is S.CONFIRMED and moved.version == 3
    assert moved.lines[0].local_date == "2026-12-26"
    buckets = shop.data.orders.buckets
    assert buckets[("res_double", "N#2026-12-24")] == 0
    assert buckets[("res_double", "N#2026-12-26")] == 1


def test_revoking_links_while_the_order_changes_revokes_on_top_of_the_change(monkeypatch, shop):
    from chalicelib.booking.services.own_orders import revoke_links

    attempts = race(
        monkeypatch, shop, lambda: order_service.check_in(shop.ctx, "ord_1", early=True)
    )
    after = revoke_links(shop.ctx, "ord_1")
    assert after.status is S.CHECKED_IN and after.manage_gen == 1
    # ours at 2, the check-in at 2 (it wins), ours again on top of it at 3
    assert attempts == [2, 2, 3]
