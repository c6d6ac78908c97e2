"""Resources and offerings in the tenant table: one item each, the definition as JSON; a
sharded session's resource also keeps a copy of its revision in each shard's partition."""

from __future__ import annotations

import json
import random
import time
from typing import Any, Literal, NoReturn

from botocore.exceptions import ClientError

from chalicelib.catalog.adapters.catalog_codec import (
    offering_doc,
    offering_from,
    resource_doc,
    resource_from,
)
from chalicelib.catalog.adapters.price_list_codec import price_item_doc, price_item_from
from chalicelib.catalog.domain.catalog import Offering, Resource
from chalicelib.catalog.domain.price_list import PriceListItem
from chalicelib.catalog.domain.rooms import Housekeeping, RoomStatus
from chalicelib.catalog.services.catalog_ports import CatalogStore
from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.hot_keys import REVISION_SK, revision_pk
from chalicelib.kernel.adapters.paged_reads import query_up_to
from chalicelib.kernel.domain.errors import Conflict, TransientFailure


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


COPY_RETRIES = 12  # a copy in holds' transactions most of the time still moves within seconds


def _refused(kind: str, item_id: str, expected_rev: int | None, exc: ClientError) -> NoReturn:
    if expected_rev is None:
        raise Conflict(f"{kind.title()} {item_id} exists.", code=f"{kind}_exists") from exc
    raise Conflict(
        f"The {kind} was changed since you read it; reload and try again.",
        code="version_mismatch",
    ) from exc


