"""The stored timestamp format, and arithmetic on it (standard library only)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def parse(stamp: str) -> datetime:
    return datetime.strptime(stamp, FORMAT).replace(tzinfo=UTC)


def format_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(FORMAT)


def add_seconds(stamp: str, seconds: int) -> str:
    return format_utc(parse(stamp) + timedelta(seconds=seconds))


def month_of(stamp: str) -> str:
    return stamp[:7]
