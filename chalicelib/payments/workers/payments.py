"""The payments worker: one verified, de-duplicated Stripe event at a time. It acts on the
object as Stripe has it now (fetched), never on the event's copy, so order and repeats of
events do not matter."""

from __future__ import annotations

import json
from typing import Any

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.kernel.services.context import system_context
from chalicelib.kernel.workers.batch import process_sqs_batch
from chalicelib.observability import logger
from chalicelib.payments.services import billing, connect
from chalicelib.payments.services.payments import sync_intent
from chalicelib.payments.services.refunds import sync_refunds
from chalicelib.queues import PAYMENTS

bp = Blueprint(__name__)


def handle_message(message: dict[str, Any], c: Any) -> str:
    kind, subject = message["kind"], str(message["subject"])
    if kind == "subscription":
        return billing.sync_subscription(
            subject,
            gateway=c.gateway,
            accounts=c.payment_accounts,
            platform=c.platform,
            prices=dict(c.settings.stripe_prices),
        )
    tenant = c.platform.get_tenant(str(message.get("tenant_id", "")))
    if tenant is None:
        return "unknown_tenant"
    logger.append_keys(tenant_id=tenant.id)
    account = str(message["account"])
    if kind == "account":
        return connect.account_updated(
            tenant.id, subject, gateway=c.gateway, accounts=c.payment_accounts
        )
    ctx = system_context(tenant, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
    if kind == "intent":
        return sync_intent(ctx, account, subject, gateway=c.gateway, sales=c.gift_cards)
    if kind == "refunds":
        return sync_refunds(ctx, account, subject, gateway=c.gateway)
    return "ignored"


def handle_record(record: Any) -> None:
    message = json.loads(record.body)
    outcome = handle_message(message, bootstrap.container())
    logger.info(
        "stripe event",
        extra={
            "event_id": message.get("event_id"),
            "type": message.get("type"),
            "outcome": outcome,
        },
    )


@bp.on_sqs_message(queue=PAYMENTS.name, batch_size=PAYMENTS.batch_size)
def settle_payments(event: Any) -> dict[str, Any]:
    return process_sqs_batch(event, handle_record)
