"""The catalog's answer to a tenant's change of time zone (tenancy's `TimeZoneGuard`).

A change of time zone is refused (a) when a timed resource's slot grid does not fall on the
new zone's wall clock (`slot_grid_misfits_zone`, the rule creating a resource enforces: else a
booking would straddle two buckets and capacity would be lost), and (b) while bookings lie
ahead (`bookings_ahead`, naming them): an order keeps the local dates and times it was booked
in (its lines, the day index, the night buckets), so every live order stays in one zone. Both
checks read the catalog and one Query per resource of its buckets from today on.
"""

from __future__ import annotations

from chalicelib.catalog.domain import capacity
from chalicelib.catalog.domain.catalog import ResourceKind
from chalicelib.catalog.services.catalog_ports import CatalogContext, CatalogData
from chalicelib.catalog.services.catalog_writes import orders_holding
from chalicelib.kernel.domain.calendar import grid_fits_zone, local_date
from chalicelib.kernel.domain.errors import Conflict, InvalidInput
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.tenancy.services.tenant_ports import TimeZoneGuard

NAMED_RESOURCES = 5  # resources whose orders a refusal names (each costs a Query and reads)


class CatalogZoneGuard(TimeZoneGuard[CatalogData]):
    """Holds no state: everything it reads comes from the tenant's stores in `ctx`."""

    def check_change(self, ctx: CatalogContext, new_tz: str) -> None:
        """Refuse a zone that misfits a timed resource's grid, or any change while bookings
        lie ahead (see the module's docstring)."""
        now = parse(ctx.now())
        resources = ctx.data.catalog.list_resources()
        misfits = [
            r.id
            for r in resources
            if r.active
            and r.kind is ResourceKind.TIMED
            and not grid_fits_zone(r.slot_minutes, new_tz, local_date(now, new_tz))
        ]
        if misfits:
            raise InvalidInput(
                f"The slot grid of these resources does not fall on {new_tz}'s wall clock; "
                "keep the zone, or replace them with resources on a grid that divides its "
                "offsets.",
                code="slot_grid_misfits_zone",
                field="timezone",
                resources=misfits,
            )
        tz = ctx.tenant.timezone
        booked: dict[str, list[str]] = {}
        for resource in resources:
            first, last = capacity.bucket_range(resource, local_date(now, tz), tz)
            used = ctx.data.orders.used(
                resource.id, first, last, consistent=True, shards=resource.shards
            )
            ahead = capacity.still_ahead(resource, used, now)
            keys = sorted(key for key, units in ahead.items() if units > 0)
            if keys:
                booked[resource.id] = keys
        if not booked:
            return
        orders: set[str] = set()
        complete = len(booked) <= NAMED_RESOURCES
        for resource in [r for r in resources if r.id in booked][:NAMED_RESOURCES]:
            found, whole = orders_holding(ctx, resource, booked[resource.id])
            orders.update(found)
            complete = complete and whole
        raise Conflict(
            "Bookings lie ahead in the current time zone; their dates and times were booked in "
            "it. Change the zone when none is left ahead (move or cancel these orders).",
            code="bookings_ahead",
            resources=sorted(booked),
            orders=sorted(orders)[:100],
            orders_complete=complete and len(orders) <= 100,
        )
