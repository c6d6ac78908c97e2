"""The JSON a tenant's webhook endpoint receives, byte for byte, for every event Reservoir emits.

The fixtures in tests/fixtures/webhook_payloads/ were recorded from the code as it was before
events became typed classes; receivers verify signatures over these bytes and parse these
keys, so a change to any of them is a change of the public contract (a new schema version),
never a side effect. Each scenario drives the real use cases over the fakes (hold, pay,
confirm, move, check in, cancel, refund, expire, no-show ...), collects the events they
committed and renders each one as a delivery's body (`domain.webhooks.payload`).

`<Event>.json` holds the first body of that event; an event whose data comes in another shape
too (an OrderConfirmed by a payment carries `by`, an early check-in `early`) has a second
file, `<Event>.<scenario>.json`. Regenerate (only when a schema version is deliberately
added): `.venv/bin/python -m tests.unit.test_webhook_payloads`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from chalicelib.booking.domain.orders import CancelledBy
from chalicelib.booking.services import no_shows
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.catalog.domain.catalog import (
    CancellationPolicy,
    DepositKind,
    DepositPolicy,
    RefundTier,
)
from chalicelib.catalog.domain.payment_policy import UnpaidRule
from chalicelib.kernel.domain.event_registry import typed
from chalicelib.kernel.domain.events import Record
from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.services.context import TenantContext
from chalicelib.payments.services.collect import collect_due
from chalicelib.payments.services.collection import plan_collection
from chalicelib.payments.services.payments import start_payment, sync_intent
from chalicelib.payments.services.refunds import charge_no_show, settle_cancellation, sync_refunds
from chalicelib.pipeline.stream import message
from chalicelib.webhooks.domain.webhooks import payload
from tests.fakes import DECLINED_CARD, FakeBus, FakeReminderScheduler
from tests.unit.payment_support import PayingShop

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "webhook_payloads"
# The same events as the events queue carries them and their items store their data: the key
# order of `data` as written (the webhook body sorts its keys; DynamoDB and SQS do not).
MESSAGES = FIXTURES.parent / "event_messages"


class RequestShop(PayingShop):
    """A shop whose changes come from a request by a manager's key: the events carry the
    actor's role and the request id, as they do on the API."""

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.actor = replace(self.actor, role="manager")

    @property
    def ctx(self) -> TenantContext:
        return TenantContext(
            tenant=self.tenant,
            actor=self.actor,
            data_factory=self.factory,
            now=self.clock,
            new_id=self.ids,
            request_id="req_fixture",
        )


def _pay(shop: PayingShop, card: str = "4242424242424242") -> str:
    started = start_payment(
        shop.ctx, "ord_1", gateway=shop.gateway, accounts=shop.accounts, cache=shop.cache
    )
    shop.gateway.pay(shop.account, started.payment.id, card)
    sync_intent(shop.ctx, shop.account, started.payment.id, gateway=shop.gateway)
    return started.payment.id


def _to_day_of_stay(shop: PayingShop) -> None:
    from chalicelib.kernel.domain.calendar import parse_iso_utc

    start = parse_iso_utc(shop.order().lines[0].start).timestamp()
    shop.clock.advance(start + 3600 - shop.clock.moment.timestamp())


def paid_stay() -> PayingShop:
    """Held, paid online (confirmed by the payment), moved, checked in, completed."""
    shop = RequestShop()
    shop.hold()
    _pay(shop)
    order = shop.order()
    order_service.reschedule(
        shop.ctx,
        shop.cache,
        "ord_1",
        [LineInput("off_stay", check_in=date(2026, 12, 26), nights=2)],
        expected_version=order.version,
    )
    _to_day_of_stay(shop)
    order_service.check_in(shop.ctx, "ord_1")
    order_service.complete(shop.ctx, "ord_1")
    return shop


def staff_stay() -> PayingShop:
    """Held and confirmed by staff (pay at the venue), checked in early by staff."""
    shop = PayingShop()
    shop.hold()
    order_service.confirm(shop.ctx, "ord_1")
    order_service.check_in(shop.ctx, "ord_1", early=True)
    return shop


def business_cancellation() -> PayingShop:
    """Paid, then cancelled by the business: refunded in full."""
    shop = PayingShop()
    shop.hold()
    _pay(shop)
    order_service.cancel(shop.ctx, shop.cache, "ord_1", reason="Flooded", by=CancelledBy.BUSINESS)
    settle_cancellation(
        shop.ctx, "ord_1", fee=0, key="cancel:evt", gateway=shop.gateway, accounts=shop.accounts
    )
    return shop


