"""Export jobs in the tenant table (keys listed in kernel/adapters/schema.py):

- `EXP#<id>`/`META`: the job (kind, format, dates, who asked; `export_status`, `rows`,
  `finished_at`, the failure's `reason_code` and `reason`, the worker's `lease_until` and
  `attempts`), with gsi1 `EXPORTS`/`<created_at>#<id>` for the latest in one Query;
- expired by TTL `KEEP_DAYS` after it was asked for, like its file (the bucket's lifecycle);
- withdrawn (a customer's erase) and finished on conditions of its own item's status: the
  listing (gsi1) may lag it.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.paged_reads import query_up_to
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.reports.domain.exports import (
    KEEP_DAYS,
    ExportFormat,
    ExportJob,
    ExportKind,
    ExportStatus,
)
from chalicelib.reports.services.export_ports import ExportStore

LISTING = "EXPORTS"
OPEN = (ExportStatus.QUEUED.value, ExportStatus.RUNNING.value)


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _key(export_id: str) -> dict[str, Any]:
    return {"pk": _s(f"EXP#{export_id}"), "sk": _s("META")}


def _job(item: dict[str, Any]) -> ExportJob:
    doc = json.loads(item["doc"]["S"])
    text = {
        k: item[k]["S"] for k in ("finished_at", "lease_until", "nudged_at", "reason") if k in item
    }
    return ExportJob(
        id=item["pk"]["S"].removeprefix("EXP#"),
        kind=ExportKind(doc["kind"]),
        format=ExportFormat(doc["format"]),
        first=doc["first"],
        last=doc["last"],
        created_at=doc["created_at"],
        created_by=doc["created_by"],
        created_role=doc["created_role"],
        status=ExportStatus(item["export_status"]["S"]),
        rows=int(item["rows"]["N"]) if "rows" in item else None,
        reason_code=item["reason_code"]["S"] if "reason_code" in item else "",
        attempts=int(item["attempts"]["N"]) if "attempts" in item else 0,
        **text,
    )


class DynamoExports(ExportStore):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def create(self, job: ExportJob) -> bool:
        doc = {
            "kind": job.kind.value,
            "format": job.format.value,
            "first": job.first,
            "last": job.last,
            "created_at": job.created_at,
            "created_by": job.created_by,
            "created_role": job.created_role,
        }
        item = {
            **_key(job.id),
            "type": _s("export"),
            "doc": _s(json.dumps(doc)),
            "export_status": _s(job.status.value),
            "gsi1pk": _s(LISTING),
            "gsi1sk": _s(f"{job.created_at}#{job.id}"),
            "ttl": {"N": str(int(parse(job.created_at).timestamp()) + KEEP_DAYS * 86400)},
        }
        return self._update("put_item", Item=item, ConditionExpression="attribute_not_exists(pk)")

    def get(self, export_id: str) -> ExportJob | None:
        try:
            item = self._client.get_item(
                TableName=self._table, Key=_key(export_id), ConsistentRead=True
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        return _job(item) if item else None

    def recent(self, limit: int) -> list[ExportJob]:
        try:
            items = self._client.query(
                TableName=self._table,
                IndexName="gsi1",
                KeyConditionExpression="gsi1pk = :p",
                ExpressionAttributeValues={":p": _s(LISTING)},
                ScanIndexForward=False,
                Limit=limit,
            )["Items"]
        except ClientError as exc:
            reraise(exc)
        return [_job(item) for item in items]

    def claim(self, export_id: str, *, now: str, until: str) -> bool:
        return self._update(
            "update_item",
            Key=_key(export_id),
            UpdateExpression="SET lease_until = :until, export_status = :running ADD attempts :one",
            ConditionExpression="export_status IN (:queued, :running) AND "
            "(attribute_not_exists(lease_until) OR lease_until < :now)",
            ExpressionAttributeValues={
                ":until": _s(until),
                ":now": _s(now),
                ":one": {"N": "1"},
                ":queued": _s(OPEN[0]),
                ":running": _s(OPEN[1]),
            },
        )

    def finish(self, export_id: str, *, rows: int, at: str) -> bool:
        return self._update(
            "update_item",
            Key=_key(export_id),
            UpdateExpression="SET export_status = :s, #rows = :n, finished_at = :at "
            "REMOVE lease_until",
            ConditionExpression="export_status = :running",
            ExpressionAttributeNames={"#rows": "rows"},
            ExpressionAttributeValues={
                ":s": _s(ExportStatus.DONE.value),
                ":n": {"N": str(rows)},
                ":at": _s(at),
                ":running": _s(ExportStatus.RUNNING.value),
            },
        )

    def made_until(self, at: str) -> list[ExportJob]:
        items, _ = query_up_to(
            self._client,
            self._table,
            IndexName="gsi1",
            KeyConditionExpression="gsi1pk = :p AND gsi1sk <= :at",
            ExpressionAttributeValues={":p": _s(LISTING), ":at": _s(f"{at}#~")},
        )
        return [_job(item) for item in items]

    def withdraw(self, export_id: str, *, code: str, reason: str, at: str) -> bool:
        return self._update(
            "update_item",
            Key=_key(export_id),
            UpdateExpression="SET export_status = :s, reason_code = :c, reason = :r, "
            "withdrawn_at = :at REMOVE lease_until",
            ConditionExpression="export_status IN (:running, :done)",
            ExpressionAttributeValues={
                ":s": _s(ExportStatus.WITHDRAWN.value),
                ":c": _s(code),
                ":r": _s(reason[:500]),
                ":at": _s(at),
                ":running": _s(ExportStatus.RUNNING.value),
                ":done": _s(ExportStatus.DONE.value),
            },
        )

    def fail(self, export_id: str, *, code: str, reason: str, at: str) -> None:
        self._update(
            "update_item",
            Key=_key(export_id),
            UpdateExpression="SET export_status = :s, reason_code = :c, reason = :r, "
            "finished_at = :at REMOVE lease_until",
            ExpressionAttributeValues={
                ":s": _s(ExportStatus.FAILED.value),
                ":c": _s(code),
                ":r": _s(reason[:500]),
                ":at": _s(at),
            },
        )

    def let_go(self, export_id: str) -> None:
        self._update(
            "update_item",
            Key=_key(export_id),
            UpdateExpression="REMOVE lease_until",
            ConditionExpression="attribute_exists(pk)",
        )

    def nudge(self, export_id: str, *, now: str, seen: str | None) -> bool:
        if seen is None:
            condition, values = "attribute_not_exists(nudged_at)", {":now": _s(now)}
        else:
            condition, values = "nudged_at = :seen", {":now": _s(now), ":seen": _s(seen)}
        return self._update(
            "update_item",
            Key=_key(export_id),
            UpdateExpression="SET nudged_at = :now",
            ConditionExpression=f"attribute_exists(pk) AND {condition}",
            ExpressionAttributeValues=values,
        )

    def _update(self, method: str, **kwargs: Any) -> bool:
        """The write; False when its condition did not hold."""
        try:
            getattr(self._client, method)(TableName=self._table, **kwargs)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            reraise(exc)
        return True
