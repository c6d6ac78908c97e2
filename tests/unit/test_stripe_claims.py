"""A Stripe event's claim has a lease (payments/services/stripe_webhooks.receive): a process
killed between the claim and the queue send loses nothing, since Stripe's retry after the
lease takes the claim over, and an event handed off once is a duplicate for ever after.
Connect events are claimed in the tenant's table, the platform's billing events in the
platform table: both are run here over the fakes."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.kernel.domain.errors import TransientFailure
from chalicelib.payments.services.stripe_webhooks import CLAIM_LEASE_SECONDS, receive
from chalicelib.queues import PAYMENTS
from tests.fakes import FakeBus, FakePlatform
from tests.unit.payment_support import PayingShop


class Killed(BaseException):
    """The Lambda runtime ending the process mid-send (its timeout): no handler runs."""


class DyingBus(FakeBus):
    def send(self, queue_name: str, body: dict[str, Any], *, delay_seconds: int = 0) -> None:
        raise Killed


class FailingBus(FakeBus):
    def send(self, queue_name: str, body: dict[str, Any], *, delay_seconds: int = 0) -> None:
        raise TimeoutError("SQS did not answer")


class Endpoint:
    def __init__(self) -> None:
        self.shop = PayingShop()
        self.platform = FakePlatform()
        self.platform.tenants[self.shop.tenant.id] = self.shop.tenant
        self.bus = FakeBus()

    def event(self, kind: str) -> dict[str, Any]:
        if kind == "connect":
            return {
                "id": "evt_connect",
                "type": "payment_intent.succeeded",
                "account": self.shop.account,
                "data": {"object": {"id": "pi_1"}},
            }
        return {
            "id": "evt_billing",
            "type": "customer.subscription.updated",
            "data": {"object": {"id": "sub_1"}},
        }

    def receive(self, evt: dict[str, Any], bus: FakeBus | None = None) -> str:
        return receive(
            evt,
            accounts=self.shop.accounts,
            platform=self.platform,
            data_factory=self.shop.factory,
            bus=bus or self.bus,
            now=self.shop.clock(),
        )

    def sent(self) -> list[dict[str, Any]]:
        return [body for name, body in self.bus.sent if name == PAYMENTS.name]


KINDS = ["connect", "billing"]


@pytest.fixture
def endpoint() -> Endpoint:
    return Endpoint()


@pytest.mark.parametrize("kind", KINDS)
def test_a_hand_off_killed_mid_send_is_sent_by_the_first_retry_after_the_lease(endpoint, kind):
    evt = endpoint.event(kind)
    with pytest.raises(Killed):
        endpoint.receive(evt, DyingBus())
    # Within the lease: the claim may be another delivery sending right now. 503, nothing sent.
    for wait in (0, CLAIM_LEASE_SECONDS):
        endpoint.shop.clock.advance(wait)
        with pytest.raises(TransientFailure) as refused:
            endpoint.receive(evt)
        assert refused.value.code == "event_in_progress"
        assert endpoint.sent() == []
    endpoint.shop.clock.advance(1)  # the lease has run out: Stripe's retry takes it over
    assert endpoint.receive(evt) == "queued"
    assert [m["event_id"] for m in endpoint.sent()] == [evt["id"]]
    assert endpoint.receive(evt) == "duplicate"
    assert len(endpoint.sent()) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_an_event_handed_off_is_a_duplicate_for_ever_after(endpoint, kind):
    evt = endpoint.event(kind)
    assert endpoint.receive(evt) == "queued"
    assert endpoint.receive(evt) == "duplicate"
    endpoint.shop.clock.advance(CLAIM_LEASE_SECONDS * 100)
    assert endpoint.receive(evt) == "duplicate"
    assert len(endpoint.sent()) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_send_that_fails_releases_the_claim_for_the_retry(endpoint, kind):
    evt = endpoint.event(kind)
    with pytest.raises(TransientFailure):
        endpoint.receive(evt, FailingBus())
    assert endpoint.receive(evt) == "queued"  # at once: no lease to wait for
    assert len(endpoint.sent()) == 1


def test_the_claims_are_kept_where_the_event_belongs(endpoint):
    endpoint.receive(endpoint.event("connect"))
    endpoint.receive(endpoint.event("billing"))
    tenant_claims = endpoint.shop.data.payments.seen
    assert tenant_claims == {"evt_connect"}
    assert endpoint.shop.accounts.seen == {"evt_billing"}
