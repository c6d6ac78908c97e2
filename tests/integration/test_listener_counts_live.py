"""The tenant's counts of webhook endpoints and channel connections on DynamoDB Local
(kernel/adapters/listener_counts.py): one more before an item is created (taken back when its
creation is refused), one less after a delete that removed it, so once per item however often
its write is repeated; absent (unknown) on a table from before them, whose writes go on as they
did."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from chalicelib.channels.adapters.connection_store import DynamoConnectionStore
from chalicelib.kernel.adapters.listener_counts import LISTENERS_KEY, DynamoListenerCounts
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.domain.listeners import Listeners
from chalicelib.webhooks.adapters.webhook_store import DynamoWebhookStore
from chalicelib.webhooks.domain.webhooks import EndpointStatus, SigningSecret, WebhookEndpoint
from tests.channel_inbound_support import channel_manager

AT = "2026-12-01T08:00:00.000000Z"


@pytest.fixture
def stores(stack, empty_tenant_table):
    client = stack.client("dynamodb")
    return (
        DynamoListenerCounts(client, empty_tenant_table),
        DynamoWebhookStore(client, empty_tenant_table),
        DynamoConnectionStore(client, empty_tenant_table),
    )


def endpoint(endpoint_id: str) -> WebhookEndpoint:
    return WebhookEndpoint(
        id=endpoint_id,
        url="https://hooks.example.com/in",
        event_types=("*",),
        description="",
        status=EndpointStatus.ENABLED,
        secrets=(SigningSecret("whsec_1", "s" * 32, AT),),
        created_at=AT,
        updated_at=AT,
    )


def test_counts_move_with_each_endpoint_created_and_deleted_once(stores):
    counts, hooks, _ = stores
    counts.start()
    counts.start()  # a second start (a provisioning message again) changes nothing
    assert counts.get() == Listeners(0, 0)
    hooks.put_endpoint(endpoint("we_1"), expected_version=None)
    hooks.put_endpoint(endpoint("we_2"), expected_version=None)
    with pytest.raises(Conflict):
        hooks.put_endpoint(endpoint("we_1"), expected_version=None)  # exists: not counted
    assert counts.get() == Listeners(2, 0)
    hooks.put_endpoint(endpoint("we_1"), expected_version=1)  # an edit: not counted
    assert counts.get() == Listeners(2, 0)
    hooks.delete_endpoint("we_1")
    hooks.delete_endpoint("we_1")  # gone already: not counted again
    assert counts.get() == Listeners(1, 0)
    assert [e.id for e in hooks.list_endpoints()] == ["we_2"]
    hooks.delete_endpoint("we_2")
    assert counts.get() == Listeners(0, 0)
    assert hooks.list_endpoints() == []


def test_a_new_connection_is_counted_once(stores):
    counts, _, connections = stores
    counts.start()
    connections.put(channel_manager("chn_1", AT), expected_version=None)
    with pytest.raises(Conflict):
        connections.put(channel_manager("chn_1", AT), expected_version=None)
    assert counts.get() == Listeners(0, 1)
    assert [c.id for c in connections.list()] == ["chn_1"]


def test_a_table_from_before_the_counts_writes_as_before_and_the_counts_stay_unknown(stores):
    counts, hooks, connections = stores
    hooks.put_endpoint(endpoint("we_1"), expected_version=None)
    with pytest.raises(Conflict):
        hooks.put_endpoint(endpoint("we_1"), expected_version=None)
    connections.put(channel_manager("chn_1", AT), expected_version=None)
    assert counts.get() is None
    hooks.delete_endpoint("we_1")
    assert hooks.get_endpoint("we_1") is None
    assert counts.get() is None  # never made up from what was seen


def test_endpoints_created_at_once_are_each_counted_once(stores):
    counts, hooks, _ = stores
    counts.start()

    def create(n: int) -> None:
        hooks.put_endpoint(endpoint(f"we_{n % 6}"), expected_version=None)  # 2 ids twice

    def each(n: int) -> str:
        try:
            create(n)
            return "created"
        except Conflict:
            return "refused"

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(each, range(8)))
    assert sorted(outcomes) == ["created"] * 6 + ["refused"] * 2
    assert counts.get() == Listeners(6, 0)  # the refused ones taken back
    assert len(hooks.list_endpoints()) == 6


def test_the_order_and_the_counts_are_read_together_and_each_may_be_absent(stack, stores):
    from chalicelib.tenant_data import DynamoTenantData

    counts, _, _ = stores
    table = counts._table
    data = DynamoTenantData("t_it", stack.client("dynamodb"), table)
    assert data.order_and_listeners("ord_none") == (None, None)
    counts.start()
    assert data.order_and_listeners("ord_none") == (None, Listeners(0, 0))


def test_templates_are_counted_once_each_and_a_count_started_later_stays_unknown(stack, stores):
    from chalicelib.notifications.adapters.template_store import DynamoTemplateStore

    counts, _, _ = stores
    client = stack.client("dynamodb")
    templates = DynamoTemplateStore(client, counts._table)
    counts.start()
    parts = {"text": "t"}
    templates.put("confirmed", "sms", "en", parts, AT)
    templates.put("confirmed", "sms", "en", parts, AT)  # replaced: not counted again
    templates.put("held", "sms", "en", parts, AT)
    assert counts.get() == Listeners(0, 0, 2)
    assert templates.delete("held", "sms", "en")
    assert not templates.delete("held", "sms", "en")
    assert counts.get() == Listeners(0, 0, 1)
    # A counts item from before templates were counted: that count stays unknown (None), an
    # ADD never starts it from nothing.
    client.update_item(
        TableName=counts._table, Key=LISTENERS_KEY, UpdateExpression="REMOVE templates"
    )
    templates.put("reminder", "sms", "en", parts, AT)
    assert counts.get() == Listeners(0, 0, None)
