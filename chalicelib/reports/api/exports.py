"""Report exports: orders, payments or customers as a CSV or XLSX file, written in the
background (reports/services/export_runs.py), read back with a link that expires."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.reports.services import exports
from chalicelib.reports.services.export_sources import sources
from chalicelib.tenancy.domain.staff import REPORT
from chalicelib.web.routing import Call, Reply, route

if TYPE_CHECKING:
    from chalicelib.reports.api.export_models import ReportExportListOut, ReportExportOut

bp = Blueprint(__name__)
MODELS = "chalicelib.reports.api.export_models"


@route(
    bp,
    "/v1/exports",
    "POST",
    summary="Export orders, payments or customers as CSV or XLSX",
    tag="reports",
    roles=REPORT,
    body=f"{MODELS}:ReportExportIn",
    response=f"{MODELS}:ReportExportOut",
    status=202,
)
def start_export(call: Call) -> Reply:
    """The file is written in the background: read its status, and once done its link,
    with `GET /v1/exports/{id}`. The same request again (its Idempotency-Key) is the same
    export, and makes one file."""
    from chalicelib.reports.api.export_models import ReportExportIn, ReportExportOut

    body: ReportExportIn = call.body
    job = exports.start_export(
        call.ctx,
        call.stable_id("exp_"),
        body.ask(),
        bus=call.container.bus,
        sources=sources(call.container.catalog_cache),
    )
    reply = Reply(ReportExportOut.of(job), 202)
    reply.headers["Location"] = f"/v1/exports/{job.id}"
    return reply


@route(
    bp,
    "/v1/exports",
    "GET",
    summary="The latest exports",
    tag="reports",
    roles=REPORT,
    response=f"{MODELS}:ReportExportListOut",
)
def list_exports(call: Call) -> ReportExportListOut:
    from chalicelib.reports.api.export_models import ReportExportListOut

    return ReportExportListOut.of(exports.recent_exports(call.ctx))


@route(
    bp,
    "/v1/exports/{export_id}",
    "GET",
    summary="An export's status, and its download link once done",
    tag="reports",
    roles=REPORT,
    response=f"{MODELS}:ReportExportOut",
)
def get_export(call: Call) -> ReportExportOut:
    from chalicelib.reports.api.export_models import ReportExportOut

    c = call.container
    job, download = exports.get_export(
        call.ctx, call.path["export_id"], bus=c.bus, files=c.report_files
    )
    return ReportExportOut.of(job, download)
