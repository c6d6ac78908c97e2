"""The platform table's payment items and sign-up counters through PynamoDB, on DynamoDB Local:
the items on disk are exactly what the raw boto3 adapters wrote before (so items stored by
them still read), the conditions hold, and each operation is still one request (a map that
exists already: two)."""

from __future__ import annotations

import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pynamodb.connection.base as pynamodb_base
import pytest

from chalicelib.kernel.adapters.platform_models import PlatformModels
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.payments.adapters.platform_payments import DynamoPaymentAccounts
from chalicelib.payments.services.payment_ports import StripeLink
from chalicelib.tenancy.adapters.platform_counters import PlatformRateCounters
from chalicelib.tenancy.adapters.rate_counters import DynamoRateCounters
from tests.integration.support import window_ahead

NOW = "2026-11-24T10:00:00.000000Z"
WINDOW = window_ahead()  # a fixed one's counters would be past their ttl: deleted mid-test


@pytest.fixture
def requests(monkeypatch):
    """DynamoDB requests by operation, from every botocore session PynamoDB opens."""
    seen: Counter[str] = Counter()
    original = pynamodb_base.get_session

    def counted():
        session = original()
        session.register("before-call.dynamodb", lambda event_name, **_: seen.update([event_name]))
        return session

    monkeypatch.setattr(pynamodb_base, "get_session", counted)
    return seen


@pytest.fixture
def models(stack, requests):
    return PlatformModels(
        stack.resources.platform_table, host=stack.dynamodb_endpoint, region="us-east-1"
    )


@pytest.fixture
def raw(stack):
    ddb = stack.client("dynamodb")
    table = stack.resources.platform_table

    class Raw:
        def get(self, pk, sk="META"):
            key = {"pk": {"S": pk}, "sk": {"S": sk}}
            return ddb.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")

        def put(self, item):
            ddb.put_item(TableName=table, Item=item)

    return Raw()


def ops(requests: Counter[str]) -> dict[str, int]:
    taken = {name.rsplit(".", 1)[-1]: n for name, n in requests.items()}
    requests.clear()
    return taken


def test_a_stripe_link_is_stored_as_before_and_versioned(models, raw, requests):
    accounts = DynamoPaymentAccounts(models)
    tenant = f"t{uuid.uuid4().hex[:12]}"
    assert accounts.get(tenant) == StripeLink(tenant)
    assert ops(requests) == {"GetItem": 1}

    saved = accounts.save(StripeLink(tenant, account_id="acct_1", billing_customer=""))
    assert ops(requests) == {"PutItem": 1}
    assert raw.get(f"TEN#{tenant}", "STRIPE") == {
        "pk": {"S": f"TEN#{tenant}"},
        "sk": {"S": "STRIPE"},
        "type": {"S": "stripe_link"},
        "account_id": {"S": "acct_1"},
        "charges_enabled": {"BOOL": False},
        "details_submitted": {"BOOL": False},
        "version": {"N": "1"},
    }
    again = accounts.save(replace(saved, charges_enabled=True, subscription_status="active"))
    assert accounts.get(tenant) == replace(again, billing_customer=None)  # "" is not stored
    assert again.version == 2
    with pytest.raises(Conflict):
        accounts.save(replace(saved, details_submitted=True))  # version 1 is stale
    with pytest.raises(Conflict):
        accounts.save(StripeLink(tenant))  # version 0: the link exists already


def test_a_stripe_link_stored_by_the_raw_adapter_still_reads(models, raw):
    tenant = f"t{uuid.uuid4().hex[:12]}"
    raw.put(
        {
            "pk": {"S": f"TEN#{tenant}"},
            "sk": {"S": "STRIPE"},
            "type": {"S": "stripe_link"},
            "account_id": {"S": "acct_old"},
            "charges_enabled": {"BOOL": True},
            "details_submitted": {"BOOL": True},
            "billing_customer": {"S": "cus_old"},
            "subscription_id": {"S": "sub_old"},
            "subscription_status": {"S": "past_due"},
            "version": {"N": "7"},
        }
    )
    accounts = DynamoPaymentAccounts(models)
    assert accounts.get(tenant) == StripeLink(
        tenant, "acct_old", True, True, "cus_old", "sub_old", "past_due", version=7
    )
    assert accounts.save(replace(accounts.get(tenant), subscription_status="active")).version == 8


def test_a_stripe_object_maps_to_one_tenant_for_ever(models, raw, requests):
    accounts = DynamoPaymentAccounts(models)
    acct, cus = f"acct_{uuid.uuid4().hex[:10]}", f"cus_{uuid.uuid4().hex[:10]}"
    accounts.map_account(acct, "t1")
    assert ops(requests) == {"PutItem": 1}
    accounts.map_account(acct, "t1")  # the same tenant again: fine
    assert ops(requests) == {"PutItem": 1, "GetItem": 1}
    with pytest.raises(Conflict):
        accounts.map_account(acct, "t2")
    assert raw.get(f"STRIPE#{acct}") == {
        "pk": {"S": f"STRIPE#{acct}"},
        "sk": {"S": "META"},
        "type": {"S": "stripe_map"},
        "tenant_id": {"S": "t1"},
    }
    raw.put({**raw.get(f"STRIPE#{acct}"), "pk": {"S": f"STRIPECUS#{cus}"}})  # as stored before
    ops(requests)
    assert accounts.tenant_of_customer(cus) == "t1"
    assert accounts.tenant_of_account(acct) == "t1"
    assert accounts.tenant_of_account("acct_nobody") is None
    assert ops(requests) == {"GetItem": 3}


def test_sign_up_counters_store_what_the_tenant_counters_store(stack, models, raw, requests):
    table = stack.resources.platform_table
    key = f"RL#signup#{uuid.uuid4().hex[:8]}"
    counters = PlatformRateCounters(models)
    taken = [counters.take(key, WINDOW, limit=3, expires_at=WINDOW + 120) for _ in range(5)]
    assert taken == [True, True, True, False, False]
    assert ops(requests) == {"UpdateItem": 5}
    assert raw.get(key, f"W#{WINDOW}") == {
        "pk": {"S": key},
        "sk": {"S": f"W#{WINDOW}"},
        "n": {"N": "3"},
        "ttl": {"N": str(WINDOW + 120)},  # the first take's; later ones keep it
    }
    # The raw adapter's item (the shape the old code wrote here) and the model's are one shape.
    other = f"RL#signup#{uuid.uuid4().hex[:8]}"
    DynamoRateCounters(stack.client("dynamodb"), table).take(
        other, WINDOW, limit=3, expires_at=WINDOW + 120
    )
    assert counters.take(other, WINDOW, limit=3, expires_at=WINDOW + 999)
    stored = raw.get(other, f"W#{WINDOW}")
    assert stored["n"] == {"N": "2"}
    assert stored["ttl"] == {"N": str(WINDOW + 120)}


def test_concurrent_sign_up_takes_never_pass_the_limit(models, raw):
    counters = PlatformRateCounters(models)
    key = f"RL#hot#{uuid.uuid4().hex[:8]}"
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(
            pool.map(
                lambda _: counters.take(key, WINDOW, limit=10, expires_at=WINDOW + 120), range(40)
            )
        )
    assert results.count(True) == 10
    assert raw.get(key, f"W#{WINDOW}")["n"] == {"N": "10"}
