"""The report API: the daily figures over a range (README "Reports"), and their rebuild."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.reports.domain.figures_report import BadReport, RangeTooLong, ReportQuery
from chalicelib.reports.services import rebuild, report
from chalicelib.tenancy.domain.staff import MANAGE, REPORT
from chalicelib.web.routing import Call, route

if TYPE_CHECKING:
    from chalicelib.reports.api.report_models import RebuildOut, ReportOut

bp = Blueprint(__name__)


@route(
    bp,
    "/v1/reports/figures",
    "GET",
    summary="The business's figures over a range of days, per day, week or month",
    tag="reports",
    roles=REPORT,
    query="chalicelib.reports.api.report_models:ReportQueryIn",
    response="chalicelib.reports.api.report_models:ReportOut",
    raises=(BadReport, RangeTooLong),
)
def get_figures(call: Call) -> ReportOut:
    """One Query over the days of one basis (booked, service or paid), summed per period and,
    with `by`, per channel, offering, resource or staff member; `compare=previous` adds the
    totals of the range of the same length just before. 422 `report_invalid` (an unknown
    basis, group or by, from after to), `report_range_too_long` (over 366 days)."""
    from chalicelib.reports.api.report_models import ReportOut

    q = call.query
    query = ReportQuery(
        basis=q.basis,
        first=q.from_,
        last=q.to,
        group=q.group,
        by=q.by,
        compare=q.compare == "previous",
    )
    return ReportOut.of(report.figures_report(call.ctx, query, call.container.catalog_cache))


@route(
    bp,
    "/v1/reports/rebuild",
    "POST",
    summary="Recompute the figures of a range of days from the orders, as a job",
    tag="reports",
    roles=MANAGE,
    body="chalicelib.reports.api.report_models:RebuildIn",
    response="chalicelib.reports.api.report_models:RebuildOut",
    status=202,
    raises=(BadReport, RangeTooLong),
)
def start_rebuild(call: Call) -> RebuildOut:
    """Queues the job (its status at GET /v1/reports/rebuild/{rebuild_id}); the same
    Idempotency-Key answers the same job."""
    from chalicelib.reports.api.report_models import RebuildOut

    job = rebuild.start_rebuild(
        call.ctx, call.body.from_, call.body.to, call.stable_id("rbd_"), call.container.bus
    )
    return RebuildOut.of(job)


@route(
    bp,
    "/v1/reports/rebuild/{rebuild_id}",
    "GET",
    summary="A rebuild of the figures: its status and how far it got",
    tag="reports",
    roles=MANAGE,
    response="chalicelib.reports.api.report_models:RebuildOut",
)
def get_rebuild(call: Call) -> RebuildOut:
    from chalicelib.reports.api.report_models import RebuildOut

    return RebuildOut.of(rebuild.rebuild_status(call.ctx, call.path["rebuild_id"]))
