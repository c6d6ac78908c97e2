"""Inside one event's consumers, the staff alerts read the event's order with the tenant's
counts (one BatchGetItem, which the customer's message uses too) and query the staff's choices
only while the tenant counts some (`alert_prefs`, kernel/domain/listeners.py): a business where
nobody made a choice costs its confirmations no Query of them."""

from __future__ import annotations

import pytest

from chalicelib.booking.services import orders as order_service
from chalicelib.kernel.domain.events import Record
from chalicelib.notifications.services.alert_ports import AlertKind, AlertPrefs
from chalicelib.pipeline.dispatch import dispatch
from chalicelib.pipeline.groups import MESSAGES
from chalicelib.pipeline.stream import event_of
from tests.stage import ADA, Stage
from tests.unit.test_staff_alert_reads import add_owner


def confirmed(stage: Stage):
    order = stage.book(customer=ADA)
    stage.drain()
    order_service.confirm(stage.ctx, order.id)
    [message] = stage.events_queue()
    return event_of(message)


def deliver_messages(stage: Stage, event: Record) -> dict[str, str]:
    """The messages group's dispatcher alone on the event."""
    return dispatch(stage.system, event, stage.c, MESSAGES)


def count_choice_queries(stage: Stage) -> list[int]:
    queried: list[int] = []
    prefs = stage.data.alert_prefs
    every = prefs.all

    def all_choices():
        queried.append(1)
        return every()

    prefs.all = all_choices  # type: ignore[method-assign]
    return queried


def test_a_tenant_with_no_choices_is_not_queried_and_the_order_is_read_once_with_the_counts():
    stage = Stage()
    event = confirmed(stage)
    queried = count_choice_queries(stage)
    reads = stage.count_order_reads()  # the fake's BatchGetItem reads through the store too
    before = getattr(stage.data, "order_and_listeners_reads", 0)
    outcome = deliver_messages(stage, event)
    assert outcome["staff_alerts"] == "done" and outcome["notifications"] == "done"
    assert queried == []
    assert getattr(stage.data, "order_and_listeners_reads", 0) - before == 1
    assert reads == [event.order_id]  # that one read, for both consumers
    assert any("confirmed" in e.subject.lower() for e in stage.emails())  # the customer's


@pytest.mark.parametrize("counted", [True, False], ids=["counted", "table from before"])
def test_once_someone_chose_the_next_event_queries_the_choices_and_tells_them(counted):
    """Counted: the count says one; a table from before the counts (unknown): as before."""
    stage = Stage()
    stage.data.listeners.known = counted
    add_owner(stage)
    stage.data.alert_prefs.put(
        AlertPrefs("u_owner", "owner@example.com", frozenset({AlertKind.BOOKED}))
    )
    event = confirmed(stage)
    queried = count_choice_queries(stage)
    deliver_messages(stage, event)
    assert queried == [1]
    assert len(stage.emails("owner@example.com")) == 1


def test_the_staff_alerts_ask_for_the_counts_with_the_order():
    from chalicelib.pipeline.consumers import GROUP_CONSUMERS

    [alerts] = [c for c in GROUP_CONSUMERS[MESSAGES.name] if c.name == "staff_alerts"]
    assert getattr(alerts, "reads_listeners", False) is True
