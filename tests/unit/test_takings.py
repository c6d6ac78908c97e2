"""The day's takings: the day is the business's local date (also across a daylight-saving
change), the figures per method and per staff member, the close's rules, and the close that a
payment landing between its read and its write cannot slip past."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from chalicelib.booking.domain.payment_records import Tender
from chalicelib.booking.services import orders as order_service
from chalicelib.kernel.domain.errors import Conflict, InvalidInput
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.payments.domain import takings as rules
from chalicelib.payments.domain.takings import (
    Close,
    CloseRequest,
    Day,
    DayAlreadyClosed,
    DayClosed,
    DayNotOver,
    Direction,
    Entry,
)
from chalicelib.payments.services import desk, takings
from tests.builders import Shop, room_type, stay_offering
from tests.unit.test_concurrent_transitions import held


@pytest.mark.parametrize(
    ("utc", "tz", "day"),
    [
        ("2026-11-24T22:30:00.000000Z", "Europe/Berlin", "2026-11-24"),  # 23:30 local
        ("2026-11-24T23:30:00.000000Z", "Europe/Berlin", "2026-11-25"),  # 00:30 local
        # 25 October 2026: Berlin goes back an hour at 03:00 (the day has 25 hours)
        ("2026-10-25T22:30:00.000000Z", "Europe/Berlin", "2026-10-25"),  # 23:30 CET
        ("2026-10-25T23:30:00.000000Z", "Europe/Berlin", "2026-10-26"),  # 00:30 CET
        ("2026-10-24T22:30:00.000000Z", "Europe/Berlin", "2026-10-25"),  # 00:30 CEST
        # 29 March 2026: forward at 02:00 (23 hours); 23:30 CEST is 21:30 UTC
        ("2026-03-29T21:30:00.000000Z", "Europe/Berlin", "2026-03-29"),
        ("2026-03-29T22:30:00.000000Z", "Europe/Berlin", "2026-03-30"),
        ("2026-11-24T10:30:00.000000Z", "Pacific/Auckland", "2026-11-24"),  # 23:30 NZDT
        ("2026-11-24T11:30:00.000000Z", "Pacific/Auckland", "2026-11-25"),
    ],
)
def test_the_day_of_a_moment_is_the_business_local_date(utc, tz, day):
    assert rules.day_of(parse(utc), tz) == day


def entry(n: int, direction=Direction.IN, method="cash", amount=100, by="a@x") -> Entry:
    return Entry(f"e{n}", "2026-11-24", f"t{n}", direction, method, amount, by, "ord_1")


def test_expected_cash_is_the_opening_float_plus_cash_in_less_cash_out():
    day = Day("2026-11-24", 3, {"cash": 5000, "card_terminal": 2000}, {"cash": 700})

    assert rules.expected(day, 1000) == {"cash": 5300, "card_terminal": 2000}
    lines = {f.method: f for f in rules.figures(day, 1000)}
    assert (lines["cash"].net, lines["cash"].counted, lines["cash"].difference) == (
        4300,
        None,
        None,
    )


def test_an_empty_day_still_shows_cash():
    assert [f.method for f in rules.figures(Day("2026-11-24"), 0)] == ["cash"]


def test_per_staff_sums_each_persons_money_by_method():
    found = rules.per_staff(
        [
            entry(1, by="b@x"),
            entry(2, by="a@x", method="card_terminal", amount=300),
            entry(3, by="a@x", direction=Direction.OUT, amount=40),
            entry(4, by="a@x", amount=60),
        ]
    )
    assert found == {
        "a@x": {"cash": (60, 40, 0), "card_terminal": (300, 0, 0)},
        "b@x": {"cash": (100, 0, 0)},
    }
    assert list(found["a@x"]) == ["cash", "card_terminal"]


def close(day: Day, request: CloseRequest, today=date(2026, 11, 24)) -> Close:
    return rules.close(
        day, request, opening_float=200, today=today, closed_by="a@x", closed_at="t", close_id="c"
    )


def test_the_close_keeps_expected_counted_and_differences():
    day = Day("2026-11-24", 2, {"cash": 1000, "gift_card": 500})
    done = close(
        day, CloseRequest(counted_cash=1150, counted_other={"gift_card": 500}, float_left=150)
    )

    assert done.expected == {"cash": 1200, "gift_card": 500}
    assert (done.difference("cash"), done.difference("gift_card")) == (-50, 0)
    assert done.difference("card_terminal") is None
    assert (done.entries, done.opening_float, done.float_left) == (2, 200, 150)
    closed = {f.method: f for f in rules.figures(Day("2026-11-24", 2, day.taken, close=done), 0)}
    assert (closed["cash"].expected, closed["cash"].counted) == (1200, 1150)  # as closed


def test_the_close_refuses_a_future_day_a_closed_day_and_a_float_beyond_the_count():
    day = Day("2026-11-25")
    with pytest.raises(DayNotOver):
        close(day, CloseRequest(counted_cash=0))
    assert close(day, CloseRequest(counted_cash=0), today=date(2026, 11, 25)).entries == 0
    done = close(Day("2026-11-24"), CloseRequest(counted_cash=0))
    with pytest.raises(DayAlreadyClosed):
        close(Day("2026-11-24", close=done), CloseRequest(counted_cash=0))
    with pytest.raises(InvalidInput) as float_error:
        close(Day("2026-11-24"), CloseRequest(counted_cash=10, float_left=11))
    assert float_error.value.code == "float_too_large"
    with pytest.raises(InvalidInput):
        close(Day("2026-11-24"), CloseRequest(counted_cash=10, counted_other={"online": 1}))


def test_a_range_is_one_to_62_days_in_order():
    rules.check_range(date(2026, 1, 1), date(2026, 3, 3))
    for first, last in [(date(2026, 1, 2), date(2026, 1, 1)), (date(2026, 1, 1), date(2026, 3, 4))]:
        with pytest.raises(InvalidInput):
            rules.check_range(first, last)


# -- over the fakes: the order's transaction and the close --------------------------------


@pytest.fixture
def shop() -> Shop:
    shop = Shop().add(room_type(rooms=1), stay_offering())
    held(shop)
    order_service.confirm(shop.ctx, "ord_1")
    return shop


def pay(shop: Shop, record: str, amount: int = 1000) -> None:
    desk.record_payment(shop.ctx, "ord_1", record_id=record, amount=amount, method=Tender.CASH)


def test_a_payment_and_its_entry_are_one_write_and_a_retry_writes_neither_again(shop):
    commits = shop.data.orders.commits
    pay(shop, "dpay_1")
    pay(shop, "dpay_1")  # the same request again

    assert shop.data.orders.commits == commits + 1
    day = shop.data.takings.day("2026-11-24")
    assert (day.entries, day.taken) == (1, {"cash": 1000})


def test_a_payment_landing_between_the_closes_read_and_write_is_counted_not_missed(shop):
    pay(shop, "dpay_1")
    shop.data.takings.before_close.append(lambda: pay(shop, "dpay_2", 500))

    view = takings.close_day(shop.ctx, "2026-11-24", CloseRequest(counted_cash=1500), close_id="c")

    assert view.day.close is not None
    assert (view.day.close.entries, view.day.close.expected["cash"]) == (2, 1500)
    assert view.day.close.difference("cash") == 0
    pay(shop, "dpay_3", 1)  # after the close: on the next day's takings
    assert shop.data.takings.day("2026-11-24").entries == 2
    assert shop.data.takings.day("2026-11-25").entries == 1


def test_a_payment_that_read_the_day_open_is_refused_once_the_close_landed(shop, monkeypatch):
    """The race the next-day rule cannot see: the day read open, closed before the payment's
    transaction. The day's condition refuses it and nothing is written."""
    pay(shop, "dpay_1")
    takings.close_day(shop.ctx, "2026-11-24", CloseRequest(counted_cash=1000), close_id="c")
    store = shop.data.takings
    real = store.day
    reads: list[str] = []

    def stale_once(day: str) -> Day:  # the payment's own read, from before the close
        reads.append(day)
        return replace(real(day), close=None) if len(reads) == 1 else real(day)

    monkeypatch.setattr(store, "day", stale_once)
    with pytest.raises(DayClosed):
        pay(shop, "dpay_2", 1)
    monkeypatch.setattr(store, "day", real)
    assert store.day("2026-11-24").entries == 1
    assert [p.id for p in shop.data.orders.get("ord_1").payments] == ["dpay_1"]


