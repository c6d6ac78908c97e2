"""A shop (tests/builders.py) wired to a FakeContainer: the stream relay, the event dispatcher,
the mailer, SMS and reminder schedules, all on fakes, with one clock the test moves."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from chalicelib.booking.domain.orders import Channel, Customer, Order
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.kernel.services.context import TenantContext, system_context
from chalicelib.notifications.services.reminders import send_reminder
from chalicelib.pipeline.dispatch import dispatch
from chalicelib.pipeline.groups import BOOKKEEPING, BULK, GROUPS, groups_for
from chalicelib.pipeline.stream import event_of
from chalicelib.queues import REMINDERS
from tests.builders import Shop, haircut, stylist
from tests.fakes import FakeContainer

ADA = Customer(name="Ada", email="ada@example.com", phone="+4915112345678", locale="en")


class Stage:
    def __init__(self, shop: Shop | None = None, *, container: FakeContainer | None = None):
        self.shop = shop or Shop().add(stylist("res_a", "Alex"), haircut())
        c = container or FakeContainer()
        self.c = c
        c.clock = self.shop.clock
        c.now = self.shop.clock
        c.new_id = self.shop.ids
        c.tenant_data = self.shop.factory
        c.tables = self.shop.factory.tables
        c.platform.tenants[self.shop.tenant.id] = self.shop.tenant

    @property
    def tenant(self):
        return self.c.platform.tenants[self.shop.tenant.id]

    @property
    def ctx(self) -> TenantContext:
        """A staff member's context, as the API builds it."""
        return TenantContext(
            tenant=self.tenant,
            actor=self.shop.actor,
            data_factory=self.c.tenant_data,
            now=self.c.now,
            new_id=self.c.new_id,
        )

    @property
    def system(self) -> TenantContext:
        return system_context(
            self.tenant, data_factory=self.c.tenant_data, now=self.c.now, new_id=self.c.new_id
        )

    @property
    def data(self):
        return self.shop.data

    def book(self, *, customer: Customer = ADA, start=datetime(2026, 12, 1, 10, 0), **kw) -> Order:
        line = LineInput("off_cut", start=start, **kw)
        return hold_order(
            self.ctx,
            self.shop.cache,
            HoldInput(customer, [line], Channel.API),
            order_id=f"ord_{self.c.new_id()}",
        )

    def book_stay(self, *, customer: Customer = ADA, check_in=date(2026, 12, 24), nights=2):
        line = LineInput("off_stay", check_in=check_in, nights=nights)
        return hold_order(
            self.ctx, self.shop.cache, HoldInput(customer, [line], Channel.API), order_id="ord_s"
        )

    def count_order_reads(self) -> list[str]:
        """From now on, the id of every order read from the tenant's store, in order."""
        reads: list[str] = []
        orders = self.data.orders
        original = orders.get

        def get(order_id: str, *, consistent: bool = True) -> Order | None:
            reads.append(order_id)
            return original(order_id, consistent=consistent)

        orders.get = get  # type: ignore[method-assign]
        return reads

    # -- the worker side ----------------------------------------------------------------------

    def events_queue(self) -> list[dict[str, Any]]:
        """The events committed since the last look, through the stream and the relay: the
        bookkeeping group's queue, which every event but the bulk ones reaches, then the bulk
        group's (`deliver` runs every group that takes it, so the other groups' copies are
        taken off their queues here)."""
        bodies = self.c.relayed_events()
        for group in GROUPS:
            if group is BULK:
                bodies += self.c.bus.take(group.queue.name)
            elif group is not BOOKKEEPING:
                self.c.bus.take(group.queue.name)
        return bodies

    def deliver(self, messages: list[dict[str, Any]]) -> list[dict[str, str]]:
        """Run each group's dispatcher that takes the message's event, as the group workers do
        (JSON round trip): one outcome map per message, every group's consumers in it."""
        outcomes = []
        for body in messages:
            body = json.loads(json.dumps(body))
            tenant = self.c.platform.get_tenant(body["tenant_id"])
            ctx = system_context(
                tenant,
                data_factory=self.c.tenant_data,
                now=self.c.now,
                new_id=self.c.new_id,
            )
            event = event_of(body)
            done: dict[str, str] = {}
            for group in groups_for(event.name):
                done.update(dispatch(ctx, event, self.c, group))
            outcomes.append(done)
        return outcomes

    def drain(self) -> list[dict[str, str]]:
        """Deliver everything on the events queue until it is empty, and the notices the
        events put on the reminders queue (a hold's "held" message, a minute later: here as
        though the minute had passed)."""
        outcomes = []
        while messages := self.events_queue():
            outcomes += self.deliver(messages)
            self.deliver_notices()
        return outcomes

    def deliver_notices(self) -> list[str]:
        """What the reminders worker does with the messages on the reminders queue."""
        outcomes = []
        for payload in self.c.bus.take(REMINDERS.name):
            tenant = self.c.platform.get_tenant(payload["tenant_id"])
            ctx = system_context(
                tenant, data_factory=self.c.tenant_data, now=self.c.now, new_id=self.c.new_id
            )
            outcomes.append(send_reminder(ctx, json.loads(json.dumps(payload)), self.c))
        return outcomes

    def fire_due_reminders(self) -> list[str]:
        return [
            send_reminder(self.system, payload, self.c)
            for payload in self.c.reminders.due(self.c.now())
        ]

    def emails(self, to: str = ADA.email) -> list[Any]:
        return self.c.mailer.to(to)
