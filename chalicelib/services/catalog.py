"""Managing the catalog: resources (with their schedules and overrides) and offerings.

Every write is audited and drops the container's catalog snapshot for the tenant.

Changing a resource never creates an oversell. Bookings commit in one transaction that holds
a ConditionCheck on each resource's `rev`, so a booking planned on a definition that has since
changed is refused and planned again. A change of a resource (PUT, DELETE, overrides) runs:

(a) pre-check: read the resource's buckets from today on (consistent Query) and compute
    `capacity.violations(new, used)`. Any → 409 `capacity_below_sold` naming the buckets and
    the orders that hold them; nothing is written.
(b) write, conditional on the revision the caller read (If-Match). What is written first is
    the *meet* of the old and the new definition (`capacity.meet`: on every date the lower
    capacity, the common hours, sessions and open nights): rev+1. When the change only
    narrows (lowers capacity, closes a date, cuts hours) the meet is the new definition
    itself, and when it only widens the old definition allows nothing the new one does not:
    then the new definition is the one write. Every booking planned on the old revision is
    now refused.
(c) post-check: read the buckets again. A booking that committed on the old revision between
    (a) and (b) is visible now. If the meet cannot hold it, put the old definition back
    (rev+2) and answer the same 409; otherwise, if the meet is not yet the new definition,
    write the new one (rev+2).

The gap, and why it cannot oversell: between (b) and the end of (c) bookings planned on the
meet can commit, and they stay whichever way (c) goes. On a revert, a booking made in those
milliseconds that was valid only under the change (for example, at hours the change added)
would stay although the restored definition does not allow it; that is why the first write
is the meet, not the new definition: what the meet allows, the old definition allows and the
new one allows, so going back or forward keeps every bucket within capacity. The remaining
cost is a false refusal: a booking that fits the new definition but not the old is refused
while the meet is in place (milliseconds) and succeeds when the client retries.

A resource's kind and slot grid are fixed at creation: bucket keys are made on that grid, and
a different grid would count the same minutes in other buckets.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from chalicelib.domain import capacity
from chalicelib.domain.calendar import (
    MINUTES_PER_DAY,
    grid_fits_zone,
    hhmm,
    local_date,
    local_instant,
    parse_iso_utc,
    to_local,
)
from chalicelib.domain.catalog import (
    MAX_NIGHTS,
    DateOverride,
    Offering,
    Resource,
    ResourceKind,
    validate_offering,
    validate_resource,
)
from chalicelib.domain.errors import Conflict, InvalidInput, NotFound, PreconditionFailed
from chalicelib.domain.inventory import BucketRef
from chalicelib.domain.text import with_article
from chalicelib.domain.timefmt import parse
from chalicelib.services.catalog_view import CatalogCache, kinds_for
from chalicelib.services.context import TenantContext

MAX_OVERRIDES = 1000  # a resource is one item of at most 400 KB
MAX_LOOKUP_DAYS = 120  # day-sheet queries spent on naming the orders of a refusal


# -- resources ---------------------------------------------------------------------------------


def list_resources(ctx: TenantContext) -> list[Resource]:
    return ctx.data.catalog.list_resources()


def get_resource(ctx: TenantContext, resource_id: str) -> Resource:
    resource = ctx.data.catalog.get_resource(resource_id)
    # The table is the tenant's own, so another tenant's id is simply not found here.
    if resource is None:
        raise NotFound("No such resource.", code="resource_not_found", resource_id=resource_id)
    return resource


def create_resource(ctx: TenantContext, cache: CatalogCache, resource: Resource) -> Resource:
    resource = replace(resource, id=f"res_{ctx.new_id()}", rev=1, active=True)
    _check_definition(resource, ctx.tenant.timezone, _today(ctx))
    ctx.data.catalog.put_resource(resource, expected_rev=None)
    cache.invalidate(ctx.tenant.id)
    ctx.audit(
        "resource.created",
        f"resource:{resource.id}",
        name=resource.name,
        kind=resource.kind.value,
        capacity=resource.capacity,
    )
    return resource


def update_resource(
    ctx: TenantContext,
    cache: CatalogCache,
    resource_id: str,
    new: Resource,
    expected_rev: int | None,
) -> Resource:
    """Replace the definition; the overrides and the active flag stay as they are."""
    current = _current(ctx, resource_id, expected_rev)
    if new.kind is not current.kind or (
        current.kind is ResourceKind.TIMED and new.slot_minutes != current.slot_minutes
    ):
        raise InvalidInput(
            "A resource's kind and slot_minutes cannot change; create another resource.",
            code="immutable_field",
            field="kind" if new.kind is not current.kind else "slot_minutes",
        )
    new = replace(new, id=current.id, overrides=current.overrides, active=current.active)
    return _change(ctx, cache, current, new, "resource.updated", capacity=new.capacity)


def deactivate_resource(
    ctx: TenantContext, cache: CatalogCache, resource_id: str, expected_rev: int | None
) -> Resource:
    """Stop selling the resource. Refused while it holds units from now on: a deactivated
    resource holds nothing, so every future booking on it is a conflict to resolve first."""
    current = _current(ctx, resource_id, expected_rev)
    if not current.active:
        return current
    return _change(ctx, cache, current, replace(current, active=False), "resource.deactivated")


def set_override(
    ctx: TenantContext,
    cache: CatalogCache,
    resource_id: str,
    day: date,
    override: DateOverride,
    expected_rev: int | None,
) -> Resource:
    current = _current(ctx, resource_id, expected_rev)
    if day < _today(ctx):
        raise InvalidInput("That date has passed.", code="date_in_past", field="date")
    _check_override(current, day, override, ctx.tenant.timezone)
    if day not in current.overrides and len(current.overrides) >= MAX_OVERRIDES:
        raise InvalidInput(
            f"A resource has at most {MAX_OVERRIDES} date overrides.", code="too_many_overrides"
        )
    new = replace(current, overrides={**current.overrides, day: override})
    return _change(
        ctx, cache, current, new, "resource.override_set", date=day.isoformat(), **_doc(override)
    )


def _check_override(resource: Resource, day: date, override: DateOverride, tz: str) -> None:
    """Refuse what the override would keep silently without effect: hours for a resource
    that has no hours, sessions for one that has no sessions, and a session at a local time
    the day does not have (the skipped hour of a spring change): it could never be booked."""
    if override.hours is not None and resource.kind is not ResourceKind.TIMED:
        raise InvalidInput("Only a timed resource has hours.", code="not_for_kind", field="hours")
    if override.session_times is not None and resource.kind is not ResourceKind.SESSION:
        raise InvalidInput(
            "Only a session resource has session times.",
            code="not_for_kind",
            field="session_times",
        )
    missing = [m for m in override.session_times or () if local_instant(day, m, tz) is None]
    if missing:
        times = [hhmm(m) for m in missing]
        raise InvalidInput(
            f"On {day.isoformat()} the clocks in {tz} skip {', '.join(times)}: "
            "no session can start then.",
            code="nonexistent_time",
            field="session_times",
            date=day.isoformat(),
            times=times,
        )


def clear_override(
    ctx: TenantContext, cache: CatalogCache, resource_id: str, day: date, expected_rev: int | None
) -> Resource:
    current = _current(ctx, resource_id, expected_rev)
    if day not in current.overrides:
        raise NotFound(
            "The resource has no override on that date.",
            code="override_not_found",
            date=day.isoformat(),
        )
    overrides = {d: o for d, o in current.overrides.items() if d != day}
    new = replace(current, overrides=overrides)
    return _change(ctx, cache, current, new, "resource.override_cleared", date=day.isoformat())


def _current(ctx: TenantContext, resource_id: str, expected_rev: int | None) -> Resource:
    current = get_resource(ctx, resource_id)
    check_rev(current.rev, expected_rev, "resource")
    return current


def check_rev(current_rev: int, expected_rev: int | None, kind: str) -> None:
    """None: If-Match `*`, any current revision (the write stays conditional on the one read)."""
    if expected_rev is not None and current_rev != expected_rev:
        raise PreconditionFailed(
            f"The {kind} was changed since you read it (rev {current_rev}); reload and retry.",
            code="version_mismatch",
            current_rev=current_rev,
        )


def _change(
    ctx: TenantContext,
    cache: CatalogCache,
    current: Resource,
    new: Resource,
    action: str,
    **details: Any,
) -> Resource:
    """The protected write of the module docstring: pre-check, meet, post-check."""
    tz = ctx.tenant.timezone
    _check_definition(new, tz, _today(ctx))
    store = ctx.data.catalog
    _refuse_if_oversold(ctx, new)  # (a)
    step = replace(capacity.meet(current, new), rev=current.rev + 1)
    if capacity.same_definition(step, new) or capacity.same_definition(step, current):
        # Only narrowing (the meet is the new definition) or only widening (the meet is the
        # old one, and what the old allows the new allows too): one write is enough.
        step = replace(new, rev=current.rev + 1)
    _put(store, step, current.rev)  # (b)
    cache.invalidate(ctx.tenant.id)
    try:
        _refuse_if_oversold(ctx, step)  # (c)
    except Conflict as refusal:
        _put(store, replace(current, rev=step.rev + 1), step.rev)
        cache.invalidate(ctx.tenant.id)
        ctx.audit(
            "resource.change_reverted",
            f"resource:{current.id}",
            buckets=refusal.details.get("buckets", []),
            orders=refusal.details.get("orders", []),
        )
        raise
    final = step
    if not capacity.same_definition(step, new):
        final = replace(new, rev=step.rev + 1)
        _put(store, final, step.rev)
        cache.invalidate(ctx.tenant.id)
    ctx.audit(action, f"resource:{current.id}", rev=final.rev, **details)
    return final


def _put(store: Any, resource: Resource, expected_rev: int) -> None:
    try:
        store.put_resource(resource, expected_rev=expected_rev)
    except Conflict as exc:
        if exc.code != "version_mismatch":
            raise
        raise PreconditionFailed(
            "The resource was changed since you read it; reload and retry.",
            code="version_mismatch",
        ) from exc


def _refuse_if_oversold(ctx: TenantContext, resource: Resource) -> None:
    tz, now = ctx.tenant.timezone, parse(ctx.now())
    first, last = capacity.bucket_range(resource, local_date(now, tz), tz)
    used = ctx.data.orders.used(resource.id, first, last, consistent=True)
    bad = capacity.violations(resource, capacity.still_ahead(resource, used, now), tz)
    if not bad:
        return
    orders, complete = orders_holding(ctx, resource, bad)
    raise Conflict(
        "The change would leave booked units without capacity: move or cancel these orders, "
        "or keep enough capacity.",
        code="capacity_below_sold",
        buckets=bad[:100],
        bucket_count=len(bad),
        orders=orders,
        orders_complete=complete,
    )


def orders_holding(
    ctx: TenantContext, resource: Resource, keys: list[str]
) -> tuple[list[str], bool]:
    """The ids of the orders whose lines hold units in these buckets, found on the day sheets
    of the buckets' local dates (and, for nights, of the days a stay covering them began)."""
    tz = ctx.tenant.timezone
    wanted = {BucketRef(resource.id, key) for key in keys}
    dates: set[date] = set()
    for key in keys:
        day = _key_local_date(key, tz)
        back = MAX_NIGHTS if key.startswith("N#") else 0
        dates.update(day - timedelta(days=n) for n in range(back + 1))
    ordered = sorted(dates)
    found: set[str] = set()
    for day in ordered[:MAX_LOOKUP_DAYS]:
        for order in ctx.data.orders.on_day(day.isoformat()):
            if order.holds_inventory and any(t.bucket in wanted for t in order.takes):
                found.add(order.id)
    return sorted(found), len(ordered) <= MAX_LOOKUP_DAYS


