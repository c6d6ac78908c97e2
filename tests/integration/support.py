"""Helpers the integration tests share (fixtures live in conftest.py)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from chalicelib import bootstrap


def ahead(days: int = 23) -> date:
    """A night `days` from today: the live stack runs on the real clock, and a fixed date
    stops being bookable once it has passed (tests that named 2026-12-01 failed from 10:00
    that day)."""
    return date.today() + timedelta(days=days)


def today_stamps() -> Callable[..., str]:
    """`at(hhmm, days=0)`: the stamp at `hhmm` UTC on today's date (read once, so a test that
    runs over midnight keeps one day), or `days` later, for a store given its `now`. An item's
    `ttl` is counted from that `now`, and DynamoDB Local deletes an item whose `ttl` has passed
    by the real clock (its sweep runs about every 10 s): a fixed date's items vanish mid-test
    once the date is a week or a month behind."""
    today = datetime.now(UTC).date()

    def at(hhmm: str, days: int = 0) -> str:
        return f"{(today + timedelta(days=days)).isoformat()}T{hhmm}:00.000000Z"

    return at


def today_at(hhmm: str) -> str:
    """The stamp at `hhmm` UTC today (see `today_stamps`)."""
    return today_stamps()(hhmm)


def window_ahead(days: int = 1) -> int:
    """A rate-limit window (epoch seconds, on a minute) `days` ahead of the real clock, so
    that its counter's `ttl` (a few minutes after it) is still ahead when the test reads it:
    DynamoDB Local deletes an item whose `ttl` has passed."""
    return (int(time.time()) // 60 + days * 24 * 60) * 60


def live_hotel(
    live: Any, stem: str, *, rooms: int, numbers: tuple[str, ...] = ()
) -> tuple[Any, Any, Any]:
    """A provisioned tenant with one room type of `rooms` (tests/builders.py), listing the
    room `numbers` when given (as many as `rooms`), and its stay offering: (the container,
    the tenant, its data)."""
    _, container, data = signed_up_hotel(live, stem, rooms=rooms, numbers=numbers)
    return container, container.platform.get_tenant(data.tenant_id), data


def signed_up_hotel(
    live: Any, stem: str, *, rooms: int, numbers: tuple[str, ...] = ()
) -> tuple[dict[str, Any], Any, Any]:
    """As `live_hotel`, answering the sign-up's answer (its keys), the container, its data."""
    from tests.builders import room_type, stay_offering

    tenant = live.signup(stem)
    live.provision(tenant["tenant_id"])
    container = bootstrap.container()
    data = container.tenant_data.for_tenant(container.platform.get_tenant(tenant["tenant_id"]))
    data.catalog.put_resource(replace(room_type(rooms=rooms), rooms=numbers), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    return tenant, container, data


def take_messages(live: Any, queue_name: str, *, rounds: int = 3) -> list[dict[str, Any]]:
    """Receive and delete what a queue of the stack holds (up to `rounds` receives of ten),
    as Lambda's event source mapping would before handing the messages to a function."""
    sqs = live.stack.client("sqs")
    url = live.stack.resources.queue_urls[queue_name]
    taken: list[dict[str, Any]] = []
    for _ in range(rounds):
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        for m in got.get("Messages", []):
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
            taken.append(m)
    return taken


def made_before_keys_only_indexes(tenant: Any) -> Any:
    """The tenant's table as one made before the keys-only customer and day indexes: its
    format mark removed (kernel/adapters/table_format.py), and the process's container built
    anew, so that its readers learn that (a table's data reads the mark once per opening).
    Answers the new container."""
    from chalicelib.kernel.adapters.table_format import FORMAT_KEY

    client = bootstrap.container().tenant_data.for_tenant(tenant).client  # type: ignore[attr-defined]
    client.delete_item(TableName=tenant.table_name, Key=FORMAT_KEY)
    bootstrap.use(None)
    return bootstrap.container()