class DynamoCatalogStore(CatalogStore):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    # -- resources ---------------------------------------------------------------------------

    def list_resources(self) -> list[Resource]:
        return [resource_from(doc) for doc in self._list("resource")]

    def get_resource(self, resource_id: str) -> Resource | None:
        doc = self._get(f"RES#{resource_id}")
        return None if doc is None else resource_from(doc)

    def put_resource(
        self, resource: Resource, *, expected_rev: int | None, replicas: int = 1
    ) -> None:
        """The resource, then (`replicas` > 1) the copy of its revision of each shard
        1..replicas-1 that holds on a sharded session check (kernel/adapters/hot_keys.py), each
        moved forward on its own, so that a hot session's holds checking the copies (hundreds a
        second) cannot keep a catalog change from committing, as one transaction over all of
        them could. When this returns, every copy is at the new revision: a hold planned on
        the old one is refused whichever copy it checks (catalog_writes' post-check relies on
        it). A process that dies in between leaves copies behind the resource; the first hold
        that finds one there brings it up (booking/adapters/unit_of_work.py)."""
        put = self._put_request(
            f"RES#{resource.id}",
            "resource",
            resource.name,
            resource.id,
            resource_doc(resource),
            resource.rev,
            expected_rev,
        )
        self._write(put, "resource", resource.id, expected_rev)
        for shard in range(1, replicas):
            self._move_copy(resource.id, shard, resource.rev)

    def _move_copy(self, resource_id: str, shard: int, rev: int) -> None:
        """Copy `shard`'s revision up to `rev` (never back: a later write may be there first),
        retrying while holds checking it keep it in their transactions."""
        for attempt in range(COPY_RETRIES):
            try:
                self._client.update_item(
                    TableName=self._table,
                    Key={"pk": _s(revision_pk(resource_id, shard)), "sk": _s(REVISION_SK)},
                    UpdateExpression="SET rev = :rev",
                    ConditionExpression="attribute_not_exists(rev) OR rev < :rev",
                    ExpressionAttributeValues={":rev": _n(rev)},
                )
                return
            except ClientError as exc:
                code = exc.response["Error"]["Code"]
                if code == "ConditionalCheckFailedException":
                    return  # already there (or past it)
                if code != "TransactionConflictException":
                    reraise(exc)
                if attempt == COPY_RETRIES - 1:
                    raise TransientFailure("The resource is busy; try again.") from exc
                time.sleep(random.uniform(0, min(0.5, 0.01 * 2**attempt)))

    # -- offerings ---------------------------------------------------------------------------

    def list_offerings(self) -> list[Offering]:
        return [offering_from(doc) for doc in self._list("offering")]

    def get_offering(self, offering_id: str) -> Offering | None:
        doc = self._get(f"OFF#{offering_id}")
        return None if doc is None else offering_from(doc)

    def put_offering(self, offering: Offering, *, expected_rev: int | None) -> None:
        put = self._put_request(
            f"OFF#{offering.id}",
            "offering",
            offering.name,
            offering.id,
            offering_doc(offering),
            offering.rev,
            expected_rev,
        )
        self._write(put, "offering", offering.id, expected_rev)

    # -- the price list: `PLI#<id>`/`META`, listed by name on gsi1 `KIND#price_item` --------

    def list_price_items(self) -> list[PriceListItem]:
        return [price_item_from(doc) for doc in self._list("price_item")]

    def get_price_item(self, item_id: str) -> PriceListItem | None:
        doc = self._get(f"PLI#{item_id}")
        return None if doc is None else price_item_from(doc)

    def put_price_item(self, item: PriceListItem, *, expected_rev: int | None) -> None:
        put = self._put_request(
            f"PLI#{item.id}", "price_item", item.name, item.id, price_item_doc(item), item.rev,
            expected_rev,
        )  # fmt: skip
        self._write(put, "price_item", item.id, expected_rev)

    def delete_price_item(self, item_id: str) -> None:
        try:
            self._client.delete_item(
                TableName=self._table, Key={"pk": _s(f"PLI#{item_id}"), "sk": _s("META")}
            )
        except ClientError as exc:
            reraise(exc)

    # -- shared ------------------------------------------------------------------------------

    def _put_request(
        self,
        pk: str,
        kind: str,
        name: str,
        item_id: str,
        doc: dict[str, Any],
        rev: int,
        expected_rev: int | None,
    ) -> dict[str, Any]:
        item = {
            "pk": _s(pk),
            "sk": _s("META"),
            "gsi1pk": _s(f"KIND#{kind}"),
            "gsi1sk": _s(f"{name.lower()}#{item_id}"),
            "type": _s(kind),
            "rev": _n(rev),
            "doc": _s(json.dumps(doc, separators=(",", ":"))),
        }
        request: dict[str, Any] = {"TableName": self._table, "Item": item}
        if expected_rev is None:
            request["ConditionExpression"] = "attribute_not_exists(pk)"
        else:
            request["ConditionExpression"] = "rev = :rev"
            request["ExpressionAttributeValues"] = {":rev": _n(expected_rev)}
        return request

    def _write(
        self, put: dict[str, Any], kind: str, item_id: str, expected_rev: int | None
    ) -> None:
        try:
            self._client.put_item(**put)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                _refused(kind, item_id, expected_rev, exc)
            reraise(exc)

    # -- the plan's allowance of resources sold: `ALLOWANCE`/`resources`, a map id -> when --

    _ALLOWANCE = {"pk": _s("ALLOWANCE"), "sk": _s("resources")}

    def claim_active(
        self, resource_id: str, limit: int, active: frozenset[str], at: int
    ) -> Literal["new", "held"] | None:
        seed = active | {resource_id}
        if len(seed) <= limit and (
            self._update_allowance(
                "SET claims = :seed",
                "attribute_not_exists(claims)",
                values={":seed": {"M": {rid: _n(0) for rid in seed} | {resource_id: _n(at)}}},
            )
            is not None
        ):
            return "new"
        old = self._update_allowance(
            "SET claims.#id = if_not_exists(claims.#id, :at)",
            "attribute_exists(claims.#id) OR size(claims) < :limit",
            values={":at": _n(at), ":limit": _n(limit)},
            names={"#id": resource_id},
        )
        if old is None:
            return None
        return "held" if resource_id in old.get("claims", {}).get("M", {}) else "new"

    def release_active(self, resource_id: str) -> None:
        try:
            self._client.update_item(
                TableName=self._table,
                Key=self._ALLOWANCE,
                UpdateExpression="REMOVE claims.#id",
                ConditionExpression="attribute_exists(claims)",
                ExpressionAttributeNames={"#id": resource_id},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                reraise(exc)

    def active_claims(self) -> dict[str, int]:
        try:
            item = self._client.get_item(
                TableName=self._table, Key=self._ALLOWANCE, ConsistentRead=True
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        claims = (item or {}).get("claims", {}).get("M", {})
        return {rid: int(value["N"]) for rid, value in claims.items()}

    def _update_allowance(
        self,
        update: str,
        condition: str,
        *,
        values: dict[str, Any],
        names: dict[str, str] | None = None,
    ) -> dict[str, Any] | None:
        """The attributes the update changed, as they were ({} when new); None: refused."""
        request: dict[str, Any] = {
            "TableName": self._table,
            "Key": self._ALLOWANCE,
            "UpdateExpression": update,
            "ConditionExpression": condition,
            "ExpressionAttributeValues": values,
            "ReturnValues": "UPDATED_OLD",
        }
        if names:
            request["ExpressionAttributeNames"] = names
        try:
            answer = self._client.update_item(**request)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return None
            reraise(exc)
        old: dict[str, Any] = answer.get("Attributes", {})
        return old

    # -- rooms' housekeeping: `RES#<type>`/`HK#<room>`, beside the type's definition ----------

    def housekeeping(self, resource_id: str) -> dict[str, RoomStatus]:
        items, _ = query_up_to(
            self._client,
            self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :hk)",
            ExpressionAttributeValues={":pk": _s(f"RES#{resource_id}"), ":hk": _s("HK#")},
        )
        out = {}
        for item in items:
            room = item["sk"]["S"].removeprefix("HK#")
            status = Housekeeping(item["status"]["S"])
            out[room] = RoomStatus(room, status, item["at"]["S"], item["by"]["S"])
        return out

    def set_housekeeping(self, resource_id: str, status: RoomStatus) -> None:
        try:
            self._client.put_item(
                TableName=self._table,
                Item={
                    "pk": _s(f"RES#{resource_id}"),
                    "sk": _s(f"HK#{status.room}"),
                    "type": _s("housekeeping"),
                    "status": _s(status.status.value),
                    "at": _s(status.at),
                    "by": _s(status.by),
                },
            )
        except ClientError as exc:
            reraise(exc)

    def _get(self, pk: str) -> dict[str, Any] | None:
        try:
            item = self._client.get_item(
                TableName=self._table, Key={"pk": _s(pk), "sk": _s("META")}, ConsistentRead=True
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        return None if item is None else json.loads(item["doc"]["S"])

    def _list(self, kind: str) -> list[dict[str, Any]]:
        docs, start = [], None
        while True:
            kwargs: dict[str, Any] = {
                "TableName": self._table,
                "IndexName": "gsi1",
                "KeyConditionExpression": "gsi1pk = :k",
                "ExpressionAttributeValues": {":k": _s(f"KIND#{kind}")},
            }
            if start:
                kwargs["ExclusiveStartKey"] = start
            try:
                page = self._client.query(**kwargs)
            except ClientError as exc:
                reraise(exc)
            docs += [json.loads(item["doc"]["S"]) for item in page["Items"]]
            start = page.get("LastEvaluatedKey")
            if not start:
                return docs
