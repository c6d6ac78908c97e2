"""The claims on Stripe events on DynamoDB Local, in both tables that hold them: Connect events
in the tenant's table (raw boto3, payments_store), billing events in the platform table
(PynamoDB, platform_payments). The items on disk, the conditions (a pending claim is taken over
only once its lease has run out, and by one delivery), the requests each step costs, and a
claim written before leases (no state) reading as done."""

from __future__ import annotations

import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pynamodb.connection.base as pynamodb_base
import pytest

from chalicelib.kernel.adapters.platform_models import PlatformModels
from chalicelib.kernel.adapters.schema import stripe_event_expiry
from chalicelib.kernel.domain.timefmt import format_utc, parse
from chalicelib.payments.adapters.payments_store import DynamoTenantPaymentRecords
from chalicelib.payments.adapters.platform_payments import DynamoPaymentAccounts
from chalicelib.payments.services.payment_ports import StripeClaim, StripeDeliveries
from tests.integration.support import today_at

NOW = today_at("10:00")  # its claims' ttl, 30 days on, stays ahead of the real clock
AT = int(parse(NOW).timestamp())
LEASE = 60


def later(seconds: int) -> str:
    return format_utc(parse(NOW) + timedelta(seconds=seconds))


class Claims:
    """One table's adapter, its raw items, and the DynamoDB requests it made."""

    def __init__(self, adapter: StripeDeliveries, ddb: Any, table: str) -> None:
        self.adapter = adapter
        self.ddb = ddb
        self.table = table
        self.requests: Counter[str] = Counter()

    def item(self, event: str) -> dict[str, Any] | None:
        key = {"pk": {"S": f"WH#stripe#{event}"}, "sk": {"S": "META"}}
        return self.ddb.get_item(TableName=self.table, Key=key, ConsistentRead=True).get("Item")

    def put(self, item: dict[str, Any]) -> None:
        self.ddb.put_item(TableName=self.table, Item=item)

    def ops(self) -> dict[str, int]:
        taken = {name.rsplit(".", 1)[-1]: n for name, n in self.requests.items()}
        self.requests.clear()
        return taken


@pytest.fixture
def tenant_table(empty_tenant_table: str) -> str:
    return empty_tenant_table


@pytest.fixture(params=["tenant", "platform"])
def claims(request, stack, monkeypatch) -> Claims:
    raw = stack.client("dynamodb")
    if request.param == "tenant":
        table = request.getfixturevalue("tenant_table")
        client = stack.client("dynamodb")
        out = Claims(DynamoTenantPaymentRecords(client, table), raw, table)
        client.meta.events.register(
            "before-call.dynamodb", lambda event_name, **_: out.requests.update([event_name])
        )
        return out
    table = stack.resources.platform_table
    counted: Counter[str] = Counter()
    original = pynamodb_base.get_session

    def session():
        s = original()
        s.register("before-call.dynamodb", lambda event_name, **_: counted.update([event_name]))
        return s

    monkeypatch.setattr(pynamodb_base, "get_session", session)
    models = PlatformModels(table, host=stack.dynamodb_endpoint, region="us-east-1")
    out = Claims(DynamoPaymentAccounts(models), raw, table)
    out.requests = counted
    return out


def new_event() -> str:
    return f"evt_{uuid.uuid4().hex[:12]}"


def test_a_claim_is_pending_with_a_lease_until_it_is_done(claims):
    event, c = new_event(), claims.adapter
    assert c.claim_delivery(event, NOW, LEASE) is StripeClaim.CLAIMED
    assert claims.ops() == {"PutItem": 1}
    key = {"pk": {"S": f"WH#stripe#{event}"}, "sk": {"S": "META"}}
    ttl = {"N": str(stripe_event_expiry(NOW))}
    assert claims.item(event) == {
        **key,
        "type": {"S": "webhook_seen"},
        "state": {"S": "pending"},
        "lease_until": {"N": str(AT + LEASE)},
        "ttl": ttl,
    }
    # Within the lease, up to its last second: pending (the holder may be sending right now).
    assert c.claim_delivery(event, NOW, LEASE) is StripeClaim.PENDING
    assert c.claim_delivery(event, later(LEASE), LEASE) is StripeClaim.PENDING
    assert claims.ops() == {"PutItem": 2, "GetItem": 2}

    c.finish_delivery(event, later(5))
    assert claims.ops() == {"UpdateItem": 1}
    done = {**key, "type": {"S": "webhook_seen"}, "state": {"S": "done"}, "ttl": ttl}
    assert claims.item(event) == done  # the claim's TTL kept
    assert c.claim_delivery(event, later(LEASE + 1), LEASE) is StripeClaim.DONE
    assert c.claim_delivery(event, later(86400), LEASE) is StripeClaim.DONE
    c.forget_delivery(event)  # a late failure report never releases a done claim
    assert claims.item(event) == done


def test_a_lapsed_lease_is_taken_over_by_one_delivery(claims):
    event, c = new_event(), claims.adapter
    assert c.claim_delivery(event, NOW, LEASE) is StripeClaim.CLAIMED  # then the process died
    retry = later(LEASE + 1)
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda _: c.claim_delivery(event, retry, LEASE), range(4)))
    assert sorted(g.value for g in got) == ["claimed", "pending", "pending", "pending"]
    item = claims.item(event)
    assert item is not None
    assert item["state"] == {"S": "pending"}
    assert item["lease_until"] == {"N": str(AT + 2 * LEASE + 1)}
    assert item["ttl"] == {"N": str(stripe_event_expiry(retry))}


def test_a_failed_hand_off_releases_its_claim(claims):
    event, c = new_event(), claims.adapter
    c.claim_delivery(event, NOW, LEASE)
    claims.ops()
    c.forget_delivery(event)
    assert claims.ops() == {"DeleteItem": 1}
    assert claims.item(event) is None
    assert c.claim_delivery(event, NOW, LEASE) is StripeClaim.CLAIMED


def test_a_claim_stored_before_leases_reads_as_done(claims):
    event, c = new_event(), claims.adapter
    old = {
        "pk": {"S": f"WH#stripe#{event}"},
        "sk": {"S": "META"},
        "type": {"S": "webhook_seen"},
        "ttl": {"N": str(stripe_event_expiry(NOW))},
    }
    claims.put(old)
    assert c.claim_delivery(event, NOW, LEASE) is StripeClaim.DONE
    assert c.claim_delivery(event, later(86400), LEASE) is StripeClaim.DONE
    c.forget_delivery(event)
    assert claims.item(event) == old


def test_finishing_a_claim_released_meanwhile_still_records_it_done_with_its_ttl(claims):
    event, c = new_event(), claims.adapter
    c.finish_delivery(event, NOW)  # sent: whatever happened to the claim, the event is done
    assert claims.item(event) == {
        "pk": {"S": f"WH#stripe#{event}"},
        "sk": {"S": "META"},
        "type": {"S": "webhook_seen"},
        "state": {"S": "done"},
        "ttl": {"N": str(stripe_event_expiry(NOW))},
    }
    assert c.claim_delivery(event, NOW, LEASE) is StripeClaim.DONE
