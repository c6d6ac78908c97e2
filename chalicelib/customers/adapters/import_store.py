"""Imports in the tenant table (keys listed in kernel/adapters/schema.py):

- `IMP#<id>`/`META`: the job (kind, file name and hash, mapping, status, lease), with
  gsi1 `IMPORTS`/`<created_at>#<id>` for the latest imports in one Query;
- `IMP#<id>`/`ROWS#<nnnn>`: the file's mapped cells, in chunks under DynamoDB's item size,
  deleted when the job is done (the report names no e-mail address or phone);
- `IMP#<id>`/`R#<row, 5 digits>`: each row's result, written on condition that it has none.
All expire (TTL) 30 days after the job.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.customers.domain.import_cells import DateOrder
from chalicelib.customers.domain.import_rows import ImportKind
from chalicelib.customers.domain.imports import (
    KEEP_DAYS,
    ImportJob,
    ImportStatus,
    RowOutcome,
    RowResult,
    StoredRow,
)
from chalicelib.customers.services.import_ports import ImportStore, ResultPut
from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.paged_reads import batch_get, query_up_to
from chalicelib.kernel.domain.errors import Conflict, DomainError
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.services.transaction_ports import TransactionItem

LISTING = "IMPORTS"
CHUNK_BYTES = 300_000  # of JSON per rows item: well under 400 KB with the keys


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _key(import_id: str, sk: str = "META") -> dict[str, Any]:
    return {"pk": _s(f"IMP#{import_id}"), "sk": _s(sk)}


def _expires(at: str) -> dict[str, str]:
    return {"N": str(int(parse(at).timestamp()) + KEEP_DAYS * 86400)}


def result_item(import_id: str, result: RowResult, expires_from: str) -> dict[str, Any]:
    return {
        **_key(import_id, f"R#{result.row:05d}"),
        "type": _s("import_result"),
        "outcome": _s(result.outcome.value),
        "at": _s(result.at),
        "code": _s(result.code),
        "message": _s(result.message),
        "customer_id": _s(result.customer_id),
        "order_id": _s(result.order_id),
        "ttl": _expires(expires_from),
    }


class ImportItems:
    """The unit of work's encoding of `ResultPut` (tenant_data.py hands it to the writer)."""

    @staticmethod
    def write(table: str, item: TransactionItem) -> dict[str, Any] | None:
        if not isinstance(item, ResultPut):
            return None
        return {
            "Put": {
                "TableName": table,
                "Item": result_item(item.import_id, item.result, item.result.at),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }

    @staticmethod
    def refusal(item: TransactionItem) -> DomainError | None:
        if isinstance(item, ResultPut):
            return Conflict("The row has its result.", code="row_done", row=item.result.row)
        return None


IMPORT_ITEMS = ImportItems()


def _chunks(rows: Sequence[StoredRow]) -> list[str]:
    out: list[str] = []
    batch: list[Any] = []
    size = 0
    for row in rows:
        doc = [row.row, dict(row.cells)]
        n = len(json.dumps(doc, ensure_ascii=False).encode()) + 2  # and its ", " in the list
        if batch and size + n > CHUNK_BYTES:
            out.append(json.dumps(batch, ensure_ascii=False))
            batch, size = [], 0
        batch.append(doc)
        size += n
    if batch:
        out.append(json.dumps(batch, ensure_ascii=False))
    return out


def _job(item: dict[str, Any]) -> ImportJob:
    doc = json.loads(item["doc"]["S"])
    opt = {k: item[k]["S"] for k in ("finished_at", "lease_until", "nudged_at") if k in item}
    return ImportJob(
        id=item["pk"]["S"].removeprefix("IMP#"),
        kind=ImportKind(doc["kind"]),
        file_name=doc["file_name"],
        file_hash=doc["file_hash"],
        mapping=tuple((c, f) for c, f in doc["mapping"]),
        date_order=DateOrder(doc["date_order"]),
        rows=int(doc["rows"]),
        created_at=doc["created_at"],
        created_by=doc["created_by"],
        created_role=doc["created_role"],
        status=ImportStatus(item["import_status"]["S"]),
        **opt,
    )


class DynamoImports(ImportStore):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def create(self, job: ImportJob, rows: Sequence[StoredRow]) -> None:
        ttl = _expires(job.created_at)
        # The rows first: a retried request (its Idempotency-Key names the job) writes the same
        # chunks again, and only the job's own item is conditional.
        for n, chunk in enumerate(_chunks(rows)):
            item = {**_key(job.id, f"ROWS#{n:04d}"), "doc": _s(chunk), "ttl": ttl}
            self._call("put_item", Item=item)
        doc = {
            "kind": job.kind.value,
            "file_name": job.file_name,
            "file_hash": job.file_hash,
            "mapping": [list(p) for p in job.mapping],
            "date_order": job.date_order.value,
            "rows": job.rows,
            "created_at": job.created_at,
            "created_by": job.created_by,
            "created_role": job.created_role,
        }
        item = {
            **_key(job.id),
            "type": _s("import"),
            "doc": _s(json.dumps(doc, ensure_ascii=False)),
            "import_status": _s(job.status.value),
            "gsi1pk": _s(LISTING),
            "gsi1sk": _s(f"{job.created_at}#{job.id}"),
            "ttl": ttl,
        }
        if not self._conditional_put(item):
            raise Conflict("The import exists.", code="import_exists")

    def get(self, import_id: str) -> ImportJob | None:
        item = self._call("get_item", Key=_key(import_id), ConsistentRead=True).get("Item")
        return _job(item) if item else None

    def recent(self, limit: int) -> list[ImportJob]:
        items = self._call(
            "query",
            IndexName="gsi1",
            KeyConditionExpression="gsi1pk = :p",
            ExpressionAttributeValues={":p": _s(LISTING)},
            ScanIndexForward=False,
            Limit=limit,
        )["Items"]
        return [_job(item) for item in items]

    def rows(self, import_id: str) -> list[StoredRow]:
        items = self._query(import_id, "ROWS#")
        out: list[StoredRow] = []
        for item in items:
            for row, cells in json.loads(item["doc"]["S"]):
                out.append(StoredRow(row=int(row), cells=tuple(cells.items())))
        return out

    def drop_rows(self, import_id: str) -> None:
        for item in self._query(import_id, "ROWS#"):
            self._call("delete_item", Key={"pk": item["pk"], "sk": item["sk"]})

    def set_status(self, import_id: str, status: ImportStatus, *, at: str | None = None) -> None:
        values: dict[str, Any] = {":s": _s(status.value)}
        expression = "SET import_status = :s"
        if at is not None:
            expression += ", finished_at = :at"
            values[":at"] = _s(at)
        self._call(
            "update_item",
            Key=_key(import_id),
            UpdateExpression=expression,
            ExpressionAttributeValues=values,
        )

    def claim(self, import_id: str, *, now: str, until: str) -> bool:
        return self._conditional(
            import_id,
            "SET lease_until = :until",
            "attribute_exists(pk) AND (attribute_not_exists(lease_until) OR lease_until < :now)",
            {":until": _s(until), ":now": _s(now)},
        )

    def let_go(self, import_id: str, *, now: str) -> None:
        # Gone rather than `now`: the rest of a job sent on may be taken up within the same
        # clock tick, and a reader sends again a job whose claim has run out.
        try:
            self._client.update_item(
                TableName=self._table,
                Key=_key(import_id),
                UpdateExpression="REMOVE lease_until",
                ConditionExpression="attribute_exists(pk)",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                reraise(exc)

    def nudge(self, import_id: str, *, now: str, seen: str | None) -> bool:
        if seen is None:
            condition, values = "attribute_not_exists(nudged_at)", {":now": _s(now)}
        else:
            condition, values = "nudged_at = :seen", {":now": _s(now), ":seen": _s(seen)}
        return self._conditional(import_id, "SET nudged_at = :now", condition, values)

    def put_result(self, import_id: str, result: RowResult) -> bool:
        return self._conditional_put(result_item(import_id, result, result.at))

    def results(self, import_id: str) -> list[RowResult]:
        return [
            RowResult(
                row=int(item["sk"]["S"].removeprefix("R#")),
                outcome=RowOutcome(item["outcome"]["S"]),
                at=item["at"]["S"],
                code=item["code"]["S"],
                message=item["message"]["S"],
                customer_id=item["customer_id"]["S"],
                order_id=item["order_id"]["S"],
            )
            for item in self._query(import_id, "R#")
        ]

    def events_made(self, event_ids: Sequence[str]) -> set[str]:
        keys = [{"pk": _s(f"EVT#{i}"), "sk": _s("META")} for i in dict.fromkeys(event_ids)]
        found = batch_get(self._client, self._table, keys, ProjectionExpression="pk")
        return {item["pk"]["S"].removeprefix("EVT#") for item in found}

    def _query(self, import_id: str, prefix: str) -> list[dict[str, Any]]:
        items, _ = query_up_to(
            self._client,
            self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :p)",
            ExpressionAttributeValues={":pk": _s(f"IMP#{import_id}"), ":p": _s(prefix)},
            ConsistentRead=True,
        )
        return items

    def _conditional_put(self, item: dict[str, Any]) -> bool:
        try:
            self._client.put_item(
                TableName=self._table, Item=item, ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            reraise(exc)
        return True

    def _conditional(
        self, import_id: str, update: str, condition: str, values: dict[str, Any]
    ) -> bool:
        try:
            self._client.update_item(
                TableName=self._table,
                Key=_key(import_id),
                UpdateExpression=update,
                ConditionExpression=condition,
                ExpressionAttributeValues=values,
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            reraise(exc)
        return True

    def _call(self, method: str, **kwargs: Any) -> Any:
        try:
            return getattr(self._client, method)(TableName=self._table, **kwargs)
        except ClientError as exc:
            reraise(exc)
