"""The staff's availability query: the widget's, and an order being moved, whose own units count
as free (the console's "Change the time" offers half an hour later with the same stylist)."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from chalicelib.booking.api.booking_models import AvailabilityQueryIn, Id


class StaffAvailabilityQueryIn(AvailabilityQueryIn):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    order: Id | None = Field(
        default=None,
        description="An order being moved: the units it holds count as free, as its reschedule "
        "counts them (its own time, and times overlapping it, are offered). 404 "
        "`order_not_found` for no such order.",
    )
