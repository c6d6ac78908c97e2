"""Request and response models of availability and orders."""

from __future__ import annotations

from datetime import date as LocalDay
from typing import Annotated, Any

from pydantic import ConfigDict, Field

from chalicelib.booking.api.folio_out import FolioLineOut
from chalicelib.booking.api.line_models import Id as Id
from chalicelib.booking.api.line_models import LineIn as LineIn
from chalicelib.booking.api.line_models import refuse_rooms as refuse_rooms
from chalicelib.booking.api.line_out_models import (
    LineOut,
    PriceItemOut,
    PriceOut,
    ServerOut,
    line_out,
)
from chalicelib.booking.api.local_start import LocalStart as LocalStart
from chalicelib.booking.api.partner_models import PartnerOut, partner_out
from chalicelib.booking.api.redeem_models import PriceFields
from chalicelib.booking.domain.availability import local_iso
from chalicelib.booking.domain.order_money import balance, received, refunded
from chalicelib.booking.domain.orders import BookingStatus, Order, PaymentStatus
from chalicelib.booking.domain.placement import Placement
from chalicelib.booking.domain.plan_fit import fitted
from chalicelib.catalog.api.question_models import LocaleTag
from chalicelib.catalog.domain.pricing import deposit_due, price_line
from chalicelib.web.models import Body, Day, Email, MultiLine, Name, OneLine, Out, Phone, Query


class AvailabilityQueryIn(Query):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    offering: Id
    from_: Day = Field(alias="from", description="First local date (inclusive).")
    to: Day = Field(description="Last local date (exclusive).")
    party: Annotated[int, Field(ge=1, le=1000)] | None = Field(
        default=None,
        description="How many people (absent: the offering's smallest party, not 1, which an "
        "offering for 3 to 4 refused: an outside tester's).",
    )
    nights: Annotated[int, Field(ge=1, le=30)] = 1
    quantity: Annotated[int, Field(ge=1, le=50)] = 1
    tz: Annotated[str, Field(min_length=1, max_length=64)] | None = Field(
        default=None, description="The caller's IANA time zone, to show starts in it too."
    )
    resource: Id | None = Field(
        default=None,
        description="Only options where this resource serves the offering's first requirement "
        "(a staff member the customer chose; the offering's `resource_choices` list them).",
    )


class OptionOut(Out):
    start: str = Field(description="Local start with offset, e.g. 2026-12-24T10:00+01:00.")
    end: str
    date: str
    caller_start: str | None = None
    remaining: int = Field(description="Units free now for this start (rooms, seats, staff).")
    price: PriceOut
    resources: list[ServerOut]


class AvailabilityOut(Out):
    offering_id: str
    kind: str
    timezone: str
    currency: str
    party: int
    options: list[OptionOut]


