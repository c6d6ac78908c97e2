"""Planning an order's lines: each line as the caller asked for it (LineInput), checked, placed
by the domain on the buckets as read now (one Query per candidate resource), priced, and
turned into the order's Line; later lines see the units earlier lines take. The plan's
commit, and planning again when it loses, are the use cases' (booking/services/booking.py,
booking/services/orders.py with booking/services/replanning.py).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import field, replace
from datetime import date, datetime, timedelta

from chalicelib.booking.domain.availability import local_iso
from chalicelib.booking.domain.blocks import BlockStatus
from chalicelib.booking.domain.fits import check_fits
from chalicelib.booking.domain.orders import Allocation, Line, RoomStay
from chalicelib.booking.domain.placement import LineRequest, Placement, plan_line
from chalicelib.booking.domain.room_nights import check_room_stay, stay_resource
from chalicelib.booking.services.availability import Used, load_used, now_utc, reach_minutes
from chalicelib.booking.services.chosen import check_chosen
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.catalog.domain.catalog import MAX_SHARDS, Offering, Resource, ResourceKind
from chalicelib.catalog.domain.inventory import BucketRef, Take, split_shard
from chalicelib.catalog.domain.pricing import deposit_due, price_line
from chalicelib.catalog.domain.questions import NO_ANSWERS, Answers, check_answers, keep_answers
from chalicelib.catalog.services.catalog_view import CatalogSnapshot
from chalicelib.kernel.domain.calendar import FIRST_DAY, LAST_DAY, iso_utc, local_date
from chalicelib.kernel.domain.errors import InvalidInput, SlotUnavailable
from chalicelib.kernel.domain.money import check_chargeable
from chalicelib.kernel.domain.tenant import BusinessType
from chalicelib.kernel.domain.values import value


@value
class LineInput:
    offering_id: str
    party: int = 1
    quantity: int = 1
    start: datetime | None = None  # naive local wall clock
    check_in: date | None = None
    nights: int = 1
    resource_ids: Mapping[int, str] = field(default_factory=dict)
    already_booked: bool = False  # a stay changing its length (placement.LineRequest)
    answers: Answers | None = None  # to the offering's questions (catalog/domain/questions.py)
    # The answers are the line's own, kept from before (a move, a stay change): taken as they
    # were given, not checked again against questions the offering may since have changed.
    answers_kept: bool = False
    rooms: tuple[RoomStay, ...] = ()  # a stay's rooms (booking/domain/room_nights.py)
    block_id: str = ""  # a room block's guest: its nights inside the block are the block's
    # The requirements whose resource the guest named (`Line.seen`). None: those of
    # `resource_ids` (a booking, the booker's own move); the desk's move keeps the old line's.
    chosen: tuple[int, ...] | None = None


def line_from_placement(
    placement: Placement, offering: Offering, tz: str, today: date | None = None
) -> Line:
    """`today`: the business's local day it is booked on, for a plan's first part (the whole
    when no later part fits before the service); None: the plan as the offering states it."""
    request = placement.request
    price = price_line(
        offering.pricing,
        days=list(placement.days),
        party=request.party,
        quantity=request.quantity,
        duration_minutes=int((placement.end - placement.start).total_seconds() // 60),
    )
    return Line(
        offering_id=offering.id,
        offering_name=offering.name,
        start=iso_utc(placement.start),
        end=iso_utc(placement.end),
        local_start=local_iso(placement.start, tz),
        local_date=placement.local_date.isoformat(),
        party=request.party,
        quantity=request.quantity,
        nights=len(placement.days) if offering.kind is ResourceKind.NIGHTLY else 0,
        allocations=tuple(
            Allocation(c.requirement, c.resource.id, c.resource.name, c.takes)
            for c in placement.choices
        ),
        price_items=tuple((i.label, i.unit_amount, i.quantity) for i in price.items),
        subtotal=price.subtotal,
        tax=price.tax,
        total=price.total,
        deposit=deposit_due(
            offering.deposit, price.total, booked_on=today, start_day=placement.local_date
        ),
        tax_bp=offering.pricing.tax_bp,
        tax_inclusive=price.tax_inclusive,
        refund_tiers=tuple((t.hours_before, t.refund_bp) for t in offering.cancellation.tiers),
    )


def _request(
    line: LineInput,
    offering: Offering,
    candidates: Sequence[Sequence[Resource]],
    snapshot: CatalogSnapshot,
    notice: bool = True,
    held: dict[tuple[str, str], int] | None = None,
) -> LineRequest:
    """The line as the domain plans it, once it names what its kind needs (a line that does
    not is a 422 before anything is read) and only resources that can serve it."""
    if offering.kind is ResourceKind.NIGHTLY:
        if line.check_in is None:
            raise InvalidInput("A stay needs check_in.", code="missing_check_in")
        day, name = line.check_in, "check_in"
    elif line.start is None:
        raise InvalidInput("A booking needs start.", code="missing_start")
    else:
        day, name = line.start.date(), "start"
        _runs_once(offering, line.start)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput(f"{name} is in 2000 to 2999.", code="date_out_of_range", field=name)
    check_chosen(line.resource_ids, offering, candidates, snapshot)
    if offering.kind is not ResourceKind.NIGHTLY:  # a stay's rooms: per night, as sold
        check_fits(offering, candidates, line.resource_ids, line.party, line.quantity, day)
    return LineRequest(
        offering,
        line.party,
        line.quantity,
        start_local=line.start,
        check_in=line.check_in,
        nights=line.nights,
        preferred=dict(line.resource_ids),
        already_booked=line.already_booked,
        notice=notice,
        held=held or {},
    )


def _runs_once(offering: Offering, start: datetime) -> None:
    """A session runs at its time's first instant, also on the night the clocks go back: a
    start whose offset names the repeated hour's second one (`fold`, booking/api/
    local_start.py) is no session, and would otherwise be sold as a second departure."""
    if start.fold and offering.kind is ResourceKind.SESSION:
        raise SlotUnavailable(
            "A session runs once, at the first of the two times the clocks show "
            f"{start.isoformat(timespec='minutes')}: send the other offset, or none.",
            start=start.isoformat(timespec="minutes"),
        )


def _line_days(request: LineRequest) -> tuple[date, date]:
    """The local days whose buckets a line can touch (the stay's nights, or the start's day).
    `_request` has made sure the line names its time; never an assert on a request."""
    if request.offering.kind is ResourceKind.NIGHTLY:
        if request.check_in is None:
            raise InvalidInput("A stay needs check_in.", code="missing_check_in")
        return request.check_in, request.check_in + timedelta(days=max(1, request.nights))
    if request.start_local is None:
        raise InvalidInput("A booking needs start.", code="missing_start")
    day = request.start_local.date()
    return day, day + timedelta(days=1)


def _add(used: Used, takes: Iterable[Take], sign: int = 1) -> None:
    for take in takes:
        bucket = used.setdefault(take.bucket.resource_id, {})
        bucket[take.bucket.key] = bucket.get(take.bucket.key, 0) + sign * take.units


def plan_lines(
    ctx: BookingContext,
    snapshot: CatalogSnapshot,
    lines: Sequence[LineInput],
    *,
    consistent: bool,
    own: Iterable[Take] = (),
    avoid: AbstractSet[tuple[str, str]] = frozenset(),
    notice: bool = True,
) -> tuple[list[Line], dict[str, int]]:
    """Place every line; later lines see the units earlier lines take. `own`: units this
    order already holds (a reschedule), counted as free. `avoid`: buckets an earlier commit
    of this change lost (see Replanning). `notice`: false for a booking made at the desk
    (placement.LineRequest.notice)."""
    if not 1 <= len(lines) <= 20:
        raise InvalidInput("An order has 1 to 20 lines.", code="invalid_lines")
    tz = ctx.tenant.timezone
    now = now_utc(ctx)
    planned: list[Line] = []
    revs: dict[str, int] = {}
    used: Used = {}
    own = list(own)
    held: dict[tuple[str, str], int] = {}  # the order's seats on each session (a reschedule)
    for t in own:
        if t.bucket.key.startswith("X#"):
            session = (t.bucket.resource_id, split_shard(t.bucket.key)[0])
            held[session] = held.get(session, 0) + t.units
    for line in lines:
        offering = snapshot.offering(line.offering_id)
        seats = (line.party, line.quantity)  # each of its people may answer
        answers = (
            keep_answers(offering.questions, line.answers or NO_ANSWERS, *seats)
            if line.answers_kept
            else check_answers(offering.questions, line.answers or NO_ANSWERS, *seats)
        )
        candidates = snapshot.candidates(offering)
        request = _request(line, offering, candidates, snapshot, notice, held)
        first, last = _line_days(request)
        fresh = load_used(
            ctx,
            candidates,
            first=first,
            last_exclusive=last,
            pad_minutes=reach_minutes(offering, candidates),
            consistent=consistent,
        )
        for rid, buckets in fresh.items():
            used.setdefault(rid, buckets)
        _add(used, [t for t in own if t.bucket.resource_id in fresh], -1)
        own = [t for t in own if t.bucket.resource_id not in fresh]
        _add(used, _block_units(ctx, line), -1)
        placement = plan_line(
            request,
            candidates,
            used,
            tz=tz,
            now=now,
            avoid=avoid,
            # Concurrent holds on a sharded session start at different shards (spread).
            start_shard=random.randrange(MAX_SHARDS),
        )
        built = replace(
            line_from_placement(placement, offering, tz, local_date(now, tz)),
            answers=answers,
            rooms=line.rooms,
            block_id=line.block_id,
            chosen=_chosen(ctx, line, notice),
        )
        _check_rooms(snapshot, built, local_date(now, tz).isoformat())
        _add(used, built.takes)
        planned.append(built)
        for choice in placement.choices:
            revs[choice.resource.id] = choice.resource.rev
    check_chargeable(sum(line.total for line in planned), ctx.tenant.currency)
    return planned, revs


def _block_units(ctx: BookingContext, line: LineInput) -> list[Take]:
    """A block's guest may sleep in the block's rooms not picked up yet: the block holds them
    in the buckets, so they count as free to this line (the commit moves the block's count,
    on condition: booking/services/order_unit_of_work.py)."""
    if not line.block_id or line.check_in is None:
        return []
    block = ctx.data.blocks.get(line.block_id)
    if block is None or block.status is not BlockStatus.HELD:
        return []
    nights = [(line.check_in + timedelta(days=n)).isoformat() for n in range(line.nights)]
    return [
        Take(BucketRef(block.resource_id, f"N#{n}"), min(block.left(n), line.quantity), 0)
        for n in nights
        if block.left(n) > 0
    ]


def _check_rooms(snapshot: CatalogSnapshot, line: Line, tonight: str) -> None:
    """A line that names its rooms sleeps in rooms of the type it was planned on, from
    tonight on."""
    resource_id = stay_resource(line)
    if not line.rooms:
        return
    if resource_id is None:
        raise InvalidInput("Only a stay is given a room.", code="not_a_stay")
    check_room_stay(snapshot.resource(resource_id), line, tonight)


def candidate_count(snapshot: CatalogSnapshot, lines: Sequence[LineInput]) -> int:
    """How many (line, requirement, resource, shard) choices a plan of these lines has."""
    return sum(
        resource.shards
        for line in lines
        for group in snapshot.candidates(snapshot.offering(line.offering_id))
        for resource in group
    )


def check_line(
    snapshot: CatalogSnapshot,
    line: LineInput,
    *,
    tz: str,
    currency: str,
    now: datetime,
    notice: bool = True,
) -> None:
    """The line against its offering's rules alone, as if nothing were booked: its answers,
    party, quantity, nights, start and booking window, an amount one payment can take, and
    resources able to serve it at all (SlotUnavailable when none is, even empty). An import's
    dry run promises what the import will do (customers/services/import_checks.py); that
    promise held only if the rules `plan_lines` applies are these."""
    offering = snapshot.offering(line.offering_id)
    check_answers(offering.questions, line.answers or NO_ANSWERS, line.party, line.quantity)
    candidates = snapshot.candidates(offering)
    request = _request(line, offering, candidates, snapshot, notice)
    placement = plan_line(request, candidates, {}, tz=tz, now=now)
    check_chargeable(line_from_placement(placement, offering, tz).total, currency)


def _chosen(ctx: BookingContext, line: LineInput, notice: bool) -> tuple[int, ...]:
    """The requirements whose resource the guest named (Line.chosen): those the request
    names, except a restaurant's desk, which seats a party at the table it picks from the
    times it is shown (the console names it with every booking): that table is the
    restaurant's arrangement, moved without telling the guest (a reviewer's finding)."""
    if line.chosen is not None:
        return line.chosen
    if not notice and ctx.tenant.business_type is BusinessType.RESTAURANT:
        return ()
    return tuple(sorted(line.resource_ids))
