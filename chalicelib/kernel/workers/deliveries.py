"""The steps a delivery worker takes around its use case (a tenant's webhooks, a partner's
channel updates): a message names a tenant; a tenant gone or not active is logged and the
message dropped (a retry would never find it); the use case's outcome is logged with the
message's own keys, and counted under the worker's metric for that outcome.

Each worker keeps what is its own: the use case, the keys it logs, its metrics' names. Job
workers (jobs.py) read their message through `tenant_message` too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.kernel.domain.values import value
from chalicelib.observability import logger, metrics


class Tenants(Protocol):
    def get_tenant(self, tenant_id: str) -> Tenant | None: ...


@value
class TenantMessage:
    """One message, read: `what` names it in the logs ("webhook delivery"), `tenant` is
    active, `body` is the whole message."""

    what: str
    tenant: Tenant
    body: Mapping[str, Any]


def tenant_message(record: Any, tenants: Tenants, *, what: str) -> TenantMessage | None:
    """The message of `record` (`{"tenant_id": ..., ...}`), or None when its tenant is gone
    or not active (logged: the work cannot be done, and a retry would not help)."""
    body = json.loads(record.body)
    tenant = tenants.get_tenant(str(body["tenant_id"]))
    if tenant is None or not tenant.is_active:
        logger.warning(f"{what} for a tenant that is gone", extra={"payload": body})
        return None
    return TenantMessage(what=what, tenant=tenant, body=body)


def outcome_of(
    message: TenantMessage,
    outcome: str,
    *,
    keys: Sequence[str],
    counted: Mapping[str, str],
) -> None:
    """Log `outcome` with the tenant and the message's `keys` (absent ones as null); count it
    under `counted[outcome]` when the worker counts that outcome (its batch flushes)."""
    shown = {key: message.body.get(key) for key in keys}
    logger.info(message.what, extra={"tenant_id": message.tenant.id, **shown, "outcome": outcome})
    if outcome in counted:
        metrics.add_metric(name=counted[outcome], unit="Count", value=1)
