"""The customers' reads on DynamoDB (the keys: customer_items.py). Each is a GetItem, a
BatchGetItem of records an index named, or one Query; never a Scan."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.booking.domain.order_search import name_partition
from chalicelib.customers.adapters.customer_codec import customer_from, merge_from, note_from
from chalicelib.customers.adapters.customer_items import (
    DUPLICATES_PK,
    FAMILY_SK,
    customer_key,
    erased_key,
    merge_key,
    name_pk,
    phone_pk,
)
from chalicelib.customers.domain.merges import Merge
from chalicelib.customers.domain.records import CustomerRecord, Note
from chalicelib.customers.services.customer_ports import CustomerPage, CustomerStore
from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.paged_reads import batch_get, query_up_to
from chalicelib.kernel.domain.errors import InvalidInput

TOP = "\U0010ffff"


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _customer(item: dict[str, Any]) -> CustomerRecord:
    return customer_from(item["doc"]["S"], int(item["version"]["N"]))


class DynamoCustomerStore(CustomerStore):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def _get(self, key: dict[str, Any]) -> dict[str, Any] | None:
        try:
            item = self._client.get_item(TableName=self._table, Key=key, ConsistentRead=True)
        except ClientError as exc:
            reraise(exc)
        found: dict[str, Any] | None = item.get("Item")
        return found

    def get(self, customer_id: str) -> CustomerRecord | None:
        item = self._get(customer_key(customer_id))
        return None if item is None else _customer(item)

    def get_many(
        self, customer_ids: Sequence[str], *, consistent: bool = False
    ) -> dict[str, CustomerRecord]:
        keys = [customer_key(i) for i in dict.fromkeys(customer_ids)]
        items = batch_get(self._client, self._table, keys, ConsistentRead=consistent)
        found = (_customer(item) for item in items)
        return {c.id: c for c in found}

    def with_phone(self, phone: str) -> list[str]:
        items, _ = query_up_to(
            self._client,
            self._table,
            IndexName="gsi4",
            KeyConditionExpression="gsi4pk = :k",
            ExpressionAttributeValues={":k": _s(phone_pk(phone))},
            Limit=50,
        )
        return [item["gsi4sk"]["S"] for item in items]

    def by_name(self, prefix: str, *, after: str | None, limit: int) -> CustomerPage:
        if after is not None and not prefix <= after <= prefix + TOP:
            # DynamoDB refuses a BETWEEN whose bounds are reversed (a 500, were it let through).
            raise InvalidInput(
                "That page position is not one of this search's.", code="invalid_cursor"
            )
        low = after if after is not None else prefix
        op = ">" if after is not None else ">="
        items, done = query_up_to(
            self._client,
            self._table,
            IndexName="gsi5",
            KeyConditionExpression="gsi5pk = :k AND gsi5sk BETWEEN :lo AND :hi",
            ExpressionAttributeValues={
                ":k": _s(name_pk(name_partition(prefix))),
                ":lo": _s(low),
                ":hi": _s(prefix + TOP),
            },
            Limit=limit + 1,
        )
        hits = [i for i in items if op == ">=" or i["gsi5sk"]["S"] > low]
        page = hits[:limit]
        ids = [hit["gsi5sk"]["S"].rsplit("#", 1)[1] for hit in page]
        found = self.get_many(ids)
        shown: dict[str, CustomerRecord] = {}
        for hit, customer_id in zip(page, ids, strict=True):
            record = found.get(customer_id)
            # A family-name entry of a record whose whole name starts with the prefix too
            # is passed over: its whole-name entry, in the same range, shows it once.
            family = hit["sk"]["S"] == FAMILY_SK
            if record is None or (family and record.name_key.startswith(prefix)):
                continue
            shown.setdefault(customer_id, record)
        more = len(hits) > limit or not done
        last = page[-1]["gsi5sk"]["S"] if more and page else None
        return CustomerPage(tuple(shown.values()), last)

    def duplicates(self, *, after: str | None, limit: int) -> CustomerPage:
        kwargs: dict[str, Any] = {
            "IndexName": "gsi3",
            "KeyConditionExpression": "gsi3pk = :k",
            "ExpressionAttributeValues": {":k": _s(DUPLICATES_PK)},
            "ScanIndexForward": False,
            "Limit": limit + 1,
        }
        if after is not None:
            kwargs["KeyConditionExpression"] += " AND gsi3sk < :after"
            kwargs["ExpressionAttributeValues"][":after"] = _s(after)
        items, _ = query_up_to(self._client, self._table, **kwargs)
        page = items[:limit]
        more = len(items) > limit
        return CustomerPage(
            tuple(_customer(i) for i in page), page[-1]["gsi3sk"]["S"] if more else None
        )

    def notes(self, customer_id: str, *, limit: int) -> list[Note]:
        items, _ = query_up_to(
            self._client,
            self._table,
            KeyConditionExpression="pk = :k AND begins_with(sk, :p)",
            ExpressionAttributeValues={":k": _s(f"CUS#{customer_id}"), ":p": _s("NOTE#")},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [note_from(item) for item in items[:limit]]

    def merge(self, winner_id: str, loser_id: str) -> Merge | None:
        item = self._get(merge_key(winner_id, loser_id))
        return None if item is None else merge_from(item["doc"]["S"], int(item["version"]["N"]))

    def erased_at(self, customer_id: str) -> str | None:
        item = self._get(erased_key(customer_id))
        return None if item is None else str(item["erased_at"]["S"])

    def mark_erased(self, customer_id: str, at: str) -> None:
        try:
            self._client.put_item(
                TableName=self._table,
                Item={**erased_key(customer_id), "erased_at": _s(at)},
                ConditionExpression="attribute_not_exists(pk)",  # the first erase's time stays
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                reraise(exc)
