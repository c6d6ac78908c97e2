"""Request and response models of overbooking conflicts (channels/api/conflicts.py)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from chalicelib.booking.api.booking_models import OrderOut
from chalicelib.web.models import Body, MultiLine, Out

ResourceId = Annotated[
    str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")
]


class ResolveIn(Body):
    action: Literal["move", "relocate"] = Field(
        description="move: the guest takes a free unit now (on `resource_id`, else any that "
        "can serve the stay; 409 `no_free_unit` when none is free). relocate: the guest was "
        "placed elsewhere; the order is cancelled by the business (no fee)."
    )
    resource_id: ResourceId | None = Field(default=None, description="move only.")
    note: Annotated[str, Field(max_length=500), MultiLine] = Field(
        default="", description="relocate only."
    )

    @model_validator(mode="after")
    def _fits_action(self) -> ResolveIn:
        if self.action == "relocate" and self.resource_id is not None:
            raise ValueError("resource_id goes with move, not relocate")
        return self


class OverbookingListOut(Out):
    data: list[OrderOut] = Field(description="The open conflicts, by arrival.")