def test_a_close_that_keeps_losing_the_race_gives_up_with_a_conflict(shop):
    tries = {"n": 0}
    real = shop.data.takings.close

    def racing(day, close):  # each try meets a fresh payment
        tries["n"] += 1
        if tries["n"] <= takings.CLOSE_TRIES:
            pay(shop, f"dpay_x{tries['n']}", 10)
        return real(day, close)

    shop.data.takings.close = racing  # type: ignore[method-assign]
    with pytest.raises(Conflict) as error:
        takings.close_day(shop.ctx, "2026-11-24", CloseRequest(counted_cash=0), close_id="c")
    assert error.value.code == "takings_changed" and tries["n"] == takings.CLOSE_TRIES
    assert not shop.data.takings.day("2026-11-24").closed


def test_the_close_is_audited(shop):
    takings.close_day(shop.ctx, "2026-11-24", CloseRequest(counted_cash=0), close_id="c")
    [entry_] = [e for e in shop.data.audit.entries.values() if e.action == "takings.closed"]
    assert entry_.target == "takings:2026-11-24" and entry_.details["counted"] == {"cash": 0}


# -- the writer on DynamoDB: the takings' items through the codec it is handed -------------


def test_the_dynamo_writer_encodes_the_takings_items_and_maps_a_closed_day_to_day_closed():
    from chalicelib.booking.adapters.unit_of_work import DynamoTransactions
    from chalicelib.payments.adapters.takings_store import TAKINGS_ITEMS
    from chalicelib.payments.services.takings_ports import DayCount, EntryPut
    from tests.unit.test_unit_of_work import Client

    e = Entry(
        "dpay_1",
        "2026-11-24",
        "2026-11-24T09:00:00.000000Z",
        Direction.OUT,
        "cash",
        250,
        "a@x",
        "ord_1",
    )
    client = Client(["None", "ConditionalCheckFailed"])
    writer = DynamoTransactions(client, "t", sleep=lambda _: None, codecs=(TAKINGS_ITEMS,))

    with pytest.raises(DayClosed) as refused:
        writer.write([EntryPut(e), DayCount(e)])

    put, count = client.sent[0]
    assert put["Put"]["Item"]["pk"] == {"S": "TAKE#2026-11-24"}
    assert put["Put"]["Item"]["sk"] == {"S": "2026-11-24T09:00:00.000000Z#dpay_1"}
    assert count["Update"]["Key"] == {"pk": {"S": "TAKEDAY"}, "sk": {"S": "2026-11-24"}}
    assert count["Update"]["ConditionExpression"] == "attribute_not_exists(closed_at)"
    assert count["Update"]["ExpressionAttributeNames"]["#total"] == "out_cash"
    assert refused.value.details["day"] == "2026-11-24"
    with pytest.raises(TypeError):  # without the codec, booking's writer knows no such item
        DynamoTransactions(Client(), "t").write([EntryPut(e)])


