"""Request and response models of the report API and the rebuild (README "Reports")."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from chalicelib.reports.domain.rebuilds import Rebuild
from chalicelib.web.models import Body, Out, Query
from chalicelib.web.models import Day as DayText


class ReportQueryIn(Query):
    basis: str = Field(description="booked | service | paid (another: 422 report_invalid).")
    from_: DayText = Field(alias="from", description="The first local date (inclusive).")
    to: DayText = Field(description="The last local date (inclusive); at most 366 days in all.")
    group: str = Field(default="day", description="day | week (ISO, from Monday) | month.")
    by: str | None = Field(default=None, description="channel | offering | resource | staff.")
    compare: Literal["previous"] | None = Field(
        default=None, description="previous: the totals of the range of the same length before."
    )


class CurrencyFiguresOut(Out):
    gross: int
    discounts: int
    refunds: int
    net: int
    tax: int
    payments: dict[str, int] = Field(description="Paid basis: money received per method.")
    adr: int | None = Field(description="Service basis: room revenue over nights sold.")
    revpar: int | None = Field(description="Service basis: room revenue over nights available.")
    room_revenue: int = Field(description="Service basis: the nightly lines' money.")


class ReportFiguresOut(Out):
    bookings: int
    cancellations: int
    no_shows: int
    guests: int
    party_size_average: float | None
    lead_days_average: float | None
    new_customers: int
    returning_customers: int
    units_sold: int
    units_available: int
    occupancy_bp: int | None
    occupancy_by_kind: dict[str, int] = Field(
        description="Service basis, a total's only: occupancy in basis points per kind of "
        "resource with units available (nightly, timed, session), since seats, rooms and "
        "staff time are not one measure."
    )
    nights_sold: int
    money: dict[str, CurrencyFiguresOut]


class ReportRowOut(Out):
    period: str
    key: str | None
    label: str | None
    figures: ReportFiguresOut


class PreviousOut(Out):
    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    totals: ReportFiguresOut


class ReportOut(Out):
    basis: str
    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    group: str
    by: str | None
    zone: str
    updated_at: str | None
    rows: list[ReportRowOut]
    totals: ReportFiguresOut
    previous: PreviousOut | None = None

    @classmethod
    def of(cls, answer: dict[str, Any]) -> ReportOut:
        return cls.model_validate(answer)


class RebuildIn(Body):
    from_: DayText = Field(alias="from", description="The first local date (inclusive).")
    to: DayText = Field(description="The last local date (inclusive); at most 366 days in all.")


class RebuildOut(Out):
    id: str
    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    status: str = Field(description="queued | running | done | failed")
    created_at: str
    updated_at: str
    finished_at: str | None
    orders: int = Field(description="Orders read so far.")
    days: int = Field(description="Day items written (all bases).")
    error: str | None = Field(description="Why a failed rebuild failed; null otherwise.")

    @classmethod
    def of(cls, job: Rebuild) -> RebuildOut:
        return cls.model_validate(
            {
                "id": job.id,
                "from": job.first,
                "to": job.last,
                "status": job.status,
                "created_at": job.created_at,
                "updated_at": job.updated_at,
                "finished_at": job.finished_at,
                "orders": job.orders,
                "days": job.days,
                "error": job.error,
            }
        )
