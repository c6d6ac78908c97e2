"""Audit entries: who did what to a tenant's data, and when."""

from __future__ import annotations

from dataclasses import field
from typing import Any

from chalicelib.kernel.domain.values import value


@value
class Actor:
    """Who made a request: a staff user, an API key, or the platform itself."""

    kind: str  # "user" | "secret_key" | "publishable_key" | "system" | "anonymous"
    id: str
    tenant_id: str | None = None
    role: str | None = None
    email: str | None = None

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.id}"

    @classmethod
    def of_label(cls, label: str, *, tenant_id: str, role: str | None) -> Actor:
        """The actor a stored `label` names (a background job acts as who asked for it)."""
        kind, _, actor_id = label.partition(":")
        return cls(kind=kind, id=actor_id, tenant_id=tenant_id, role=role or None)


SYSTEM = Actor(kind="system", id="reservoir")


@value
class AuditEntry:
    id: str
    tenant_id: str
    at: str  # ISO 8601 UTC
    actor: Actor
    action: str  # e.g. "key.created", "staff.role_changed"
    target: str  # e.g. "key:abcd..."
    request_id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
