"""The tenant's audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.tenancy.domain.staff import MANAGE
from chalicelib.tenancy.services import audit_log
from chalicelib.web.routing import Call, route

if TYPE_CHECKING:
    from chalicelib.tenancy.api.audit_models import AuditListOut

bp = Blueprint(__name__)


@route(
    bp,
    "/v1/audit",
    "GET",
    summary="Audit entries of a month, newest first",
    tag="audit",
    roles=MANAGE,
    query="chalicelib.tenancy.api.audit_models:AuditQueryIn",
    response="chalicelib.tenancy.api.audit_models:AuditListOut",
)
def list_audit(call: Call) -> AuditListOut:
    from chalicelib.tenancy.api.audit_models import AuditEntryOut, AuditListOut, AuditQueryIn

    q: AuditQueryIn = call.query
    entries = audit_log.list_month(call.ctx, q.month, limit=q.limit, after=q.after)
    emails = audit_log.staff_emails(call.container.platform, call.ctx.tenant.id, entries)
    data = [AuditEntryOut.of(e, emails) for e in entries]
    next_after = data[-1].cursor if len(data) == q.limit else None
    return AuditListOut(data=data, next_after=next_after)
