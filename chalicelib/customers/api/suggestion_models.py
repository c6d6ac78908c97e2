"""The suggestions' request and response models (customers/api/suggestions.py)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from chalicelib.customers.services.suggestions import Explained, UsualNamed
from chalicelib.web.models import EmailLookup, Out, Query


class CustomerSuggestionsQueryIn(Query):
    email: EmailLookup | None = Field(
        default=None,
        description="The customer's e-mail address: names the customer (its id is derived "
        "from it) when the path's id is `by-email`; with an id, it must name the same one.",
    )
    limit: Annotated[int, Field(ge=1, le=10)] = 5


class OfferingNameOut(Out):
    offering_id: str
    name: str


class SuggestionOut(Out):
    offering_id: str
    name: str
    because_offering_id: str = Field(description="The offering the customer booked it goes with.")
    because_name: str
    support: int = Field(description="Customers who booked both.")
    base: int = Field(description="Customers who booked `because_offering_id`.")
    share_percent: int = Field(description="support / base, a whole percent rounded half up.")
    explanation: str

    @classmethod
    def of(cls, s: Explained) -> SuggestionOut:
        return cls(
            offering_id=s.offering.id,
            name=s.offering.name,
            because_offering_id=s.because.id,
            because_name=s.because.name,
            support=s.support,
            base=s.base,
            share_percent=s.percent,
            explanation=(
                f"Booked by {s.percent} % of customers who booked {s.because.name} "
                f"({s.support} of {s.base})."
            ),
        )


class UsualOut(Out):
    name: str = Field(description="The staff member's name, or the local hour (HH:00).")
    resource_id: str | None = None
    times: int = Field(description="Counted bookings with it.")
    of: int = Field(description="Counted bookings in all (for the time: those with a time).")

    @classmethod
    def of_usual(cls, u: UsualNamed | None) -> UsualOut | None:
        if u is None:
            return None
        return cls(name=u.name, resource_id=u.id, times=u.times, of=u.of)


class CustomerSuggestionsOut(Out):
    customer_id: str
    booked: list[OfferingNameOut]
    suggestions: list[SuggestionOut]
    usual_staff: UsualOut | None
    usual_time: UsualOut | None


class PublicSuggestionOut(Out):
    offering_id: str
    name: str
    because_offering_id: str
    because_name: str
    share_percent: int
    explanation: str

    @classmethod
    def of(cls, s: Explained) -> PublicSuggestionOut:
        return cls(
            offering_id=s.offering.id,
            name=s.offering.name,
            because_offering_id=s.because.id,
            because_name=s.because.name,
            share_percent=s.percent,
            explanation=(
                f"{s.percent} % of customers who booked {s.because.name} "
                f"also booked {s.offering.name}."
            ),
        )


class PublicSuggestionsOut(Out):
    data: list[PublicSuggestionOut]