# -- tips: the staff's money in the drawer, apart from what the orders were paid ------------


def test_a_tip_is_in_the_drawer_but_apart_from_what_the_orders_were_paid():
    day = Day("2026-11-24", 2, {"cash": 13500}, {"cash": 500}, tips={"cash": 1500})

    [cash] = rules.figures(day, 1000)

    assert (cash.taken, cash.tips, cash.given_back) == (13500, 1500, 500)
    assert (cash.net, cash.expected) == (14500, 15500)  # 135.00 + 15.00 - 5.00, and the float


def test_per_staff_sums_each_persons_tips_by_method():
    tipped = replace(entry(1, by="b@x", amount=13500), tip=1500)
    found = rules.per_staff([tipped, entry(2, by="b@x", amount=40, direction=Direction.OUT)])

    assert found == {"b@x": {"cash": (13500, 40, 1500)}}


def test_the_dynamo_writer_adds_a_tip_to_the_days_tips_of_its_method():
    from chalicelib.booking.adapters.unit_of_work import DynamoTransactions
    from chalicelib.payments.adapters.takings_store import TAKINGS_ITEMS, day_of, entry_of
    from chalicelib.payments.services.takings_ports import DayCount, EntryPut
    from tests.unit.test_unit_of_work import Client

    e = replace(entry(1, method="card_terminal", amount=13500), tip=1500)
    client = Client()  # no cancellation: the transaction goes through
    writer = DynamoTransactions(client, "t", sleep=lambda _: None, codecs=(TAKINGS_ITEMS,))

    writer.write([EntryPut(e), DayCount(e)])

    put, count = client.sent[0]
    update = count["Update"]
    assert (
        update["UpdateExpression"]
        == "SET #type = :type ADD entries :one, #total :amount, #tip :tip"
    )
    assert update["ExpressionAttributeNames"]["#tip"] == "tip_card_terminal"
    assert update["ExpressionAttributeValues"][":tip"] == {"N": "1500"}
    assert entry_of(put["Put"]["Item"]).tip == 1500
    item = {"sk": {"S": "2026-11-24"}, "in_card_terminal": {"N": "13500"}}
    assert day_of({**item, "tip_card_terminal": {"N": "1500"}}).tips == {"card_terminal": 1500}
