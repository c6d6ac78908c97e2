"""Request and response models of the day's takings."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from chalicelib.payments.domain.takings import Close, Day, Entry, Figures
from chalicelib.payments.services.takings import DayView, TakingsLine
from chalicelib.web.cursors import INSTANT_AND_ID, CursorShape
from chalicelib.web.models import Body, Out, Query
from chalicelib.web.models import Day as DayText

Amount = Annotated[int, Field(ge=0, le=100_000_000_000)]
OtherTender = Literal["card_terminal", "bank_transfer", "gift_card", "other"]


class TakingsRangeQueryIn(Query):
    from_: DayText = Field(alias="from", description="The first local date (inclusive).")
    to: DayText = Field(description="The last local date (inclusive); at most 62 days in all.")


class TakingsDayQueryIn(Query):
    limit: Annotated[int, Field(ge=1, le=500)] = 100
    after: Annotated[str, CursorShape(INSTANT_AND_ID, 120)] | None = Field(
        default=None, description="`next_after` of the previous page of entries."
    )


class CloseIn(Body):
    counted_cash: Amount = Field(
        description="The cash counted in the drawer, minor units (the float included)."
    )
    counted_other: dict[OtherTender, Amount] = Field(
        default_factory=dict,
        description="What the card terminal's report (or the bank, the vouchers) says, per"
        " method; a method left out is not compared.",
    )
    float_left: Amount = Field(
        default=0,
        description="The cash left in the drawer for tomorrow (its opening float), at most"
        " what was counted.",
    )
    note: Annotated[str, Field(max_length=300)] = ""


class MethodOut(Out):
    method: str
    taken: int = Field(
        description="Money in that paid orders (payments) and gift cards sold at the desk, "
        "minor units."
    )
    given_back: int = Field(description="Money out (refunds), minor units.")
    tips: int = Field(
        default=0, description="Tips taken with the payments: the staff's, not the orders'."
    )
    net: int = Field(description="What the method holds: taken plus tips less given back.")
    expected: int = Field(description="Cash: the opening float plus the net; others: the net.")
    counted: int | None = Field(default=None, description="Once closed, when counted.")
    difference: int | None = Field(default=None, description="Counted less expected.")

    @classmethod
    def of(cls, f: Figures) -> MethodOut:
        return cls(
            method=f.method,
            taken=f.taken,
            given_back=f.given_back,
            tips=f.tips,
            net=f.net,
            expected=f.expected,
            counted=f.counted,
            difference=f.difference,
        )


class StaffMethodTakingsOut(Out):
    method: str
    taken: int
    given_back: int
    tips: int = Field(default=0, description="The tips this staff member took this way.")


class StaffTakingsOut(Out):
    taken_by: str = Field(description="A login's e-mail, or a key's id.")
    methods: list[StaffMethodTakingsOut]


class EntryOut(Out):
    id: str
    at: str
    direction: Literal["in", "out"]
    method: str
    amount: int
    tip: int = Field(default=0, description="A payment's tip, on top of `amount`.")
    taken_by: str
    order_id: str
    reference: str
    cursor: str

    @classmethod
    def of(cls, e: Entry) -> EntryOut:
        return cls(
            id=e.id,
            at=e.at,
            direction=e.direction.value,
            method=e.method,
            amount=e.amount,
            tip=e.tip,
            taken_by=e.taken_by,
            order_id=e.order_id,
            reference=e.reference,
            cursor=f"{e.at}#{e.id}",
        )


class CloseOut(Out):
    closed_at: str
    closed_by: str
    entries: int
    float_left: int
    note: str

    @classmethod
    def of(cls, c: Close | None) -> CloseOut | None:
        if c is None:
            return None
        return cls(
            closed_at=c.closed_at,
            closed_by=c.closed_by,
            entries=c.entries,
            float_left=c.float_left,
            note=c.note,
        )


class TakingsDayOut(Out):
    date: str
    currency: str
    closed: bool
    close: CloseOut | None = None
    entry_count: int
    opening_float: int = Field(description="The cash the drawer started with.")
    float_from: str | None = Field(
        default=None, description="The closed day the opening float was left by (open days)."
    )
    methods: list[MethodOut]
    tips: int = Field(default=0, description="The day's tips, all methods.")
    staff: list[StaffTakingsOut]
    entries: list[EntryOut]
    next_after: str | None = Field(
        default=None, description="Pass as `after` for the next page of entries."
    )
    complete: bool = Field(description="False: the staff figures count the first 5,000 only.")

    @classmethod
    def of(cls, v: DayView, currency: str) -> TakingsDayOut:
        return cls(
            date=v.day.day,
            currency=currency,
            closed=v.day.closed,
            close=CloseOut.of(v.day.close),
            entry_count=v.day.entries,
            opening_float=v.opening_float,
            float_from=v.float_from,
            methods=[MethodOut.of(f) for f in v.figures],
            tips=sum(f.tips for f in v.figures),
            staff=[
                StaffTakingsOut(
                    taken_by=who,
                    methods=[
                        StaffMethodTakingsOut(method=m, taken=i, given_back=o, tips=t)
                        for m, (i, o, t) in per.items()
                    ],
                )
                for who, per in v.staff.items()
            ],
            entries=[EntryOut.of(e) for e in v.entries],
            next_after=v.next_after,
            complete=v.complete,
        )


class TakingsDaySummaryOut(Out):
    date: str
    closed: bool
    entry_count: int
    closed_by: str | None = None
    methods: list[MethodOut]
    tips: int = Field(default=0, description="The day's tips, all methods.")

    @classmethod
    def of(cls, line: TakingsLine) -> TakingsDaySummaryOut:
        d: Day = line.day
        return cls(
            date=d.day,
            closed=d.closed,
            entry_count=d.entries,
            closed_by=d.close.closed_by if d.close else None,
            methods=[MethodOut.of(f) for f in line.figures],
            tips=sum(f.tips for f in line.figures),
        )


class TakingsListOut(Out):
    currency: str
    data: list[TakingsDaySummaryOut] = Field(
        description="The days with takings or a close, in date order (days without are left out)."
    )
