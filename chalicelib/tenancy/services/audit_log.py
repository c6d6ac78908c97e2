"""Reading the tenant's audit log: a month's entries, newest first, a page at a time.

Entries are written where the change happens (`ctx.audit`, and booking/services/order_audit.py for
order events); this is the one way the API reads them back.
"""

from __future__ import annotations

from chalicelib.kernel.domain.audit import AuditEntry
from chalicelib.kernel.domain.timefmt import month_of
from chalicelib.tenancy.services.counter_ports import TenancyContext
from chalicelib.tenancy.services.platform_ports import PlatformRepository


def list_month(
    ctx: TenancyContext, month: str | None, *, limit: int, after: str | None
) -> list[AuditEntry]:
    """The entries of `month` (yyyy-mm; the current month, by the tenant's clock, when None)
    after the cursor `after`, at most `limit`."""
    return ctx.data.audit.list_month(month or month_of(ctx.now()), limit=limit, after=after)


def staff_emails(
    platform: PlatformRepository, tenant_id: str, entries: list[AuditEntry]
) -> dict[str, str]:
    """The e-mails of the staff users the entries name by id alone (those a consumer wrote
    from an order's event): one read of the staff, only when one is unnamed, so the page
    names every user alike (an outside tester read bare Cognito ids for who cancelled)."""
    if not any(e.actor.kind == "user" and not e.actor.email for e in entries):
        return {}
    return {u.id: u.email for u in platform.list_staff(tenant_id)}
