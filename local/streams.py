"""DynamoDB Local's table streams, read the way Lambda's event source mappings read them on AWS.

On AWS every tenant table's stream has an event source mapping to the relay function, made at
provisioning (chalicelib/tenancy/adapters/event_streams.py). Locally there is no Lambda
service, so the worker loop runs a `StreamReader`: it finds every tenant table (ListTables by
prefix, again every few seconds), reads each shard of its stream from the oldest record
(DescribeStream, GetShardIterator, GetRecords), keeps what the mapping's filter keeps
(`pipeline.stream.is_event_record`), and calls the relay's handler with a Lambda-shaped event:
the records as GetRecords gives them, plus `eventSourceARN` and `awsRegion`, and the creation
time as epoch seconds.

The mapping's semantics kept: a shard's records go in order, one batch at a time; a partial batch
response (`batchItemFailures`, the sequence number to retry from) or a raised handler reads the
shard again from that record on the next poll; after `MAX_RETRIES` failed attempts that record goes
to the relay's failure queue (the mapping's on-failure destination; on AWS bisecting the batch
isolates it) and the shard moves on from the next one. A closed shard is followed by its children.
Positions are kept in memory: a restarted `make dev` reads every stream again from its oldest
record, which the consumers' ledger makes harmless (each consumer runs once per event id).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chalicelib.pipeline.stream import is_event_record

log = logging.getLogger("reservoir.local.streams")

BATCH_SIZE = 100  # as the mapping's
MAX_RETRIES = 10
REFRESH_SECONDS = 5.0


@dataclass
class Shard:
    stream_arn: str
    shard_id: str
    parent_id: str | None
    start: str = "TRIM_HORIZON"  # where a shard with nothing read yet is read from
    iterator: str | None = None
    # Where to read from when the iterator must be made again: ("AFTER", the last record done
    # with) or ("AT", a record that failed and is to be handed on again); None: `start`.
    position: tuple[str, str] | None = None
    failing: str | None = None  # the record that failed last, and how often in a row
    attempts: int = 0
    closed: bool = False


@dataclass
class StreamReader:
    """Reads the streams of the tables whose name starts with `prefix`; see above."""

    dynamodb: Any
    streams: Any
    prefix: str
    handler: Callable[[dict[str, Any], Any], Any]
    context: Callable[[], Any]
    on_failure: Callable[[list[dict[str, Any]]], None]
    region: str = "us-east-1"
    clock: Callable[[], float] = time.monotonic
    # Which of the tenant tables to read (None: all). Tests that share one DynamoDB Local
    # read only their own tenants' tables, not the whole session's history.
    tables: Callable[[str], bool] | None = None
    # False: the tables already there when the reader starts are read from their newest
    # record on (tests and benchmarks sharing one DynamoDB Local: not the history of every
    # earlier test); tables made later are always read from their oldest record.
    replay_existing: bool = True
    shards: dict[str, Shard] = field(default_factory=dict)
    _tables: dict[str, str] = field(default_factory=dict)  # table -> stream arn
    _refreshed: float = float("-inf")
    backlog: bool = False  # the last poll read a full page from some shard

    def __post_init__(self) -> None:
        if not self.replay_existing:
            self.refresh()  # now: what exists from this moment is "already there"

    def poll(self) -> int:
        """One GetRecords per open shard; returns how many event records were handed on.
        `backlog` says afterwards whether a shard gave a full page (more may be waiting)."""
        if self.clock() - self._refreshed >= REFRESH_SECONDS:
            self.refresh()
        self.backlog = False
        handed = 0
        for shard in list(self.shards.values()):
            if shard.closed or not self._parent_done(shard):
                continue
            handed += self._read(shard)
        return handed

    def refresh(self) -> None:
        """Find new tenant tables and new shards (a closed shard's children)."""
        first = self._refreshed == float("-inf")
        start = "TRIM_HORIZON" if self.replay_existing or not first else "LATEST"
        self._refreshed = self.clock()
        for table in self._tenant_tables():
            if table not in self._tables:
                description = self.dynamodb.describe_table(TableName=table)["Table"]
                arn = description.get("LatestStreamArn")
                if not arn:
                    continue  # made before streams: provisioning switches its stream on
                self._tables[table] = arn
        for arn in self._tables.values():
            for raw in self._describe_shards(arn):
                if raw["ShardId"] not in self.shards:
                    shard = Shard(arn, raw["ShardId"], raw.get("ParentShardId"), start)
                    self.shards[raw["ShardId"]] = shard
                    if start == "LATEST":
                        self._iterator(shard)  # "from now" is now, not at the first read

    # -- internals ------------------------------------------------------------------------

    def _tenant_tables(self) -> list[str]:
        names = table_names(self.dynamodb, self.prefix)
        return names if self.tables is None else [n for n in names if self.tables(n)]

    def _describe_shards(self, arn: str) -> list[dict[str, Any]]:
        shards: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {"StreamArn": arn}
        while True:
            description = self.streams.describe_stream(**kwargs)["StreamDescription"]
            shards += description.get("Shards", [])
            last = description.get("LastEvaluatedShardId")
            if not last:
                return shards
            kwargs["ExclusiveStartShardId"] = last

    def _parent_done(self, shard: Shard) -> bool:
        parent = self.shards.get(shard.parent_id or "")
        return parent is None or parent.closed

    def _iterator(self, shard: Shard) -> str:
        if shard.iterator is None:
            position: dict[str, Any] = (
                {"ShardIteratorType": shard.start}
                if shard.position is None
                else {
                    "ShardIteratorType": f"{shard.position[0]}_SEQUENCE_NUMBER",
                    "SequenceNumber": shard.position[1],
                }
            )
            shard.iterator = self.streams.get_shard_iterator(
                StreamArn=shard.stream_arn, ShardId=shard.shard_id, **position
            )["ShardIterator"]
        return shard.iterator

    def _read(self, shard: Shard) -> int:
        try:
            page = self.streams.get_records(ShardIterator=self._iterator(shard), Limit=BATCH_SIZE)
        except self.streams.exceptions.ExpiredIteratorException:
            shard.iterator = None  # read again after the last record handed on
            return 0
        records = [self._lambda_record(r, shard.stream_arn) for r in page.get("Records", [])]
        self.backlog = self.backlog or len(records) >= BATCH_SIZE
        wanted = [r for r in records if is_event_record(r)]
        if wanted and not self._hand_on(shard, wanted):
            shard.iterator = None  # the same records again, next poll
            return 0
        if records:
            shard.position = ("AFTER", records[-1]["dynamodb"]["SequenceNumber"])
        shard.iterator = page.get("NextShardIterator")
        if shard.iterator is None:
            shard.closed = True
        return len(wanted)

    def _hand_on(self, shard: Shard, records: list[dict[str, Any]]) -> bool:
        """Call the relay; True when the whole batch is relayed (False: read again from
        `shard.position`)."""
        failed_from = self._call(records)
        if failed_from is None:
            shard.failing, shard.attempts = None, 0
            return True
        failed = records[failed_from]["dynamodb"]["SequenceNumber"]
        shard.attempts = shard.attempts + 1 if shard.failing == failed else 1
        shard.failing = failed
        # The records before the failed one are done: read again from the failed one.
        shard.position = ("AT", failed)
        if shard.attempts <= MAX_RETRIES:
            log.warning(
                "relay failed from record %d of %d (attempt %d); retrying",
                failed_from,
                len(records),
                shard.attempts,
            )
            return False
        # Given up on the failed record alone (on AWS, bisecting the batch isolates it): it
        # goes to the failure queue, and the records after it are read again.
        poison = records[failed_from]
        log.error("relay failed %d times on one record: to the failure queue", MAX_RETRIES)
        self.on_failure([poison])
        shard.position = ("AFTER", failed)
        shard.failing, shard.attempts = None, 0
        return False

    def _call(self, records: list[dict[str, Any]]) -> int | None:
        """The position the batch failed from (None: all relayed)."""
        try:
            answer = self.handler({"Records": records}, self.context())
        except Exception:  # Lambda retries the whole batch
            log.exception("relay raised on %d record(s)", len(records))
            return 0
        failures = (answer or {}).get("batchItemFailures") or []
        if not failures:
            return None
        sequences = [r["dynamodb"]["SequenceNumber"] for r in records]
        positions = [
            sequences.index(f.get("itemIdentifier"))
            for f in failures
            if f.get("itemIdentifier") in sequences
        ]
        # An identifier not in the batch fails the whole batch, as on AWS.
        return min(positions) if len(positions) == len(failures) else 0

    def _lambda_record(self, record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
        dynamodb = dict(record["dynamodb"])
        created = dynamodb.get("ApproximateCreationDateTime")
        if isinstance(created, datetime):
            dynamodb["ApproximateCreationDateTime"] = created.timestamp()
        return {
            **{k: v for k, v in record.items() if k != "dynamodb"},
            "dynamodb": dynamodb,
            "eventSourceARN": stream_arn,
            "awsRegion": self.region,
        }


def table_names(dynamodb: Any, prefix: str) -> list[str]:
    """Every table whose name starts with `prefix` (ListTables, page by page)."""
    names: list[str] = []
    kwargs: dict[str, Any] = {"Limit": 100}
    while True:
        page = dynamodb.list_tables(**kwargs)
        names += [n for n in page.get("TableNames", []) if n.startswith(prefix)]
        if "LastEvaluatedTableName" not in page:
            return names
        kwargs["ExclusiveStartTableName"] = page["LastEvaluatedTableName"]


def failure_message(records: list[dict[str, Any]]) -> str:
    """The failure queue's message for records given up on (what the mapping's on-failure
    destination gets on AWS is metadata only; locally the records themselves are kept)."""
    return json.dumps({"records": records}, default=str)
