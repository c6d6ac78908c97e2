"""Campaigns: an e-mail from the tenant's wording to a segment's consenting customers, sent
once in the background (customers/services/campaign_send.py), with its counts. Managers and
owners."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.customers.services import campaigns
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.tenancy.domain.staff import MANAGE
from chalicelib.web.routing import Call, Reply, route

if TYPE_CHECKING:
    from chalicelib.customers.api.campaign_models import CampaignListOut, CampaignOut

bp = Blueprint(__name__)
TAG = "customers"
MODELS = "chalicelib.customers.api.campaign_models"


@route(
    bp,
    "/v1/campaigns",
    "GET",
    summary="The tenant's campaigns, newest first, with their counts",
    tag=TAG,
    roles=MANAGE,
    response=f"{MODELS}:CampaignListOut",
)
def list_campaigns(call: Call) -> CampaignListOut:
    from chalicelib.customers.api.campaign_models import CampaignListOut, CampaignOut

    return CampaignListOut(campaigns=[CampaignOut.of(c) for c in campaigns.listed(call.ctx)])


@route(
    bp,
    "/v1/campaigns",
    "POST",
    summary="Create a campaign from a segment and a wording",
    tag=TAG,
    roles=MANAGE,
    body=f"{MODELS}:CampaignIn",
    response=f"{MODELS}:CampaignOut",
    status=201,
)
def create_campaign(call: Call) -> CampaignOut:
    """A draft: nothing is sent until `POST /v1/campaigns/{id}/send`. The wording is rendered
    in the templates' sandbox against a sample customer first (422 `template_refused`)."""
    from chalicelib.customers.api.campaign_models import CampaignIn, CampaignOut

    body: CampaignIn = call.body
    made = campaigns.create(
        call.ctx,
        call.stable_id("cmp_"),
        name=body.name,
        segment_id=body.segment_id,
        wordings=body.wordings.wordings(),
        follow_days=body.follow_days,
    )
    return CampaignOut.of(made)


@route(
    bp,
    "/v1/campaigns/{campaign_id}",
    "GET",
    summary="A campaign and its counts",
    tag=TAG,
    roles=MANAGE,
    response=f"{MODELS}:CampaignOut",
)
def get_campaign(call: Call) -> CampaignOut:
    from chalicelib.customers.api.campaign_models import CampaignOut

    """A campaign still sending whose job shows no sign of life for six minutes is sent on
    again by this read (its message was lost)."""
    read = campaigns.read(call.ctx, call.path["campaign_id"], bus=call.container.bus)
    return CampaignOut.of(read)


@route(
    bp,
    "/v1/campaigns/{campaign_id}",
    "DELETE",
    summary="Delete a draft campaign",
    tag=TAG,
    roles=MANAGE,
    status=204,
    raises=(Conflict,),
)
def delete_campaign(call: Call) -> None:
    """Only a draft: 409 `campaign_not_draft` once it is sent or being sent."""
    campaigns.delete_draft(call.ctx, call.path["campaign_id"])


@route(
    bp,
    "/v1/campaigns/{campaign_id}/send",
    "POST",
    summary="Send a campaign (once)",
    tag=TAG,
    roles=MANAGE,
    body="chalicelib.booking.api.booking_models:ActionIn",
    response=f"{MODELS}:CampaignOut",
    status=202,
)
def send_campaign(call: Call) -> Reply:
    """Sends in the background to the customers of the segment at that time who agreed to
    marketing e-mail: each at most once. 409 `campaign_not_draft` once it was sent (send an
    Idempotency-Key: a retried request gets its first answer)."""
    from chalicelib.customers.api.campaign_models import CampaignOut

    sent = campaigns.send(call.ctx, call.path["campaign_id"], bus=call.container.bus)
    reply = Reply(CampaignOut.of(sent), 202)
    reply.headers["Location"] = f"/v1/campaigns/{sent.id}"
    return reply
