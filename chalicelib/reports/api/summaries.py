"""The morning summary's settings: whether yesterday's figures are e-mailed each morning, at
which hour of the business's clock, and to whom besides the owner
(reports/services/summaries.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.reports.services import summaries
from chalicelib.tenancy.domain.staff import MANAGE
from chalicelib.web.routing import Call, route

if TYPE_CHECKING:
    from chalicelib.reports.api.summary_models import SummaryIn, SummaryOut

bp = Blueprint(__name__)
OUT = "chalicelib.reports.api.summary_models:SummaryOut"


@route(
    bp,
    "/v1/reports/summary",
    "GET",
    summary="The morning summary's settings",
    tag="reports",
    roles=MANAGE,
    response=OUT,
)
def get_summary(call: Call) -> SummaryOut:
    from chalicelib.reports.api.summary_models import SummaryOut

    schedule = summaries.settings_of(call.ctx, call.container.summary_schedules)
    tenant = call.ctx.tenant
    return SummaryOut.of(schedule, owner_email=tenant.owner_email, zone=tenant.timezone)


@route(
    bp,
    "/v1/reports/summary",
    "PUT",
    summary="Choose the morning summary",
    tag="reports",
    roles=MANAGE,
    body="chalicelib.reports.api.summary_models:SummaryIn",
    response=OUT,
)
def put_summary(call: Call) -> SummaryOut:
    """Yesterday's figures (as booked and as served) by e-mail each morning at `hour` on the
    business's clock, to the owner and `recipients`. Sent once a day: moving the hour later on
    a day it was already sent does not send it again."""
    from chalicelib.reports.api.summary_models import SummaryOut

    body: SummaryIn = call.body
    schedule = summaries.choose(
        call.ctx,
        call.container.summary_schedules,
        enabled=body.enabled,
        recipients=body.recipients,
        hour=body.hour,
    )
    tenant = call.ctx.tenant
    return SummaryOut.of(schedule, owner_email=tenant.owner_email, zone=tenant.timezone)
