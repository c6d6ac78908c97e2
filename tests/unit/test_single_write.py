"""A change of one write goes as that write alone (booking/adapters/single_write.py): 1 WRU
per KB where a transaction bills 2, as atomic on its one item, and refused or retried exactly
as the transaction would have been."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from chalicelib.booking.adapters.unit_of_work import CONFLICT_RETRIES, DynamoTransactions
from chalicelib.booking.services.transaction_items import RevisionCheck
from chalicelib.customers.adapters.suggestion_store import SuggestionItems
from chalicelib.customers.services.suggestion_ports import BookedPut
from chalicelib.kernel.domain.errors import Conflict, TransientFailure


class Client:
    """DynamoDB's client as far as the writer uses it: each call recorded, refusals queued."""

    def __init__(self, *refusals: str) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.refusals = list(refusals)

    def _call(self, operation: str, **params: Any) -> dict[str, Any]:
        self.calls.append((operation, params))
        if self.refusals:
            code = self.refusals.pop(0)
            raise ClientError({"Error": {"Code": code, "Message": code}}, operation)
        return {}

    def put_item(self, **params: Any) -> dict[str, Any]:
        return self._call("PutItem", **params)

    def transact_write_items(self, **params: Any) -> dict[str, Any]:
        return self._call("TransactWriteItems", **params)


def _writer(client: Client) -> DynamoTransactions:
    return DynamoTransactions(client, "t", sleep=lambda _: None, codecs=[SuggestionItems()])


def test_one_put_goes_alone_with_its_condition():
    client = Client()
    _writer(client).write([BookedPut("cus_1", (), 0)])
    [(operation, params)] = client.calls
    assert operation == "PutItem"
    assert params["ConditionExpression"] == "attribute_not_exists(pk)"
    assert params["Item"]["pk"] == {"S": "CUS#cus_1"}


def test_two_writes_or_a_condition_check_alone_stay_a_transaction():
    client = Client()
    _writer(client).write([BookedPut("cus_1", (), 0), BookedPut("cus_2", (), 0)])
    _writer(client).write([RevisionCheck(resource_id="res_a", rev=3)])
    assert [operation for operation, _ in client.calls] == ["TransactWriteItems"] * 2


def test_a_refused_condition_is_the_item_s_own_refusal():
    refused = Client("ConditionalCheckFailedException")
    with pytest.raises(Conflict) as alone:
        _writer(refused).write([BookedPut("cus_1", (), 4)])
    assert len(refused.calls) == 1  # a refusal is not retried
    # the error a transaction refused by this item gives (suggestion_store.SuggestionItems)
    assert alone.value.code == "booked_changed"


def test_a_write_that_met_a_transaction_is_retried_and_then_given_up():
    client = Client("TransactionConflictException")
    _writer(client).write([BookedPut("cus_1", (), 0)])
    assert [operation for operation, _ in client.calls] == ["PutItem", "PutItem"]
    busy = Client(*["TransactionConflictException"] * CONFLICT_RETRIES)
    with pytest.raises(TransientFailure):
        _writer(busy).write([BookedPut("cus_1", (), 0)])
    assert len(busy.calls) == CONFLICT_RETRIES
