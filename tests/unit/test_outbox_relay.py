"""The outbox: events commit with their change, the relay publishes them, and a process that
dies in between loses nothing (the sweeper republishes; consumers have their effect once)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from chalicelib.booking.domain.orders import Channel, Customer
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.kernel.services import outbox
from chalicelib.kernel.services.context import TenantContext
from tests.builders import haircut, stylist
from tests.stage import Stage

BO = Customer(name="Bo", email="bo@example.com")


class ProcessKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs, no except clause catches it."""


def test_a_committed_change_is_published_and_marked_sent_by_its_dispatcher():
    stage = Stage()
    order = stage.book()
    [message] = stage.events_queue()
    assert message["tenant_id"] == stage.tenant.id
    assert message["event"]["name"] == "OrderHeld"
    assert message["event"]["order_id"] == order.id
    # The request only sent it; the dispatcher that takes it marks it sent.
    assert [e.id for e in stage.data.outbox.unsent("9999")] == [message["event"]["id"]]
    stage.deliver([message])
    assert stage.data.outbox.unsent("9999") == []
    assert ("outbox", stage.tenant.id) in stage.c.platform.work  # marked before the commit


def test_a_process_killed_between_commit_and_publish_loses_nothing(monkeypatch):
    stage = Stage()
    order = stage.book()
    stage.drain()  # the hold e-mail

    def killed(*args, **kwargs):
        raise ProcessKilled

    monkeypatch.setattr(outbox, "publish", killed)
    with pytest.raises(ProcessKilled):
        order_service.confirm(stage.ctx, order.id)
    monkeypatch.undo()
    assert stage.data.orders.get(order.id).status.value == "confirmed"  # committed
    assert stage.events_queue() == []  # ...but never published

    assert stage.sweep() == {stage.tenant.id: 0}  # younger than the sweep age: the relay's
    stage.c.clock.advance(outbox.SWEEP_AGE_SECONDS + 1)
    assert stage.sweep() == {stage.tenant.id: 1}
    stage.drain()
    subjects = [e.subject for e in stage.emails()]
    assert len(subjects) == 2 and subjects[1].startswith("Confirmed")
    stage.c.clock.advance(60)
    assert stage.sweep() == {stage.tenant.id: 0}  # nothing left to republish


def test_an_event_published_twice_has_its_effect_once():
    stage = Stage()
    order = stage.book()
    stage.drain()
    order_service.confirm(stage.ctx, order.id)
    [message] = stage.events_queue()
    stage.deliver([message, message, message])  # the relay, the sweeper, an SQS redelivery
    confirmations = [e for e in stage.emails() if e.subject.startswith("Confirmed")]
    assert len(confirmations) == 1
    assert len([s for s in stage.c.sms.sent if "confirmed" in s[1]]) == 1


def test_a_failed_publish_leaves_the_event_for_the_sweeper_and_does_not_fail_the_request():
    stage = Stage()
    stage.c.bus.send = _raise  # type: ignore[method-assign]
    order = stage.book()  # no exception: the hold is made
    assert stage.data.orders.get(order.id) is not None
    del stage.c.bus.send
    stage.c.clock.advance(outbox.SWEEP_AGE_SECONDS + 1)
    assert stage.sweep() == {stage.tenant.id: 1}
    assert [m["event"]["name"] for m in stage.events_queue()] == ["OrderHeld"]


def _raise(*args, **kwargs):
    raise TimeoutError("queue unavailable")


def test_the_mark_is_cleared_once_it_has_run_out_and_nothing_is_unsent():
    stage = Stage()
    stage.book()
    stage.c.clock.advance(outbox.MARK_SECONDS + 1)
    stage.sweep()
    assert ("outbox", stage.tenant.id) not in stage.c.platform.work
    # A later commit marks again, even in the same container (its memory of the mark ran out).
    stage.book(start=datetime(2026, 12, 1, 11, 0))
    assert ("outbox", stage.tenant.id) in stage.c.platform.work


def test_the_sweeper_republishes_each_tenants_events_for_that_tenant_only():
    stage = Stage()
    other = replace(stage.tenant, id="t_other", slug="other", table_name="reservoir-tenant-t_o")
    stage.c.platform.tenants[other.id] = other
    stage.c.tables.ensure_table(other.table_name, {})
    stage.c.tenant_data.for_tenant(other).catalog.put_resource(
        stylist("res_a", "A"), expected_rev=None
    )
    stage.c.tenant_data.for_tenant(other).catalog.put_offering(haircut(), expected_rev=None)
    quiet = replace(stage.tenant, id="t_quiet", slug="quiet", table_name="reservoir-tenant-t_q")
    stage.c.platform.tenants[quiet.id] = quiet
    stage.c.bus.send = _raise  # type: ignore[method-assign]
    stage.book()
    other_ctx = TenantContext(
        tenant=other,
        actor=stage.shop.actor,
        data_factory=stage.c.tenant_data,
        now=stage.c.now,
        new_id=stage.c.new_id,
        relay=stage.c.relay,
    )
    line = LineInput("off_cut", start=datetime(2026, 12, 1, 10, 0))
    hold_order(other_ctx, stage.shop.cache, HoldInput(BO, [line], Channel.API), order_id="o_b")
    del stage.c.bus.send
    stage.c.clock.advance(outbox.SWEEP_AGE_SECONDS + 1)
    swept = stage.sweep()
    assert swept == {stage.tenant.id: 1, other.id: 1}  # the unmarked quiet tenant: not visited
    messages = stage.events_queue()
    assert sorted(m["tenant_id"] for m in messages) == sorted([stage.tenant.id, other.id])
    stage.deliver([m for m in messages if m["tenant_id"] == other.id])
    assert [e.to for e in stage.c.mailer.sent] == ["bo@example.com"]  # other's customer only
    assert stage.c.tenant_data.data[other.id].orders.get("o_b") is not None
    assert stage.data.orders.get("o_b") is None
