"""The line of an overbooking conflict (channels/domain/conflict.py): a stay planned as any
is (its times, its price by the offering, the resources that would serve it), holding no
units. Made from the catalog alone: nothing is read of the buckets, so a full night, or a
night closed since the partner sold it, still gives the guest's booking its line."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from chalicelib.booking.domain.orders import Line
from chalicelib.booking.domain.placement import Choice, LineRequest, Placement
from chalicelib.booking.services.line_planning import line_from_placement
from chalicelib.catalog.domain.catalog import Offering, Resource, ResourceKind
from chalicelib.catalog.domain.inventory import nights as stay_nights
from chalicelib.channels.domain.conflict import PartnerStay
from chalicelib.kernel.domain.calendar import day_bounds, local_instant
from chalicelib.kernel.domain.errors import InvalidInput


def unplaced_line(
    offering: Offering,
    candidates: Sequence[Sequence[Resource]],
    stay: PartnerStay,
    tz: str,
) -> Line:
    """The stay's line as it would be booked, on the mapped resource (else the first that
    can serve each requirement), priced by the offering, holding no units."""
    if offering.kind is not ResourceKind.NIGHTLY:
        raise InvalidInput("A channel manager's reservation is a stay.", code="not_a_stay")
    days = tuple(stay_nights(stay.check_in, stay.nights))
    start = local_instant(stay.check_in, 0, tz) or day_bounds(stay.check_in, tz)[0]
    end = day_bounds(days[-1], tz)[1]
    request = LineRequest(
        offering,
        stay.party,
        stay.quantity,
        check_in=stay.check_in,
        nights=stay.nights,
        preferred=_preferred(stay),
        already_booked=True,
    )
    choices = tuple(
        Choice(index, _pick(group, request.preferred.get(index)), (), 0)
        for index, group in enumerate(candidates)
    )
    placement = Placement(request, start, end, stay.check_in, days, choices, 0)
    return line_from_placement(placement, offering, tz)


def _preferred(stay: PartnerStay) -> Mapping[int, str]:
    return {0: stay.resource_id} if stay.resource_id else {}


def _pick(group: Sequence[Resource], preferred: str | None) -> Resource:
    for resource in group:
        if preferred is None or resource.id == preferred:
            return resource
    if group:
        return group[0]
    raise InvalidInput("The offering has no resource to serve it.", code="no_resource")