def customer_cancellation() -> PayingShop:
    """Paid, cancelled by the customer two days ahead: half back by the policy; Stripe's
    dashboard refunds a little more."""
    shop = PayingShop()
    offering = shop.data.catalog.offerings["off_stay"]
    tiers = (RefundTier(0, 0), RefundTier(24, 5000), RefundTier(72, 10000))
    shop.data.catalog.put_offering(
        replace(offering, cancellation=CancellationPolicy(tiers), rev=offering.rev + 1),
        expected_rev=offering.rev,
    )
    shop.hold()
    pid = _pay(shop)
    _to_day_of_stay(shop)
    shop.clock.advance(-50 * 3600)
    cancelled = order_service.cancel(shop.ctx, shop.cache, "ord_1", reason="plans changed")
    settle_cancellation(
        shop.ctx,
        "ord_1",
        fee=cancelled.cancellation["fee"],
        key="cancel:evt",
        gateway=shop.gateway,
        accounts=shop.accounts,
    )
    shop.gateway.refund(
        account=shop.account, intent_id=pid, amount=1000, reason=None, idempotency_key="dash"
    )
    sync_refunds(shop.ctx, shop.account, pid, gateway=shop.gateway)
    return shop


def refund_failed() -> PayingShop:
    """Paid, cancelled by the business and refunded; then Stripe fails the refund."""
    shop = business_cancellation()
    pid = shop.order().payments[0].id
    made = shop.gateway.refunds[(shop.account, pid)]
    made[0] = replace(made[0], status="failed")
    sync_refunds(shop.ctx, shop.account, pid, gateway=shop.gateway)
    return shop


def expired_hold() -> PayingShop:
    """A payment started, then the hold ran out."""
    shop = PayingShop()
    shop.hold()
    start_payment(shop.ctx, "ord_1", gateway=shop.gateway, accounts=shop.accounts, cache=shop.cache)
    shop.clock.advance(16 * 60)
    order_service.expire(shop.ctx, "ord_1")
    return shop


def declined_card() -> PayingShop:
    shop = PayingShop()
    shop.hold()
    _pay(shop, DECLINED_CARD)
    return shop


def authorised_then_captured() -> PayingShop:
    """A hotel's authorisation (confirms the hold), captured later by staff."""
    from chalicelib.payments.services.captures import capture

    shop = PayingShop(deposit=DepositPolicy(manual_capture=True))
    shop.hold()
    _pay(shop)
    capture(shop.ctx, "ord_1", amount=None, gateway=shop.gateway, accounts=shop.accounts)
    return shop


def authorisation_after_cancel() -> PayingShop:
    """An authorisation that arrives for an order cancelled meanwhile is released."""
    shop = PayingShop(deposit=DepositPolicy(manual_capture=True))
    shop.hold()
    started = start_payment(
        shop.ctx, "ord_1", gateway=shop.gateway, accounts=shop.accounts, cache=shop.cache
    )
    order_service.cancel(shop.ctx, shop.cache, "ord_1")
    shop.gateway.pay(shop.account, started.payment.id)
    sync_intent(shop.ctx, shop.account, started.payment.id, gateway=shop.gateway)
    return shop


def no_show(card: str) -> PayingShop:
    """The card is kept (confirms the hold), the guest does not come, the fee is charged."""
    shop = PayingShop(deposit=DepositPolicy(no_show_fee=5000))
    shop.hold()
    _pay(shop, card)
    _to_day_of_stay(shop)
    # Its hotel takes guests from midnight: the no-show is not early at 01:00 (the bodies'
    # times stay those receivers got before the check-in time ruled no-shows).
    settings = shop.tenant.settings
    business = replace(settings.business, check_in=0)
    shop.tenant = replace(shop.tenant, settings=replace(settings, business=business))
    no_shows.no_show(shop.ctx, "ord_1")
    charge_no_show(shop.ctx, shop.cache, "ord_1", gateway=shop.gateway, accounts=shop.accounts)
    return shop


def _collecting(policy: DepositPolicy) -> tuple[PayingShop, FakeReminderScheduler, Any]:
    shop = PayingShop(deposit=policy)
    scheduler, bus = FakeReminderScheduler(), FakeBus()
    deps = SimpleNamespace(
        gateway=shop.gateway,
        payment_accounts=shop.accounts,
        catalog_cache=shop.cache,
        reminders=scheduler,
        bus=bus,
    )
    shop.hold()
    return shop, scheduler, deps


BALANCE_RULE = DepositPolicy(
    DepositKind.PERCENT, 3000, balance_due_days_before=7, if_unpaid=UnpaidRule.CANCEL
)


def _plan(shop: PayingShop, scheduler: Any, deps: Any) -> None:
    plan_collection(
        shop.ctx,
        "ord_1",
        cache=shop.cache,
        scheduler=scheduler,
        bus=deps.bus,
        accounts=shop.accounts,
    )


