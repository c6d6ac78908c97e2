"""Helpers the integration tests share (fixtures live in conftest.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from chalicelib import bootstrap


def ahead(days: int = 23) -> date:
    """A night `days` from today: the live stack runs on the real clock, and a fixed date
    stops being bookable once it has passed (tests that named 2026-12-01 failed from 10:00
    that day)."""
    return date.today() + timedelta(days=days)


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
