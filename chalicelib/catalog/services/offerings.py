"""Managing offerings: what customers book (the resources it needs, its duration, price and
policies). Every write is audited, conditional on the revision the caller read, and drops the
container's catalog snapshot for the tenant; an offering must be servable by the resources it
names (their kinds).
"""

from __future__ import annotations

from dataclasses import replace

from chalicelib.catalog.domain.catalog import (
    Offering,
    Resource,
    ResourceKind,
    validate_offering,
)
from chalicelib.catalog.domain.pricing import check_unit_price
from chalicelib.catalog.services.catalog_ports import CatalogContext
from chalicelib.catalog.services.catalog_view import CatalogCache, kinds_for
from chalicelib.catalog.services.catalog_writes import check_rev
from chalicelib.kernel.domain.errors import Conflict, InvalidInput, NotFound, PreconditionFailed
from chalicelib.kernel.domain.text import with_article


def list_offerings(ctx: CatalogContext) -> list[Offering]:
    return ctx.data.catalog.list_offerings()


def on_sale(ctx: CatalogContext, cache: CatalogCache) -> list[Offering]:
    """The active offerings by name, as the booking widget lists them: from the container's
    catalog snapshot (a few seconds old at most), since every widget visit asks."""
    snapshot = cache.get(ctx.tenant.id, ctx.data.catalog)
    return sorted(
        (o for o in snapshot.offerings.values() if o.active), key=lambda o: o.name.lower()
    )


def choices(ctx: CatalogContext, cache: CatalogCache, offering: Offering) -> list[Resource]:
    """The resources a customer may choose from for the offering's first requirement (their
    stylist, say): empty when there is no choice to make (one candidate, or a stay's room)."""
    if offering.kind is ResourceKind.NIGHTLY or not offering.requirements:
        return []
    first = cache.get(ctx.tenant.id, ctx.data.catalog).candidates(offering)[0]
    return sorted(first, key=lambda r: r.name.lower()) if len(first) > 1 else []


def get_offering(ctx: CatalogContext, offering_id: str) -> Offering:
    offering = ctx.data.catalog.get_offering(offering_id)
    if offering is None:
        raise NotFound("No such offering.", code="offering_not_found", offering_id=offering_id)
    return offering


def create_offering(
    ctx: CatalogContext, cache: CatalogCache, offering: Offering, active: bool = True
) -> Offering:
    offering = replace(offering, id=f"off_{ctx.new_id()}", rev=1, active=active)
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
    ctx: CatalogContext,
    cache: CatalogCache,
    offering_id: str,
    new: Offering,
    expected_rev: int | None,
    active: bool | None = None,
) -> Offering:
    """Replace the definition (the active flag stays unless `active` is sent). Bookings
    already made keep the price and policies they were made with; new bookings use the new
    ones."""
    current = get_offering(ctx, offering_id)
    check_rev(current.rev, expected_rev, "offering")
    if new.kind is not current.kind:
        raise InvalidInput(
            "An offering's kind cannot change; create another offering.",
            code="immutable_field",
            field="kind",
        )
    active = current.active if active is None else active
    new = replace(new, id=current.id, active=active, rev=current.rev + 1)
    _check_offering(ctx, new)
    _put_offering(ctx, new, current.rev)
    cache.changed(ctx.tenant.id, offering_ids=(new.id,))
    ctx.audit("offering.updated", f"offering:{new.id}", rev=new.rev, amount=new.pricing.amount)
    return new


def deactivate_offering(
    ctx: CatalogContext, cache: CatalogCache, offering_id: str, expected_rev: int | None
) -> Offering:
    """Stop selling it. Orders already made keep their lines."""
    current = get_offering(ctx, offering_id)
    check_rev(current.rev, expected_rev, "offering")
    if not current.active:
        return current
    new = replace(current, active=False, rev=current.rev + 1)
    _put_offering(ctx, new, current.rev)
    cache.changed(ctx.tenant.id, offering_ids=(new.id,))
    ctx.audit("offering.deactivated", f"offering:{new.id}", rev=new.rev)
    return new


def _put_offering(ctx: CatalogContext, offering: Offering, expected_rev: int) -> None:
    try:
        ctx.data.catalog.put_offering(offering, expected_rev=expected_rev)
    except Conflict as exc:
        if exc.code != "version_mismatch":
            raise
        raise PreconditionFailed(
            "The offering was changed since you read it; reload and retry.",
            code="version_mismatch",
        ) from exc


def _check_offering(ctx: CatalogContext, offering: Offering) -> None:
    """The domain's rules, and that every requirement can be served by this tenant's own
    resources of the right kind. An id that is not this tenant's is unknown, whoever has it."""
    validate_offering(offering)
    check_unit_price(offering.pricing)
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
                    _kind_rule(offering.kind, index, resource.kind),
                    code="resource_kind_mismatch",
                    field=f"{field}.resource_id",
                )
        # An offering not sold needs no resource to sell it with (its resource may be stopped).
        serving = [
            r for r in resources.values() if r.active and r.kind in kinds and r.matches(selector)
        ]
        if offering.active and not serving:
            raise InvalidInput(
                f"No active {_kinds_text(kinds)} resource matches requirement {index}.",
                code="no_matching_resource",
                field=field,
            )
        _check_units(offering, index, serving)


def _check_units(offering: Offering, index: int, serving: list[Resource]) -> None:
    """A requirement asks its units of ONE resource at once: more than any that serves it
    holds and the offering could never be booked, yet showed in the widget as if always full
    (an outside tester's "whole room" event asked 7 units of tables that seat one party each)."""
    requirement = offering.requirements[index]
    wanted = requirement.units_for(offering.party_min)
    most = max((r.capacity for r in serving), default=0)
    if offering.active and 0 < most < wanted:
        raise InvalidInput(
            f"Requirement {index} asks {wanted} units of one resource at once, and the most "
            f"that one matching resource holds is {most}: it could never be booked. To take "
            "several resources together, name each as a requirement of its own.",
            code="units_over_capacity",
            field=f"requirements.{index}.units",
            most=most,
        )


def _kind_rule(kind: ResourceKind, index: int, given: ResourceKind) -> str:
    """What the requirement at `index` may name, said as the rule it is (an outside tester
    read "A session offering needs a resource of kind timed here, not session" for a second
    session requirement, and could not tell why)."""
    not_given = f"not {with_article(given.value)} resource"
    if kind is ResourceKind.NIGHTLY:
        return f"A nightly offering sells a room type: a nightly resource, {not_given}."
    if kind is ResourceKind.SESSION and index == 0:
        return (
            f"A session offering's first requirement is its sessions: a session resource, "
            f"{not_given}."
        )
    if kind is ResourceKind.SESSION:
        return (
            "A session offering takes its seats from its first requirement; the others go "
            f"with each session (a guide, a van): timed resources, {not_given}."
        )
    return f"A timed offering books timed resources (staff, tables, equipment), {not_given}."


def _kinds_text(kinds: frozenset[ResourceKind]) -> str:
    return " or ".join(sorted(k.value for k in kinds))
