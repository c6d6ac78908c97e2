"""The staff's cancel body: who calls the booking off, and whether the business waives the
policy's fee (a manager's or owner's decision: booking/services/cancellation_terms.terms_for);
the customer's, which may ask to give back a hold only (the widget's "Choose another time")."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chalicelib.booking.api.booking_models import CancelIn


class StaffCancelIn(CancelIn):
    by: Literal["customer", "business"] = Field(
        default="customer",
        description="`business`: the business calls it off (weather, closure, overbooking): "
        "no fee, everything paid is refunded, the customer is told so. Needs a `reason`.",
    )
    waive_fee: bool = Field(
        default=True,
        description="With `by: business`: true waives the cancellation policy's fee (a "
        "manager's or owner's decision: a staff caller gets 403 `waiver_needs_manager` when "
        "the policy has a fee to waive); false keeps the policy's fee, as the customer's "
        "cancellation would, and staff may.",
    )


class PublicCancelIn(CancelIn):
    release: bool = Field(
        default=False,
        description="true: give back a hold only, as the widget's \"Choose "
        'another time" does: an order no longer held (its payment confirmed it meanwhile) is '
        "409 `no_longer_held` and stays as it is; one already given back or run out is "
        "answered as it is.",
    )
