"""The consumers of domain events: the registry the event dispatcher calls, and its contract.

How an event reaches a consumer
  1. A service commits an order change through the unit of work (kernel/services/unit_of_work.py);
     the change's events are written in the same transaction (`EVT#<id>` items).
  2. The table's stream carries each new event item to the relay (pipeline/stream.py), which
     sends it to the queue of every consumer group that takes it (pipeline/groups.py) as
     `{"tenant_id": "...", "table": "...", "event": {"id", "name", "order_id", "at", "data"}}`:
     nothing is marked sent, and nothing republishes (the stream retries a batch until SQS
     takes it).
  3. Each group's dispatcher (`pipeline/workers.py`) takes one record at a time, reads it as its
     typed event (kernel/domain/events.py: one class per event name; a record no class takes
     fails alone), and calls, for every consumer of its group below whose `events` include the
     event's class (None: every event), its `handle(ctx, event, deps)`.

What the dispatcher guarantees a consumer (pipeline/dispatch.py)
  - One attempt at a time per event and group: the dispatcher claims the event for its group
    (`DONE#event#<id>`, or `DONE#event#<id>#<group>`, in the tenant's table, with a lease; TTL
    30 days) before any consumer runs. A delivery that finds
    it finished does nothing; one that finds it held fails and comes back after the queue's
    visibility timeout (then it is finished, or the lease of an attempt that died ran out).
  - A consumer that is not `repeatable` completes at most once per event: it is marked done
    on the event when `handle` returns. A `repeatable` one runs again on a retry, so its writes
    are keyed by the event and its outside effects (an e-mail, a text) go through `run_once`,
    which inside a consumer marks each piece on the event: one write each (the last piece's
    mark rides on the event's finish), written before the next piece or consumer starts, and
    a retry skips what is marked.
  - If a consumer raises, the others still run, the event is released with its marks kept,
    and the record fails alone (partial batch response): SQS redelivers it, and only the work
    not marked runs again. After `queues.EVENTS.max_receive_count` failures it lands in the
    dead-letter queue.
  - If the process dies, the event's lease runs out (it outlives the queue's visibility
    timeout) and the redelivered record runs what is not marked. So the work between its
    outside effect and its mark is at-least-once in that one case: keep each outside effect a
    single call in its own `run_once`.

The arguments
  - `ctx`: `TenantContext` of the event's tenant, actor SYSTEM, bound to its table
    (`ctx.tenant`, `ctx.data.orders.get(event.order_id)`, `ctx.now()`, `ctx.new_id()`).
    The group's consumers share one read of the event's order (pipeline/event_data.py): a
    consumer that needs it read after something else of its own uses `order_memo.fresh`.
  - `event`: an instance of a class the consumer lists in `events` (kernel/domain/events.py; e.g.
    `OrderCancelled` with its `fee`, `refund`, `cancelled_by`; every order event has `id`,
    `at`, `order_id`, `status`, `version`, `start`, `actor`, and `actor_role`, `request_id`
    when a request made the change). docs/WEBHOOKS.md lists every class's fields.
  - `deps`: what the consumer uses, declared as a small protocol next to it (`WebhookDeps`:
    the bus; `PaymentDeps`: the gateway and the connected accounts). The dispatcher hands
    every consumer the process's container (`bootstrap.Container`, `tests.fakes.FakeContainer`)
    typed as `Deps` below, and the type checker proves that `Deps` gives each registered
    consumer what it declares. A consumer that needs a new adapter adds it to its protocol, to
    `Deps`, and to both containers.

Adding a consumer: implement the `Consumer` protocol (a `name` that never changes once
deployed, since it is part of the dedup key; `events`, the classes it takes; `repeatable`;
`handle`, typed with the class it takes and its deps protocol) and add an instance to its
group in `GROUP_CONSUMERS` (and the classes it takes to the group's `events`, if new). Keep
`handle` small; raise to be retried, return to be done.
"""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.booking.services.expiry import ScheduleExpiry
from chalicelib.booking.services.order_audit import AuditOrderEvents
from chalicelib.booking.services.own_orders import ManageTokenSecret
from chalicelib.booking.services.room_release import ReleaseRooms
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.channels.services.octo_hold_release import ReleaseExtendedHolds
from chalicelib.channels.services.outbound_marks import MarkChannelUpdates
from chalicelib.customers.services.campaign_bookings import CreditCampaigns
from chalicelib.customers.services.figures import CountCustomerFigures
from chalicelib.customers.services.gift_card_mail import MailGiftCard
from chalicelib.customers.services.imported import RecordImportedCustomers
from chalicelib.customers.services.merge_job import MergeCustomers
from chalicelib.customers.services.points_takeback import TakeBackPoints
from chalicelib.customers.services.redemption_consumers import EarnPoints, GiveBackRedemptions
from chalicelib.customers.services.suggestions import CountCoBookings
from chalicelib.invoices.services.invoice_consumers import CreditToBill, InvoiceAtCompletion
from chalicelib.invoices.services.invoice_ports import DocumentFiles
from chalicelib.kernel.domain.events import DomainEvent
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.services.messaging_ports import (
    Mailer,
    MessageBus,
    ReminderScheduler,
    SmsSender,
)
from chalicelib.notifications.services.reminders import Reminders
from chalicelib.notifications.services.send import Notifications
from chalicelib.notifications.services.staff_alerts import StaffAlerts
from chalicelib.payments.services.collection import ScheduleCollection
from chalicelib.payments.services.gift_card_ports import GiftCardTender
from chalicelib.payments.services.payment_consumers import (
    CaptureOnCheckIn,
    CountRevivedBookings,
    GiftCardsBackOnExpiry,
    NoShowFee,
    RefundOnCancellation,
)
from chalicelib.payments.services.payment_ports import PaymentAccounts, PaymentGateway
from chalicelib.pipeline.groups import BOOKKEEPING, BULK, GROUPS, MESSAGES, MONEY
from chalicelib.reports.services.figures import CountDailyFigures
from chalicelib.settings import Settings
from chalicelib.tenancy.services.plan_limits import CountBookings, ReleaseBookings
from chalicelib.tenancy.services.platform_ports import PlatformRepository
from chalicelib.tenant_stores_ports import TenantData
from chalicelib.webhooks.services.webhook_delivery import WebhooksConsumer


