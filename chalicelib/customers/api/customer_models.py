"""Request and response models of the customers' routes."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from chalicelib.booking.api.booking_models import Id, OrderOut
from chalicelib.customers.domain.figures import usual
from chalicelib.customers.domain.merges import Merge
from chalicelib.customers.domain.records import CustomerRecord, Note
from chalicelib.tenancy.api.business_models import AddressIn, AddressOut
from chalicelib.web.cursors import CursorShape
from chalicelib.web.models import (
    Body,
    EmailLookup,
    MultiLine,
    Name,
    OneLine,
    Out,
    Phone,
    Query,
)

Cursor = Annotated[str, CursorShape(r"^[A-Za-z0-9_=-]+$", 400)]
Limit = Annotated[int, Field(ge=1, le=100)]
Short = Annotated[str, Field(max_length=120), OneLine]


def _real_day(text: str) -> str:
    """A birthday that is a day of the calendar (29 February without a year: yes)."""
    year = 2000 if text.startswith("--") else int(text[:4])
    try:
        date(year, int(text[-5:-3]), int(text[-2:]))
    except ValueError:
        raise ValueError("is not a day of the calendar") from None
    return text


Birthday = Annotated[
    str,
    Field(
        pattern=r"^([0-9]{4}|-)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        description="yyyy-mm-dd, or --mm-dd when the year is not known.",
        examples=["1990-04-17", "--04-17"],
    ),
    AfterValidator(_real_day),
]
Language = Annotated[str, Field(max_length=35, pattern=r"^([A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*)?$")]
Tag = Annotated[str, Field(min_length=1, max_length=40), OneLine]
PrefKey = Annotated[str, Field(min_length=1, max_length=60), OneLine]
PrefValue = Annotated[str, Field(max_length=500)]


class CustomerSearchIn(Query):
    email: EmailLookup | None = Field(default=None, description="The customer's e-mail, exactly.")
    phone: Phone | None = Field(
        default=None,
        description="The phone, with its country code or as a number of the business's country.",
    )
    name: Name | None = Field(default=None, description="The start of the name, in any case.")
    duplicates: bool = Field(
        default=False, description="Instead: the records flagged as possible duplicates."
    )
    cursor: Cursor | None = None
    limit: Limit = 20


class PageIn(Query):
    cursor: Cursor | None = None
    limit: Limit = 20


class CustomerPatchIn(Body):
    name: Name | None = None
    language: Language | None = None
    birthday: Birthday | Literal[""] | None = None
    address: AddressIn | None = None
    preferences: dict[PrefKey, PrefValue] | None = Field(
        default=None, description="Replaces the preferences (free text by key)."
    )
    tags: list[Tag] | None = Field(default=None, max_length=30, description="Replaces the tags.")
    marketing: bool | None = Field(
        default=None, description="Marketing consent, recorded now as given to staff."
    )


class NoteIn(Body):
    text: Annotated[str, Field(min_length=1, max_length=4000), MultiLine]


class MergeIn(Body):
    loser: Id = Field(description="The duplicate record, merged into the one in the path.")


class CountOut(Out):
    id: str
    count: int


class FiguresOut(Out):
    bookings: int
    visits: int = Field(description="Bookings the customer was checked in for.")
    spend: int = Field(
        description="Minor units of the business's currency: what completed bookings billed, "
        "less refunds."
    )
    cancellations: int
    no_shows: int
    first_visit: str | None
    last_visit: str | None
    usual_offerings: list[CountOut]
    usual_staff: list[CountOut]
    usual_hours: list[CountOut] = Field(description="Local hours of day (00-23) of visits.")


class ConsentOut(Out):
    granted: bool
    source: str
    at: str


class EmailBounceOut(Out):
    email: str = Field(description="The address that bounced (the record's e-mail).")
    at: str


class NoteOut(Out):
    id: str
    # The customer it is written on: it also names the customer in the note's idempotency
    # record (`IDEMFOR#<customer id>`, web/idempotency_store.py), so an erase scrubs its text.
    customer_id: str
    text: str
    at: str
    by: str
    by_name: str

    @classmethod
    def of(cls, n: Note) -> NoteOut:
        return cls(
            id=n.id, customer_id=n.customer_id, text=n.text, at=n.at, by=n.by, by_name=n.by_name
        )


def _counts(pairs: list[tuple[str, int]]) -> list[CountOut]:
    return [CountOut(id=k, count=n) for k, n in pairs]


class CustomerRecordOut(Out):
    id: str
    version: int
    name: str
    email: str
    phone: str
    locale: str
    language: str
    birthday: str
    address: AddressOut
    preferences: dict[str, str]
    tags: list[str]
    consent: ConsentOut | None
    figures: FiguresOut
    merged_from: list[str]
    possible_duplicates: list[str]
    email_bounced: EmailBounceOut | None = Field(
        default=None,
        description="The mail service refused the record's e-mail for good (a permanent "
        "bounce): campaigns skip it until staff change the e-mail.",
    )
    created_at: str
    updated_at: str
    notes: list[NoteOut] | None = Field(
        default=None, description="The newest notes (on a single customer's answer)."
    )

    @classmethod
    def of(cls, c: CustomerRecord, notes: list[Note] | None = None) -> CustomerRecordOut:
        p, f = c.profile, c.figures
        return cls(
            id=c.id,
            version=c.version,
            name=p.name,
            email=p.email,
            phone=p.phone,
            locale=p.locale,
            language=p.language,
            birthday=p.birthday,
            address=AddressOut.of(p.address),
            preferences=dict(c.preferences),
            tags=list(c.tags),
            consent=None
            if c.consent is None
            else ConsentOut(
                granted=c.consent.granted, source=c.consent.source.value, at=c.consent.at
            ),
            figures=FiguresOut(
                bookings=f.bookings,
                visits=f.visits,
                spend=f.spend,
                cancellations=f.cancellations,
                no_shows=f.no_shows,
                first_visit=f.first_visit or None,
                last_visit=f.last_visit or None,
                usual_offerings=_counts(usual(f.offerings)),
                usual_staff=_counts(usual(f.staff)),
                usual_hours=_counts(usual(f.hours)),
            ),
            merged_from=list(c.merged_from),
            possible_duplicates=list(c.possible_duplicates),
            email_bounced=EmailBounceOut(email=c.email_bounce.email, at=c.email_bounce.at)
            if c.email_bounce is not None and c.email_bouncing
            else None,
            created_at=c.created_at,
            updated_at=c.updated_at,
            notes=None if notes is None else [NoteOut.of(n) for n in notes],
        )


class CustomersOut(Out):
    data: list[CustomerRecordOut]
    next_cursor: str | None


class CustomerOrdersOut(Out):
    customer_id: str
    data: list[OrderOut]
    next_cursor: str | None


class MergeOut(Out):
    winner: str
    loser: str
    status: str
    at: str
    by: str
    figures_moved: bool
    notes_moved: bool
    orders_moved: int
    finished_at: str | None

    @classmethod
    def of(cls, m: Merge) -> MergeOut:
        return cls(
            winner=m.winner_id,
            loser=m.loser_id,
            status=m.status.value,
            at=m.at,
            by=m.by,
            figures_moved=m.figures_moved,
            notes_moved=m.notes_moved,
            orders_moved=m.orders_moved,
            finished_at=m.finished_at or None,
        )
