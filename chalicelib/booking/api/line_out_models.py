"""What an order's line answers (and an option's price and servers, which a line's share):
its time, party, price, rooms, and the resources that serve it, each saying whether the guest
chose it."""

from __future__ import annotations

from pydantic import Field

from chalicelib.booking.domain.orders import Line
from chalicelib.catalog.api.offering_models import RefundTierOut
from chalicelib.catalog.api.question_models import AnswersOut
from chalicelib.kernel.domain.calendar import parse_iso_utc, to_local
from chalicelib.web.models import Out


class PriceItemOut(Out):
    label: str
    unit_amount: int
    quantity: int


class PriceOut(Out):
    currency: str
    items: list[PriceItemOut]
    subtotal: int
    tax: int
    total: int
    tax_inclusive: bool
    deposit: int = 0


class ServerOut(Out):
    requirement: int
    resource_id: str
    name: str


class LineServerOut(ServerOut):
    chosen: bool = Field(
        description="The guest named this resource when booking or moving (the stylist they "
        "picked, the table they asked for): true. False where the business arranged it (a "
        "tour's departure, a room type, the stylist given to an 'anyone' booking, a basin): "
        "what to name to the customer, as the customer's messages name it."
    )


class RoomStayOut(Out):
    first_night: str
    room: str


class LineOut(Out):
    offering_id: str
    offering_name: str
    start: str
    end: str
    start_utc: str
    end_utc: str
    date: str
    party: int
    quantity: int
    nights: int
    resources: list[LineServerOut]
    price: PriceOut
    answers: AnswersOut | None = None
    rooms: list[RoomStayOut] = Field(
        default=[], description="A stay's rooms: each from its first night until the next."
    )
    cancellation: list[RefundTierOut] | None = Field(
        default=None,
        description="The cancellation tiers the line was booked under, which it keeps when "
        "the offering's change (a move keeps them too); null for a line booked before they "
        "were kept: the offering's as they are apply.",
    )


def line_out(line: Line, tz: str, currency: str) -> LineOut:
    start, end = parse_iso_utc(line.start), parse_iso_utc(line.end)
    # A line kept before `chosen` was recorded names nothing as chosen, as its messages do.
    chosen = line.chosen or ()
    return LineOut(
        offering_id=line.offering_id,
        offering_name=line.offering_name,
        start=line.local_start,
        end=to_local(end, tz).isoformat(timespec="minutes"),
        start_utc=start.isoformat().replace("+00:00", "Z"),
        end_utc=end.isoformat().replace("+00:00", "Z"),
        date=line.local_date,
        party=line.party,
        quantity=line.quantity,
        nights=line.nights,
        resources=[
            LineServerOut(
                requirement=a.requirement,
                resource_id=a.resource_id,
                name=a.resource_name,
                chosen=a.requirement in chosen,
            )
            for a in line.allocations
        ],
        price=PriceOut(
            currency=currency,
            items=[
                PriceItemOut(label=a, unit_amount=b, quantity=c) for a, b, c in line.price_items
            ],
            subtotal=line.subtotal,
            tax=line.tax,
            total=line.total,
            tax_inclusive=line.total == line.subtotal,
            deposit=line.deposit,
        ),
        answers=None if line.answers.empty else AnswersOut.of(line.answers),
        rooms=[RoomStayOut(first_night=r.first_night, room=r.room) for r in line.rooms],
        cancellation=None
        if line.refund_tiers is None
        else [RefundTierOut(hours_before=h, refund_bp=bp) for h, bp in line.refund_tiers],
    )
