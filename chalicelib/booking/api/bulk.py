"""Bulk jobs: one action on up to 1,000 orders, worked through in the background
(booking/services/bulk_jobs.py), and how it went."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.booking.domain.bulk import BulkAction
from chalicelib.booking.services import bulk_jobs
from chalicelib.kernel.domain.errors import Forbidden
from chalicelib.tenancy.domain.keys import scope_allows
from chalicelib.tenancy.domain.staff import MANAGE, OPERATE
from chalicelib.tenancy.services.phones import home_region
from chalicelib.web.route_spec import BOOKINGS
from chalicelib.web.routing import Call, Reply, route

if TYPE_CHECKING:
    from chalicelib.booking.api.bulk_models import BulkJobOut

bp = Blueprint(__name__)


@route(
    bp,
    "/v1/bulk-jobs",
    "POST",
    summary="Start a bulk job",
    tag="orders",
    roles=OPERATE,
    scopes=BOOKINGS,
    body="chalicelib.booking.api.bulk_models:BulkJobIn",
    response="chalicelib.booking.api.bulk_models:BulkJobOut",
    status=202,
)
def start_bulk_job(call: Call) -> Reply:
    """Check in, complete, mark no-show, cancel by the business or message up to 1,000
    orders chosen by ids, a search, a resource's day or one session. The orders are chosen
    now; the job then runs in the background: read it back with `GET /v1/bulk-jobs/{id}`.
    Each order's refusal (an illegal state) is its own result and stops nothing else. 422
    `too_many_orders` past 1,000, `no_orders` when none match."""
    from chalicelib.booking.api.bulk_models import BulkJobIn, BulkJobOut

    body: BulkJobIn = call.body
    role = call.ctx.actor.role
    if body.action is BulkAction.CANCEL and role is not None and role not in MANAGE:
        raise Forbidden("Cancelling in bulk is for managers and owners.", code="forbidden_role")
    narrowed = call.caller is not None and not scope_allows(call.caller.scope, frozenset())
    if body.action is BulkAction.CANCEL and body.resource_id is not None and narrowed:
        # It takes the session off sale, a catalog write this key is refused on its own route.
        raise Forbidden(
            "Calling off a session or a day takes it off sale, a change to the catalog: use a "
            "full key or a manager's login (or choose the orders by `order_ids`).",
            code="key_scope_forbidden",
        )
    job = bulk_jobs.create_job(
        call.ctx,
        call.container.catalog_cache,
        call.stable_id("job_"),  # a retried request finds its job, never makes a second
        body.action,
        body.choice(home_region(call.ctx.tenant)),
        bus=call.container.bus,
        reason=body.reason,
        subject=body.subject,
        body=body.body,
        leave_balance_open=body.leave_balance_open,
    )
    reply = Reply(BulkJobOut.of(job, []), 202)
    reply.headers["Location"] = f"/v1/bulk-jobs/{job.id}"
    return reply


@route(
    bp,
    "/v1/bulk-jobs/{job_id}",
    "GET",
    summary="A bulk job and its results",
    tag="orders",
    roles=OPERATE,
    scopes=BOOKINGS,
    response="chalicelib.booking.api.bulk_models:BulkJobOut",
)
def get_bulk_job(call: Call) -> BulkJobOut:
    from chalicelib.booking.api.bulk_models import BulkJobOut

    job, results = bulk_jobs.get_job(call.ctx, call.path["job_id"], bus=call.container.bus)
    return BulkJobOut.of(job, results)
