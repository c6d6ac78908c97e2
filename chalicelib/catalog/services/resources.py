"""Managing resources (staff, rooms, equipment, units): their definitions, schedules and date
overrides. Every write is audited, drops the container's catalog snapshot for the tenant, and
goes through catalog_writes.change_resource, so no change leaves a booked unit without capacity.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import Any

from chalicelib.catalog.domain.catalog import (
    DateOverride,
    Resource,
    ResourceKind,
    check_for_kind,
)
from chalicelib.catalog.services.catalog_ports import CatalogContext, CatalogStore
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.catalog.services.catalog_writes import (
    MAX_OVERRIDES,
    change_resource,
    check_definition,
    check_rev,
    today,
)
from chalicelib.kernel.domain.calendar import (
    hhmm,
    local_instant,
)
from chalicelib.kernel.domain.errors import (
    InvalidInput,
    NotFound,
    PreconditionFailed,
    TransientFailure,
)
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.tenancy.domain.plans import check_limit, terms


def list_resources(ctx: CatalogContext) -> list[Resource]:
    return ctx.data.catalog.list_resources()


def get_resource(ctx: CatalogContext, resource_id: str) -> Resource:
    resource = ctx.data.catalog.get_resource(resource_id)
    # The table is the tenant's own, so another tenant's id is simply not found here.
    if resource is None:
        raise NotFound("No such resource.", code="resource_not_found", resource_id=resource_id)
    return resource


def create_resource(
    ctx: CatalogContext, cache: CatalogCache, resource: Resource, active: bool = True
) -> Resource:
    """Within the plan's resources (402 past them) when active, then checked and stored."""
    resource = replace(resource, id=f"res_{ctx.new_id()}", rev=1, active=active)
    check_for_kind(resource)
    check_definition(resource, ctx.tenant.timezone, today(ctx))
    with _counted(ctx, resource.id, active):
        ctx.data.catalog.put_resource(resource, expected_rev=None, replicas=resource.shards)
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
    ctx: CatalogContext,
    cache: CatalogCache,
    resource_id: str,
    new: Resource,
    expected_rev: int | None,
    active: bool | None = None,
) -> Resource:
    """Replace the definition; the overrides and the outages of the rooms it still lists stay
    as they are, and so does the active flag unless `active` says otherwise: selling a
    deactivated resource again counts against the plan's resources, and stopping is checked
    against what is sold like any narrowing (change_resource)."""
    current = _current(ctx, resource_id, expected_rev)
    active = current.active if active is None else active
    if new.kind is not current.kind or (
        current.kind is ResourceKind.TIMED and new.slot_minutes != current.slot_minutes
    ):
        raise InvalidInput(
            "A resource's kind and slot_minutes cannot change; create another resource.",
            code="immutable_field",
            field="kind" if new.kind is not current.kind else "slot_minutes",
        )
    check_for_kind(new)
    new = replace(
        new,
        id=current.id,
        overrides=current.overrides,
        active=active,
        outages=tuple(o for o in current.outages if o.room in new.rooms),
    )
    with _counted(ctx, current.id, active and not current.active):
        changed = change_resource(
            ctx, cache, current, new, "resource.updated", capacity=new.capacity
        )
    if current.active and not active:
        _uncount(ctx, current.id)
    return changed


def deactivate_resource(
    ctx: CatalogContext, cache: CatalogCache, resource_id: str, expected_rev: int | None
) -> Resource:
    """Stop selling the resource. Refused while it holds units from now on: a deactivated
    resource holds nothing, so every future booking on it is a conflict to resolve first."""
    current = _current(ctx, resource_id, expected_rev)
    if not current.active:
        return current
    stopped = change_resource(
        ctx, cache, current, replace(current, active=False), "resource.deactivated"
    )
    _uncount(ctx, current.id)
    return stopped


