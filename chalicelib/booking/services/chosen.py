"""A resource the caller chose for a requirement (their stylist): checked before anything is
read, by a booking and by availability alike."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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
