"""Tenant webhook endpoints: register, edit, rotate the secret, delete, replay, delivery log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.event_registry import EVENTS
from chalicelib.kernel.domain.timefmt import format_utc
from chalicelib.tenancy.domain.staff import MANAGE
from chalicelib.web.routing import Call, Reply, route
from chalicelib.webhooks.domain.webhooks import EVENT_TYPES, EndpointHealth, WebhookEndpoint
from chalicelib.webhooks.services import webhooks

if TYPE_CHECKING:
    from chalicelib.webhooks.api.webhook_models import (
        AttemptListOut,
        EndpointListOut,
        EndpointOut,
        ReplayOut,
    )

bp = Blueprint(__name__)
TAG = "webhooks"
BASE = "/v1/webhooks/endpoints"
ONE = BASE + "/{endpoint_id}"
NO_STORE = {"Cache-Control": "no-store"}


def _policy(call: Call) -> webhooks.UrlPolicy:
    c = call.container
    return webhooks.UrlPolicy(c.host_resolver, c.settings.webhooks_allow_loopback)


def _out(shown: tuple[WebhookEndpoint, EndpointHealth]) -> EndpointOut:
    from chalicelib.webhooks.api.webhook_models import EndpointOut

    return EndpointOut.of(*shown)


def _with_secret(
    endpoint: WebhookEndpoint, health: EndpointHealth, secret: str, status: int
) -> Reply:
    from chalicelib.webhooks.api.webhook_models import EndpointOut, EndpointWithSecretOut

    shown = EndpointOut.of(endpoint, health).model_dump()
    body = EndpointWithSecretOut(**shown, secret=secret)
    return Reply(body, status=status, headers=NO_STORE)


@route(
    bp,
    BASE,
    "GET",
    summary="List webhook endpoints",
    tag=TAG,
    roles=MANAGE,
    response="chalicelib.webhooks.api.webhook_models:EndpointListOut",
)
def list_endpoints(call: Call) -> EndpointListOut:
    from chalicelib.webhooks.api.webhook_models import EndpointListOut, EndpointOut

    return EndpointListOut(
        data=[EndpointOut.of(*shown) for shown in webhooks.list_endpoints(call.ctx)],
        known_event_types=[name for name in EVENTS if name in EVENT_TYPES],
    )


@route(
    bp,
    BASE,
    "POST",
    summary="Register a webhook endpoint",
    tag=TAG,
    roles=MANAGE,
    body="chalicelib.webhooks.api.webhook_models:EndpointCreateIn",
    response="chalicelib.webhooks.api.webhook_models:EndpointWithSecretOut",
    status=201,
    secret_answer=True,
)
def create_endpoint(call: Call) -> Reply:
    """https only, to a public address. The answer holds the signing secret, shown once (so
    it is not replayed under an Idempotency-Key: the same key again is 409
    `idempotency_key_used`, and makes no second endpoint)."""
    from chalicelib.webhooks.api.webhook_models import EndpointCreateIn

    body: EndpointCreateIn = call.body
    endpoint, secret = webhooks.create_endpoint(
        call.ctx,
        _policy(call),
        endpoint_id=f"we_{call.container.new_id()}",
        url=body.url,
        event_types=body.event_types,
        description=body.description,
    )
    return _with_secret(endpoint, EndpointHealth(), secret, 201)  # nothing delivered yet


@route(
    bp,
    ONE,
    "GET",
    summary="One webhook endpoint, with its health",
    tag=TAG,
    roles=MANAGE,
    response="chalicelib.webhooks.api.webhook_models:EndpointOut",
)
def get_endpoint(call: Call) -> EndpointOut:
    return _out(webhooks.with_health(call.ctx, call.path["endpoint_id"]))


@route(
    bp,
    ONE,
    "PATCH",
    summary="Change a webhook endpoint",
    tag=TAG,
    roles=MANAGE,
    body="chalicelib.webhooks.api.webhook_models:EndpointPatchIn",
    response="chalicelib.webhooks.api.webhook_models:EndpointOut",
)
def update_endpoint(call: Call) -> EndpointOut:
    from chalicelib.webhooks.api.webhook_models import EndpointPatchIn

    body: EndpointPatchIn = call.body
    shown = webhooks.update_endpoint(
        call.ctx,
        _policy(call),
        call.path["endpoint_id"],
        url=body.url,
        event_types=body.event_types,
        description=body.description,
        status=body.status,
    )
    return _out(shown)


@route(bp, ONE, "DELETE", summary="Delete a webhook endpoint", tag=TAG, roles=MANAGE, status=204)
def delete_endpoint(call: Call) -> None:
    webhooks.delete_endpoint(call.ctx, call.path["endpoint_id"])


@route(
    bp,
    ONE + "/rotate-secret",
    "POST",
    summary="Rotate the signing secret",
    tag=TAG,
    roles=MANAGE,
    body="chalicelib.webhooks.api.webhook_models:RotateSecretIn",
    response="chalicelib.webhooks.api.webhook_models:EndpointWithSecretOut",
    secret_answer=True,
)
def rotate_secret(call: Call) -> Reply:
    """A new secret, shown once. Until `expire_old_in_seconds` pass, deliveries carry one
    `v1=` signature per valid secret (new first), so either secret verifies them."""
    from chalicelib.webhooks.api.webhook_models import RotateSecretIn

    body: RotateSecretIn = call.body
    endpoint, secret = webhooks.rotate_secret(
        call.ctx, call.path["endpoint_id"], expire_old_in_seconds=body.expire_old_in_seconds
    )
    return _with_secret(endpoint, webhooks.health_of(call.ctx, endpoint), secret, 200)


@route(
    bp,
    ONE + "/replay",
    "POST",
    summary="Deliver past events again",
    tag=TAG,
    roles=MANAGE,
    body="chalicelib.webhooks.api.webhook_models:ReplayIn",
    response="chalicelib.webhooks.api.webhook_models:ReplayOut",
    status=202,
)
def replay(call: Call) -> ReplayOut:
    """One event (`event_id`) or every subscribed event with `from` <= time < `to` (at most
    31 days, within the 90 days events are kept). Replays are new deliveries: receivers that
    de-duplicate by the payload's `id` (the event id) see the same id again."""
    from chalicelib.webhooks.api.webhook_models import ReplayIn, ReplayOut

    body: ReplayIn = call.body
    replay_id = call.stable_id("rpl_")
    bus, endpoint_id = call.container.bus, call.path["endpoint_id"]
    if body.event_id is not None:
        delivery_id = webhooks.replay_event(
            call.ctx, bus, endpoint_id, body.event_id, replay_id=replay_id
        )
        return ReplayOut(replay_id=replay_id, delivery_id=delivery_id)
    if body.from_ is None or body.to is None:  # the model refuses this; never an assert
        raise InvalidInput("Send either event_id, or both from and to.", code="invalid_range")
    webhooks.replay_range(
        call.ctx,
        bus,
        endpoint_id,
        format_utc(body.from_),
        format_utc(body.to),
        replay_id=replay_id,
    )
    return ReplayOut(replay_id=replay_id)


@route(
    bp,
    ONE + "/deliveries",
    "GET",
    summary="The endpoint's delivery log, newest first",
    tag=TAG,
    roles=MANAGE,
    query="chalicelib.webhooks.api.webhook_models:DeliveriesQueryIn",
    response="chalicelib.webhooks.api.webhook_models:AttemptListOut",
)
def list_deliveries(call: Call) -> AttemptListOut:
    """One line per POST: status, response code, latency, attempt number, error (30 days)."""
    from chalicelib.webhooks.api.webhook_models import AttemptListOut, AttemptOut, DeliveriesQueryIn

    query: DeliveriesQueryIn = call.query
    page = webhooks.deliveries(
        call.ctx, call.path["endpoint_id"], limit=query.limit, after=query.after
    )
    data = [AttemptOut.of(cursor, attempt) for cursor, attempt in page]
    return AttemptListOut(
        data=data, next_after=data[-1].cursor if len(data) == query.limit else None
    )
