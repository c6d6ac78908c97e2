"""Staff members' alert choices are counted in the tenant's `LISTENERS` item on DynamoDB Local
(notifications/adapters/alert_prefs.py, kernel/domain/listeners.py `alert_prefs`): once per
staff member however often they choose again; a counts item from before the choices were counted
keeps that count unknown (the staff alerts then query the choices, as they did)."""

from __future__ import annotations

import pytest

from chalicelib.kernel.adapters.listener_counts import LISTENERS_KEY, DynamoListenerCounts
from chalicelib.kernel.domain.listeners import Listeners
from chalicelib.notifications.adapters.alert_prefs import DynamoAlertPrefs
from chalicelib.notifications.services.alert_ports import AlertKind, AlertPrefs


@pytest.fixture
def stores(stack, empty_tenant_table):
    client = stack.client("dynamodb")
    return (
        client,
        DynamoListenerCounts(client, empty_tenant_table),
        DynamoAlertPrefs(client, empty_tenant_table),
    )


def choice(user_id: str, *kinds: AlertKind) -> AlertPrefs:
    return AlertPrefs(user_id, f"{user_id}@example.com", frozenset(kinds))


def test_each_staff_members_choice_is_counted_once(stores):
    _, counts, prefs = stores
    counts.start()
    assert counts.get() == Listeners(0, 0, 0, 0)
    prefs.put(choice("u_1", AlertKind.BOOKED))
    prefs.put(choice("u_1", AlertKind.BOOKED, AlertKind.CANCELLED))  # chosen again: not counted
    prefs.put(choice("u_2"))  # a choice of nothing is still a choice: counted (never too low)
    assert counts.get() == Listeners(0, 0, 0, 2)
    assert [p.user_id for p in prefs.all()] == ["u_1", "u_2"]
    assert prefs.get("u_1") == choice("u_1", AlertKind.BOOKED, AlertKind.CANCELLED)


def test_a_counts_item_from_before_keeps_the_choices_count_unknown(stores):
    client, counts, prefs = stores
    counts.start()
    client.update_item(
        TableName=counts._table, Key=LISTENERS_KEY, UpdateExpression="REMOVE alert_prefs"
    )
    prefs.put(choice("u_1", AlertKind.BOOKED))
    got = counts.get()
    assert got is not None and got.alert_prefs is None  # never made up from nothing
    assert [p.user_id for p in prefs.all()] == ["u_1"]


def test_a_table_from_before_the_counts_writes_choices_as_before(stores):
    _, counts, prefs = stores
    prefs.put(choice("u_1", AlertKind.BOOKED))
    assert counts.get() is None
    assert prefs.get("u_1") is not None
