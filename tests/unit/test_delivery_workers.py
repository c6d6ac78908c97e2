"""The steps the delivery workers take around their use case (kernel/workers/deliveries.py),
and the two workers over them (a tenant's webhooks, a partner's channel updates): a message
for a tenant gone runs nothing; an outcome is logged with the message's keys and counted
under the worker's own metric."""

from __future__ import annotations

import json
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest

from chalicelib.channels.services import outbound_delivery
from chalicelib.channels.workers import outbound
from chalicelib.kernel.domain.tenant import TenantStatus
from chalicelib.kernel.workers import deliveries
from chalicelib.webhooks.workers import webhooks
from tests.stage import Stage


def _record(**message: Any) -> Any:
    return SimpleNamespace(body=json.dumps(message))


class Seen:
    """What the workers logged and counted."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.warned: list[str] = []
        self.logged: list[tuple[str, dict[str, Any]]] = []
        self.counted: list[str] = []
        log = deliveries.logger
        monkeypatch.setattr(log, "warning", lambda text, **k: self.warned.append(text))
        monkeypatch.setattr(
            log, "info", lambda text, **k: self.logged.append((text, k.get("extra", {})))
        )
        monkeypatch.setattr(
            deliveries.metrics, "add_metric", lambda **k: self.counted.append(k["name"])
        )


def test_a_message_names_its_active_tenant(monkeypatch: pytest.MonkeyPatch) -> None:
    stage = Stage()
    read = deliveries.tenant_message(
        _record(tenant_id=stage.tenant.id, delivery_id="d_1"), stage.c.platform, what="x"
    )
    assert read is not None
    assert (read.tenant.id, read.body["delivery_id"], read.what) == (stage.tenant.id, "d_1", "x")


def test_a_tenant_gone_or_suspended_drops_the_message(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = Seen(monkeypatch)
    stage = Stage()
    gone = _record(tenant_id="t_nobody")
    assert deliveries.tenant_message(gone, stage.c.platform, what="channel update") is None
    stage.c.platform.tenants[stage.tenant.id] = replace(stage.tenant, status=TenantStatus.SUSPENDED)
    suspended = _record(tenant_id=stage.tenant.id)
    assert deliveries.tenant_message(suspended, stage.c.platform, what="channel update") is None
    assert seen.warned == ["channel update for a tenant that is gone"] * 2


def test_an_outcome_is_logged_with_the_message_keys_and_counted_when_the_worker_counts_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = Seen(monkeypatch)
    message = deliveries.TenantMessage(
        what="webhook delivery", tenant=Stage().tenant, body={"delivery_id": "d_1", "x": 1}
    )
    counted = {"delivered": "WebhooksDelivered"}
    deliveries.outcome_of(message, "delivered", keys=("delivery_id", "attempt"), counted=counted)
    deliveries.outcome_of(message, "skipped", keys=("delivery_id",), counted=counted)
    assert seen.logged == [
        (
            "webhook delivery",
            {
                "tenant_id": message.tenant.id,
                "delivery_id": "d_1",
                "attempt": None,
                "outcome": "delivered",
            },
        ),
        (
            "webhook delivery",
            {"tenant_id": message.tenant.id, "delivery_id": "d_1", "outcome": "skipped"},
        ),
    ]
    assert seen.counted == ["WebhooksDelivered"]


# -- the two workers over them ---------------------------------------------------------------


def _container(stage: Stage) -> Any:
    return SimpleNamespace(
        platform=stage.c.platform,
        tenant_data=stage.c.tenant_data,
        now=stage.c.now,
        new_id=stage.c.new_id,
        bus=None,
        webhook_sender=None,
        settings=SimpleNamespace(),
    )


def test_the_channel_worker_logs_and_counts_its_outcome_and_skips_a_tenant_gone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = Seen(monkeypatch)
    stage = Stage()
    ran: list[dict[str, Any]] = []
    monkeypatch.setattr(outbound.bootstrap, "container", lambda: _container(stage))
    monkeypatch.setattr(
        outbound_delivery, "handle_message", lambda ctx, m, c: ran.append(m) or "delivered"
    )
    outbound.handle_record(_record(tenant_id="t_nobody", kind="window"))
    outbound.handle_record(
        _record(tenant_id=stage.tenant.id, kind="window", connection_id="chn_1", window="w")
    )
    assert [m["tenant_id"] for m in ran] == [stage.tenant.id]
    assert seen.warned == ["channel update for a tenant that is gone"]
    assert seen.logged == [
        (
            "channel update",
            {
                "tenant_id": stage.tenant.id,
                "kind": "window",
                "connection_id": "chn_1",
                "delivery_id": None,
                "window": "w",
                "outcome": "delivered",
            },
        )
    ]
    assert seen.counted == ["ChannelUpdatesDelivered"]


def test_the_webhook_worker_logs_and_counts_its_outcome_and_skips_a_tenant_gone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = Seen(monkeypatch)
    stage = Stage()
    ran: list[dict[str, Any]] = []
    monkeypatch.setattr(webhooks.bootstrap, "container", lambda: _container(stage))
    monkeypatch.setattr(webhooks, "handle_message", lambda ctx, m, **k: ran.append(m) or "dead")
    webhooks.handle_record(_record(tenant_id="t_nobody", delivery_id="d_0"))
    webhooks.handle_record(
        _record(tenant_id=stage.tenant.id, endpoint_id="we_1", delivery_id="d_1", attempt=3)
    )
    assert [m["delivery_id"] for m in ran] == ["d_1"]
    assert seen.warned == ["webhook delivery for a tenant that is gone"]
    assert seen.logged == [
        (
            "webhook delivery",
            {
                "tenant_id": stage.tenant.id,
                "endpoint_id": "we_1",
                "delivery_id": "d_1",
                "attempt": 3,
                "outcome": "dead",
            },
        )
    ]
    assert seen.counted == ["WebhooksDeadLettered"]