class Deps(Protocol):
    """Every dependency some consumer needs: what the dispatcher is handed (the process's
    container: `bootstrap.Container`, `tests.fakes.FakeContainer`). Each consumer's `handle`
    names its own narrower protocol (`WebhookDeps`: the bus), which this one must satisfy:
    the type checker refuses a consumer registered below whose needs are not listed here."""

    @property
    def bus(self) -> MessageBus: ...
    @property
    def mailer(self) -> Mailer: ...
    @property
    def sms(self) -> SmsSender: ...
    @property
    def settings(self) -> Settings: ...
    @property
    def reminders(self) -> ReminderScheduler: ...
    @property
    def gateway(self) -> PaymentGateway: ...
    @property
    def payment_accounts(self) -> PaymentAccounts: ...
    @property
    def catalog_cache(self) -> CatalogCache: ...
    @property
    def manage_token_secret(self) -> ManageTokenSecret: ...
    @property
    def platform(self) -> PlatformRepository: ...
    @property
    def document_files(self) -> DocumentFiles: ...
    @property
    def gift_cards(self) -> GiftCardTender: ...


class Consumer(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def events(self) -> tuple[type[DomainEvent], ...] | None:
        """The event classes it takes (a class takes its subclasses too); None: all."""

    @property
    def repeatable(self) -> bool:
        """True when running it again for the same event has no further effect (its writes
        are keyed by the event, its outside effects go through `run_once`): it then runs
        without a mark of its own. False: it is marked done on the event once it returns."""

    def handle(self, ctx: TenantContext[TenantData], event: Any, deps: Deps) -> None:
        """`event`: an instance of one of `events` (a consumer names the class it takes);
        `deps`: a consumer names the protocol of what it uses, which `Deps` must satisfy."""


def wants(consumer: Consumer, event: DomainEvent) -> bool:
    return consumer.events is None or isinstance(event, consumer.events)


# Each group's consumers (pipeline/groups.py), in the order they run for one event.
# Implementations never import this module (the protocol is structural), so importing them here
# makes no cycle. The one that marks its work (the count, the customer's messages) runs last: the
# mark of the last piece done rides on the write that finishes the event (pipeline/dispatch.py).
GROUP_CONSUMERS: dict[str, tuple[Consumer, ...]] = {
    BOOKKEEPING.name: (
        ScheduleExpiry(),
        Reminders(),
        ScheduleCollection(),
        WebhooksConsumer(),
        MarkChannelUpdates(),
        AuditOrderEvents(),
        ReleaseRooms(),
        CreditToBill(),
        CountCoBookings(),
        CountCustomerFigures(),
        MergeCustomers(),
        GiveBackRedemptions(),
        EarnPoints(),
        TakeBackPoints(),
        CreditCampaigns(),
        CountDailyFigures(),
        CountBookings(),
        ReleaseBookings(),
        CountRevivedBookings(),
        ReleaseExtendedHolds(),
    ),
    MESSAGES.name: (InvoiceAtCompletion(), MailGiftCard(), StaffAlerts(), Notifications()),
    MONEY.name: (RefundOnCancellation(), NoShowFee(), CaptureOnCheckIn(), GiftCardsBackOnExpiry()),
    # The webhooks take every event, each in the one group that takes it (no event is in two
    # of the groups they are in: tests/unit/test_consumer_groups.py).
    BULK.name: (WebhooksConsumer(), RecordImportedCustomers()),
}
CONSUMERS: list[Consumer] = [c for group in GROUPS for c in GROUP_CONSUMERS[group.name]]
