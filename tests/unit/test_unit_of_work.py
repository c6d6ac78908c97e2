"""The unit of work: one transaction per commit, nothing without one, the items in the order
the cancellation reasons are read in; and its DynamoDB writer: conflicts retried, a refused
condition answered as the domain error of the item that refused it."""

from __future__ import annotations

from datetime import date

import pytest
from botocore.exceptions import ClientError

from chalicelib.booking.adapters.codec import order_attribute, order_of_item
from chalicelib.booking.adapters.unit_of_work import CONFLICT_RETRIES, DynamoTransactions
from chalicelib.booking.domain.orders import Channel, Customer
from chalicelib.booking.domain.resource_entries import ResourceEntry
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.booking.services.order_unit_of_work import OrderUnitOfWork
from chalicelib.booking.services.transaction_items import (
    BucketRelease,
    BucketTake,
    OrderPut,
    ResourceEntryPut,
    RevisionCheck,
)
from chalicelib.catalog.domain.inventory import BucketRef, Take
from chalicelib.kernel.domain.errors import (
    Conflict,
    InvalidInput,
    SlotUnavailable,
    StaleCatalog,
    TooLarge,
    TransientFailure,
)
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.idempotency_claims import IdempotencyClaim
from chalicelib.kernel.services.transaction_ports import (
    MAX_TRANSACTION_ITEMS,
    TransactionItem,
)
from chalicelib.kernel.services.unit_of_work import UnitOfWork
from tests.builders import Shop, room_type, stay_offering

ADA = Customer("Ada", "ada@example.com")


def held(shop: Shop):
    hold = HoldInput(ADA, [LineInput("off_stay", check_in=date(2026, 12, 24))], Channel.API)
    return hold_order(shop.ctx, shop.cache, hold, order_id="ord_1")


@pytest.fixture
def shop():
    return Shop().add(room_type(rooms=2), stay_offering())


def test_a_unit_left_without_commit_writes_nothing(shop):
    order = held(shop)
    commits = shop.data.orders.commits
    with OrderUnitOfWork(shop.ctx) as uow:
        uow.put_order(order, before=order)
        uow.release(order.takes)
    assert shop.data.orders.commits == commits
    assert shop.data.orders.buckets[("res_double", "N#2026-12-24")] == 1


def test_a_unit_commits_once(shop):
    order = held(shop)
    after = order.transition(order.status.CONFIRMED, at=shop.clock(), actor="k1")
    with OrderUnitOfWork(shop.ctx) as uow:
        uow.put_order(after, before=order)
        uow.commit()
        with pytest.raises(RuntimeError):
            uow.commit()


def test_the_items_come_in_the_order_the_reasons_are_read_in_and_net_their_buckets(shop):
    order = held(shop)
    night, other = order.takes[0], Take(BucketRef("res_double", "N#2026-12-25"), 1, 2)
    uow = OrderUnitOfWork(shop.ctx)
    uow.check_revisions({"res_b": 3, "res_a": 1})
    uow.release([night])
    uow.take([night, other])
    uow.put_order(order, before=None)
    assert uow.items() == [
        OrderPut(order, None),
        BucketTake(other),  # the night given back and taken again is no write at all
        RevisionCheck("res_a", 1),
        RevisionCheck("res_b", 3),
        # the new order's line enters its room type's index
        ResourceEntryPut(ResourceEntry("res_double", 0, order.start, order.end, "ord_1")),
    ]
    assert all(not isinstance(item, BucketRelease) for item in uow.items())


@value
class Mark(TransactionItem):
    """An item of a capability the kernel does not know."""

    n: int


class Reversed(UnitOfWork):
    def _shape(self, items: list[TransactionItem]) -> list[TransactionItem]:
        return items[::-1]


def test_the_kernels_unit_writes_any_capabilitys_items_as_its_subclass_shapes_them(shop):
    plain, shaped = UnitOfWork(shop.ctx), Reversed(shop.ctx)
    for uow in (plain, shaped):
        uow.add(Mark(1), Mark(2))
        uow.add(Mark(3))
    assert plain.items() == [Mark(1), Mark(2), Mark(3)]
    assert shaped.items() == [Mark(3), Mark(2), Mark(1)]


def test_a_change_past_the_limit_is_refused_before_anything_is_written(shop):
    commits = shop.data.orders.commits
    with UnitOfWork(shop.ctx) as uow:
        uow.add(*(Mark(n) for n in range(MAX_TRANSACTION_ITEMS + 1)))
        with pytest.raises(TooLarge) as refused:
            uow.commit()
    assert refused.value.details["items"] == MAX_TRANSACTION_ITEMS + 1
    assert shop.data.orders.commits == commits


def test_the_dynamo_writer_refuses_an_item_it_cannot_encode():
    client = Client()
    with pytest.raises(TypeError):
        DynamoTransactions(client, "t", sleep=lambda _: None).write([Mark(1)])
    assert client.sent == []


