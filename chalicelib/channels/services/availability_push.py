"""An update's body, computed when it is sent: for each of the connection's mappings whose
resources the update covers, availability from the buckets (one Query per resource over the
range: booking's `load_used`, the reading availability itself uses) and the catalog's
definition, and the offering's rates (channels/domain/availability_push.py builds the JSON);
the business's closed dates as the tenant has them now, sent closed."""

from __future__ import annotations

from datetime import date, timedelta

from chalicelib.booking.services.availability import load_used
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.channels.domain import availability_push as doc
from chalicelib.channels.domain.connections import Connection
from chalicelib.channels.domain.outbound import OutboundDelivery, clip
from chalicelib.channels.services.outbound_marks import served_by
from chalicelib.channels.services.outbound_ports import OutboundContext
from chalicelib.kernel.domain.calendar import local_date
from chalicelib.kernel.domain.timefmt import parse


def update_body(
    ctx: OutboundContext, cache: CatalogCache, connection: Connection, delivery: OutboundDelivery
) -> bytes:
    """The update as it stands now, for the resources and dates `delivery` covers."""
    tz = ctx.tenant.timezone
    now = ctx.now()
    today = local_date(parse(now), tz)
    snapshot = cache.get(ctx.tenant.id, ctx.data.catalog, fresh=True)
    wants = frozenset(connection.events)
    covered = set(delivery.resources)
    shut = frozenset(ctx.tenant.settings.opening_hours.closed_dates)
    first = max(date.fromisoformat(delivery.first), today)
    last = max(date.fromisoformat(delivery.last), first)
    items = []
    for mapping in connection.mappings:
        served = [r for r in served_by(mapping, snapshot) if r.id in covered]
        if not served:
            continue
        span = clip(first, last, served[0].kind, today)
        if span is None:
            continue
        used = load_used(ctx, [served], first=span[0], last_exclusive=span[1] + timedelta(days=1))
        items.append(
            doc.item(
                mapping,
                wants,
                offering=snapshot.offerings.get(mapping.offering_id),
                served_by=[(r, used.get(r.id, {})) for r in served],
                first=span[0],
                last=span[1],
                tz=tz,
                shut=shut,
                now=parse(now),
            )
        )
    return doc.document(
        update_id=delivery.id,
        tenant_id=ctx.tenant.id,
        connection_id=connection.id,
        generated_at=now,
        reason=delivery.reason.value,
        first=first,
        last=last,
        currency=ctx.tenant.currency,
        items=items,
    )
