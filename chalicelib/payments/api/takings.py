"""The day's takings (cash-up): a range of days, one day's figures, and its close."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.catalog.api.catalog_http import path_date
from chalicelib.payments.domain.takings import CloseRequest, DayAlreadyClosed, DayNotOver
from chalicelib.payments.services import takings
from chalicelib.tenancy.domain.staff import OPERATE, READ
from chalicelib.web.routing import Call, route

if TYPE_CHECKING:
    from chalicelib.payments.api.takings_models import TakingsDayOut, TakingsListOut

bp = Blueprint(__name__)


@route(
    bp,
    "/v1/takings",
    "GET",
    summary="The takings of a range of days (at most 62), with their totals and close",
    tag="payments",
    roles=READ,
    query="chalicelib.payments.api.takings_models:TakingsRangeQueryIn",
    response="chalicelib.payments.api.takings_models:TakingsListOut",
)
def list_takings(call: Call) -> TakingsListOut:
    """One Query over the days; a day with no desk money and no close is left out. The
    cash expected here leaves out the opening float except on a closed day (as closed)."""
    from chalicelib.payments.api.takings_models import TakingsDaySummaryOut, TakingsListOut

    q = call.query
    lines = takings.days(call.ctx, q.from_, q.to)
    return TakingsListOut(
        currency=call.ctx.tenant.currency, data=[TakingsDaySummaryOut.of(x) for x in lines]
    )


@route(
    bp,
    "/v1/takings/{date}",
    "GET",
    summary="A day's takings: per method, per staff member, its entries and its close",
    tag="payments",
    roles=READ,
    query="chalicelib.payments.api.takings_models:TakingsDayQueryIn",
    response="chalicelib.payments.api.takings_models:TakingsDayOut",
)
def get_takings_day(call: Call) -> TakingsDayOut:
    """The day is the business's local date. Entries come in the order recorded, a page at
    a time (`next_after`)."""
    from chalicelib.payments.api.takings_models import TakingsDayOut

    day = path_date(call).isoformat()
    view = takings.day_view(call.ctx, day, after=call.query.after, limit=call.query.limit)
    return TakingsDayOut.of(view, call.ctx.tenant.currency)


@route(
    bp,
    "/v1/takings/{date}/close",
    "POST",
    summary="Close a day with the cash counted (and the terminal's figures): fixed for ever",
    tag="payments",
    roles=OPERATE,
    body="chalicelib.payments.api.takings_models:CloseIn",
    response="chalicelib.payments.api.takings_models:TakingsDayOut",
    status=201,
    raises=(DayAlreadyClosed, DayNotOver),
)
def close_takings_day(call: Call) -> TakingsDayOut:
    """Stores, per method, what was expected against what was counted and the difference,
    who closed it and when. A closed day changes no more: a desk payment or refund on it is
    409 `day_closed`, and a correction is a new entry on an open day. Closing again is 409
    `day_already_closed` (the same Idempotency-Key: the same answer); a day not yet begun is
    422 `day_in_future`."""
    from chalicelib.payments.api.takings_models import CloseIn, TakingsDayOut

    body: CloseIn = call.body
    request = CloseRequest(
        counted_cash=body.counted_cash,
        counted_other={str(m): n for m, n in body.counted_other.items()},
        float_left=body.float_left,
        note=body.note,
    )
    day = path_date(call).isoformat()
    view = takings.close_day(call.ctx, day, request, close_id=call.stable_id("close_"))
    return TakingsDayOut.of(view, call.ctx.tenant.currency)
