"""Amazon EventBridge Scheduler: one one-time schedule per reminder, targeting the reminders
queue, deleted by the service after it fires (ActionAfterCompletion=DELETE)."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.domain.errors import TransientFailure
from chalicelib.kernel.services.messaging_ports import ReminderScheduler


def at_expression(instant: str) -> str:
    """ISO UTC (2026-12-24T09:00:00.000000Z) -> at(2026-12-24T09:00:00), read in UTC."""
    return f"at({instant[:19]})"


class EventBridgeReminderScheduler(ReminderScheduler):
    def __init__(self, client: Any, *, group: str, queue_arn: str, role_arn: str) -> None:
        self._client = client
        self._group = group
        self._queue_arn = queue_arn
        self._role_arn = role_arn

    def schedule(self, name: str, at: str, payload: dict[str, Any]) -> None:
        try:
            self._client.create_schedule(
                Name=name,
                GroupName=self._group,
                ScheduleExpression=at_expression(at),
                ScheduleExpressionTimezone="UTC",
                FlexibleTimeWindow={"Mode": "OFF"},
                ActionAfterCompletion="DELETE",
                Target={
                    "Arn": self._queue_arn,
                    "RoleArn": self._role_arn,
                    "Input": json.dumps(payload, separators=(",", ":"), sort_keys=True),
                    "RetryPolicy": {"MaximumRetryAttempts": 10},
                },
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConflictException":
                return  # made already (a repeated event): the same name is the same reminder
            raise TransientFailure(
                "Could not schedule the reminder.", aws_code=exc.response["Error"]["Code"]
            ) from exc

    def cancel(self, name: str) -> None:
        try:
            self._client.delete_schedule(Name=name, GroupName=self._group)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ResourceNotFoundException":
                raise
