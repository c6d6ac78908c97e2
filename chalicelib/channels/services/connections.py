"""Channel connections: create, read, edit, map, and their credentials (the partner key and
the HMAC secret), each shown once when made.

The partner key is a tenancy key of scope `partner` naming the connection (tenancy's
`issue_partner_key`): a new one revokes the connection's previous key at once, so a leaked key
is replaced by issuing another. The HMAC secret signs what the partner sends us and what we
send it (webhooks/domain/webhooks.py's scheme); it is kept in the connection's item, as
tenant webhooks keep theirs, and only `connection_secret` reads it back.
"""

from __future__ import annotations

import secrets as random_tokens
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from chalicelib.booking.domain.partner_refs import PartnerRef, check_commission, check_reference
from chalicelib.catalog.domain.catalog import Offering, ResourceKind
from chalicelib.channels.domain.connections import (
    ID_PREFIX,
    ChannelMapping,
    Connection,
    ConnectionKind,
    ConnectionStatus,
    Settlement,
    check_events,
    check_mappings,
    check_name,
    check_offering_commissions,
)
from chalicelib.channels.services.connection_ports import ChannelsContext
from chalicelib.kernel.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.kernel.domain.values import value
from chalicelib.tenancy.services.auth import KeyCache
from chalicelib.tenancy.services.keys import new_partner_key, save_partner_key
from chalicelib.tenancy.services.platform_ports import PlatformRepository
from chalicelib.webhooks.domain.webhooks import SECRET_PREFIX
from chalicelib.webhooks.services.webhooks import UrlPolicy


def get_connection(ctx: ChannelsContext, connection_id: str) -> Connection:
    connection = ctx.data.connections.get(connection_id)
    if connection is None:
        raise NotFound(
            "No such channel connection.", code="connection_not_found", connection_id=connection_id
        )
    return connection


def active_connection(ctx: ChannelsContext, connection_id: str) -> Connection:
    """The connection, refused (403 `connection_disabled`) while disabled."""
    connection = get_connection(ctx, connection_id)
    if not connection.active:
        raise Forbidden("This channel connection is disabled.", code="connection_disabled")
    return connection


def list_connections(ctx: ChannelsContext) -> list[Connection]:
    return ctx.data.connections.list()


def connection_secret(ctx: ChannelsContext, connection: Connection) -> str:
    """The HMAC secret's plaintext, for signing and verifying (NotFound
    `connection_secret_not_set` until one is made)."""
    secret = ctx.data.connections.secret(connection.id) if connection.secret_set else None
    if not secret:
        raise NotFound(
            "This connection has no HMAC secret yet: make one first.",
            code="connection_secret_not_set",
        )
    return secret


@value
class ConnectionFields:
    """What a create or an edit sets (None: unchanged on an edit, the default on a create)."""

    name: str | None = None
    kind: ConnectionKind | None = None
    settlement: Settlement | None = None
    outbound_url: str | None = None
    clear_outbound_url: bool = False  # an edit's explicit null
    events: Sequence[str] | None = None
    commission_bp: int | None = None
    status: ConnectionStatus | None = None
    offering_commissions: dict[str, int] | None = None


def create_connection(
    ctx: ChannelsContext, policy: UrlPolicy, fields: ConnectionFields, *, connection_id: str
) -> Connection:
    if fields.name is None or fields.kind is None:
        raise InvalidInput("A connection needs a name and a kind.", field="name")
    at = ctx.now()
    draft = Connection(
        id=connection_id,
        name=check_name(fields.name),
        kind=fields.kind,
        status=ConnectionStatus.ACTIVE,
        settlement=fields.settlement or Settlement.PARTNER,
        outbound_url=None,
        events=frozenset(),
        created_at=at,
        updated_at=at,
    )
    connection = _apply(ctx, policy, draft, fields)
    ctx.data.connections.put(connection, expected_version=None)
    ctx.audit("channel.created", f"channel:{connection.id}", name=connection.name)
    return connection


def new_connection_id(new_id: str) -> str:
    return ID_PREFIX + new_id


def edit_connection(
    ctx: ChannelsContext,
    policy: UrlPolicy,
    connection_id: str,
    fields: ConnectionFields,
    *,
    expected_version: int | None = None,
) -> Connection:
    current = get_connection(ctx, connection_id)
    _check_version(current, expected_version)
    after = _apply(ctx, policy, current, fields).edited(ctx.now())
    if after.kind is not current.kind:  # a reseller's tours would reach the webhook
        _check_kinds(ctx, after.kind, after.mappings)
    ctx.data.connections.put(after, expected_version=current.version)
    ctx.audit("channel.edited", f"channel:{after.id}", status=after.status.value)
    return after


def _apply(
    ctx: ChannelsContext, policy: UrlPolicy, c: Connection, fields: ConnectionFields
) -> Connection:
    changes: dict[str, Any] = {}
    if fields.name is not None:
        changes["name"] = check_name(fields.name)
    for name in ("kind", "settlement", "status"):
        if getattr(fields, name) is not None:
            changes[name] = getattr(fields, name)
    if fields.outbound_url is not None:
        policy.check(fields.outbound_url)
        changes["outbound_url"] = fields.outbound_url
    elif fields.clear_outbound_url:
        changes["outbound_url"] = None
    if fields.events is not None:
        changes["events"] = check_events(tuple(fields.events))
    if fields.commission_bp is not None:
        changes["commission_bp"] = check_commission(fields.commission_bp)
    if fields.offering_commissions is not None:
        for offering_id in fields.offering_commissions:
            _offering(ctx, offering_id)
        changes["offering_commissions"] = check_offering_commissions(fields.offering_commissions)
    return replace(c, **changes)


