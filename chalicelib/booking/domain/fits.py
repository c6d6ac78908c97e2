"""Whether a line could ever fit: a wrong request is told as one, not as a full calendar.

A line asking more units of a requirement than every resource able to serve it holds on its
day (a restaurant's tables of one party each booked with quantity 2, a tour of 20 seats for a
party of 25) could only be refused `unavailable`, "That time is not available", on an empty
evening, which sent the booker looking for another time that would never come (an outside
tester's restaurant). It is a 422 naming the most one resource holds. A day whose resources
hold nothing (an override to 0: closed) stays the calendar's to say.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from chalicelib.catalog.domain.catalog import Offering, Resource
from chalicelib.kernel.domain.errors import InvalidInput


def check_fits(
    offering: Offering,
    candidates: Sequence[Sequence[Resource]],
    preferred: Mapping[int, str],
    party: int,
    quantity: int,
    day: date,
) -> None:
    if not offering.party_min <= party <= offering.party_max or not 1 <= quantity <= 50:
        return  # the offering's own rules say it first (placement.plan_line)
    for index, requirement in enumerate(offering.requirements):
        pool = [r for r in candidates[index] if preferred.get(index) in (None, r.id)]
        most = max((r.base_capacity_on(day) for r in pool), default=0)
        wanted = requirement.units_for(party) * quantity
        if 0 < most < wanted:
            if quantity == 1 and requirement.units_for(1) == wanted:
                # The offering's own units, whatever the party: said as its set-up (an outside
                # tester's "A party of 30 needs 7 places" came from `units`, not the party).
                said = (
                    f"This offering needs {wanted} places of one resource at once; the most "
                    f"that can serve it holds {most}: it cannot be booked as it is set up."
                )
            else:
                what = f"quantity {quantity}" if quantity > 1 else f"a party of {party}"
                said = (
                    f"{what.capitalize()} needs {wanted} places at once; the most that can "
                    f"serve it holds {most}. Book it as separate bookings, or fewer at once."
                )
            raise InvalidInput(
                said,
                code="more_than_capacity",
                field="quantity" if quantity > 1 else "party",
                requirement=index,
                most=most,
            )