def _key_local_date(key: str, tz: str) -> date:
    if key.startswith("N#"):
        return date.fromisoformat(key[2:])
    return to_local(parse_iso_utc(key[2:]), tz).date()


def _check_definition(resource: Resource, tz: str, today: date) -> None:
    """The domain's rules, and those of the kind: a timed resource's grid must fall on the
    zone's wall clock and its hours on the grid (a slot is either inside hours or not)."""
    validate_resource(resource)
    if len(resource.overrides) > MAX_OVERRIDES:
        raise InvalidInput(
            f"A resource has at most {MAX_OVERRIDES} date overrides.", code="too_many_overrides"
        )
    if resource.kind is ResourceKind.TIMED:
        if not grid_fits_zone(resource.slot_minutes, tz, today):
            raise InvalidInput(
                f"The {resource.slot_minutes}-minute grid does not fit the tenant's time zone "
                f"({tz}); choose a grid that divides its UTC offsets.",
                code="slot_grid_misfits_zone",
                field="slot_minutes",
            )
        spans = [s for day in resource.hours for s in day] + [
            s for o in resource.overrides.values() for s in (o.hours or ())
        ]
        if any(m % resource.slot_minutes for span in spans for m in span):
            raise InvalidInput(
                f"Hours start and end on the {resource.slot_minutes}-minute grid.",
                code="hours_off_grid",
                field="hours",
            )
    starts = [m for day in resource.session_times for m in day] + [
        m for o in resource.overrides.values() for m in (o.session_times or ())
    ]
    if any(not 0 <= m < MINUTES_PER_DAY for m in starts):
        raise InvalidInput("Session times are within the day.", code="invalid_session_time")


