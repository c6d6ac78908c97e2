"""Payments' consumers of domain events (registered in services/consumers.py): a cancelled
order is refunded by its policy, a no-show is charged its fee. The dispatcher runs each at
most once per event; the Stripe keys carry the event id for the one at-least-once case."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.orders import Event
from chalicelib.services.context import TenantContext
from chalicelib.services.refunds import charge_no_show, settle_cancellation


class RefundOnCancellation:
    name = "payments.refund_on_cancellation"
    events = frozenset({"OrderCancelled"})

    def handle(self, ctx: TenantContext, event: Event, deps: Any) -> None:
        settle_cancellation(
            ctx,
            event.order_id,
            fee=int(event.data.get("fee", 0)),
            key=f"cancel:{event.id}",
            gateway=deps.gateway,
            accounts=deps.payment_accounts,
        )


class NoShowFee:
    name = "payments.no_show_fee"
    events = frozenset({"OrderMarkedNoShow"})

    def handle(self, ctx: TenantContext, event: Event, deps: Any) -> None:
        charge_no_show(
            ctx,
            deps.catalog_cache,
            event.order_id,
            gateway=deps.gateway,
            accounts=deps.payment_accounts,
        )
