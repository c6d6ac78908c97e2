"""Tenant webhook endpoints: register, edit, rotate the secret, delete, replay.

A secret is shown once, when it is made; the API never returns it afterwards. Rotation keeps
the old secret valid for a while (both sign every delivery meanwhile) so a receiver can roll
its configuration without dropping a delivery.
"""

from __future__ import annotations

import secrets as random_tokens
from datetime import timedelta

from chalicelib.kernel.domain.errors import Conflict, InvalidInput, NotFound
from chalicelib.kernel.domain.event_registry import typed
from chalicelib.kernel.domain.timefmt import add_seconds, format_utc, parse
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.messaging_ports import MessageBus
from chalicelib.queues import WEBHOOK_DELIVERIES
from chalicelib.webhooks.domain.webhooks import (
    ALL_EVENTS,
    EVENT_TYPES,
    MAX_ENDPOINTS,
    MAX_SECRET_OVERLAP_SECONDS,
    SECRET_PREFIX,
    DeliveryAttempt,
    EndpointHealth,
    EndpointStatus,
    SigningSecret,
    WebhookEndpoint,
    check_addresses,
    check_url,
)
from chalicelib.webhooks.services.webhook_delivery import queue_delivery
from chalicelib.webhooks.services.webhook_ports import HostResolver, WebhooksContext

MAX_REPLAY_DAYS = 31
EVENT_RETENTION_DAYS = 90  # the TTL of event items


@value
class UrlPolicy:
    """How endpoint URLs are checked: the resolver, and whether loopback is allowed."""

    resolver: HostResolver
    allow_loopback: bool = False

    def check(self, url: str) -> None:
        host = check_url(url, allow_loopback=self.allow_loopback)
        check_addresses(host, self.resolver.addresses(host), allow_loopback=self.allow_loopback)


def new_secret(ctx: WebhooksContext) -> SigningSecret:
    value = SECRET_PREFIX + random_tokens.token_urlsafe(32)
    return SigningSecret(id=f"whs_{ctx.new_id()}", value=value, created_at=ctx.now())


def _event_types(names: list[str]) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(names))
    if not wanted:
        raise InvalidInput("Choose at least one event type, or '*'.", code="no_event_types")
    unknown = sorted(set(wanted) - EVENT_TYPES - {ALL_EVENTS})
    if unknown:
        raise InvalidInput(
            "Unknown event types.",
            code="unknown_event_types",
            unknown=unknown,
            known=sorted(EVENT_TYPES),
        )
    return (ALL_EVENTS,) if ALL_EVENTS in wanted else wanted


def get_endpoint(ctx: WebhooksContext, endpoint_id: str) -> WebhookEndpoint:
    endpoint = ctx.data.webhooks.get_endpoint(endpoint_id)
    if endpoint is None:
        raise NotFound("No such webhook endpoint.", code="endpoint_not_found")
    return endpoint


def with_health(ctx: WebhooksContext, endpoint_id: str) -> tuple[WebhookEndpoint, EndpointHealth]:
    """The endpoint and how its deliveries fare (failure streak, last success and failure)."""
    endpoint = get_endpoint(ctx, endpoint_id)
    return endpoint, ctx.data.webhooks.health(endpoint.id)


def deliveries(
    ctx: WebhooksContext, endpoint_id: str, *, limit: int, after: str | None
) -> list[tuple[str, DeliveryAttempt]]:
    """The endpoint's delivery log, newest first, each attempt with its cursor (404 for an
    endpoint that does not exist)."""
    endpoint = get_endpoint(ctx, endpoint_id)
    return ctx.data.webhooks.attempts(endpoint.id, limit=limit, after=after)


def health_of(ctx: WebhooksContext, endpoint: WebhookEndpoint) -> EndpointHealth:
    return ctx.data.webhooks.health(endpoint.id)


def list_endpoints(ctx: WebhooksContext) -> list[tuple[WebhookEndpoint, EndpointHealth]]:
    """Each endpoint with its health, as one endpoint's read gives it: the list said `null`
    for an endpoint failing since an hour ago (an outside integrator's finding), so a client
    watching the list could not see it. At most MAX_ENDPOINTS reads of a small item."""
    store = ctx.data.webhooks
    return [(endpoint, store.health(endpoint.id)) for endpoint in store.list_endpoints()]


def create_endpoint(
    ctx: WebhooksContext,
    policy: UrlPolicy,
    *,
    endpoint_id: str,
    url: str,
    event_types: list[str],
    description: str = "",
) -> tuple[WebhookEndpoint, str]:
    """The new endpoint and its secret (the only time the secret is shown)."""
    types = _event_types(event_types)
    policy.check(url)
    store = ctx.data.webhooks
    if len(store.list_endpoints()) >= MAX_ENDPOINTS:
        raise Conflict(
            f"A tenant has at most {MAX_ENDPOINTS} webhook endpoints.", code="too_many_endpoints"
        )
    secret = new_secret(ctx)
    now = ctx.now()
    endpoint = WebhookEndpoint(
        id=endpoint_id,
        url=url,
        event_types=types,
        description=description,
        status=EndpointStatus.ENABLED,
        secrets=(secret,),
        created_at=now,
        updated_at=now,
    )
    store.put_endpoint(endpoint, expected_version=None)
    ctx.audit("webhook_endpoint.created", f"webhook_endpoint:{endpoint.id}", url=url)
    return endpoint, secret.value


