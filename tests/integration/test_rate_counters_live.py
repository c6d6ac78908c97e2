"""Rate-limit counters on DynamoDB Local: the conditional counter, its TTL, and concurrency;
and sign-up budgets through the real app and platform table."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

import pytest
from chalice.local import LambdaEventConverter

from chalicelib.kernel.adapters.schema import TTL_ATTRIBUTE
from chalicelib.tenancy.adapters.rate_counters import DynamoRateCounters
from tests.integration.conftest import unique_slug
from tests.integration.support import window_ahead

WINDOW = window_ahead()  # a fixed one's counters would be past their ttl: deleted mid-test


@pytest.fixture
def tenant_table(empty_tenant_table: str) -> str:
    return empty_tenant_table


def item(stack, table: str, key: str, window: int) -> dict:
    return stack.client("dynamodb").get_item(
        TableName=table,
        Key={"pk": {"S": key}, "sk": {"S": f"W#{window}"}},
        ConsistentRead=True,
    )["Item"]


def test_a_counter_takes_up_to_its_limit_then_refuses_and_counts_no_more(stack, tenant_table):
    counters = DynamoRateCounters(stack.client("dynamodb"), tenant_table)
    taken = [counters.take("RL#x#a", WINDOW, limit=3, expires_at=WINDOW + 120) for _ in range(5)]
    assert taken == [True, True, True, False, False]
    stored = item(stack, tenant_table, "RL#x#a", WINDOW)
    assert stored["n"] == {"N": "3"}
    assert stored[TTL_ATTRIBUTE] == {"N": str(WINDOW + 120)}


def test_the_next_window_and_another_subject_start_from_zero(stack, tenant_table):
    counters = DynamoRateCounters(stack.client("dynamodb"), tenant_table)
    assert counters.take("RL#x#a", WINDOW, limit=1, expires_at=WINDOW + 120)
    assert not counters.take("RL#x#a", WINDOW, limit=1, expires_at=WINDOW + 120)
    assert counters.take("RL#x#a", WINDOW + 60, limit=1, expires_at=WINDOW + 180)
    assert counters.take("RL#x#b", WINDOW, limit=1, expires_at=WINDOW + 120)


def test_concurrent_increments_never_pass_the_limit(stack, tenant_table):
    counters = DynamoRateCounters(stack.client("dynamodb"), tenant_table)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(
            pool.map(
                lambda _: counters.take("RL#hot#k", WINDOW, limit=10, expires_at=WINDOW + 120),
                range(40),
            )
        )
    assert results.count(True) == 10
    assert item(stack, tenant_table, "RL#hot#k", WINDOW)["n"] == {"N": "10"}


def test_the_platform_table_expires_items_by_ttl(stack):
    described = stack.client("dynamodb").describe_time_to_live(
        TableName=stack.resources.platform_table
    )["TimeToLiveDescription"]
    assert described["TimeToLiveStatus"] in ("ENABLED", "ENABLING")
    assert described["AttributeName"] == TTL_ATTRIBUTE


def test_sign_ups_from_one_address_are_budgeted_on_the_real_stack(live, monkeypatch):
    # The plan's budgets (scale 1), a ceiling high enough for the rest of the session's tests,
    # and an address no other test uses (the platform table is shared by the session).
    monkeypatch.setenv("RESERVOIR_RATE_LIMIT_SCALE", "1")
    monkeypatch.setenv("RESERVOIR_SIGNUPS_PER_HOUR", "100000")
    address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
    monkeypatch.setattr(LambdaEventConverter, "LOCAL_SOURCE_IP", address)
    from tests.conftest import reset_app_state

    reset_app_state()
    for _ in range(5):
        live.signup("budget")
    slug = unique_slug("budget")
    refused = live.call(
        "POST",
        "/v1/signup",
        body={
            "business_name": "Budget",
            "slug": slug,
            "owner_email": f"owner@{slug}.example",
            "timezone": "Europe/Berlin",
            "currency": "EUR",
            "locale": "en",
            "business_type": "hotel",
        },
    )
    assert refused.status_code == 429, refused.body
    assert refused.data["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600
    platform = stack_table_get(live, f"SLUG#{slug}")
    assert platform is None  # nothing was written for the refused sign-up


def stack_table_get(live, pk: str):
    return (
        live.stack.client("dynamodb")
        .get_item(
            TableName=live.stack.resources.platform_table,
            Key={"pk": {"S": pk}, "sk": {"S": "META"}},
        )
        .get("Item")
    )
