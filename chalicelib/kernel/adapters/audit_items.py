"""An audit entry as its item holds it (`AUD#<yyyy-mm>`/`<at>#<id>`: tenant_data.py writes
it), read back from the item's plain values: by the audit log, and by an erase that scrubs
the entries about a customer (customers/adapters/privacy_store.py)."""

from __future__ import annotations

from typing import Any

from chalicelib.kernel.domain.audit import Actor, AuditEntry


def audit_of(item: dict[str, Any]) -> AuditEntry:
    return AuditEntry(
        id=item["id"],
        tenant_id=item["tenant_id"],
        at=item["at"],
        actor=Actor(**item["actor"]),
        action=item["action"],
        target=item["target"],
        request_id=item.get("request_id"),
        details=item.get("details") or {},
    )