def set_override(
    ctx: CatalogContext,
    cache: CatalogCache,
    resource_id: str,
    day: date,
    override: DateOverride,
    expected_rev: int | None,
) -> Resource:
    current = _current(ctx, resource_id, expected_rev)
    if day < today(ctx):
        raise InvalidInput("That date has passed.", code="date_in_past", field="date")
    _check_override(current, day, override, ctx.tenant.timezone)
    if day not in current.overrides and len(current.overrides) >= MAX_OVERRIDES:
        raise InvalidInput(
            f"A resource has at most {MAX_OVERRIDES} date overrides.", code="too_many_overrides"
        )
    new = replace(current, overrides={**current.overrides, day: override})
    return change_resource(
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
    if override.called_off and resource.kind is not ResourceKind.SESSION:
        raise InvalidInput(
            "Only a session resource has sessions to call off.",
            code="not_for_kind",
            field="called_off",
        )
    day_sessions = replace(resource, overrides={day: override}).sessions_on(day)
    unknown = [hhmm(m) for m in override.called_off if m not in day_sessions]
    if unknown:
        raise InvalidInput(
            f"On {day.isoformat()} there is no session at {', '.join(unknown)} to call off.",
            code="no_such_session",
            field="called_off",
            date=day.isoformat(),
            times=unknown,
        )
    spans = override.hours or ()
    if spans and all(_skipped(day, a, b, tz) for a, b in spans):  # a tester's 02:00-03:00
        times = [f"{hhmm(a)}-{hhmm(b)}" for a, b in spans]
        _refuse_skipped(day, tz, times, "hours", "those hours do not happen that day.")
    missing = [hhmm(m) for m in override.session_times or () if local_instant(day, m, tz) is None]
    _refuse_skipped(day, tz, missing, "session_times", "no session can start then.")
    off = [hhmm(m) for m in override.called_off if local_instant(day, m, tz) is None]
    _refuse_skipped(day, tz, off, "called_off", "no session runs then to call off.")


def _refuse_skipped(day: date, tz: str, times: list[str], field: str, why: str) -> None:
    if times:
        raise InvalidInput(
            f"On {day.isoformat()} the clocks in {tz} skip {', '.join(times)}: {why}",
            code="nonexistent_time",
            field=field,
            date=day.isoformat(),
            times=times,
        )


def call_off(
    ctx: CatalogContext,
    cache: CatalogCache,
    resource_id: str,
    day: date,
    minutes: Sequence[int] | None = None,
) -> tuple[int, ...]:
    """Take sessions off sale (a departure called off): `minutes` of `day`, or every session
    it sells (None), in one write. Their bookings keep their places until each is cancelled,
    and nobody can book them meanwhile. The minutes it took off (none: called off already,
    gone from the schedule, skipped by the clocks, past, or not a session resource). A
    catalog change that lands first is read again, so the mark is never lost to another
    editor."""
    tz = ctx.tenant.timezone
    for _ in range(5):
        current = get_resource(ctx, resource_id)
        if day < today(ctx) or current.kind is not ResourceKind.SESSION:
            return ()
        selling = current.sessions_for_sale(day)
        off = [
            m
            for m in (selling if minutes is None else minutes)
            if m in selling and local_instant(day, m, tz) is not None
        ]
        if not off:
            return ()
        ovr = current.override(day) or DateOverride()
        marked = replace(ovr, called_off=tuple(sorted({*ovr.called_off, *off})))
        try:
            set_override(ctx, cache, resource_id, day, marked, current.rev)
            return tuple(off)
        except PreconditionFailed:
            continue
    raise TransientFailure("The resource kept changing; try again.")


def sell_again(
    ctx: CatalogContext, cache: CatalogCache, resource_id: str, day: date, minutes: Sequence[int]
) -> None:
    """Put back on sale what `call_off` took off when what it was for failed after it (a bulk
    cancellation that found too many orders once the mark was made): those minutes only, so
    another call-off stays, and an override left saying nothing is removed, as before."""
    for _ in range(5):
        current = get_resource(ctx, resource_id)
        ovr = current.override(day)
        if ovr is None or not set(minutes) & set(ovr.called_off):
            return
        kept = replace(ovr, called_off=tuple(m for m in ovr.called_off if m not in minutes))
        overrides = {d: o for d, o in current.overrides.items() if d != day}
        overrides.update({day: kept} if kept != DateOverride() else {})
        new = replace(current, overrides=overrides)
        try:
            change_resource(ctx, cache, current, new, "resource.override_set", date=day.isoformat())
            return
        except PreconditionFailed:
            continue
    raise TransientFailure("The resource kept changing; try again.")


def _skipped(day: date, start: int, end: int, tz: str) -> bool:
    """Whether every minute of [start, end) is one the clocks skip that day."""
    return all(local_instant(day, m, tz) is None for m in range(start, end))


def clear_override(
    ctx: CatalogContext, cache: CatalogCache, resource_id: str, day: date, expected_rev: int | None
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
    return change_resource(
        ctx, cache, current, new, "resource.override_cleared", date=day.isoformat()
    )


def _current(ctx: CatalogContext, resource_id: str, expected_rev: int | None) -> Resource:
    current = get_resource(ctx, resource_id)
    check_rev(current.rev, expected_rev, "resource")
    return current


def _doc(override: DateOverride) -> dict[str, Any]:
    return {
        "closed": override.closed,
        "hours": [list(s) for s in override.hours] if override.hours is not None else None,
        "session_times": list(override.session_times)
        if override.session_times is not None
        else None,
        "override_capacity": override.capacity,
        "called_off": list(override.called_off),
    }


STALE_CLAIM_SECONDS = 120  # a claim whose resource is not sold by then: its writer died
UNLIMITED = 10**6  # a plan without a limit still counts, so a later plan's limit holds


@contextmanager
def _counted(ctx: CatalogContext, resource_id: str, selling: bool) -> Iterator[None]:
    """The plan's resource allowance (tenancy/domain/plans.py) for a resource about to be
    sold: counted by one conditional write before it is written (two switched on at once
    cannot both take the last place, as a count of the list could let them), given back
    when the write fails if this call counted it. Counted on every plan, an unlimited one
    too, so the count is right when the plan changes. A place a dead writer left is freed
    when the plan is full."""
    if not selling:
        yield
        return
    allowed = terms(ctx.tenant.plan).resources
    limit = UNLIMITED if allowed is None else allowed
    catalog = ctx.data.catalog
    active = frozenset(r.id for r in catalog.list_resources() if r.active)
    at = int(parse(ctx.now()).timestamp())
    claim = catalog.claim_active(resource_id, limit, active, at)
    if claim is None:
        for rid, since in catalog.active_claims().items():
            if rid not in active and since < at - STALE_CLAIM_SECONDS and not _sold(catalog, rid):
                catalog.release_active(rid)
        claim = catalog.claim_active(resource_id, limit, active, at)
        if claim is None:
            check_limit(ctx.tenant.plan, "resources", limit)
    try:
        yield
    except BaseException:
        if claim == "new":
            catalog.release_active(resource_id)
        raise


def _uncount(ctx: CatalogContext, resource_id: str) -> None:
    """A stopped resource's place back; counted again at once if another request sold it
    meanwhile (a stop and a restart of one resource racing)."""
    catalog = ctx.data.catalog
    catalog.release_active(resource_id)
    if _sold(catalog, resource_id):
        at = int(parse(ctx.now()).timestamp())
        catalog.claim_active(resource_id, UNLIMITED, frozenset(), at)


def _sold(catalog: CatalogStore, resource_id: str) -> bool:
    resource = catalog.get_resource(resource_id)
    return resource is not None and resource.active
