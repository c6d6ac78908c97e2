"""Money taken after the booking, through the use cases on the fakes: a deposit, then the
balance charged by the scheduler on the saved card (and declined, then retried); the offering's
rule after the last try; the payment link without a card; the schedules kept in step with
the order; an instalment plan across a month's end and a daylight-saving change."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from types import SimpleNamespace
from typing import Any

from chalicelib.booking.domain.orders import BookingStatus, PaymentStatus
from chalicelib.booking.domain.payment_records import PaymentKind
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
from chalicelib.kernel.domain.events import OrderCancelled, OrderRescheduled
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.payments.api.payment_models import PaymentsOut
from chalicelib.payments.services.collect import collect_due
from chalicelib.payments.services.collection import ScheduleCollection, plan_collection
from chalicelib.payments.services.payments import start_payment, sync_intent
from chalicelib.queues import REMINDERS
from tests.fakes import DECLINED_CARD, FakeBus, FakeReminderScheduler
from tests.unit.payment_support import PayingShop

S = BookingStatus
BALANCE_7_DAYS = DepositPolicy(DepositKind.PERCENT, 3000, balance_due_days_before=7)


class CollectingShop(PayingShop):
    def __init__(self, deposit: DepositPolicy = BALANCE_7_DAYS, **kw: Any) -> None:
        super().__init__(deposit=deposit, **kw)
        self.scheduler = FakeReminderScheduler()
        self.bus = FakeBus()
        self.deps = SimpleNamespace(
            gateway=self.gateway,
            payment_accounts=self.accounts,
            catalog_cache=self.cache,
            reminders=self.scheduler,
            bus=self.bus,
        )

    def book_and_pay(self, card: str = "4242424242424242") -> str:
        """Held, its deposit paid with `card` (kept for later), confirmed, its dues planned."""
        self.hold()
        started = start_payment(
            self.ctx, "ord_1", gateway=self.gateway, accounts=self.accounts, cache=self.cache
        )
        self.gateway.pay(self.account, started.payment.id, card)
        assert sync_intent(self.ctx, self.account, started.payment.id, gateway=self.gateway) == (
            "confirmed"
        )
        self.plan()
        return started.payment.id

    def plan(self) -> int:
        return plan_collection(
            self.ctx,
            "ord_1",
            cache=self.cache,
            scheduler=self.scheduler,
            bus=self.bus,
            accounts=self.accounts,
        )

    def at(self, stamp: str) -> None:
        self.clock.advance(parse(stamp).timestamp() - self.clock.moment.timestamp())

    def fire(self) -> list[str]:
        """Every schedule due now, handed to the worker as the reminders queue would."""
        return [collect_due(self.ctx, p, self.deps) for p in self.scheduler.due(self.clock())]

    def card_starts_declining(self) -> None:
        pm = self.order().card_on_file.payment_method
        self.gateway.cards[pm] = DECLINED_CARD

    def card_works_again(self) -> None:
        self.gateway.cards[self.order().card_on_file.payment_method] = "4242424242424242"

    def event_names(self) -> list[str]:
        return [e.name for e in self.data.orders.events]

    def last(self, name: str) -> dict[str, Any]:
        return next(e.data for e in reversed(self.data.orders.events) if e.name == name)


def test_a_deposit_then_the_balance_charged_on_the_saved_card_seven_days_before() -> None:
    shop = CollectingShop()
    shop.book_and_pay()
    order = shop.order()
    assert order.payment_status is PaymentStatus.DEPOSIT_PAID and order.card_on_file is not None
    # One schedule, 09:00 Berlin on 17 December (the stay starts on the 24th).
    [(name, (at, payload))] = shop.scheduler.schedules.items()
    assert at == "2026-12-17T08:00:00.000000Z" and payload["try"] == 1
    shop.at("2026-12-17T08:00:30.000000Z")
    assert shop.fire() == ["charged"]
    order = shop.order()
    balance = order.payments[-1]
    assert balance.kind is PaymentKind.BALANCE and balance.amount == 24000 - 7200
    assert order.payment_status is PaymentStatus.PAID
    assert shop.event_names().count("PaymentReceived") == 2
    # The same schedule delivered again takes nothing more.
    assert collect_due(shop.ctx, payload, shop.deps) in ("charged", "paid")
    assert len([c for c in shop.gateway.calls if c[0] == "off_session"]) == 1
    assert shop.event_names().count("PaymentReceived") == 2


def test_declined_then_retried_a_day_later_and_charged() -> None:
    shop = CollectingShop()
    shop.book_and_pay()
    shop.card_starts_declining()
    shop.at("2026-12-17T08:00:30.000000Z")
    assert shop.fire() == ["retry"]
    due = shop.last("PaymentDue")
    assert due["code"] == "card_declined" and due["amount"] == 16800 and due["step"] == 0
    assert due["next_try_at"] == "2026-12-18T08:00:00.000000Z"
    assert shop.order().payments[-1].error == "card_declined"
    assert shop.order().payment_status is PaymentStatus.DEPOSIT_PAID
    [(at, payload)] = shop.scheduler.schedules.values()
    assert at == "2026-12-18T08:00:00.000000Z" and payload["try"] == 2
    shop.card_works_again()
    shop.at("2026-12-18T08:00:10.000000Z")
    assert shop.fire() == ["charged"]
    assert shop.order().payment_status is PaymentStatus.PAID
    keys = [c[2]["key"] for c in shop.gateway.calls if c[0] == "off_session"]
    assert len(keys) == 2 and len(set(keys)) == 2  # one Stripe key per try


def test_paid_on_the_manage_page_after_a_decline_the_retry_takes_nothing() -> None:
    shop = CollectingShop()
    shop.book_and_pay()
    shop.card_starts_declining()
    shop.at("2026-12-17T08:00:30.000000Z")
    assert shop.fire() == ["retry"]
    from chalicelib.booking.services.own_orders import issue_token
    from chalicelib.payments.services.pay_balance import pay_balance
    from tests.fakes import FakeContainer

    secret = FakeContainer().manage_token_secret
    token = issue_token(shop.ctx, secret, shop.order())
    started = pay_balance(
        shop.ctx, secret, "ord_1", token, gateway=shop.gateway, accounts=shop.accounts
    )
    assert started.payment.amount == 16800 and started.client_secret
    shop.gateway.pay(shop.account, started.payment.id)  # another card, on the page
    assert sync_intent(shop.ctx, shop.account, started.payment.id, gateway=shop.gateway) == (
        "recorded"
    )
    assert shop.order().payment_status is PaymentStatus.PAID
    shop.at("2026-12-18T08:00:10.000000Z")
    assert shop.fire() == ["paid"]
    assert len([c for c in shop.gateway.calls if c[0] == "off_session"]) == 1


def _declined_to_the_end(shop: CollectingShop) -> list[str]:
    shop.book_and_pay()
    shop.card_starts_declining()
    outcomes = []
    for when in ("2026-12-17T08:00:30", "2026-12-18T08:00:30", "2026-12-20T08:00:30"):
        shop.at(when + ".000000Z")
        outcomes += shop.fire()
    return outcomes


def test_after_the_last_try_the_cancel_rule_cancels_keeping_the_policys_fee() -> None:
    deposit = replace(BALANCE_7_DAYS, if_unpaid=UnpaidRule.CANCEL)
    shop = CollectingShop(deposit=deposit)
    offering = shop.data.catalog.offerings["off_stay"]
    tiers = CancellationPolicy((RefundTier(0, 0), RefundTier(14 * 24, 10000)))
    shop.data.catalog.put_offering(
        replace(offering, cancellation=tiers, rev=offering.rev + 1), expected_rev=offering.rev
    )
    assert _declined_to_the_end(shop) == ["retry", "retry", "cancelled"]
    order = shop.order()
    assert order.status is S.CANCELLED and order.cancellation["cancelled_by"] == "customer"
    # Within 14 days nothing comes back: the deposit paid is kept, never more (P7A finding 1).
    assert (order.cancellation["fee"], order.cancellation["policy_fee"]) == (7200, 24000)
    assert shop.last("PaymentDue")["outcome"] == "cancelled"
    assert "next_try_at" not in shop.last("PaymentDue")
    assert shop.scheduler.schedules == {}


def test_after_the_last_try_the_leave_rule_leaves_it_for_the_desk() -> None:
    shop = CollectingShop()
    assert _declined_to_the_end(shop) == ["retry", "retry", "left"]
    assert shop.order().status is S.CONFIRMED
    assert shop.last("PaymentDue")["outcome"] == "left"
    assert shop.event_names().count("PaymentDue") == 3


def test_without_a_saved_card_the_customer_is_sent_the_link_when_due() -> None:
    shop = CollectingShop()
    shop.hold()
    order_service.confirm(shop.ctx, "ord_1")  # staff confirm: pay at the desk, no card
    assert shop.plan() == 1
    shop.at("2026-12-17T08:00:30.000000Z")
    assert shop.fire() == ["retry"]
    due = shop.last("PaymentDue")
    assert due["amount"] == 24000 and "payment_id" not in due and "code" not in due
    assert not [c for c in shop.gateway.calls if c[0] == "off_session"]


def test_a_repeated_event_makes_one_schedule_and_a_cancelled_order_loses_its_schedules() -> None:
    shop = CollectingShop()
    shop.book_and_pay()
    assert shop.plan() == 1  # the same confirmation handled again
    assert len(shop.scheduler.schedules) == 1
    order_service.cancel(shop.ctx, shop.cache, "ord_1")
    event = typed(shop.data.orders.events[-1])
    assert isinstance(event, OrderCancelled)
    ScheduleCollection().handle(shop.ctx, event, shop.deps)
    assert shop.scheduler.schedules == {}


def test_a_schedule_left_behind_finds_the_order_cancelled_and_takes_nothing() -> None:
    shop = CollectingShop()
    shop.book_and_pay()
    [(_, payload)] = shop.scheduler.schedules.values()
    order_service.cancel(shop.ctx, shop.cache, "ord_1")
    assert collect_due(shop.ctx, payload, shop.deps) == "not_live"
    assert not [c for c in shop.gateway.calls if c[0] == "off_session"]


def test_a_moved_booking_is_collected_before_its_new_start_not_the_old() -> None:
    shop = CollectingShop()
    shop.book_and_pay()
    [(old_name, (_, old))] = shop.scheduler.schedules.items()
    order = shop.order()
    order_service.reschedule(
        shop.ctx,
        shop.cache,
        "ord_1",
        [LineInput("off_stay", check_in=date(2026, 12, 28), nights=2)],
        expected_version=order.version,
    )
    event = typed(shop.data.orders.events[-1])
    assert isinstance(event, OrderRescheduled)
    ScheduleCollection().handle(shop.ctx, event, shop.deps)
    assert old_name in shop.scheduler.cancelled
    assert [at for at, _ in shop.scheduler.schedules.values()] == ["2026-12-21T08:00:00.000000Z"]
    assert collect_due(shop.ctx, old, shop.deps) == "moved"


def test_a_booking_made_inside_the_notice_is_charged_a_minute_after_confirmation() -> None:
    shop = CollectingShop(now="2026-12-20T09:00:00.000000Z")
    shop.book_and_pay()
    assert shop.scheduler.schedules == {}
    [payload] = shop.bus.take(REMINDERS.name)
    assert shop.bus.delays[REMINDERS.name] == [60]
    assert collect_due(shop.ctx, payload, shop.deps) == "charged"
    assert shop.order().payment_status is PaymentStatus.PAID


def test_three_instalments_across_a_months_end_and_the_spring_change() -> None:
    # Booked on 31 January 2026 in Berlin for a stay on 24 December: a third at booking,
    # then 28 February (CET: 08:00 UTC) and 31 March (CEST since 29 March: 07:00 UTC).
    shop = CollectingShop(deposit=DepositPolicy(instalments=3), now="2026-01-31T12:00:00.000000Z")
    shop.book_and_pay()
    order = shop.order()
    assert [(i.due, i.amount) for i in order.plan] == [
        ("2026-01-31", 8000),
        ("2026-02-28", 8000),
        ("2026-03-31", 8000),
    ]
    assert order.payments[0].amount == 8000  # the first, at booking
    assert sorted(at for at, _ in shop.scheduler.schedules.values()) == [
        "2026-02-28T08:00:00.000000Z",
        "2026-03-31T07:00:00.000000Z",
    ]
    assert [p.paid for p in PaymentsOut.of(order).plan] == [True, False, False]
    shop.at("2026-02-28T08:00:30.000000Z")
    assert shop.fire() == ["charged"]
    assert shop.order().payments[-1].kind is PaymentKind.INSTALMENT
    assert shop.order().payments[-1].amount == 8000
    assert shop.order().payment_status is PaymentStatus.DEPOSIT_PAID
    shop.at("2026-03-31T07:00:30.000000Z")
    assert shop.fire() == ["charged"]
    order = shop.order()
    assert order.payment_status is PaymentStatus.PAID
    assert [p.paid for p in PaymentsOut.of(order).plan] == [True, True, True]


def test_an_instalment_paid_ahead_at_the_desk_is_not_charged_again() -> None:
    from chalicelib.booking.domain.payment_records import Tender
    from chalicelib.payments.services import desk

    shop = CollectingShop(deposit=DepositPolicy(instalments=3), now="2026-01-31T12:00:00.000000Z")
    shop.book_and_pay()
    desk.record_payment(shop.ctx, "ord_1", record_id="desk_1", amount=8000, method=Tender.CASH)
    shop.at("2026-02-28T08:00:30.000000Z")
    assert shop.fire() == ["paid"]
    shop.at("2026-03-31T07:00:30.000000Z")
    assert shop.fire() == ["charged"]
    assert shop.order().payments[-1].amount == 8000
    assert shop.order().payment_status is PaymentStatus.PAID


def test_an_order_that_owes_nothing_later_costs_no_read_of_the_stripe_link() -> None:
    shop = CollectingShop(deposit=DepositPolicy(DepositKind.PERCENT, 3000))  # no balance later
    shop.book_and_pay()
    reads: list[str] = []
    links = shop.accounts

    class Counting:
        def get(self, tenant_id: str) -> Any:
            reads.append(tenant_id)
            return links.get(tenant_id)

    made = plan_collection(
        shop.ctx,
        "ord_1",
        cache=shop.cache,
        scheduler=shop.scheduler,
        bus=shop.bus,
        accounts=Counting(),  # type: ignore[arg-type]
    )
    assert (made, reads, shop.scheduler.schedules) == (0, [], {})
    # With a balance to take later, the link is read (and its dues are scheduled).
    later = CollectingShop()
    later.book_and_pay()
    assert len(later.scheduler.schedules) == 1
