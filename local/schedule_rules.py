"""The `@app.schedule` side of the local worker loop: EventBridge's `rate(...)` and `cron(...)`
expressions, when each registered schedule fires next, and the event Lambda receives.

Like EventBridge, a rate schedule first fires one interval after it starts; after a long pause
(a suspended laptop) it runs once, not once per missed interval; a cron schedule catches up at
most an hour, in order. (One-time `at(...)` schedules are local/schedules.py.)
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chalice.app import ScheduleExpression

_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
_MONTH_NAMES = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, 1)}
_WEEKDAYS = {d: i for i, d in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], 1)}
# (low, high, names) for minutes, hours, day of month, month, day of week (1 = Sunday), year.
_CRON_FIELDS: tuple[tuple[int, int, dict[str, int]], ...] = (
    (0, 59, {}),
    (0, 23, {}),
    (1, 31, {}),
    (1, 12, _MONTHS),
    (1, 7, _WEEKDAYS),
    (1970, 2199, {}),
)


def rate_seconds(expression: str) -> int | None:
    """Seconds between runs of `rate(N unit)`, or None if it is not a rate expression."""
    match = _RATE.match(expression.strip())
    if match is None:
        return None
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2).rstrip("s")]


def _cron_value(token: str, names: dict[str, int]) -> int:
    if token in names:
        return names[token]
    if token.isdigit():
        return int(token)
    raise ValueError(f"cron value {token!r} is not supported locally (L, W and # are not)")


def _cron_values(text: str, low: int, high: int, names: dict[str, int]) -> frozenset[int]:
    """One cron field (`*`, `?`, `5`, `1-5`, `MON-FRI`, `0/15`, `*/10`, lists) -> its values."""
    values: set[int] = set()
    for part in text.upper().split(","):
        span, _, step_text = part.partition("/")
        step = _cron_value(step_text, {}) if step_text else 1
        if span in ("*", "?"):
            first, last = low, high
        elif "-" in span:
            start, end = span.split("-", 1)
            first, last = _cron_value(start, names), _cron_value(end, names)
        else:
            first = _cron_value(span, names)
            last = high if step_text else first
        if not low <= first <= last <= high or step < 1:
            raise ValueError(f"cron field {part!r} is outside {low}-{high}")
        values.update(range(first, last + 1, step))
    return frozenset(values)


@dataclass(frozen=True)
class Cron:
    """An EventBridge `cron(min hour day-of-month month day-of-week year)`, in UTC."""

    fields: tuple[frozenset[int], ...]

    @classmethod
    def parse(cls, expression: str) -> Cron:
        inner = expression.strip()
        if not (inner.startswith("cron(") and inner.endswith(")")):
            raise ValueError(f"not a cron expression: {expression!r}")
        parts = inner[5:-1].split()
        if len(parts) != 6:
            raise ValueError(f"cron needs 6 fields, got {len(parts)}: {expression!r}")
        return cls(
            tuple(
                _cron_values(part, low, high, names)
                for part, (low, high, names) in zip(parts, _CRON_FIELDS, strict=True)
            )
        )

    def matches(self, moment: datetime) -> bool:
        weekday = (moment.weekday() + 1) % 7 + 1  # Python: Monday 0; EventBridge: Sunday 1
        wanted = (moment.minute, moment.hour, moment.day, moment.month, weekday, moment.year)
        return all(value in allowed for value, allowed in zip(wanted, self.fields, strict=True))


def expression_text(expression: str | ScheduleExpression) -> str:
    return expression if isinstance(expression, str) else expression.to_string()


@dataclass
class ScheduledHandler:
    """One `@app.schedule` registration and when it next runs."""

    name: str
    expression: str
    handler: Callable[[dict[str, Any], Any], Any]
    interval: int | None = None  # seconds, for rate()
    cron: Cron | None = None
    next_due: float = 0.0  # rate: epoch seconds
    last_minute: int = 0  # cron: last whole minute (epoch // 60) already considered

    def start(self, now: float) -> None:
        # Like EventBridge, a rate schedule first fires one interval after it is created.
        self.next_due = now + (self.interval or 0)
        self.last_minute = int(now // 60)

    def due_times(self, now: float) -> list[float]:
        """The moments (epoch seconds) this schedule fires in (last check, now]."""
        if self.interval is not None:
            if now < self.next_due:
                return []
            fired = self.next_due
            # After a long pause (a suspended laptop) run once, not once per missed interval.
            self.next_due = max(self.next_due + self.interval, now + 1e-6)
            return [fired]
        assert self.cron is not None
        minute = int(now // 60)
        # At most an hour of catching up; matching minutes fire in order.
        first = max(self.last_minute + 1, minute - 59)
        self.last_minute = max(self.last_minute, minute)
        return [
            m * 60.0
            for m in range(first, minute + 1)
            if self.cron.matches(datetime.fromtimestamp(m * 60, UTC))
        ]


def scheduled_event(rule_arn: str, moment: float, account: str, region: str) -> dict[str, Any]:
    """An EventBridge scheduled event, as Lambda receives it."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": account,
        "time": datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [rule_arn],
        "detail": {},
    }