def _today(ctx: TenantContext) -> date:
    return local_date(parse(ctx.now()), ctx.tenant.timezone)


def _doc(override: DateOverride) -> dict[str, Any]:
    return {
        "closed": override.closed,
        "hours": [list(s) for s in override.hours] if override.hours is not None else None,
        "session_times": list(override.session_times)
        if override.session_times is not None
        else None,
        "override_capacity": override.capacity,
    }


# -- offerings ---------------------------------------------------------------------------------


def list_offerings(ctx: TenantContext) -> list[Offering]:
    return ctx.data.catalog.list_offerings()


def get_offering(ctx: TenantContext, offering_id: str) -> Offering:
    offering = ctx.data.catalog.get_offering(offering_id)
    if offering is None:
        raise NotFound("No such offering.", code="offering_not_found", offering_id=offering_id)
    return offering


def create_offering(ctx: TenantContext, cache: CatalogCache, offering: Offering) -> Offering:
    offering = replace(offering, id=f"off_{ctx.new_id()}", rev=1, active=True)
    _check_offering(ctx, offering)
    ctx.data.catalog.put_offering(offering, expected_rev=None)
    cache.invalidate(ctx.tenant.id)
    ctx.audit(
        "offering.created",
        f"offering:{offering.id}",
        name=offering.name,
        kind=offering.kind.value,
        amount=offering.pricing.amount,
    )
    return offering


