"""EventBridge Scheduler's one-time schedules, fired locally (the local stack only).

moto server stores schedules (create/get/list/delete) but never fires them. The worker loop
calls `fire_due` every round: each `at(...)` schedule of the app's group whose time has come
has its target's Input sent to the target SQS queue, then the schedule is deleted, as
`ActionAfterCompletion=DELETE` does on AWS. A schedule that cannot be delivered stays and is
tried again next round.

The group is listed again every `LIST_SECONDS`, not every round: listing costs moto time in
proportion to the schedules waiting (two per confirmed booking), and listing each round made a
30-minute soak's rounds slower and slower until the events queue backed up. A schedule is read
once (GetSchedule) when first seen, and again just before it fires, so one the app deleted
since the last listing (a cancelled booking's reminder) never fires.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

log = logging.getLogger("reservoir.local.schedules")

LIST_SECONDS = 5.0


def at_instant(expression: str) -> datetime | None:
    """`at(2026-12-24T09:00:00)` (UTC) -> that instant; None for rate/cron expressions."""
    text = expression.strip()
    if not (text.startswith("at(") and text.endswith(")")):
        return None
    return datetime.strptime(text[3:-1], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)


class OneTimeSchedules:
    def __init__(
        self,
        scheduler: Any,
        sqs: Any,
        *,
        group: str,
        clock: Callable[[], float],
    ) -> None:
        self.scheduler = scheduler
        self.sqs = sqs
        self.group = group
        self.clock = clock
        self._urls: dict[str, str] = {}
        self._known: dict[str, tuple[datetime | None, dict[str, Any]]] = {}  # name -> due, target
        self._listed_at = float("-inf")

    def names(self) -> list[str]:
        names: list[str] = []
        kwargs: dict[str, Any] = {"GroupName": self.group}
        while True:
            page = self.scheduler.list_schedules(**kwargs)
            names += [s["Name"] for s in page.get("Schedules", [])]
            if not page.get("NextToken"):
                return names
            kwargs["NextToken"] = page["NextToken"]

    def fire_due(self) -> int:
        now_seconds = self.clock()
        now = datetime.fromtimestamp(now_seconds, UTC)
        if now_seconds - self._listed_at >= LIST_SECONDS:
            self._listed_at = now_seconds
            self._learn(self.names())
        fired = 0
        for name, (due, target) in list(self._known.items()):
            if due is None or due > now:
                continue
            if not self._still_there(name):
                del self._known[name]  # deleted by the app since the last listing
                continue
            try:
                self.sqs.send_message(
                    QueueUrl=self._url(target["Arn"]), MessageBody=target["Input"]
                )
            except Exception:  # the next round tries again, as Scheduler's retry policy would
                log.exception("schedule %s not delivered", name)
                continue
            self.scheduler.delete_schedule(Name=name, GroupName=self.group)
            del self._known[name]
            fired += 1
        return fired

    def _learn(self, names: list[str]) -> None:
        for name in set(self._known) - set(names):
            del self._known[name]  # deleted by the app (a cancelled booking's reminders)
        for name in names:
            if name not in self._known:  # one GetSchedule per schedule, not per round
                schedule = self.scheduler.get_schedule(Name=name, GroupName=self.group)
                self._known[name] = (at_instant(schedule["ScheduleExpression"]), schedule["Target"])

    def _still_there(self, name: str) -> bool:
        try:
            self.scheduler.get_schedule(Name=name, GroupName=self.group)
        except self.scheduler.exceptions.ResourceNotFoundException:
            return False
        return True

    def _url(self, queue_arn: str) -> str:
        name = queue_arn.rsplit(":", 1)[-1]
        if name not in self._urls:
            self._urls[name] = self.sqs.get_queue_url(QueueName=name)["QueueUrl"]
        return self._urls[name]
