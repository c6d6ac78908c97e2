"""Bulk jobs in the tenant table: `JOB#<id>`/`META` holds the job (its ids as JSON, under
400 KB for 1,000 ids), `JOB#<id>`/`R#<order id>` each order's result, written on condition
that it does not exist (booking/domain/bulk.py). Both expire 90 days after the job."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.booking.domain.bulk import BulkAction, BulkJob, BulkResult, JobStatus, Outcome
from chalicelib.booking.services.bulk_ports import BulkJobStore
from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.paged_reads import query_up_to
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.domain.timefmt import parse

KEEP_SECONDS = 90 * 86400


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _expires(at: str) -> dict[str, str]:
    return {"N": str(int(parse(at).timestamp()) + KEEP_SECONDS)}


class DynamoBulkJobs(BulkJobStore):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def create(self, job: BulkJob) -> None:
        doc = {
            "action": job.action.value,
            "order_ids": list(job.order_ids),
            "created_at": job.created_at,
            "created_by": job.created_by,
            "created_role": job.created_role,
            "chosen_by": job.chosen_by,
            "reason": job.reason,
            "subject": job.subject,
            "body": job.body,
            **({"leave_open": True} if job.leave_balance_open else {}),
            **({"on": [job.on_resource, job.on_at]} if job.on_resource else {}),
        }
        item = {
            "pk": _s(f"JOB#{job.id}"),
            "sk": _s("META"),
            "type": _s("bulk_job"),
            "doc": _s(json.dumps(doc, ensure_ascii=False)),
            "job_status": _s(job.status.value),
            "ttl": _expires(job.created_at),
        }
        try:
            self._client.put_item(
                TableName=self._table, Item=item, ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise Conflict("The job exists.", code="job_exists") from exc
            reraise(exc)

    def get(self, job_id: str) -> BulkJob | None:
        try:
            item = self._client.get_item(
                TableName=self._table,
                Key={"pk": _s(f"JOB#{job_id}"), "sk": _s("META")},
                ConsistentRead=True,
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        if item is None:
            return None
        doc = json.loads(item["doc"]["S"])
        return BulkJob(
            id=job_id,
            action=BulkAction(doc["action"]),
            order_ids=tuple(doc["order_ids"]),
            created_at=doc["created_at"],
            created_by=doc["created_by"],
            created_role=doc["created_role"],
            chosen_by=doc["chosen_by"],
            status=JobStatus(item["job_status"]["S"]),
            reason=doc["reason"],
            subject=doc["subject"],
            body=doc["body"],
            leave_balance_open=bool(doc.get("leave_open", False)),
            on_resource=doc.get("on", ["", ""])[0],
            on_at=doc.get("on", ["", ""])[1],
            finished_at=item["finished_at"]["S"] if "finished_at" in item else None,
            lease_until=item["lease_until"]["S"] if "lease_until" in item else None,
            nudged_at=item["nudged_at"]["S"] if "nudged_at" in item else None,
            started_at=item["started_at"]["S"] if "started_at" in item else None,
        )

    def set_status(self, job_id: str, status: JobStatus, *, at: str | None = None) -> None:
        values: dict[str, Any] = {":s": _s(status.value)}
        expression = "SET job_status = :s"
        if at is not None:
            expression += ", finished_at = :at"
            values[":at"] = _s(at)
        try:
            self._client.update_item(
                TableName=self._table,
                Key={"pk": _s(f"JOB#{job_id}"), "sk": _s("META")},
                UpdateExpression=expression,
                ExpressionAttributeValues=values,
            )
        except ClientError as exc:
            reraise(exc)

    def claim(self, job_id: str, *, now: str, until: str) -> bool:
        return self._conditional(
            job_id,
            "SET lease_until = :until, started_at = if_not_exists(started_at, :now)",
            "attribute_not_exists(lease_until) OR lease_until < :now",
            {":until": _s(until), ":now": _s(now)},
        )

    def let_go(self, job_id: str, *, now: str) -> None:
        self._conditional(
            job_id, "SET lease_until = :now", "attribute_exists(pk)", {":now": _s(now)}
        )

    def nudge(self, job_id: str, *, now: str, seen: str | None) -> bool:
        if seen is None:
            return self._conditional(
                job_id, "SET nudged_at = :now", "attribute_not_exists(nudged_at)", {":now": _s(now)}
            )
        return self._conditional(
            job_id,
            "SET nudged_at = :now",
            "nudged_at = :seen",
            {":now": _s(now), ":seen": _s(seen)},
        )

    def _conditional(
        self, job_id: str, update: str, condition: str, values: dict[str, Any]
    ) -> bool:
        try:
            self._client.update_item(
                TableName=self._table,
                Key={"pk": _s(f"JOB#{job_id}"), "sk": _s("META")},
                UpdateExpression=update,
                ConditionExpression=condition,
                ExpressionAttributeValues=values,
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            reraise(exc)
        return True

    def put_result(self, job_id: str, result: BulkResult) -> bool:
        item = {
            "pk": _s(f"JOB#{job_id}"),
            "sk": _s(f"R#{result.order_id}"),
            "type": _s("bulk_result"),
            "outcome": _s(result.outcome.value),
            "at": _s(result.at),
            "code": _s(result.code),
            "message": _s(result.message),
            "ttl": _expires(result.at),
        }
        try:
            self._client.put_item(
                TableName=self._table, Item=item, ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            reraise(exc)
        return True

    def results(self, job_id: str) -> list[BulkResult]:
        items, _ = query_up_to(
            self._client,
            self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :r)",
            ExpressionAttributeValues={":pk": _s(f"JOB#{job_id}"), ":r": _s("R#")},
            ConsistentRead=True,
        )
        return [
            BulkResult(
                order_id=item["sk"]["S"].removeprefix("R#"),
                outcome=Outcome(item["outcome"]["S"]),
                at=item["at"]["S"],
                code=item["code"]["S"],
                message=item["message"]["S"],
            )
            for item in items
        ]
