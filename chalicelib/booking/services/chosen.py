"""A resource the caller chose for a requirement (their stylist): checked before anything is
read, by a booking and by availability alike."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from chalicelib.booking.domain.orders import Line
from chalicelib.catalog.domain.catalog import Offering, Resource
from chalicelib.catalog.services.catalog_view import CatalogSnapshot
from chalicelib.kernel.domain.errors import InvalidInput


def check_chosen(
    chosen: Mapping[int, str],
    offering: Offering,
    candidates: Sequence[Sequence[Resource]],
    snapshot: CatalogSnapshot,
) -> None:
    """A resource the caller chose must exist (in this tenant's catalog: another tenant's id
    is unknown here) and be one that can serve that requirement; otherwise the booking could
    only ever be `unavailable`, which would blame the calendar for a wrong request."""
    for index, resource_id in sorted(chosen.items()):
        where = {"requirement": index, "resource_id": resource_id}
        if index >= len(offering.requirements):
            raise InvalidInput(
                f"The offering has {len(offering.requirements)} requirement(s), numbered from 0.",
                code="unknown_requirement",
                **where,
            )
        if resource_id not in snapshot.resources:
            raise InvalidInput("No such resource.", code="unknown_resource", **where)
        if all(r.id != resource_id for r in candidates[index]):
            raise InvalidInput(
                f"That resource cannot serve requirement {index} of this offering (another "
                "kind, skill or tag, or no longer active).",
                code="resource_not_eligible",
                **where,
            )


def chosen_after_move(old: Line, named: Mapping[int, str]) -> tuple[int, ...]:
    """What the guest chose once they moved the line themselves, naming `named`: a resource
    they chose before and still name, or one they name that is not the one serving it (they
    picked another stylist). The one the business assigned, sent back as it was (the manage
    page starts its move from the booking's own stylist), stays the business's: a reviewer's
    time-only move turned the salon's assigned stylist into the guest's choice."""
    serving = {a.requirement: a.resource_id for a in old.allocations}
    before = set(old.chosen or ())  # a line from before choices were kept names none
    return tuple(sorted(i for i, rid in named.items() if i in before or serving.get(i) != rid))
