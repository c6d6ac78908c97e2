"""A line of an order as the API takes it (a booking, the desk's move, the customer's own
move), and the lines in the engine's terms: a start is read in the business's zone here
(local_start.py), so every route that takes lines takes the same starts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from pydantic import Field

from chalicelib.booking.api.local_start import LineStart, wall_start
from chalicelib.booking.domain.orders import RoomStay
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.catalog.api.question_models import AnswersIn
from chalicelib.catalog.api.resource_models import RoomNumber
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.web.models import Body, Day

Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class LineIn(Body):
    offering_id: Id
    start: LineStart | None = Field(default=None, description="Timed and session offerings.")
    check_in: Day | None = Field(default=None, description="Nightly offerings.")
    nights: Annotated[int, Field(ge=1, le=30)] = 1
    party: Annotated[int, Field(ge=1, le=1000)] = 1
    quantity: Annotated[int, Field(ge=1, le=50)] = 1
    resource_ids: dict[Annotated[str, Field(pattern=r"^[0-4]$")], Id] = Field(
        default_factory=dict,
        description='Optional choice per requirement index, e.g. {"0": "res_alex"}.',
    )
    answers: AnswersIn | None = Field(
        default=None,
        description="Answers to the offering's `questions`: `booking` once, `people` one set "
        "per person. On a move, left out: the line's answers are kept.",
    )
    room: RoomNumber | None = Field(
        default=None, description="A stay's room, assigned at once (staff and servers only)."
    )

    def to_input(self, tz: str, index: int = 0) -> LineInput:
        """The line asked, its start read in the business's zone `tz` (local_start.py); the
        line's `index` names it in a refusal (`lines.0.start`)."""
        field = f"lines.{index}.start"
        return LineInput(
            offering_id=self.offering_id,
            party=self.party,
            quantity=self.quantity,
            start=wall_start(self.start, tz, field=field) if self.start else None,
            check_in=self.check_in,
            nights=self.nights,
            resource_ids={int(k): v for k, v in self.resource_ids.items()},
            answers=self.answers.to_domain() if self.answers is not None else None,
            rooms=(RoomStay(self.check_in.isoformat(), self.room),)
            if self.room and self.check_in
            else (),
        )


def refuse_rooms(lines: list[LineIn]) -> None:
    """A customer's booking or move names no room: the desk assigns rooms (422
    `room_not_public`). Said rather than ignored: an ignored room would still make a move
    that changes nothing read as a change."""
    if any(line.room for line in lines):
        raise InvalidInput(
            "The desk assigns rooms; a customer's booking names none.", code="room_not_public"
        )


def line_inputs(lines: Sequence[LineIn], tz: str) -> list[LineInput]:
    """The lines asked, their starts read in the business's zone `tz`."""
    return [line.to_input(tz, index) for index, line in enumerate(lines)]
