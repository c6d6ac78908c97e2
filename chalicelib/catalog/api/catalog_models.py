"""The field types the catalog's request models share (resource_models, offering_models,
pricing_models): times of day as "HH:MM" in the tenant's zone ("24:00" ends a day), weekdays
mon..sun, labels for skills and tags, the slot grid, basis points and amounts in minor units."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from chalicelib.kernel.domain.money import MAX_AMOUNT

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
# [0-9], not \d: the pattern engine's \d takes any script's digits ("0٩:00").
Time = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["09:00"])]
EndTime = Annotated[
    str, Field(pattern=r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$", examples=["17:00"])
]
SpanIn = tuple[Time, EndTime]
Label = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][\w .&/-]*$")]
SlotMinutes = Literal[5, 10, 15, 20, 30, 60]  # catalog.SLOT_MINUTES
Basis = Annotated[int, Field(ge=-10_000, le=100_000, description="Basis points: 2000 = 20 %.")]
# A single price, fee or change of price is at most what one payment can take.
Amount = Annotated[int, Field(ge=0, le=MAX_AMOUNT, description="Minor units.")]
Change = Annotated[int, Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT, description="Minor units.")]
