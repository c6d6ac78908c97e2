"""Order changes reach the audit log from their events: one entry per event, saying who made
the change, what it was, to which order, when it happened and in which request; a repeated
event writes the same entry, not a second one."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.order_audit import AuditOrderEvents, action_of
from chalicelib.kernel.domain.audit import Actor
from chalicelib.kernel.domain.event_registry import typed
from chalicelib.pipeline.stream import event_of
from tests.stage import Stage


def _order_entries(stage: Stage) -> list:
    entries = sorted(stage.data.audit.entries.values(), key=lambda e: (e.at, e.id))
    return [e for e in entries if e.target.startswith("order:")]


def test_every_order_event_writes_one_audit_entry_with_who_what_when_and_which_order():
    stage = Stage()
    order = stage.book()
    held_at = stage.c.now()
    stage.c.clock.advance(60)
    order_service.confirm(stage.ctx, order.id)
    confirmed_at = stage.c.now()
    stage.c.clock.advance(600)  # the worker runs later; the entries keep the changes' times

    stage.drain()

    held, confirmed = _order_entries(stage)
    assert (held.action, held.at) == ("order.held", held_at)
    assert (confirmed.action, confirmed.at) == ("order.confirmed", confirmed_at)
    for entry in (held, confirmed):
        assert entry.target == f"order:{order.id}"
        assert entry.tenant_id == stage.tenant.id
        assert (entry.actor.kind, entry.actor.id) == ("secret_key", "k1")
    assert confirmed.details["status"] == "confirmed"
    assert confirmed.details["version"] == 2


def test_an_event_handled_twice_writes_its_audit_entry_once():
    stage = Stage()
    stage.book()
    [message] = stage.events_queue()
    event = event_of(message)
    consumer = AuditOrderEvents()

    consumer.handle(stage.system, typed(event), stage.c)
    stage.c.clock.advance(30)
    consumer.handle(stage.system, typed(event), stage.c)  # died after writing, ran again

    [entry] = _order_entries(stage)
    assert entry.id == event.id
    assert entry.at == event.at


def test_an_event_delivered_three_times_writes_one_entry():
    stage = Stage()
    stage.book()
    [message] = stage.events_queue()
    stage.deliver([message, message, message])
    assert len(_order_entries(stage)) == 1


def test_the_entry_carries_the_request_and_the_role_of_whoever_made_the_change():
    stage = Stage()
    order = stage.book()
    stage.drain()
    ctx = stage.ctx
    ctx.actor = Actor(kind="user", id="u-7", tenant_id=stage.tenant.id, role="manager")
    ctx.request_id = "req-42"

    order_service.cancel(ctx, stage.shop.cache, order.id, reason="asked by phone")
    stage.drain()

    cancelled = next(e for e in _order_entries(stage) if e.action == "order.cancelled")
    assert cancelled.actor == Actor(kind="user", id="u-7", role="manager")
    assert cancelled.request_id == "req-42"
    assert "request_id" not in cancelled.details and "actor" not in cancelled.details


def test_changes_by_the_platform_itself_are_recorded_as_the_system():
    stage = Stage()
    order = stage.book()
    stage.drain()
    stage.c.clock.advance(3600)
    system = stage.system
    order_service.expire(system, order.id)
    stage.drain()

    expired = next(e for e in _order_entries(stage) if e.action == "order.expired")
    assert expired.actor == Actor(kind="system", id="reservoir")
    assert expired.request_id is None


def test_an_event_without_an_actor_is_recorded_as_the_system():
    stage = Stage()
    stage.book()
    [message] = stage.events_queue()
    event = event_of(message)
    bare = replace(typed(event), actor="")
    AuditOrderEvents().handle(stage.system, bare, stage.c)
    [entry] = _order_entries(stage)
    assert entry.actor == Actor(kind="system", id="reservoir")


def test_event_names_become_dotted_actions_under_order():
    assert action_of("OrderHeld") == "order.held"
    assert action_of("OrderCheckedIn") == "order.checked_in"
    assert action_of("OrderMarkedNoShow") == "order.marked_no_show"
    assert action_of("PaymentReceived") == "order.payment_received"
    assert action_of("RefundIssued") == "order.refund_issued"