def update_offering(
    ctx: TenantContext,
    cache: CatalogCache,
    offering_id: str,
    new: Offering,
    expected_rev: int | None,
) -> Offering:
    """Replace the definition (the active flag stays). Bookings already made keep the price
    and policies they were made with; new bookings use the new ones."""
    current = get_offering(ctx, offering_id)
    check_rev(current.rev, expected_rev, "offering")
    if new.kind is not current.kind:
        raise InvalidInput(
            "An offering's kind cannot change; create another offering.",
            code="immutable_field",
            field="kind",
        )
    new = replace(new, id=current.id, active=current.active, rev=current.rev + 1)
    _check_offering(ctx, new)
    _put_offering(ctx, new, current.rev)
    cache.invalidate(ctx.tenant.id)
    ctx.audit("offering.updated", f"offering:{new.id}", rev=new.rev, amount=new.pricing.amount)
    return new


def deactivate_offering(
    ctx: TenantContext, cache: CatalogCache, offering_id: str, expected_rev: int | None
) -> Offering:
    """Stop selling it. Orders already made keep their lines."""
    current = get_offering(ctx, offering_id)
    check_rev(current.rev, expected_rev, "offering")
    if not current.active:
        return current
    new = replace(current, active=False, rev=current.rev + 1)
    _put_offering(ctx, new, current.rev)
    cache.invalidate(ctx.tenant.id)
    ctx.audit("offering.deactivated", f"offering:{new.id}", rev=new.rev)
    return new


def _put_offering(ctx: TenantContext, offering: Offering, expected_rev: int) -> None:
    try:
        ctx.data.catalog.put_offering(offering, expected_rev=expected_rev)
    except Conflict as exc:
        if exc.code != "version_mismatch":
            raise
        raise PreconditionFailed(
            "The offering was changed since you read it; reload and retry.",
            code="version_mismatch",
        ) from exc


def _check_offering(ctx: TenantContext, offering: Offering) -> None:
    """The domain's rules, and that every requirement can be served by this tenant's own
    resources of the right kind. An id that is not this tenant's is unknown, whoever has it."""
    validate_offering(offering)
    resources = {r.id: r for r in ctx.data.catalog.list_resources()}
    for index, requirement in enumerate(offering.requirements):
        selector, kinds = requirement.selector, kinds_for(offering.kind, index)
        field = f"requirements.{index}"
        if selector.resource_id:
            resource = resources.get(selector.resource_id)
            if resource is None:
                raise InvalidInput(
                    "No such resource.",
                    code="unknown_resource",
                    field=f"{field}.resource_id",
                    resource_id=selector.resource_id,
                )
            if resource.kind not in kinds:
                raise InvalidInput(
                    f"{with_article(offering.kind.value, start=True)} offering needs a "
                    f"resource of kind {_kinds_text(kinds)} here, not {resource.kind.value}.",
                    code="resource_kind_mismatch",
                    field=f"{field}.resource_id",
                )
        if not any(
            r.active and r.kind in kinds and r.matches(selector) for r in resources.values()
        ):
            raise InvalidInput(
                f"No active {_kinds_text(kinds)} resource matches requirement {index}.",
                code="no_matching_resource",
                field=field,
            )


def _kinds_text(kinds: frozenset[ResourceKind]) -> str:
    return " or ".join(sorted(k.value for k in kinds))
