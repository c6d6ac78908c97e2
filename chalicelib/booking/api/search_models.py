"""Request and response models of order search and a resource's day."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from chalicelib.booking.api.booking_models import Id, OrderOut
from chalicelib.booking.domain.order_search import OrderSearch
from chalicelib.booking.domain.orders import BookingStatus, Channel, PaymentStatus
from chalicelib.catalog.api.question_models import AnswersOut
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.tenancy.services.phones import international
from chalicelib.web.cursors import CursorShape
from chalicelib.web.models import Day, EmailLookup, Name, Out, Phone, Query


def _list_of(values: list[str]) -> str:
    one = "|".join(values)
    return f"^({one})(,({one}))*$"


Statuses = Annotated[str, Field(max_length=200, pattern=_list_of([s.value for s in BookingStatus]))]
PaymentStatuses = Annotated[
    str, Field(max_length=200, pattern=_list_of([s.value for s in PaymentStatus]))
]
Channels = Annotated[str, Field(max_length=100, pattern=_list_of([c.value for c in Channel]))]
Cursor = Annotated[str, CursorShape(r"^[A-Za-z0-9_-]+$", 1000)]


class OrderSearchQueryIn(Query):
    day: Day | None = Field(
        default=None, alias="date", description="The day sheet: orders starting then."
    )
    from_: Day | None = Field(
        default=None,
        alias="from",
        description="First local date of the start (inclusive; with `resource`, of a line on "
        "it). With no date and no other indexed filter: today and the 30 days after it.",
    )
    to: Day | None = Field(
        default=None,
        description="Last local date of the start (inclusive); without it, `from` + 30 days.",
    )
    created_from: Day | None = Field(
        default=None, description="First local date the order was made (inclusive)."
    )
    created_to: Day | None = Field(default=None, description="Last local date it was made.")
    status: Statuses | None = Field(default=None, description="Statuses, comma-separated.")
    payment_status: PaymentStatuses | None = Field(
        default=None, description="Payment statuses, comma-separated."
    )
    channel: Channels | None = Field(default=None, description="Channels, comma-separated.")
    offering: Id | None = None
    resource: Id | None = Field(default=None, description="A resource serving any line.")
    email: EmailLookup | None = Field(default=None, description="The customer's e-mail, exactly.")
    phone: Phone | None = Field(
        default=None,
        description="The customer's phone, with its country code or as a national number of "
        "the business's country (as booked); one that is no number: 422 `invalid_phone`.",
    )
    name: Name | None = Field(
        default=None,
        description="The start of the customer's name, in any case and with or without accents.",
    )
    reference: Id | None = Field(default=None, description="An order's id.")
    order: Literal["asc", "desc"] = Field(default="asc", description="Sort direction.")
    limit: Annotated[int, Field(ge=1, le=100)] = 50
    cursor: Cursor | None = Field(
        default=None, description="`next_cursor` of the previous page, with the same filters."
    )

    def to_search(self, region: str | None) -> OrderSearch:
        """The search; `region`: the business's country, a national phone's (PROBE 43: the
        console's orders search refused "030 1234567" that the customers page took)."""
        if self.day is not None and (self.from_ is not None or self.to is not None):
            raise InvalidInput("Give `date`, or `from` and `to`, not both.", code="invalid_filter")
        first = self.day if self.day is not None else self.from_
        last = self.day if self.day is not None else self.to
        return OrderSearch(
            reference=self.reference,
            email=self.email.lower() if self.email else None,
            phone=_e164(self.phone, region) if self.phone is not None else None,
            name=self.name,
            resource_id=self.resource,
            offering_id=self.offering,
            statuses=frozenset(BookingStatus(s) for s in _split(self.status)),
            payment_statuses=frozenset(PaymentStatus(s) for s in _split(self.payment_status)),
            channels=frozenset(Channel(c) for c in _split(self.channel)),
            start_from=first,
            start_to=last,
            created_from=self.created_from,
            created_to=self.created_to,
            descending=self.order == "desc",
        )


def _e164(text: str, region: str | None) -> str:
    phone = international(text, region)
    if phone is None:
        raise InvalidInput(
            f"{text!r} is no phone number: write it with its country code, or as a number of "
            "the business's own country.",
            code="invalid_phone",
            field="phone",
        )
    return phone


def _split(text: str | None) -> list[str]:
    return text.split(",") if text else []


class OrderPageOut(Out):
    data: list[OrderOut]
    next_cursor: str | None = Field(
        description="Where the next page starts; null when there is nothing further. A page "
        "may hold fewer than `limit` orders (even none) and still have a next page."
    )
    sorted_by: Literal["start", "name", "created"]
    start_window: dict[str, str] | None = Field(
        default=None,
        description='The start dates searched, `{"from": date, "to": date}` (both '
        "included): `from`/`to` as given, else "
        "today and the next 30 days (the default window); null when no start dates bound "
        "the search (a reference, a name, creation dates, an e-mail, phone or resource alone).",
    )


class DayQueryIn(Query):
    day: Day = Field(alias="date", description="The local date.")


class PrintQueryIn(Query):
    lang: Literal["en", "zh-Hans"] | None = Field(
        default=None, description="The printout's language; by default the business's locale."
    )


class DayPrintQueryIn(DayQueryIn, PrintQueryIn):
    pass


class DayCustomerOut(Out):
    name: str
    email: str
    phone: str | None = None


class DayLineOut(Out):
    role: Literal["arrival", "departure", "in_house", "appointment", "session"]
    order_id: str
    status: str
    payment_status: str
    customer: DayCustomerOut
    offering_id: str
    offering_name: str
    start: str = Field(description="Local start, with offset.")
    end: str = Field(description="Local end, with offset.")
    start_utc: str
    nights: int
    party: int
    quantity: int
    units: int = Field(description="Units of this resource the line takes.")
    note: str = ""
    total: int
    currency: str
    answers: AnswersOut | None = Field(
        default=None, description="The answers to the booking's questions (people: the manifest)."
    )
    room: str | None = Field(
        default=None, description="A stay's room that night (a departure: the night before)."
    )


class SessionOut(Out):
    start: str
    start_utc: str
    end: str = Field(description="Local: the start plus the session's length.")
    capacity: int
    booked: int
    on_sale: bool = Field(
        description="Whether customers may book it: false once called off (a bulk "
        "cancellation of it) or taken off the schedule with bookings still on it."
    )
    called_off: bool = Field(
        default=False,
        description="Called off by the business (a bulk cancellation of it, or `called_off` "
        "in the date's override): it does not run. The day sheet's PDF says so.",
    )
    lines: list[DayLineOut]


class OpenSpanOut(Out):
    start: str = Field(description="Local wall-clock time, HH:MM.")
    end: str = Field(description="Local wall-clock time, HH:MM (24:00: midnight ending the day).")


class DaySheetOut(Out):
    resource_id: str
    resource_name: str
    kind: str
    date: str
    hours: list[OpenSpanOut] = Field(
        description="Timed: its working hours that day (after closures and the date's "
        "override); empty when closed, and for other kinds."
    )
    arrivals: list[DayLineOut] = Field(description="Nightly: stays starting that day.")
    departures: list[DayLineOut] = Field(description="Nightly: stays ending that morning.")
    in_house: list[DayLineOut] = Field(description="Nightly: stays over that night.")
    appointments: list[DayLineOut] = Field(
        description="Timed: the day's bookings by start, then those of the small hours after it "
        "that its hours run on into (before `late_until`; the next day's sheet has them too)."
    )
    late_until: str | None = Field(
        default=None,
        description='Timed: "HH:MM" on the next day to which the day\'s hours run on past '
        "midnight (a bar open 18:00-02:00: 02:00); null when they stop by midnight.",
    )
    sessions: list[SessionOut] = Field(description="Session: the day's sessions and manifest.")
    complete: bool = Field(
        description="False when the resource had more lines that day than one sheet holds "
        "(5,000): the first by start are given."
    )
