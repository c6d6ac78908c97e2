"""The daily figures in the tenant's table (kernel/adapters/schema.py lists the keys):

- a day item: `FIG#<basis>`/`<local date>`; one top-level number per counter, named
  `<dim>|<key>|<field>` (reports/domain/figures.py; ADD works on top-level numbers only),
  `u` when it last changed. One partition per basis: a report over N days is ONE Query
  `pk = FIG#<basis> AND sk BETWEEN <from> AND <to>` reading N items at most, whatever the
  number of orders; a tenant's bookings are far below a partition's 1,000 writes a second.
- an order's contribution: `FIGORD#<order id>`/`META`, `c` (zlib of the JSON basis -> date ->
  counters),
  `f` (first booking: 1/0), `v` (its version), Put over the version read.
- a rebuild's job: `REBUILD#<id>`/`META`, `doc` (JSON), TTL 90 days.

The unit of work's writer encodes `FigureAdd` and `CountedPut` through `FIGURE_ITEMS` (the
composition root hands it over).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.schema import TTL_ATTRIBUTE
from chalicelib.kernel.domain.errors import Conflict, DomainError
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.services.transaction_ports import TransactionItem
from chalicelib.reports.domain.figures import Contribution
from chalicelib.reports.domain.figures_report import DayFigures
from chalicelib.reports.domain.rebuilds import Rebuild
from chalicelib.reports.services.figures_ports import (
    Counted,
    CountedPut,
    FigureAdd,
    FiguresStore,
)

JOB_DAYS = 90
WRITE_BATCH = 25


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def day_key(basis: str, day: str) -> dict[str, Any]:
    return {"pk": _s(f"FIG#{basis}"), "sk": _s(day)}


def counted_key(order_id: str) -> dict[str, Any]:
    return {"pk": _s(f"FIGORD#{order_id}"), "sk": _s("META")}


def contribution_bytes(c: Contribution) -> bytes:
    """The contribution as stored: its JSON compressed (its counter names repeat per day and
    basis: about 1.8 KB of JSON for a paid two-night stay become about 320 bytes, so its put
    is 1 KB of write, 2 WRU in the transaction, instead of 4)."""
    return zlib.compress(contribution_json(c).encode(), 9)


def contribution_json(c: Contribution) -> str:
    doc: dict[str, dict[str, dict[str, int]]] = {}
    for (basis, day), counters in c.items():
        doc.setdefault(basis, {})[day] = dict(counters)
    return json.dumps(doc, separators=(",", ":"), sort_keys=True)


def contribution_of(text: str) -> Contribution:
    doc = json.loads(text)
    return {
        (basis, day): {k: int(v) for k, v in counters.items()}
        for basis, days in doc.items()
        for day, counters in days.items()
    }


def _counted_item(order_id: str, counted: Counted) -> dict[str, Any]:
    item = {
        **counted_key(order_id),
        "type": _s("figures_counted"),
        "c": {"B": contribution_bytes(counted.contribution)},
        "v": _n(counted.version),
    }
    if counted.first_booking is not None:
        item["f"] = _n(int(counted.first_booking))
    return item


def day_of_item(item: dict[str, Any]) -> DayFigures:
    counters = {name: int(v["N"]) for name, v in item.items() if "|" in name and "N" in v}
    return DayFigures(item["sk"]["S"], counters, item.get("u", {}).get("S", ""))


class FigureItems:
    """The figures' transaction items as the unit of work's writer sends them."""

    @staticmethod
    def write(table: str, item: TransactionItem) -> dict[str, Any] | None:
        if isinstance(item, FigureAdd):
            names = {"#u": "u", "#type": "type"}
            values: dict[str, Any] = {":u": _s(item.at), ":type": _s("figures_day")}
            adds = []
            for n, (name, delta) in enumerate(item.adds):
                names[f"#a{n}"] = name
                values[f":a{n}"] = _n(delta)
                adds.append(f"#a{n} :a{n}")
            return {
                "Update": {
                    "TableName": table,
                    "Key": day_key(item.basis, item.day),
                    "UpdateExpression": "SET #u = :u, #type = :type ADD " + ", ".join(adds),
                    "ExpressionAttributeNames": names,
                    "ExpressionAttributeValues": values,
                }
            }
        if isinstance(item, CountedPut):
            put: dict[str, Any] = {
                "TableName": table,
                "Item": _counted_item(item.order_id, item.counted),
            }
            if item.expected_version == 0:
                put["ConditionExpression"] = "attribute_not_exists(pk)"
            else:
                put["ConditionExpression"] = "v = :v"
                put["ExpressionAttributeValues"] = {":v": _n(item.expected_version)}
            return {"Put": put}
        return None

    @staticmethod
    def refusal(item: TransactionItem) -> DomainError | None:
        if isinstance(item, CountedPut):
            return Conflict(
                "The order's figures changed meanwhile.",
                code="figures_changed",
                order_id=item.order_id,
            )
        return None


FIGURE_ITEMS = FigureItems()


class DynamoFiguresStore(FiguresStore):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def counted(self, order_id: str) -> Counted:
        try:
            item = self._client.get_item(
                TableName=self._table, Key=counted_key(order_id), ConsistentRead=True
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        if item is None:
            return Counted({})
        first = bool(int(item["f"]["N"])) if "f" in item else None
        text = zlib.decompress(item["c"]["B"]).decode()
        return Counted(contribution_of(text), first, int(item["v"]["N"]))

    def _query(self, basis: str, first: str, last: str, **extra: Any) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        start: dict[str, Any] | None = None
        while True:
            args: dict[str, Any] = {
                "TableName": self._table,
                "KeyConditionExpression": "pk = :pk AND sk BETWEEN :a AND :b",
                "ExpressionAttributeValues": {
                    ":pk": _s(f"FIG#{basis}"),
                    ":a": _s(first),
                    ":b": _s(last),
                },
                **extra,
            }
            if start:
                args["ExclusiveStartKey"] = start
            try:
                answer = self._client.query(**args)
            except ClientError as exc:
                reraise(exc)
            out += answer.get("Items", [])
            start = answer.get("LastEvaluatedKey")
            if not start:
                return out

    def days(self, basis: str, first: str, last: str) -> list[DayFigures]:
        return [day_of_item(i) for i in self._query(basis, first, last)]

    def replace_days(self, basis: str, first: str, last: str, days: Sequence[DayFigures]) -> None:
        keep = {d.day for d in days}
        old = self._query(basis, first, last, ProjectionExpression="pk, sk")
        requests: list[dict[str, Any]] = [
            {"DeleteRequest": {"Key": {"pk": i["pk"], "sk": i["sk"]}}}
            for i in old
            if i["sk"]["S"] not in keep
        ]
        for d in days:
            item = {
                **day_key(basis, d.day),
                "type": _s("figures_day"),
                "u": _s(d.updated_at),
                **{name: _n(n) for name, n in d.counters.items() if n},
            }
            requests.append({"PutRequest": {"Item": item}})
        self._batch(requests)

    def _batch(self, requests: list[dict[str, Any]]) -> None:
        for n in range(0, len(requests), WRITE_BATCH):
            pending = {self._table: requests[n : n + WRITE_BATCH]}
            while pending:
                try:
                    answer = self._client.batch_write_item(RequestItems=pending)
                except ClientError as exc:
                    reraise(exc)
                pending = answer.get("UnprocessedItems") or {}

    def put_counted(self, order_id: str, counted: Counted) -> None:
        try:
            self._client.put_item(TableName=self._table, Item=_counted_item(order_id, counted))
        except ClientError as exc:
            reraise(exc)

    def get_rebuild(self, rebuild_id: str) -> Rebuild | None:
        key = {"pk": _s(f"REBUILD#{rebuild_id}"), "sk": _s("META")}
        try:
            item = self._client.get_item(TableName=self._table, Key=key, ConsistentRead=True)
        except ClientError as exc:
            reraise(exc)
        found = item.get("Item")
        return None if found is None else Rebuild(**json.loads(found["doc"]["S"]))

    def put_rebuild(self, rebuild: Rebuild) -> None:
        expires = int(parse(rebuild.created_at).timestamp()) + JOB_DAYS * 86400
        item = {
            "pk": _s(f"REBUILD#{rebuild.id}"),
            "sk": _s("META"),
            "type": _s("figures_rebuild"),
            "doc": _s(json.dumps(asdict(rebuild), separators=(",", ":"))),
            TTL_ATTRIBUTE: _n(expires),
        }
        try:
            self._client.put_item(TableName=self._table, Item=item)
        except ClientError as exc:
            reraise(exc)