def balance_never_paid() -> PayingShop:
    """A deposit paid, the balance declined when due (and retried twice), then cancelled by
    the offering's rule."""
    shop, scheduler, deps = _collecting(BALANCE_RULE)
    _pay(shop)
    _plan(shop, scheduler, deps)
    shop.gateway.cards[shop.order().card_on_file.payment_method] = DECLINED_CARD
    for _ in range(3):
        [at] = [at for at, _ in scheduler.schedules.values()]
        shop.clock.advance(parse(at).timestamp() + 30 - shop.clock.moment.timestamp())
        collect_due(shop.ctx, scheduler.due(shop.clock())[0], deps)
    return shop


def balance_link() -> PayingShop:
    """Confirmed by staff (no card kept): when the balance is due, its link is sent."""
    shop, scheduler, deps = _collecting(BALANCE_RULE)
    order_service.confirm(shop.ctx, "ord_1")
    _plan(shop, scheduler, deps)
    [at] = [at for at, _ in scheduler.schedules.values()]
    shop.clock.advance(parse(at).timestamp() + 30 - shop.clock.moment.timestamp())
    collect_due(shop.ctx, scheduler.due(shop.clock())[0], deps)
    return shop


SCENARIOS: dict[str, Callable[[], PayingShop]] = {
    "paid_stay": paid_stay,
    "staff_stay": staff_stay,
    "business_cancellation": business_cancellation,
    "customer_cancellation": customer_cancellation,
    "expired_hold": expired_hold,
    "declined_card": declined_card,
    "authorised_then_captured": authorised_then_captured,
    "authorisation_after_cancel": authorisation_after_cancel,
    "no_show_fee_charged": lambda: no_show("4242424242424242"),
    "no_show_fee_declined": lambda: no_show(DECLINED_CARD),
    "balance_never_paid": balance_never_paid,
    "balance_link": balance_link,
    "refund_failed": refund_failed,
}

# Every event the code emits today: a new kind of event gets its fixture in the same change.
EMITTED = frozenset(
    {
        "OrderHeld",
        "OrderConfirmed",
        "OrderRescheduled",
        "OrderCheckedIn",
        "OrderCompleted",
        "OrderCancelled",
        "OrderExpired",
        "OrderMarkedNoShow",
        "PaymentStarted",
        "PaymentReceived",
        "PaymentAuthorised",
        "CardSaved",
        "PaymentFailed",
        "PaymentReleased",
        "NoShowFeeCharged",
        "NoShowFeeDeclined",
        "PaymentDue",
        "RefundIssued",
        "RefundsUpdated",
        "RefundFailed",
    }
)


def rendered_events() -> dict[str, tuple[Tenant, Record]]:
    """File name -> (tenant, event), one per event name and shape of its data."""
    out: dict[str, tuple[Tenant, Record]] = {}
    shapes: set[tuple[str, tuple[str, ...]]] = set()
    for scenario, run in SCENARIOS.items():
        shop = run()
        events: list[Record] = shop.data.orders.events
        for event in events:
            shape = (event.name, tuple(sorted(event.data)))
            if shape in shapes:
                continue
            shapes.add(shape)
            first = not any(name == event.name for name, _ in shapes - {shape})
            file = f"{event.name}.json" if first else f"{event.name}.{scenario}.json"
            out[file] = (shop.tenant, event)
    return out


def bodies() -> dict[str, str]:
    return {
        file: payload(typed(event), tenant) for file, (tenant, event) in rendered_events().items()
    }


def messages() -> dict[str, str]:
    return {
        file: json.dumps(message(tenant.id, event), separators=(",", ":"))
        for file, (tenant, event) in rendered_events().items()
    }


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    return bodies()


def test_every_emitted_event_has_a_recorded_webhook_body(rendered: dict[str, str]) -> None:
    names = {file.split(".")[0] for file in rendered}
    assert names == EMITTED
    recorded = sorted(p.name for p in FIXTURES.glob("*.json"))
    assert recorded == sorted(rendered)


def test_webhook_bodies_are_byte_for_byte_what_receivers_got_before(
    rendered: dict[str, str],
) -> None:
    for file, body in sorted(rendered.items()):
        assert (FIXTURES / file).read_bytes() == body.encode(), file


def test_queued_and_stored_events_keep_their_shape_and_key_order() -> None:
    written = messages()
    assert sorted(p.name for p in MESSAGES.glob("*.json")) == sorted(written)
    for file, text in sorted(written.items()):
        assert (MESSAGES / file).read_bytes() == text.encode(), file


if __name__ == "__main__":
    for folder, texts in ((FIXTURES, bodies()), (MESSAGES, messages())):
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.json"):
            old.unlink()
        for file, text in texts.items():
            (folder / file).write_bytes(text.encode())
            print(folder.name, file)
