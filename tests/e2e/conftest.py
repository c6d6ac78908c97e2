"""End-to-end tier: the API over real HTTP (`chalice local` on 127.0.0.1) with the worker loop
running the queue handlers, on DynamoDB Local and moto server — what `make dev` runs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from local.resources import Stack
from tests.live_http import Http, serving


def ahead(days: int = 23) -> str:
    """A night `days` from today: these tests run against the real clock, and a fixed date
    (they named 2026-12-24) stops being bookable once it has passed."""
    return (date.today() + timedelta(days=days)).isoformat()


@pytest.fixture(scope="module")
def http(stack: Stack) -> Iterator[Http]:
    with serving(stack.env, stack) as served:
        yield served


@pytest.fixture(scope="module")
def http_with_stripe(stack: Stack, localstripe: Any) -> Iterator[Http]:
    """The same, with the Stripe SDK pointed at localstripe (as `make dev` does)."""
    from local.resources import stripe_environment

    with serving({**stack.env, **stripe_environment(localstripe.endpoint)}, stack) as served:
        yield served