def option_out(
    placement: Placement, *, tz: str, currency: str, caller_tz: str | None, today: LocalDay | None
) -> OptionOut:
    offering = placement.request.offering
    price = price_line(
        offering.pricing,
        days=list(placement.days),
        party=placement.request.party,
        quantity=placement.request.quantity,
        duration_minutes=int((placement.end - placement.start).total_seconds() // 60),
    )
    return OptionOut(
        start=local_iso(placement.start, tz),
        end=local_iso(placement.end, tz),
        date=placement.local_date.isoformat(),
        caller_start=local_iso(placement.start, caller_tz) if caller_tz else None,
        remaining=placement.remaining,
        price=PriceOut(
            currency=currency,
            items=[
                PriceItemOut(label=i.label, unit_amount=i.unit_amount, quantity=i.quantity)
                for i in price.items
            ],
            subtotal=price.subtotal,
            tax=price.tax,
            total=price.total,
            tax_inclusive=price.tax_inclusive,
            # What holding it would ask as the deposit, as the hold's own line says (an
            # outside tester read 0 here and 186.18 on the hold); a plan's first part, the
            # whole when no later part fits before the service (booked `today`, local).
            deposit=deposit_due(
                offering.deposit, price.total, booked_on=today, start_day=placement.local_date
            ),
        ),
        resources=[
            ServerOut(requirement=c.requirement, resource_id=c.resource.id, name=c.resource.name)
            for c in placement.choices
        ],
    )


# -- orders --------------------------------------------------------------------------------


class CustomerIn(Body):
    name: Name
    email: Email | None = None  # answered as "" where none was given (a phone booking)
    phone: Phone | None = Field(
        default=None,
        description="With its country code (+447700900123), or a national number of the "
        "business's country (07700 900123); answered in E.164. A number that is none: 422 "
        "`invalid_phone`. The desk books by phone with no `email` (the widget needs one: 422 "
        "`missing_email`); with neither: 422 `missing_contact`.",
    )
    locale: LocaleTag | None = None  # `en`, `zh-Hans`, `pt-BR`: anything else is 422


def agreed_total(what: str) -> Any:
    """`expected_total` of a change the desk or the customer is shown a quote of first
    (booking/domain/price_agreed.py): the price they said yes to is the price it is made at."""
    return Field(
        default=None,
        ge=0,
        le=10**12,
        description=f"The total the {what}'s quote said (minor units): when the {what} would "
        "make another (a price changed meanwhile), 409 `price_changed` with `total`, nothing "
        "changed.",
    )


class OrderIn(PriceFields):
    customer: CustomerIn
    lines: Annotated[list[LineIn], Field(min_length=1, max_length=20)]
    note: Annotated[str, Field(max_length=1000), MultiLine] = ""


class RescheduleIn(Body):
    lines: Annotated[list[LineIn], Field(min_length=1, max_length=20)]
    quote: bool = Field(
        default=False,
        description="true: answer the order as the move would make it (its new lines, who "
        "serves them, its total and deposit) and change nothing; the same version answered.",
    )
    expected_total: int | None = agreed_total("move")


class StayIn(Body):
    nights: Annotated[int, Field(ge=1, le=30)] = Field(
        description="The stay's new length in nights, from its same check-in date: more to "
        "extend, fewer to shorten or leave early (a checked-in guest keeps the nights begun)."
    )
    line: Annotated[int, Field(ge=0, le=19)] = Field(
        default=0, description="Which line of the order is the stay (0: the first)."
    )
    quote: bool = Field(
        default=False,
        description="true: answer the order as the change would make it (the nights gained "
        "priced now, those kept at their booked prices: its new total and deposit) and change "
        "nothing; the same version answered.",
    )
    expected_total: int | None = agreed_total("change")


class ActionIn(Body):
    """The body of a status change: nothing is required (send `{}` or nothing)."""


class CancelIn(Body):
    reason: Annotated[str, Field(max_length=500), OneLine] = ""
    quote: bool = Field(
        default=False,
        description="true: answer the order as cancelling it now would make it (its "
        "`cancellation`: `fee`, `refundable`, `refund`, and of the refund `card_back`, what "
        "goes back by itself to the card or gift card paid with, and `desk_back`, what the "
        "business owes back of what its desk took and of a gift card it disabled) and change "
        "nothing, so the terms are shown before anyone confirms.",
    )


class CustomerOut(Out):
    name: str
    email: str
    phone: str | None = None
    phone_display: str | None = Field(
        default=None,
        description="The phone grouped as its country writes it (+81 90-1234-5678): to show.",
    )
    locale: str | None = None
    sms: bool = Field(
        default=False, description="Whether text messages go to this phone (else e-mail only)."
    )
    sms_refused: str | None = Field(
        default=None,
        description="Why not: no_phone, invalid_number, not_mobile (a landline, premium rate, "
        "shared cost...), international_network (satellite...), country_not_allowed "
        "(see the tenant's settings.sms_countries).",
    )
    erased: bool = Field(
        default=False,
        description="The customer was erased: `email` is a placeholder nobody reads, and no "
        "contact of theirs is kept.",
    )


class TotalsOut(Out):
    subtotal: int
    tax: int
    total: int
    deposit_due: int
    paid: int = Field(
        description="What the order keeps of the money that came in: received less given back. "
        "A booking moved after its deposit was paid asks a new deposit; this says what was paid."
    )
    owed_back: int = Field(
        0, description="While `refund_due`: what is owed back to the customer (else 0)."
    )


class OrderOut(Out):
    id: str
    status: str
    payment_status: str
    version: int
    channel: str
    currency: str
    customer: CustomerOut
    lines: list[LineOut]
    charges: list[FolioLineOut] = Field(
        default_factory=list,
        description="The folio's live extra charges and discounts, counted in the totals.",
    )
    totals: TotalsOut
    hold_expires_at: str | None = None
    created_at: str
    updated_at: str
    note: str = ""
    cancellation: dict[str, Any] | None = None
    manage_token: str | None = Field(
        default=None, description="Only on a new order: lets the customer manage it."
    )
    partner: PartnerOut | None = Field(default=None, description="A channel partner's order.")
    overbooked: bool = Field(
        default=False,
        description="An overbooking conflict: a partner's booking that holds no units yet.",
    )
    plan: list[PlanPartOut] = Field(
        default_factory=list,
        description="An instalment plan's parts once the booking is confirmed (empty: none), "
        "the first paid at booking: the booked and manage pages say 'First instalment paid', "
        "not 'Deposit paid'.",
    )


class PlanPartOut(Out):
    due: str = Field(description="The business's local date it is taken.")
    amount: int


def order_out(
    order: Order,
    tz: str,
    manage_token: str | None = None,
    *,
    sms_countries: frozenset[str] = frozenset(),
) -> OrderOut:
    from chalicelib.tenancy.services.phones import readable, sms_refusal

    c = order.customer
    refused = sms_refusal(c.phone, sms_countries)
    return OrderOut(
        id=order.id,
        status=order.status.value,
        payment_status=order.payment_status.value,
        version=order.version,
        channel=order.channel.value,
        currency=order.currency,
        customer=CustomerOut(
            name=c.name,
            email=c.email,
            phone=c.phone,
            phone_display=readable(c.phone),
            locale=c.locale,
            sms=refused is None,
            sms_refused=refused,
            erased=c.erased,
        ),
        lines=[line_out(line, tz, order.currency) for line in order.lines],
        charges=[FolioLineOut.of(c) for c in order.charges if c.live],
        totals=TotalsOut(
            subtotal=order.subtotal,
            tax=order.tax,
            total=order.total,
            deposit_due=0 if order.status is BookingStatus.NO_SHOW else order.deposit,
            paid=received(order) - refunded(order),
            owed_back=max(0, -balance(order))
            if order.payment_status is PaymentStatus.REFUND_DUE
            else 0,
        ),
        hold_expires_at=order.hold_expires_at,
        created_at=order.created_at,
        updated_at=order.updated_at,
        note=order.note,
        cancellation=order.cancellation,
        manage_token=manage_token,
        partner=partner_out(order),
        overbooked=order.overbooked,
        # The plan that will be charged: a reviewer's move answered the plan as it was while
        # the stored one followed the new total (a quote's too: it is never written).
        plan=[PlanPartOut(due=i.due, amount=i.amount) for i in fitted(order, tz).plan],
    )


class ManageQueryIn(Query):
    token: Annotated[str, Field(min_length=10, max_length=200)] | None = None
