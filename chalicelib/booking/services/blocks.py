"""Room blocks (booking/domain/blocks.py): held for a group, picked up guest by guest,
released at their date by a one-time schedule (and, should that schedule be lost, by the
first read after the date: a block past its date is never picked up from, whatever ran).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from chalicelib.booking.domain.blocks import BlockFull, BlockStatus, RoomBlock, check_block
from chalicelib.booking.domain.booking_window import check_window
from chalicelib.booking.domain.orders import (
    BookingStatus,
    Channel,
    Customer,
    Order,
    PaymentStatus,
    RoomStay,
)
from chalicelib.booking.services.booking import order_facts
from chalicelib.booking.services.line_planning import LineInput, plan_lines
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.booking.services.order_unit_of_work import OrderUnitOfWork
from chalicelib.booking.services.transaction_items import BlockCreate, BlockRelease
from chalicelib.catalog.domain.catalog import Offering, Resource, ResourceKind, UnitsPer
from chalicelib.catalog.domain.inventory import BucketRef, Take, night_key
from chalicelib.catalog.domain.questions import Answers
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.block_events import RoomBlockCreated, RoomBlockReleased
from chalicelib.kernel.domain.calendar import day_bounds, local_date
from chalicelib.kernel.domain.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    SlotUnavailable,
    StaleCatalog,
)
from chalicelib.kernel.domain.events import OrderConfirmed, OrderHeld
from chalicelib.kernel.domain.timefmt import format_utc, parse
from chalicelib.kernel.services.messaging_ports import ReminderScheduler
from chalicelib.tenancy.services import plan_limits

RETRIES = 3


def schedule_name(tenant_id: str, block_id: str) -> str:
    return f"block-{tenant_id}-{block_id}"[:64]


def create_block(
    ctx: BookingContext,
    cache: CatalogCache,
    block: RoomBlock,
    *,
    scheduler: ReminderScheduler,
) -> RoomBlock:
    """Hold the rooms of every night, all or none (409 `unavailable` naming the first night
    short of them), and schedule the release."""
    existing = ctx.data.blocks.get(block.id)
    if existing is not None:  # the same request again (its Idempotency-Key names the block)
        _schedule_release(ctx, existing, scheduler)  # in case the first died before it
        return existing
    snapshot = cache.get(ctx.tenant.id, ctx.data.catalog, fresh=True)
    resource = snapshot.resource(block.resource_id)
    offering = snapshot.offering(block.offering_id)
    _check_room_type(resource, offering, snapshot.candidates(offering))
    check_block(block)
    if block.first_night < local_date(parse(ctx.now()), ctx.tenant.timezone):
        raise InvalidInput("The block's first night has passed.", code="date_in_past")
    # Sold as the desk sells a stay from its first night: no notice, but no further ahead than
    # the offering sells (an outside tester's block of 2999-12-31 passed a 365-day window,
    # and its guests were confirmed for the year 3000).
    first = day_bounds(block.first_night, ctx.tenant.timezone)[0]
    check_window(offering, first, parse(ctx.now()), nightly=True, notice=False)
    end = day_bounds(date.fromisoformat(block.end_night), ctx.tenant.timezone)[0]
    if parse(block.release_at) > end:
        raise InvalidInput("A block is released by its last night.", code="release_too_late")
    takes = []
    for night in block.night_list:
        day = date.fromisoformat(night)
        if not resource.night_open(day):
            raise SlotUnavailable(f"{resource.name} is closed on {night}.", night=night)
        takes.append(
            Take(BucketRef(resource.id, night_key(day)), block.rooms, resource.capacity_on(day))
        )
    try:
        with OrderUnitOfWork(ctx) as uow:
            uow.add(BlockCreate(block))
            uow.take(takes)
            uow.check_revisions({resource.id: resource.rev})
            uow.record(
                RoomBlockCreated(
                    id=ctx.new_id(),
                    at=ctx.now(),
                    block_id=block.id,
                    resource_id=block.resource_id,
                    offering_id=block.offering_id,
                    first_night=block.first_night.isoformat(),
                    nights=block.nights,
                    rooms=block.rooms,
                    release_at=block.release_at,
                    actor=ctx.actor.label,
                )
            )
            uow.commit()
    except SlotUnavailable as exc:
        raise _short_of_rooms(ctx, resource, block, str(exc.details.get("bucket", ""))) from exc
    except StaleCatalog:
        cache.invalidate(ctx.tenant.id)
        raise
    _schedule_release(ctx, block, scheduler)
    ctx.audit("block.created", f"block:{block.id}", rooms=block.rooms, nights=block.nights)
    return block


def _check_room_type(
    resource: Resource, offering: Offering, groups: Sequence[Sequence[Resource]]
) -> None:
    """422 unless the block is of a room type its offering sells one room a booking of."""
    if resource.kind is not ResourceKind.NIGHTLY:
        # An outside tester's block on a tour's session was told of "a room type that its
        # offering sells": what was wrong was the resource's not being a room type.
        raise InvalidInput(
            f"Blocks are for room types: {resource.name} is not one.", code="offering_mismatch"
        )
    if not groups or resource not in groups[0]:
        raise InvalidInput(
            "A block holds rooms of a room type that its offering sells.", code="offering_mismatch"
        )
    need = offering.requirements[0]
    if need.units != 1 or need.per is not UnitsPer.BOOKING:
        raise InvalidInput(
            "A block's offering takes one room a booking (not one a person).",
            code="offering_not_per_room",
        )


def _short_of_rooms(
    ctx: BookingContext, resource: Resource, block: RoomBlock, bucket: str
) -> SlotUnavailable:
    """409 `unavailable` naming the first night short of the block's rooms and what it has
    free (an outside tester read "Family suite has not 1 rooms free on the night of ...")."""
    night = bucket[2:]
    used = ctx.data.orders.used_at(resource.id, [bucket], consistent=True).get(bucket, 0)
    free = max(resource.capacity_on(date.fromisoformat(night)) - used, 0) if night else 0
    said = "no room free" if free == 0 else f"only {free} room{'s' if free > 1 else ''} free"
    return SlotUnavailable(
        f"{resource.name} has {said} on the night of {night}.",
        night=night,
        rooms=block.rooms,
        free=free,
    )


def _schedule_release(ctx: BookingContext, block: RoomBlock, scheduler: ReminderScheduler) -> None:
    """The one-time schedule of the cut-off (an existing one of that name is kept)."""
    payload = {
        "kind": "block_release",
        "tenant_id": ctx.tenant.id,
        "block_id": block.id,
        "id": f"block-release-{block.id}",
    }
    scheduler.schedule(schedule_name(ctx.tenant.id, block.id), block.release_at, payload)


def release_block(ctx: BookingContext, block_id: str) -> RoomBlock:
    """Give back the rooms not picked up (idempotent: a released block is answered as it is,
    also to a release beside this one whose transaction lost the race: PROBE 43 had it 409)."""
    for _ in range(RETRIES):
        block = _get(ctx, block_id)
        if block.status is BlockStatus.RELEASED:
            return block
        units = [
            Take(BucketRef(block.resource_id, f"N#{night}"), block.left(night), 0)
            for night in block.night_list
            if block.left(night) > 0
        ]
        at = ctx.now()
        try:
            with OrderUnitOfWork(ctx) as uow:
                uow.add(BlockRelease(block, at))
                uow.release(units)
                uow.record(
                    RoomBlockReleased(
                        id=ctx.new_id(),
                        at=at,
                        block_id=block.id,
                        resource_id=block.resource_id,
                        first_night=block.first_night.isoformat(),
                        nights=block.nights,
                        returned=sum(take.units for take in units),
                        actor=ctx.actor.label,
                    )
                )
                uow.commit()
        except Conflict as exc:
            if exc.code == "release_failed" and _get(ctx, block_id).status is BlockStatus.RELEASED:
                continue  # a release beside this one gave the rooms back first: answered below
            if exc.code != "block_changed":
                raise
            continue  # a guest picked up or gave back meanwhile: count again
        ctx.audit("block.released", f"block:{block.id}", picked=sum(block.picked.values()))
        return replace(
            block, status=BlockStatus.RELEASED, released_at=at, version=block.version + 1
        )
    raise Conflict("The block kept changing; try again.", code="block_changed")


def get_block(ctx: BookingContext, block_id: str) -> RoomBlock:
    """The block, released first when its date has passed (the schedule's backstop)."""
    block = _get(ctx, block_id)
    return _due(ctx, block)


def list_blocks(ctx: BookingContext) -> list[RoomBlock]:
    blocks = [_due(ctx, b) for b in ctx.data.blocks.list()]
    return sorted(blocks, key=lambda b: (b.first_night, b.name, b.id))


def _due(ctx: BookingContext, block: RoomBlock) -> RoomBlock:
    if block.status is BlockStatus.HELD and block.release_at <= ctx.now():
        return release_block(ctx, block.id)
    return block


def _get(ctx: BookingContext, block_id: str) -> RoomBlock:
    block = ctx.data.blocks.get(block_id)
    if block is None:
        raise NotFound("No such room block.", code="block_not_found", block_id=block_id)
    return block


def pick_up(
    ctx: BookingContext,
    cache: CatalogCache,
    block_id: str,
    customer: Customer,
    *,
    order_id: str,
    check_in: date | None = None,
    nights: int | None = None,
    party: int = 1,
    answers: Answers | None = None,
    room: str | None = None,
) -> Order:
    """A guest of the rooming list: a confirmed order of one room from the block, for its
    nights or some of them, at the block's offering's prices; 409 `block_full` when a night
    has no room left, `block_released` after the release."""
    done = ctx.data.orders.get(order_id)
    if done is not None:  # the same request again (its Idempotency-Key names the order)
        return done
    block = get_block(ctx, block_id)
    if block.status is not BlockStatus.HELD:
        raise Conflict("The block was released.", code="block_released")
    today = local_date(parse(ctx.now()), ctx.tenant.timezone)
    first = check_in or max(block.first_night, today)
    if first < today:
        raise InvalidInput("That night has passed.", code="date_in_past", field="check_in")
    length = nights or (block.first_night + timedelta(days=block.nights) - first).days
    last = (first + timedelta(days=length)).isoformat()
    if not (block.covers(first.isoformat()) and length >= 1 and last <= block.end_night):
        raise InvalidInput(
            f"A guest of the block stays within its nights ({block.first_night.isoformat()} "
            f"to {block.night_list[-1]}, check-out {block.end_night} at the latest).",
            code="outside_block",
        )
    stay = [(first + timedelta(days=n)).isoformat() for n in range(length)]
    _check_room_left(block, stay)
    line = LineInput(
        block.offering_id,
        party=party,
        check_in=first,
        nights=length,
        resource_ids={0: block.resource_id},
        already_booked=True,  # the block's nights are sold: no notice or advance rule
        answers=answers,
        rooms=(RoomStay(first.isoformat(), room),) if room else (),
        block_id=block.id,
    )
    # A guest of the block is a booking of the month like any other: refused (402) at the
    # plan's limit before anything is held, as `place_order` does (an outside tester's free
    # hotel at 100 bookings had three pickups confirmed while POST /v1/orders said 402).
    counted = plan_limits.check_booking_allowed(ctx, order_id)
    try:
        return _confirm_pickup(ctx, cache, block, line, customer, order_id)
    except BaseException as exc:
        _give_back(ctx, counted, order_id)
        if isinstance(exc, SlotUnavailable):
            # No room free in the type may be the block's own rooms all taken (the rooms are
            # assigned before the block's count is checked): said as the block's being full.
            _check_room_left(_get(ctx, block_id), stay)
        raise


def _give_back(ctx: BookingContext, counted: str | None, order_id: str) -> None:
    """The month's mark of a pickup that did not happen (not when its order is there: a
    duplicate of this request made it, and the mark is its count)."""
    if counted and ctx.data.orders.get(order_id) is None:
        plan_limits.give_back(ctx, counted, order_id)


def _check_room_left(block: RoomBlock, stay: list[str]) -> None:
    """409 `block_full` when a night of the stay has no room of the block left, before the
    room type's own (`unavailable`, with the block's rooms all its free ones): an outside
    tester's fifth guest of a block of four was told the type was sold out."""
    if any(block.left(night) <= 0 for night in stay):
        raise BlockFull(block.id)


def _confirm_pickup(
    ctx: BookingContext,
    cache: CatalogCache,
    block: RoomBlock,
    line: LineInput,
    customer: Customer,
    order_id: str,
) -> Order:
    snapshot = cache.get(ctx.tenant.id, ctx.data.catalog, fresh=True)
    planned, revs = plan_lines(ctx, snapshot, [line], consistent=True)
    at = ctx.now()
    held = Order(
        id=order_id,
        status=BookingStatus.HELD,
        payment_status=PaymentStatus.UNPAID,
        customer=customer,
        channel=Channel.STAFF,
        currency=ctx.tenant.currency,
        lines=(planned[0],),
        created_at=at,
        updated_at=at,
        hold_expires_at=at,
        note=f"Room block: {block.name}",
        history=((at, BookingStatus.HELD.value, ctx.actor.label),),
    )
    order = held.transition(BookingStatus.CONFIRMED, at=at, actor=ctx.actor.label)
    with OrderUnitOfWork(ctx) as uow:
        uow.put_order(order, before=None)
        uow.take(order.takes)
        uow.check_revisions(revs)
        uow.record(OrderHeld(**order_facts(ctx, held), hold_expires_at=at))
        uow.record(OrderConfirmed(**order_facts(ctx, order), previous_status="held", by="block"))
        uow.commit()
    return order


def release_time(day: date, tz: str) -> str:
    """A release date's instant (the start of that local day), as timestamps are stored."""
    return format_utc(day_bounds(day, tz)[0])