def set_mappings(
    ctx: ChannelsContext,
    connection_id: str,
    mappings: list[ChannelMapping],
    *,
    expected_version: int | None = None,
) -> Connection:
    """Replace the connection's mappings, each checked against the catalog: the offering
    exists, and the resource exists and is one the offering books (422 otherwise)."""
    current = get_connection(ctx, connection_id)
    _check_version(current, expected_version)
    kept = check_mappings(mappings)
    for m in kept:
        _check_target(ctx, current.kind, m)
    after = current.edited(ctx.now(), mappings=kept)
    ctx.data.connections.put(after, expected_version=current.version)
    ctx.audit("channel.mapped", f"channel:{after.id}", mappings=len(kept))
    return after


def _offering(ctx: ChannelsContext, offering_id: str) -> Offering:
    offering = ctx.data.catalog.get_offering(offering_id)
    if offering is None:
        raise InvalidInput(
            "No such offering.",
            code="unknown_offering",
            field="offering_id",
            offering_id=offering_id,
        )
    return offering


def _check_kind(kind: ConnectionKind, m: ChannelMapping, offering: Offering | None) -> None:
    """A channel manager's webhook books stays only (inbound_apply.stay_of): a room type
    mapped to a tour was accepted, and then every reservation of it was rejected
    `missing_start`, seen only in its inbound log (the tester's finding). OCTO resellers and
    agents sell tours and activities, so only a channel manager is held to stays."""
    if kind is not ConnectionKind.CHANNEL_MANAGER or offering is None:
        return
    if offering.kind is not ResourceKind.NIGHTLY:
        raise InvalidInput(
            f"A channel manager books stays only: partner id {m.partner_id!r} is mapped to "
            f"{offering.id} ({offering.name}), a {offering.kind.value} offering, not a "
            "nightly one.",
            code="mapping_not_a_stay",
            field="offering_id",
            partner_id=m.partner_id,
            offering_id=offering.id,
            offering_kind=offering.kind.value,
        )


def _check_kinds(
    ctx: ChannelsContext, kind: ConnectionKind, mappings: Sequence[ChannelMapping]
) -> None:
    for m in mappings:
        _check_kind(kind, m, ctx.data.catalog.get_offering(m.offering_id))


def _check_target(ctx: ChannelsContext, kind: ConnectionKind, m: ChannelMapping) -> None:
    offering = _offering(ctx, m.offering_id)
    _check_kind(kind, m, offering)
    if m.resource_id is None:
        return
    resource = ctx.data.catalog.get_resource(m.resource_id)
    if resource is None or not any(resource.matches(r.selector) for r in offering.requirements):
        raise InvalidInput(
            "No such resource among those the offering books.",
            code="unknown_resource",
            field="resource_id",
            resource_id=m.resource_id,
            offering_id=m.offering_id,
        )


def _check_version(c: Connection, expected: int | None) -> None:
    if expected is not None and expected != c.version:
        raise Conflict(
            "The connection was changed since you read it; reload and try again.",
            code="version_mismatch",
            current_version=c.version,
        )


def issue_key(
    ctx: ChannelsContext,
    platform: PlatformRepository,
    cache: KeyCache,
    connection_id: str,
) -> tuple[Connection, str]:
    """A new partner key for the connection (its plaintext, shown once); the previous one
    stops now. The connection names the new key first (on condition of the version read: a
    concurrent change refuses it with nothing made), then the key is saved and the old one
    revoked."""
    current = get_connection(ctx, connection_id)
    key, plaintext = new_partner_key(
        ctx, connection_id=current.id, name=f"Partner: {current.name}"[:100]
    )
    after = current.edited(ctx.now(), key_id=key.id, key_prefix=key.prefix)
    ctx.data.connections.put(after, expected_version=current.version)
    save_partner_key(ctx, platform, key, replaces=current.key_id, cache=cache)
    return after, plaintext


def new_secret(ctx: ChannelsContext, connection_id: str) -> tuple[Connection, str]:
    """A new HMAC secret (shown once), replacing the previous one at once."""
    current = get_connection(ctx, connection_id)
    secret = SECRET_PREFIX + random_tokens.token_urlsafe(32)
    after = current.edited(ctx.now(), secret_set=True)
    ctx.data.connections.put(after, expected_version=current.version, secret=secret)
    ctx.audit("channel.secret_made", f"channel:{after.id}")
    return after, secret


def partner_ref(connection: Connection, reference: str, offering_id: str) -> PartnerRef:
    """What a partner's order of `offering_id` carries: the connection, the partner's
    reference and the commission that applies to the offering now (an order of several
    offerings takes its first line's)."""
    return PartnerRef(
        connection_id=connection.id,
        name=connection.name,
        reference=check_reference(reference),
        commission_bp=connection.commission_for(offering_id),
        settlement=connection.settlement.value,
    )