def update_endpoint(
    ctx: WebhooksContext,
    policy: UrlPolicy,
    endpoint_id: str,
    *,
    url: str | None = None,
    event_types: list[str] | None = None,
    description: str | None = None,
    status: EndpointStatus | None = None,
) -> tuple[WebhookEndpoint, EndpointHealth]:
    """The endpoint as changed, with its health (what the caller is shown next)."""
    store = ctx.data.webhooks
    endpoint = get_endpoint(ctx, endpoint_id)
    changes: dict[str, object] = {}
    if url is not None and url != endpoint.url:
        policy.check(url)
        changes["url"] = url
    if event_types is not None:
        changes["event_types"] = _event_types(event_types)
    if description is not None:
        changes["description"] = description
    if status is not None and status is not endpoint.status:
        changes["status"] = status
        changes["disabled_reason"] = None if status is EndpointStatus.ENABLED else "by_user"
    if not changes:
        return endpoint, store.health(endpoint.id)
    updated = endpoint.edited(ctx.now(), **changes)
    store.put_endpoint(updated, expected_version=endpoint.version)
    if changes.get("status") is EndpointStatus.ENABLED:
        # A fresh start: the failures that led to disabling it no longer count. Not a
        # success: its `last_success_at` said the moment of the PATCH to an endpoint no one
        # had ever answered for (an outside tester's monitoring read it as healthy).
        store.forget_failures(endpoint.id)
    ctx.audit("webhook_endpoint.updated", f"webhook_endpoint:{endpoint.id}", fields=sorted(changes))
    return updated, store.health(updated.id)


def delete_endpoint(ctx: WebhooksContext, endpoint_id: str) -> None:
    endpoint = get_endpoint(ctx, endpoint_id)
    ctx.data.webhooks.delete_endpoint(endpoint.id)
    ctx.audit("webhook_endpoint.deleted", f"webhook_endpoint:{endpoint.id}", url=endpoint.url)


def rotate_secret(
    ctx: WebhooksContext, endpoint_id: str, *, expire_old_in_seconds: int
) -> tuple[WebhookEndpoint, str]:
    """A new signing secret (shown once); the current ones stay valid for the overlap."""
    if not 0 <= expire_old_in_seconds <= MAX_SECRET_OVERLAP_SECONDS:
        raise InvalidInput(
            "The old secret may stay valid for 0 to 7 days.",
            code="invalid_overlap",
            max_seconds=MAX_SECRET_OVERLAP_SECONDS,
        )
    endpoint = get_endpoint(ctx, endpoint_id)
    secret = new_secret(ctx)
    rotated = endpoint.rotated(
        secret, old_expires_at=add_seconds(secret.created_at, expire_old_in_seconds)
    )
    ctx.data.webhooks.put_endpoint(rotated, expected_version=endpoint.version)
    ctx.audit(
        "webhook_endpoint.secret_rotated",
        f"webhook_endpoint:{endpoint.id}",
        expire_old_in_seconds=expire_old_in_seconds,
    )
    return rotated, secret.value


def _replayable(endpoint: WebhookEndpoint) -> None:
    if not endpoint.enabled:
        raise Conflict(
            "The endpoint is disabled; enable it before replaying.", code="endpoint_disabled"
        )


def replay_event(
    ctx: WebhooksContext, bus: MessageBus, endpoint_id: str, event_id: str, *, replay_id: str
) -> str:
    """Deliver one past event again (even a booking event the endpoint does not subscribe
    to: it was asked for by name). Events only `"*"` takes (the customers' personal data, the
    money records) go only to an endpoint that takes them: a replay by id must not send them
    where a subscription could not (an outside tester's CustomerImported to an
    OrderConfirmed-only endpoint). Returns the delivery id."""
    endpoint = get_endpoint(ctx, endpoint_id)
    _replayable(endpoint)
    event = ctx.data.webhooks.event(event_id)
    if event is None:
        raise NotFound(
            "No such event (events are kept 90 days).", code="event_not_found", event_id=event_id
        )
    if event.name not in EVENT_TYPES and not endpoint.wants(event.name):
        raise InvalidInput(
            f"A {event.name} event goes only to an endpoint subscribed with '*' (it carries"
            " customers' personal data or money records); this endpoint is not.",
            code="event_not_subscribed",
            event_type=event.name,
        )
    delivery = queue_delivery(ctx, bus, endpoint, typed(event), replay_id=replay_id)
    ctx.audit("webhook_endpoint.replayed", f"webhook_endpoint:{endpoint.id}", event_id=event_id)
    return delivery.id


def replay_range(
    ctx: WebhooksContext, bus: MessageBus, endpoint_id: str, start: str, end: str, *, replay_id: str
) -> None:
    """Deliver again every subscribed event with start <= at < end. The worker walks the
    range page by page (a request never loops over thousands of events)."""
    endpoint = get_endpoint(ctx, endpoint_id)
    _replayable(endpoint)
    first, last, now = parse(start), parse(end), parse(ctx.now())
    if first >= last:
        raise InvalidInput("`from` must be before `to`.", code="invalid_range")
    if last - first > timedelta(days=MAX_REPLAY_DAYS):
        raise InvalidInput(f"Replay at most {MAX_REPLAY_DAYS} days at once.", code="range_too_long")
    if first < now - timedelta(days=EVENT_RETENTION_DAYS):
        raise InvalidInput("Events are kept 90 days.", code="range_too_old")
    if first >= now:  # nothing has happened there yet: queued, it would send nothing
        raise InvalidInput(
            "The range starts after now: there are no events in it yet.",
            code="range_in_future",
            now=format_utc(now),
        )
    bus.send(
        WEBHOOK_DELIVERIES.name,
        {
            "kind": "replay",
            "tenant_id": ctx.tenant.id,
            "endpoint_id": endpoint.id,
            "replay_id": replay_id,
            "from": format_utc(first),
            "to": format_utc(min(last, now)),
            "after": None,
        },
    )
    ctx.audit(
        "webhook_endpoint.replayed",
        f"webhook_endpoint:{endpoint.id}",
        start=format_utc(first),
        end=format_utc(last),
    )
