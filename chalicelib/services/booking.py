"""Availability and holds: plan against the catalog snapshot and the buckets, then commit.

Reads: one Query per candidate resource over the window (the buckets' used units).
Write: one TransactWriteItems for the whole order, by the unit of work (services/unit_of_work.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from chalicelib.domain.availability import list_options, local_iso
from chalicelib.domain.calendar import FIRST_DAY, LAST_DAY, day_bounds, iso_utc, local_date
from chalicelib.domain.catalog import Offering, Resource, ResourceKind
from chalicelib.domain.errors import InvalidInput, SlotUnavailable, StaleCatalog
from chalicelib.domain.events import OrderFacts, OrderHeld, StatusChange
from chalicelib.domain.inventory import Take, window_bounds
from chalicelib.domain.money import check_chargeable
from chalicelib.domain.orders import (
    Allocation,
    BookingStatus,
    Channel,
    Customer,
    Line,
    Order,
    PaymentStatus,
)
from chalicelib.domain.placement import LineRequest, Placement, plan_line
from chalicelib.domain.pricing import deposit_due, price_line
from chalicelib.domain.timefmt import add_seconds, parse
from chalicelib.services.catalog_view import CatalogCache, CatalogSnapshot
from chalicelib.services.context import TenantContext
from chalicelib.services.unit_of_work import UnitOfWork

MAX_WINDOW_DAYS = 62
PLAN_ATTEMPTS = 3  # plans on a catalog that changed meanwhile (StaleCatalog) before giving up
Used = dict[str, dict[str, int]]


@dataclass(frozen=True)
class LineInput:
    offering_id: str
    party: int = 1
    quantity: int = 1
    start: datetime | None = None  # naive local wall clock
    check_in: date | None = None
    nights: int = 1
    resource_ids: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HoldInput:
    customer: Customer
    lines: Sequence[LineInput]
    channel: Channel
    note: str = ""


def now_utc(ctx: TenantContext) -> datetime:
    return parse(ctx.now())


# -- reading buckets -------------------------------------------------------------------------


def bucket_bounds(
    kind: ResourceKind, first: date, last_exclusive: date, tz: str, pad_minutes: int
) -> tuple[str, str]:
    if kind is ResourceKind.NIGHTLY:
        return window_bounds(
            kind, first.isoformat(), (last_exclusive - timedelta(days=1)).isoformat()
        )
    start = day_bounds(first, tz)[0] - timedelta(minutes=pad_minutes)
    end = day_bounds(last_exclusive - timedelta(days=1), tz)[1] + timedelta(minutes=pad_minutes)
    return window_bounds(kind, iso_utc(start), iso_utc(end))


def load_used(
    ctx: TenantContext,
    candidates: Iterable[Iterable[Resource]],
    *,
    first: date,
    last_exclusive: date,
    pad_minutes: int = 0,
    consistent: bool = False,
) -> Used:
    """Used units of every candidate resource over the window: one Query per resource."""
    used: Used = {}
    store = ctx.data.orders
    for resource in {r.id: r for group in candidates for r in group}.values():
        lo, hi = bucket_bounds(
            resource.kind, first, last_exclusive, ctx.tenant.timezone, pad_minutes
        )
        used[resource.id] = store.used(resource.id, lo, hi, consistent=consistent)
    return used


def _pad(offering: Offering, candidates: Sequence[Sequence[Resource]]) -> int:
    """How far past a day's edges a booking that starts that day can reach, in minutes."""
    session = max(
        (r.session_minutes for g in candidates for r in g if r.kind is ResourceKind.SESSION),
        default=0,
    )
    return offering.buffer_before + max(offering.duration_minutes, session) + offering.buffer_after


# -- availability ----------------------------------------------------------------------------


def check_window(first: date, last_exclusive: date, today: date) -> None:
    if last_exclusive <= first:
        raise InvalidInput("`to` is after `from`.", code="invalid_window")
    if (last_exclusive - first).days > MAX_WINDOW_DAYS:
        raise InvalidInput(f"A window is at most {MAX_WINDOW_DAYS} days.", code="window_too_large")
    if last_exclusive <= today:
        raise InvalidInput("The window has passed.", code="date_in_past")


def availability(
    ctx: TenantContext,
    cache: CatalogCache,
    *,
    offering_id: str,
    first: date,
    last_exclusive: date,
    party: int,
    nights: int = 1,
    quantity: int = 1,
) -> tuple[Offering, list[Placement]]:
    tz = ctx.tenant.timezone
    now = now_utc(ctx)
    today = local_date(now, tz)
    check_window(first, last_exclusive, today)
    first = max(first, today)
    snapshot = cache.get(ctx.tenant.id, ctx.data.catalog)
    offering = snapshot.offering(offering_id)
    if not offering.party_min <= party <= offering.party_max:
        raise InvalidInput(
            f"Party size is {offering.party_min} to {offering.party_max}.",
            code="invalid_party_size",
        )
    candidates = snapshot.candidates(offering)
    extra_nights = nights - 1 if offering.kind is ResourceKind.NIGHTLY else 0
    used = load_used(
        ctx,
        candidates,
        first=first,
        last_exclusive=last_exclusive + timedelta(days=extra_nights),
        pad_minutes=_pad(offering, candidates),
    )
    placements = list_options(
        offering,
        candidates,
        used,
        first=first,
        last_exclusive=last_exclusive,
        party=party,
        tz=tz,
        now=now,
        nights_count=nights,
        quantity=quantity,
    )
    return offering, placements


