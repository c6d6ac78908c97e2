"""Room blocks in the tenant table: one item `BLOCKS`/`BLK#<id>` each (a tenant's blocks are
one Query), its fixed terms as JSON, its `status`, its `picked` rooms per night (a map) and a
`version` that every pick, return and release moves (booking/domain/blocks.py says why)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.booking.domain.blocks import BlockFull, BlockStatus, RoomBlock
from chalicelib.booking.services.block_ports import BlockStore
from chalicelib.booking.services.transaction_items import (
    BlockCount,
    BlockCreate,
    BlockRelease,
)
from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.paged_reads import query_up_to
from chalicelib.kernel.domain.errors import Conflict, DomainError
from chalicelib.kernel.services.transaction_ports import TransactionItem

PK = "BLOCKS"


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def block_key(block_id: str) -> dict[str, Any]:
    return {"pk": _s(PK), "sk": _s(f"BLK#{block_id}")}


def _terms(block: RoomBlock) -> str:
    return json.dumps(
        {
            "name": block.name,
            "resource_id": block.resource_id,
            "offering_id": block.offering_id,
            "first_night": block.first_night.isoformat(),
            "nights": block.nights,
            "rooms": block.rooms,
            "created_at": block.created_at,
            "created_by": block.created_by,
        },
        ensure_ascii=False,
    )


def block_of(item: dict[str, Any]) -> RoomBlock:
    terms = json.loads(item["terms"]["S"])
    return RoomBlock(
        id=item["sk"]["S"].removeprefix("BLK#"),
        name=terms["name"],
        resource_id=terms["resource_id"],
        offering_id=terms["offering_id"],
        first_night=date.fromisoformat(terms["first_night"]),
        nights=int(terms["nights"]),
        rooms=int(terms["rooms"]),
        release_at=item["release_at"]["S"],
        created_at=terms["created_at"],
        created_by=terms["created_by"],
        status=BlockStatus(item["block_status"]["S"]),
        picked={night: int(v["N"]) for night, v in item.get("picked", {}).get("M", {}).items()},
        version=int(item["version"]["N"]),
        released_at=item["released_at"]["S"] if "released_at" in item else None,
    )


def _counts(counts: tuple[tuple[str, int], ...]) -> tuple[dict[str, str], dict[str, Any]]:
    names = {f"#n{i}": night for i, (night, _) in enumerate(counts)}
    values = {f":c{i}": _n(units) for i, (_, units) in enumerate(counts)}
    return names, values


def block_write(table: str, item: TransactionItem) -> dict[str, Any] | None:
    """The DynamoDB transaction item of a block change; None for an item of another kind."""
    if isinstance(item, BlockCreate):
        block = item.block
        return {
            "Put": {
                "TableName": table,
                "Item": {
                    **block_key(block.id),
                    "type": _s("room_block"),
                    "terms": _s(_terms(block)),
                    "release_at": _s(block.release_at),
                    "block_status": _s(block.status.value),
                    "picked": {"M": {}},
                    "version": _n(block.version),
                },
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
    if isinstance(item, BlockCount):
        names, values = _counts(item.counts)
        sets = [
            f"picked.{n} = if_not_exists(picked.{n}, :zero) + :c{i}" for i, n in enumerate(names)
        ]
        conditions, bounds = [], {}
        for i, (n, (_, change)) in enumerate(zip(names, item.counts, strict=True)):
            if change > 0:  # within the block's rooms, a night never picked up too
                conditions.append(
                    f"((attribute_not_exists(picked.{n}) AND :c{i} <= :rooms) "
                    f"OR picked.{n} <= :max{i})"
                )
                bounds[f":max{i}"] = _n(item.rooms - change)
            else:  # never below nothing
                conditions.append(f"picked.{n} >= :back{i}")
                bounds[f":back{i}"] = _n(-change)
        values = {**values, **bounds, ":zero": _n(0)}
        if any(change > 0 for _, change in item.counts):
            values[":rooms"] = _n(item.rooms)  # only a pick names it (no value unused)
        return _update(table, item, sets, conditions, names, values)
    if isinstance(item, BlockRelease):
        return {
            "Update": {
                "TableName": table,
                "Key": block_key(item.block.id),
                "UpdateExpression": "SET block_status = :rel, released_at = :at, version = :next",
                "ConditionExpression": "block_status = :held AND version = :v",
                "ExpressionAttributeValues": {
                    ":rel": _s(BlockStatus.RELEASED.value),
                    ":held": _s(BlockStatus.HELD.value),
                    ":at": _s(item.at),
                    ":v": _n(item.block.version),
                    ":next": _n(item.block.version + 1),
                },
            }
        }
    return None


def _update(
    table: str,
    item: BlockCount,
    sets: list[str],
    conditions: list[str],
    names: dict[str, str],
    values: dict[str, Any],
) -> dict[str, Any]:
    """Rooms picked up or given back: the nights' counts, the version moved, the block still
    in the status it was read in (held; released for a released block's guest giving nights
    back) (every value it is given is used: DynamoDB refuses an unused one)."""
    return {
        "Update": {
            "TableName": table,
            "Key": block_key(item.block_id),
            "UpdateExpression": "SET " + ", ".join([*sets, "version = version + :one"]),
            "ConditionExpression": " AND ".join(["block_status = :status", *conditions]),
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": {
                **values,
                ":one": _n(1),
                ":status": _s(item.status.value),
            },
        }
    }


def block_refusal(item: TransactionItem) -> DomainError | None:
    if isinstance(item, BlockCreate):
        return Conflict("The block exists.", code="block_exists")
    if isinstance(item, BlockCount):
        return BlockFull(item.block_id)
    if isinstance(item, BlockRelease):
        return Conflict("The block changed meanwhile; try again.", code="block_changed")
    return None


class DynamoBlocks(BlockStore):
    """The reads of blocks (their writes are transaction items, above)."""

    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def get(self, block_id: str) -> RoomBlock | None:
        try:
            item = self._client.get_item(
                TableName=self._table, Key=block_key(block_id), ConsistentRead=True
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        return None if item is None else block_of(item)

    def list(self) -> list[RoomBlock]:
        items, _ = query_up_to(
            self._client,
            self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": _s(PK)},
            ConsistentRead=True,
        )
        return [block_of(item) for item in items]
