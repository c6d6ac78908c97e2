"""Money changes racing on one order, on DynamoDB Local with Stripe's SDK against localstripe:
refunds through Stripe started together (a barrier) are decided on the order's conditional
write, never at Stripe — what the order records is what Stripe refunded, and one that no longer
fits is refused before Stripe is asked; desk payments started together (twenty) all land (each
that lost the write pauses and reads the order again), never a `version_mismatch` nobody sent."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from chalicelib import bootstrap
from chalicelib.booking.domain.payment_records import Tender
from chalicelib.kernel.domain.errors import DomainError, TransientFailure
from chalicelib.kernel.services.context import system_context
from chalicelib.payments.services import desk
from chalicelib.payments.services.staff_refunds import refund_order
from tests.integration.support import ahead
from tests.integration.test_payments_live import (
    call,
    customer_pays,
    hold_and_start,
    intent_event,
    paying,  # noqa: F401  (the fixture)
    plans,  # noqa: F401  (the fixture)
    settle,
    shop,
    webhook,
)

pytestmark = pytest.mark.xdist_group("localstripe")


def together(actions: list[Callable[[], object]]) -> list[object]:
    """Run the actions at once (a barrier); each one's answer or the DomainError it raised."""
    barrier = threading.Barrier(len(actions), timeout=20)
    results: list[object] = [None] * len(actions)

    def run(i: int, action: Callable[[], object]) -> None:
        barrier.wait()
        try:
            results[i] = action()
        except DomainError as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def paid_order(live, stem: str):
    tenant = shop(live, stem)
    order, pay = hold_and_start(live, tenant)
    assert customer_pays(live.localstripe, pay["payment_id"], "4242424242424242") == "succeeded"
    webhook(live, intent_event(tenant, "succeeded", pay["payment_id"]))
    settle(live)
    c = bootstrap.container()
    found = c.platform.get_tenant(tenant["tenant_id"])

    def ctx():
        return system_context(found, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)

    return tenant, order, pay["payment_id"], c, ctx


def test_three_refunds_of_half_at_once_two_land_one_is_refused_before_stripe(paying):  # noqa: F811
    tenant, order, intent, c, ctx = paid_order(paying, "refundrace")

    def half(n: int) -> Callable[[], object]:
        return lambda: refund_order(
            ctx(),
            order["id"],
            amount=12000,
            reason=f"race {n}",
            key=f"refund_race{n}",
            gateway=c.gateway,
            accounts=c.payment_accounts,
        )

    results = together([half(n) for n in range(3)])
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 1 and refused[0].code == "refund_too_large", results
    at_stripe = c.gateway.refunds_of(tenant["account"], intent)
    assert sorted(r.amount for r in at_stripe) == [12000, 12000]
    got = call(paying, "GET", f"/v1/orders/{order['id']}/payments", auth=tenant["secret_key"]).data
    # All given back on a booking still to come: it owes it all again.
    assert got["refunded"] == 24000 and got["payment_status"] == "unpaid"
    assert sorted(r["status"] for r in got["refunds"]) == ["succeeded", "succeeded"]
    assert {r.id for r in at_stripe} == {r["id"] for r in got["refunds"]}  # Stripe's ids
    assert all(r.record.startswith("refund_race") for r in at_stripe)


def test_desk_payments_at_once_all_land(paying):  # noqa: F811
    tenant = shop(paying, "deskrace")
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [
            {"offering_id": tenant["offering"], "check_in": ahead().isoformat(), "nights": 2}
        ],
    }
    order = call(paying, "POST", "/v1/orders", auth=tenant["secret_key"], body=body).data
    path = f"/v1/orders/{order['id']}/confirm"
    assert call(paying, "POST", path, auth=tenant["secret_key"]).status_code == 200
    c = bootstrap.container()
    found = c.platform.get_tenant(tenant["tenant_id"])

    def pay(n: int) -> Callable[[], object]:
        return lambda: desk.record_payment(
            system_context(found, data_factory=c.tenant_data, now=c.now, new_id=c.new_id),
            order["id"],
            record_id=f"dpay_race{n}",
            amount=100,
            method=Tender.CASH,
        )

    # Twenty tills at once (an outside tester's race: 9 of 20 were refused after five
    # immediate rereads); each loser pauses a growing random time (kernel/services/rereads.py).
    results = together([pay(n) for n in range(20)])
    # One that kept losing on a loaded machine is told to retry (503, TransientFailure: the
    # rereads' contract), and its till does: it lands then, once. Any other refusal is a fault.
    told = [n for n, r in enumerate(results) if isinstance(r, TransientFailure)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert all(isinstance(r, TransientFailure) for r in refused), results
    for n in told:
        pay(n)()
    got = call(paying, "GET", f"/v1/orders/{order['id']}/payments", auth=tenant["secret_key"]).data
    assert got["received"] == 2000 and len(got["payments"]) == 20