# -- holds -----------------------------------------------------------------------------------


def line_from_placement(placement: Placement, offering: Offering, tz: str) -> Line:
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
        deposit=deposit_due(offering.deposit, price.total),
    )


def _request(
    line: LineInput,
    offering: Offering,
    candidates: Sequence[Sequence[Resource]],
    snapshot: CatalogSnapshot,
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
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput(f"{name} is in 2000 to 2999.", code="date_out_of_range", field=name)
    _check_chosen(line.resource_ids, offering, candidates, snapshot)
    return LineRequest(
        offering,
        line.party,
        line.quantity,
        start_local=line.start,
        check_in=line.check_in,
        nights=line.nights,
        preferred=dict(line.resource_ids),
    )


def _check_chosen(
    chosen: Mapping[int, str],
    offering: Offering,
    candidates: Sequence[Sequence[Resource]],
    snapshot: CatalogSnapshot,
) -> None:
    """A resource the caller chose must exist (in this tenant's catalog: another tenant's id
    is unknown here) and be one that can serve that requirement; otherwise the booking could
    only ever be `unavailable`, which would blame the calendar for a wrong request."""
    for index, resource_id in sorted(chosen.items()):
        where = {"requirement": index, "resource_id": resource_id}
        if index >= len(offering.requirements):
            raise InvalidInput(
                f"The offering has {len(offering.requirements)} requirement(s), numbered from 0.",
                code="unknown_requirement",
                **where,
            )
        if resource_id not in snapshot.resources:
            raise InvalidInput("No such resource.", code="unknown_resource", **where)
        if all(r.id != resource_id for r in candidates[index]):
            raise InvalidInput(
                f"That resource cannot serve requirement {index} of this offering (another "
                "kind, skill or tag, or no longer active).",
                code="resource_not_eligible",
                **where,
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
    ctx: TenantContext,
    snapshot: CatalogSnapshot,
    lines: Sequence[LineInput],
    *,
    consistent: bool,
    own: Iterable[Take] = (),
    avoid: AbstractSet[tuple[str, str]] = frozenset(),
) -> tuple[list[Line], dict[str, int]]:
    """Place every line; later lines see the units earlier lines take. `own`: units this
    order already holds (a reschedule), counted as free. `avoid`: buckets an earlier commit
    of this change lost (see Replanning)."""
    if not 1 <= len(lines) <= 20:
        raise InvalidInput("An order has 1 to 20 lines.", code="invalid_lines")
    tz = ctx.tenant.timezone
    now = now_utc(ctx)
    planned: list[Line] = []
    revs: dict[str, int] = {}
    used: Used = {}
    own = list(own)
    for line in lines:
        offering = snapshot.offering(line.offering_id)
        candidates = snapshot.candidates(offering)
        request = _request(line, offering, candidates, snapshot)
        first, last = _line_days(request)
        fresh = load_used(
            ctx,
            candidates,
            first=first,
            last_exclusive=last,
            pad_minutes=_pad(offering, candidates),
            consistent=consistent,
        )
        for rid, buckets in fresh.items():
            used.setdefault(rid, buckets)
        _add(used, [t for t in own if t.bucket.resource_id in fresh], -1)
        own = [t for t in own if t.bucket.resource_id not in fresh]
        placement = plan_line(request, candidates, used, tz=tz, now=now, avoid=avoid)
        built = line_from_placement(placement, offering, tz)
        _add(used, built.takes)
        planned.append(built)
        for choice in placement.choices:
            revs[choice.resource.id] = choice.resource.rev
    check_chargeable(sum(line.total for line in planned), ctx.tenant.currency)
    return planned, revs


def candidate_count(snapshot: CatalogSnapshot, lines: Sequence[LineInput]) -> int:
    """How many (line, requirement, resource) choices a plan of these lines has."""
    return sum(
        len(group)
        for line in lines
        for group in snapshot.candidates(snapshot.offering(line.offering_id))
    )


@dataclass
class Replanning:
    """The attempts of one booking change (a hold, a reschedule) at planning and committing.

    The first plan reads the buckets eventually consistently; every later one reads them
    consistently, on a fresh catalog. Concurrent requests for one slot all choose the same
    least-loaded resource, and only one commit wins it. A commit refused for a bucket
    (SlotUnavailable names the resource and the bucket that lost) is planned again without
    that resource for that bucket, so the losers spread over the other candidates instead
    of giving up while some are free. Every loss removes one candidate, so the attempts are
    bounded by the candidates (plus PLAN_ATTEMPTS for a catalog that changed meanwhile). A
    refusal of a consistent plan that names nothing new is the honest answer.
    """

    what: str
    attempt: int = 0
    stale: int = 0
    avoid: set[tuple[str, str]] = field(default_factory=set)

    @property
    def consistent(self) -> bool:
        return self.attempt > 0

    def catalog_changed(self) -> None:
        self.attempt += 1
        self.stale += 1
        if self.stale >= PLAN_ATTEMPTS:
            raise StaleCatalog(f"The catalog kept changing while {self.what}; try again.")

    def lost(self, exc: SlotUnavailable, candidates: int) -> None:
        """Learn which bucket the commit lost, or re-raise when there is nothing to learn."""
        resource_id, bucket = exc.details.get("resource_id"), exc.details.get("bucket")
        learned = isinstance(resource_id, str) and isinstance(bucket, str)
        if learned and (resource_id, bucket) not in self.avoid:
            self.avoid.add((str(resource_id), str(bucket)))
        elif self.consistent:
            raise exc
        if len(self.avoid) > candidates or self.attempt >= candidates + PLAN_ATTEMPTS:
            raise exc
        self.attempt += 1


def hold_order(
    ctx: TenantContext,
    cache: CatalogCache,
    hold: HoldInput,
    *,
    order_id: str,
) -> Order:
    """Reserve every bucket of every line in one transaction, as a hold that expires."""
    at = ctx.now()
    tries = Replanning("booking")
    while True:
        snapshot = cache.get(ctx.tenant.id, ctx.data.catalog, fresh=tries.consistent)
        lines, revs = plan_lines(
            ctx, snapshot, hold.lines, consistent=tries.consistent, avoid=tries.avoid
        )
        expires = add_seconds(at, ctx.tenant.settings.hold_minutes * 60)
        order = Order(
            id=order_id,
            status=BookingStatus.HELD,
            payment_status=PaymentStatus.UNPAID,
            customer=hold.customer,
            channel=hold.channel,
            currency=ctx.tenant.currency,
            lines=tuple(lines),
            created_at=at,
            updated_at=at,
            hold_expires_at=expires,
            note=hold.note,
            history=((at, BookingStatus.HELD.value, ctx.actor.label),),
        )
        try:
            with UnitOfWork(ctx) as uow:
                uow.put_order(order, expected_version=None)
                uow.take(order.takes)
                uow.check_revisions(revs)
                uow.record(OrderHeld(**order_facts(ctx, order), hold_expires_at=expires))
                uow.commit()
            return order
        except StaleCatalog:
            cache.invalidate(ctx.tenant.id)
            tries.catalog_changed()
        except SlotUnavailable as exc:
            tries.lost(exc, candidate_count(snapshot, hold.lines))


def order_facts(ctx: TenantContext, order: Order) -> OrderFacts:
    """What every event about `order` says (domain/events.OrderEvent), under a new id."""
    return OrderFacts(
        id=ctx.new_id(),
        at=ctx.now(),
        order_id=order.id,
        status=order.status.value,
        version=order.version,
        start=order.start,
        actor=ctx.actor.label,
        # For the audit entry its consumer writes (services/order_audit.py).
        actor_role=ctx.actor.role or None,
        request_id=ctx.request_id or None,
    )


def status_change(ctx: TenantContext, before: Order, after: Order) -> StatusChange:
    """What every event of a status change says (domain/events.OrderStatusChanged)."""
    return StatusChange(**order_facts(ctx, after), previous_status=before.status.value)


def hold_seconds_left(order: Order, now: str) -> int:
    if not order.hold_expires_at:
        return 0
    return max(0, int((parse(order.hold_expires_at) - parse(now)).total_seconds()))


def current_takes(ctx: TenantContext, takes: Iterable[Take]) -> tuple[list[Take], dict[str, int]]:
    """The units of `takes`, checked against each resource as it is defined now (and its
    revision, for the commit's condition): for re-taking an expired hold's units, whose
    resources may have changed since it was planned. SlotUnavailable when a bucket is closed
    now or the resource is gone or inactive."""
    from chalicelib.domain.capacity import capacity_for

    resources: dict[str, Resource] = {}
    out: list[Take] = []
    for take in takes:
        rid = take.bucket.resource_id
        if rid not in resources:
            resource = ctx.data.catalog.get_resource(rid)
            if resource is None or not resource.active:
                raise SlotUnavailable(
                    "A resource of this booking is no longer offered.", resource_id=rid
                )
            resources[rid] = resource
        capacity = capacity_for(resources[rid], take.bucket.key, ctx.tenant.timezone)
        if capacity is None:
            raise SlotUnavailable(
                "That time is no longer open.", resource_id=rid, bucket=take.bucket.key
            )
        out.append(Take(take.bucket, take.units, capacity))
    return out, {rid: r.rev for rid, r in resources.items()}