class Client:
    """A DynamoDB client that cancels each transaction with the next list of reason codes."""

    def __init__(self, *cancellations: list[str]) -> None:
        self.cancellations = list(cancellations)
        self.sent: list[list[dict]] = []

    def transact_write_items(self, *, TransactItems, ReturnConsumedCapacity):  # noqa: N803
        self.sent.append(TransactItems)
        if self.cancellations:
            codes = self.cancellations.pop(0)
            raise ClientError(
                {
                    "Error": {"Code": "TransactionCanceledException", "Message": "cancelled"},
                    "CancellationReasons": [{"Code": code} for code in codes],
                },
                "TransactWriteItems",
            )


def write(client: Client, *, expected_version: int | None = None) -> None:
    order = held(Shop().add(room_type(rooms=2), stay_offering()))
    take = Take(BucketRef("res_double", "N#2026-12-25"), 1, 2)
    items = [OrderPut(order, expected_version), BucketTake(take), RevisionCheck("res_double", 1)]
    DynamoTransactions(client, "t", sleep=lambda _: None).write(items)


def test_a_conflict_is_sent_again_and_a_lasting_one_is_transient():
    client = Client(["None", "TransactionConflict", "None"])
    write(client)
    assert len(client.sent) == 2 and client.sent[0] == client.sent[1]
    always = Client(*[["TransactionConflict"]] * CONFLICT_RETRIES)
    with pytest.raises(TransientFailure):
        write(always)
    assert len(always.sent) == CONFLICT_RETRIES


@pytest.mark.parametrize(
    ("codes", "expected_version", "error", "code"),
    [
        (["None", "ConditionalCheckFailed", "None"], None, SlotUnavailable, "unavailable"),
        (["None", "None", "ConditionalCheckFailed"], None, StaleCatalog, None),
        (["ConditionalCheckFailed", "None", "None"], None, Conflict, "order_exists"),
        (["ConditionalCheckFailed", "None", "None"], 2, Conflict, "version_mismatch"),
    ],
)
def test_a_refused_condition_is_the_error_of_the_item_that_refused(
    codes, expected_version, error, code
):
    client = Client(codes)
    with pytest.raises(error) as raised:
        write(client, expected_version=expected_version)
    assert len(client.sent) == 1  # never retried here: the use case decides
    if code is not None:
        assert raised.value.code == code


def test_a_requests_key_is_marked_on_its_order_by_the_first_commit_of_its_context_only(shop):
    order = held(shop)  # committed before the claim: no key in it
    ctx = shop.ctx  # one request's context (`shop.ctx` makes a new one each time)
    ctx.idempotency = IdempotencyClaim("key:1#k", "hash")
    with OrderUnitOfWork(ctx) as uow:
        uow.put_order(order, before=order)
        items = uow.items()
        uow.commit()
    [put] = [i for i in items if isinstance(i, OrderPut)]
    assert put.order.request_keys == (ctx.idempotency.mark,)
    assert ctx.idempotency.written
    assert shop.data.orders.get(order.id).request_keys == (ctx.idempotency.mark,)
    assert not shop.data.idempotency.records  # no record of its own
    other = shop.ctx
    other.idempotency = IdempotencyClaim("key:1#side", "hash")
    side = UnitOfWork(other)  # not the order's: a side unit never takes a request's key
    side.add(Mark(1))
    assert side.items() == [Mark(1)] and not other.idempotency.written
    stored = shop.data.orders.get(order.id)
    with OrderUnitOfWork(ctx) as uow:  # a second change of the same request: not marked again
        uow.put_order(stored, before=stored)
        [again] = [i for i in uow.items() if isinstance(i, OrderPut)]
    assert again.order.request_keys == (ctx.idempotency.mark,)
    retry = shop.ctx  # the same request again, as a retry sends it
    retry.idempotency = IdempotencyClaim("key:1#k", "hash")
    with pytest.raises(Conflict) as raised, OrderUnitOfWork(retry) as uow:
        uow.put_order(stored, before=stored)
        uow.commit()
    assert raised.value.code == "request_repeated"  # the mark itself refuses a second change


def test_an_order_that_remembers_the_key_with_another_request_refuses_it(shop):
    order = held(shop)
    first = shop.ctx
    first.idempotency = IdempotencyClaim("key:1#k", "hash-1")
    with OrderUnitOfWork(first) as uow:
        uow.put_order(order, before=order)
        uow.commit()
    stored = shop.data.orders.get(order.id)
    reused = shop.ctx
    reused.idempotency = IdempotencyClaim("key:1#k", "hash-2")
    with pytest.raises(InvalidInput) as raised, OrderUnitOfWork(reused) as uow:
        uow.put_order(stored, before=stored)
        uow.commit()
    assert raised.value.code == "idempotency_key_reused"
    assert shop.data.orders.get(order.id) == stored  # nothing written


def test_an_order_remembers_its_last_requests_and_its_item_keeps_them():
    order = held(Shop().add(room_type(rooms=2), stay_offering()))
    marks = [IdempotencyClaim(f"key:1#{n}", "h").mark for n in range(4)]
    for mark in [*marks, marks[2]]:
        order = order.with_request(mark)
    assert order.request_keys == (marks[3], marks[2])  # the hold's and the confirmation's
    assert all(len(m) == 8 + 1 + 16 for m in marks)  # 48 and 96 bits, base64
    assert order_of_item(order_attribute(order)) == order
