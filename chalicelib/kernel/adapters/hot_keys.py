"""Keys that a hot sale writes many times a second, spread over partitions.

DynamoDB serves about 1,000 write units a second per partition, and every item (and every
index entry) of one partition key value lives in one partition. A session that sells
thousands of seats a second would write a few keys that fast on every hold, so each is split:
- a sharded session's buckets (catalog/domain/inventory.py): shard i of resource r lives under
  `INV#r#i` (shard 0 under `INV#r`, as an unsharded resource's buckets do), and each shard
  i > 0 has a copy of the resource's revision under `REV#r#i` (sort key `REV`), so a hold checks
  the revision it planned on in a partition of its shard's instead of all holds checking one
  resource item (catalog/adapters/catalog_store.py writes the copies in the same transaction as
  the resource). The copy has a partition key of its own: in the bucket's partition, every hold
  would cost that partition 4 write units instead of 2;
- the day indexes of orders (`DAY#<local date>#<n>`) and of events (`EVTDAY#<utc date>#<n>`)
  are written under `INDEX_SHARDS` keys by a stable hash of the item's id and read with one
  Query per key, merged.
Pure strings: both the booking and the catalog adapters use them.
"""

from __future__ import annotations

import zlib

INDEX_SHARDS = 8  # 5,000 holds a second over 8 keys: 625 index writes a second each
REVISION_SK = "REV"


def inventory_pk(resource_id: str, shard: int = 0) -> str:
    return f"INV#{resource_id}" if shard == 0 else f"INV#{resource_id}#{shard}"


def revision_pk(resource_id: str, shard: int) -> str:
    """Where shard `shard` (> 0) of a resource keeps its copy of the revision."""
    return f"REV#{resource_id}#{shard}"


def index_shard(item_id: str, count: int = INDEX_SHARDS) -> int:
    """A stable shard of an item id for a sharded index key."""
    return zlib.crc32(item_id.encode()) % count


def day_index_keys(prefix: str, day: str) -> list[str]:
    """Every key of one day of a sharded day index (what a reader queries): the day's
    INDEX_SHARDS keys, and the unsharded key that entries written before the index was sharded
    still carry (one Query more, until a backfill has moved them)."""
    return [f"{prefix}#{day}", *(f"{prefix}#{day}#{n}" for n in range(INDEX_SHARDS))]


def day_index_key(prefix: str, day: str, item_id: str) -> str:
    """The key one item of a sharded day index is written under."""
    return f"{prefix}#{day}#{index_shard(item_id)}"
