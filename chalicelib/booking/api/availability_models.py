"""The availability queries that name an order being moved, whose own units count as free: the
staff's (the console's "Change the time" offers half an hour later with the same stylist) and
the customer's on the widget's manage page, which proves with the order's manage token that
the order is theirs (a 2-night stay moved by one night keeps the night it already holds)."""

from __future__ import annotations

from typing import Annotated

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


class PublicAvailabilityQueryIn(AvailabilityQueryIn):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    order: Id | None = Field(
        default=None,
        description="The customer's own order being moved: the units it holds count as free "
        "for it. Needs the order's manage token (X-Manage-Token or `token`): 403 "
        "`manage_token_required` without one, 404 `order_not_found` for a token that is not "
        "this order's (or no such order). A cancelled or expired order holds nothing: the "
        "answer is then the plain one.",
    )
    token: Annotated[str, Field(min_length=10, max_length=200)] | None = Field(
        default=None, description="The order's manage token, when not sent as X-Manage-Token."
    )
