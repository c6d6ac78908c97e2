"""Segments: rules over customers' records and figures (customers/domain/segments.py), kept per
tenant and counted live (customers/services/segments.py: no Scan, a read budget per count).
Managers and owners."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.customers.services import segments
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.tenancy.domain.staff import MANAGE
from chalicelib.web.routing import Call, route

if TYPE_CHECKING:
    from chalicelib.customers.api.segment_models import (
        SegmentCountOut,
        SegmentListOut,
        SegmentOut,
    )

bp = Blueprint(__name__)
TAG = "customers"
MODELS = "chalicelib.customers.api.segment_models"
ONE = "/v1/segments/{segment_id}"


@route(
    bp,
    "/v1/segments",
    "GET",
    summary="The tenant's segments",
    tag=TAG,
    roles=MANAGE,
    response=f"{MODELS}:SegmentListOut",
)
def list_segments(call: Call) -> SegmentListOut:
    from chalicelib.customers.api.segment_models import SegmentListOut, SegmentOut

    found = segments.listed(call.ctx)
    return SegmentListOut(segments=[SegmentOut.of(s) for s in found])


@route(
    bp,
    "/v1/segments",
    "POST",
    summary="Create a segment",
    tag=TAG,
    roles=MANAGE,
    body=f"{MODELS}:SegmentIn",
    response=f"{MODELS}:SegmentOut",
    status=201,
)
def create_segment(call: Call) -> SegmentOut:
    """A name and rules that must all hold. 422 `invalid_rule` names the rule that lacks what
    its kind needs."""
    from chalicelib.customers.api.segment_models import SegmentIn, SegmentOut

    body: SegmentIn = call.body
    made = segments.create(call.ctx, call.stable_id("seg_"), body.name, body.domain_rules())
    return SegmentOut.of(made)


@route(
    bp,
    ONE,
    "GET",
    summary="A segment",
    tag=TAG,
    roles=MANAGE,
    response=f"{MODELS}:SegmentOut",
)
def get_segment(call: Call) -> SegmentOut:
    from chalicelib.customers.api.segment_models import SegmentOut

    return SegmentOut.of(segments.get(call.ctx, call.path["segment_id"]))


@route(
    bp,
    ONE,
    "PUT",
    summary="Change a segment's name and rules",
    tag=TAG,
    roles=MANAGE,
    body=f"{MODELS}:SegmentIn",
    response=f"{MODELS}:SegmentOut",
)
def update_segment(call: Call) -> SegmentOut:
    """Send the `version` read: 409 `segment_changed` when another manager changed it since."""
    from chalicelib.customers.api.segment_models import SegmentIn, SegmentOut

    body: SegmentIn = call.body
    after = segments.update(
        call.ctx,
        call.path["segment_id"],
        body.name,
        body.domain_rules(),
        expected_version=body.version,
    )
    return SegmentOut.of(after)


@route(
    bp,
    ONE,
    "DELETE",
    summary="Delete a segment",
    tag=TAG,
    roles=MANAGE,
    status=204,
    raises=(Conflict,),
)
def delete_segment(call: Call) -> None:
    """409 `segment_in_use` (`details.campaign_ids`) while a campaign not yet sent uses it:
    a campaign keeps no copy of the rules, its job reads them when it runs."""
    segments.delete(call.ctx, call.path["segment_id"])


@route(
    bp,
    f"{ONE}/count",
    "GET",
    summary="How many customers a segment holds now, and the first of them",
    tag=TAG,
    roles=MANAGE,
    response=f"{MODELS}:SegmentCountOut",
)
def count_segment(call: Call) -> SegmentCountOut:
    """Counted now from the customers' records (at most 5,000 read: `complete` says whether
    every customer was)."""
    from chalicelib.customers.api.segment_models import SegmentCountOut

    segment = segments.get(call.ctx, call.path["segment_id"])
    return SegmentCountOut.of(segments.count(call.ctx, segment))


@route(
    bp,
    "/v1/segment-counts",
    "POST",
    summary="Count customers for rules not saved yet",
    tag=TAG,
    roles=MANAGE,
    body=f"{MODELS}:RulesIn",
    response=f"{MODELS}:SegmentCountOut",
    idempotent=False,  # reads only: nothing to remember
)
def count_rules(call: Call) -> SegmentCountOut:
    """The rule builder's live count: the same count as a saved segment's, nothing stored."""
    from chalicelib.customers.api.segment_models import RulesIn, SegmentCountOut

    body: RulesIn = call.body
    return SegmentCountOut.of(segments.count_rules(call.ctx, body.domain_rules()))
