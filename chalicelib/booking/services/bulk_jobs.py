"""Bulk jobs (booking/domain/bulk.py says what a job is and promises): asked for, worked
through by the bulk worker (booking/workers/bulk.py), read back.

The orders are chosen when the job is asked for: by ids, by a search (`GET /v1/orders`'s
filters, followed page by page), by a resource's day (its arrivals, appointments and
sessions) or by one session. The worker acts as the staff member who asked (each order's
history and events name them), one order at a time, records each result, and, when its time
runs short, sends itself the rest of the job; a job left queued (its message lost with a
process) is sent again when someone reads it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from chalicelib.booking.domain.bulk import (
    BulkAction,
    BulkJob,
    BulkResult,
    JobStatus,
    Outcome,
    check_job,
)
from chalicelib.booking.domain.orders import CancelledBy, Line, Order
from chalicelib.booking.services import no_shows
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.booking import order_facts
from chalicelib.booking.services.bulk_choice import OrderChoice, choose
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.booking.services.order_unit_of_work import OrderUnitOfWork
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.catalog.services.resources import call_off, sell_again
from chalicelib.kernel.domain.errors import (
    Conflict,
    DomainError,
    NotFound,
    TransientFailure,
)
from chalicelib.kernel.domain.events import OrderMessaged
from chalicelib.kernel.domain.timefmt import add_seconds, parse
from chalicelib.kernel.services.messaging_ports import MessageBus
from chalicelib.kernel.services.rereads import decide_again
from chalicelib.queues import BULK_JOBS
from chalicelib.tenancy.services.reach import reaches

RESEND_AFTER_SECONDS = 120  # an idle job is sent again by a reader at most this often
TRANSIENT_TRIES = 3


def create_job(
    ctx: BookingContext,
    cache: CatalogCache,
    job_id: str,
    action: BulkAction,
    choice: OrderChoice,
    *,
    bus: MessageBus,
    reason: str = "",
    subject: str = "",
    body: str = "",
    leave_balance_open: bool = False,
) -> BulkJob:
    """The job, checked before anything is written. Cancelling a session (or a session
    resource's day) first takes it off sale, then chooses its orders again: a customer who
    booked between the first choice and the mark is cancelled too, and nobody books after."""
    ids, chosen_by, (on_resource, on_at) = choose(ctx, choice)
    job = check_job(
        BulkJob(
            id=job_id,
            action=action,
            order_ids=ids,
            created_at=ctx.now(),
            created_by=ctx.actor.label,
            created_role=ctx.actor.role or "",
            chosen_by=chosen_by,
            on_resource=on_resource,
            on_at=on_at,
            reason=reason.strip(),
            subject=subject.strip(),
            body=body.strip(),
            leave_balance_open=leave_balance_open,
        )
    )
    day, off = _call_off(ctx, cache, choice) if action is BulkAction.CANCEL else (None, ())
    try:
        if off:
            again = choose(ctx, choice, consistent=True)[0]  # all committed before the mark
            job = check_job(replace(job, order_ids=tuple(dict.fromkeys(ids + again))))
        job = _create(ctx, job)
    except Exception:
        # No job (too many orders by then, or the write failed): what it took off is sold again.
        if off and day is not None and choice.resource_id is not None:
            sell_again(ctx, cache, choice.resource_id, day, off)
        raise
    bus.send(BULK_JOBS.name, {"tenant_id": ctx.tenant.id, "job_id": job.id})
    ctx.audit("bulk_job.created", f"job:{job.id}", job_action=action.value, orders=len(ids))
    return job


def _create(ctx: BookingContext, job: BulkJob) -> BulkJob:
    try:
        ctx.data.bulk_jobs.create(job)
        return job
    except Conflict as exc:
        if exc.code != "job_exists":
            raise
        # The same request again (its Idempotency-Key names the job): the job it made, sent
        # again in case the first answer died before its message went out.
        made = ctx.data.bulk_jobs.get(job.id)
        assert made is not None
        return made


def _call_off(
    ctx: BookingContext, cache: CatalogCache, choice: OrderChoice
) -> tuple[date | None, tuple[int, ...]]:
    """Take the chosen session, or every session of the chosen day, off sale (catalog's
    `call_off`, one write); the day and the minutes taken off. Other kinds of resource stay
    as they are: a stylist's day off is the business's to close (a date override)."""
    if choice.resource_id is None:
        return None, ()
    if choice.session is not None:
        at = choice.session
        minutes = [at.hour * 60 + at.minute]
        return at.date(), call_off(ctx, cache, choice.resource_id, at.date(), minutes)
    assert choice.day is not None  # choose() refused a resource without either
    return choice.day, call_off(ctx, cache, choice.resource_id, choice.day)


def get_job(
    ctx: BookingContext, job_id: str, *, bus: MessageBus
) -> tuple[BulkJob, list[BulkResult]]:
    """The job and its results. A job nobody works on (still queued two minutes on, or
    running with its worker's claim run out: its message was lost, or its worker died) is
    sent again, by one reader at a time and at most every two minutes."""
    job = ctx.data.bulk_jobs.get(job_id)
    if job is None:
        raise NotFound("No such bulk job.", code="job_not_found", job_id=job_id)
    now = ctx.now()
    last = max(job.created_at, job.nudged_at or "")
    idle = job.status is JobStatus.QUEUED or (
        job.status is JobStatus.RUNNING and (job.lease_until or "") < now
    )
    waited = (parse(now) - parse(last)).total_seconds() > RESEND_AFTER_SECONDS
    if idle and waited and ctx.data.bulk_jobs.nudge(job.id, now=now, seen=job.nudged_at):
        bus.send(BULK_JOBS.name, {"tenant_id": ctx.tenant.id, "job_id": job.id})
    return job, ctx.data.bulk_jobs.results(job_id)


def run_job(
    ctx: BookingContext,
    cache: CatalogCache,
    job_id: str,
    *,
    bus: MessageBus,
    budget_seconds: float,
    clock: Callable[[], float] = time.monotonic,
) -> str:
    """Work through the job's orders not yet done; "continued" when time ran short (the rest
    is sent on), "done" when every order has its result, "gone" for a job that is not."""
    started = clock()
    store = ctx.data.bulk_jobs
    job = store.get(job_id)
    if job is None:
        return "gone"
    if job.status is JobStatus.DONE:
        return "done"
    # One worker at a time (a message delivered twice, or sent again by a reader): the claim
    # outlives the function's timeout, so a worker that died leaves the job to a reader's
    # nudge once it has run out (get_job).
    until = add_seconds(ctx.now(), BULK_JOBS.function_timeout + 60)
    claimed_at = ctx.now()
    if not store.claim(job.id, now=claimed_at, until=until):
        return "busy"
    job = replace(job, started_at=job.started_at or claimed_at)
    try:
        if job.status is JobStatus.QUEUED:
            store.set_status(job.id, JobStatus.RUNNING)
        done = {r.order_id for r in store.results(job.id)}
        for order_id in job.order_ids:
            if order_id in done:
                continue
            if clock() - started > budget_seconds:
                bus.send(BULK_JOBS.name, {"tenant_id": ctx.tenant.id, "job_id": job.id})
                return "continued"
            store.put_result(job.id, act(ctx, cache, job, order_id))
        store.set_status(job.id, JobStatus.DONE, at=ctx.now())
        return "done"
    finally:
        store.let_go(job.id, now=ctx.now())


def act(ctx: BookingContext, cache: CatalogCache, job: BulkJob, order_id: str) -> BulkResult:
    """The job's action on one order, as its result: a refusal is this order's alone. A
    passing failure (throttling, conflicts that kept losing) is tried again a few times
    before it is the order's result; anything unforeseen is too, logged, so one order never
    stops the others."""
    before = ctx.data.orders.get(order_id)
    for attempt in range(TRANSIENT_TRIES):
        try:
            if before is None:
                raise NotFound("No such order.", code="order_not_found")
            after = _apply(ctx, cache, job, before)
            break
        except TransientFailure as exc:
            if attempt == TRANSIENT_TRIES - 1:
                return BulkResult(order_id, Outcome.FAILED, ctx.now(), exc.code, exc.message)
            time.sleep(0.2 * (attempt + 1))
        except DomainError as refused:
            return BulkResult(order_id, Outcome.FAILED, ctx.now(), refused.code, refused.message)
        except Exception:  # noqa: BLE001 - the order's result; the job goes on
            from chalicelib.observability import logger

            logger.exception("bulk job: an order failed", extra={"job_id": job.id})
            message = "Something went wrong on our side; try this order alone."
            return BulkResult(order_id, Outcome.FAILED, ctx.now(), "internal_error", message)
    assert before is not None  # a missing order is its result, above
    done = after is None or after.version != before.version or _done_by(job, after)
    return BulkResult(order_id, Outcome.DONE if done else Outcome.UNCHANGED, ctx.now())


def _done_by(job: BulkJob, order: Order) -> bool:
    """Whether the order's last change is this job's (its worker died before the result was
    written): the job did it, it was not so already. Made by its staff member since one of
    its workers first took it: a tester's second job for the same departure, asked a moment
    after the first and run once it was done, counted the first one's cancellations."""
    since = job.started_at or job.created_at
    return any(actor == job.created_by and at >= since for at, _, actor in order.history)


class OrderMoved(Conflict):
    """The order was moved off the session or day the job chose it on, after it was chosen."""

    code = "order_moved"


class OtherLines(Conflict):
    """A cancellation chosen by a session or a day met an order with bookings elsewhere too."""

    code = "other_lines"


def _on(job: BulkJob, line: Line) -> bool:
    mine = any(a.resource_id == job.on_resource for a in line.allocations)
    return mine and job.on_at in (line.start, line.local_date)


def still_on(job: BulkJob, order: Order) -> bool:
    """Whether the order still has a line that the job's session or day chose (a job chosen
    otherwise: always). A job of a thousand orders runs for minutes, in which staff or the
    customer may move a booking to the next departure: cancelling it there would call off a
    trip nobody called off."""
    return not job.on_resource or any(_on(job, line) for line in order.lines)


def _only_on(job: BulkJob, order: Order) -> None:
    """A cancellation chosen by a session or a day cancels only orders wholly on it: an
    order is cancelled whole, so one that also books another departure or day (a customer's
    two tours in one order) is left for the desk, said as this order's result, rather than
    losing a trip nobody called off."""
    if job.on_resource and not all(_on(job, line) for line in order.lines):
        raise OtherLines(
            "The order also books something not on this session or day: cancelled whole, it "
            "would lose that too. Left as it is: change it by itself."
        )


def _apply(ctx: BookingContext, cache: CatalogCache, job: BulkJob, order: Order) -> Order | None:
    action = job.action
    if not still_on(job, order):
        raise OrderMoved(
            "The order was moved off the session or day this job chose it on: left as it is."
        )
    if action is BulkAction.CHECK_IN:
        return order_service.check_in(ctx, order.id, expected_version=None)
    if action is BulkAction.COMPLETE:
        return order_service.complete(ctx, order.id, leave_balance_open=job.leave_balance_open)
    if action is BulkAction.NO_SHOW:
        return no_shows.no_show(ctx, order.id)
    if action is BulkAction.CANCEL:
        return _cancel(ctx, cache, job, order)
    return _message(ctx, job, order)


def _cancel(ctx: BookingContext, cache: CatalogCache, job: BulkJob, order: Order) -> Order:
    """Cancel the order as it was checked to be on the session or day: on the version read,
    and read and checked again when it changed since (a customer who moved to the next
    departure in that moment was cancelled there, a trip nobody called off)."""
    read = [order]

    def once() -> Order:
        now = read.pop() if read else ctx.data.orders.get(order.id)
        if now is None or not still_on(job, now):
            raise OrderMoved("The order was moved off the session or day: left as it is.")
        _only_on(job, now)
        by, version = CancelledBy.BUSINESS, now.version
        return order_service.cancel(
            ctx, cache, now.id, reason=job.reason, by=by, expected_version=version
        )

    return decide_again(once)


MESSAGE_KIND = "message"  # the kind `OrderMessaged` is sent as (notifications/services/send.py)


class NoContact(Conflict):
    """A message job's order whose customer nothing can reach: left unsent, and said so."""

    code = "no_contact"


def _message(ctx: BookingContext, job: BulkJob, order: Order) -> Order | None:
    """`OrderMessaged` under an id made from the job and the order: the messages consumer
    sends it (notifications/services/send.py), once, however often the job is retried. An
    order whose customer it would reach by no channel (an OCTO reservation's placeholder
    `<uuid>@octo.invalid`, no e-mail and no phone the business texts, an erased customer) is
    `failed` with `no_contact`: a tester's job said `done` for those, and staff were told
    everyone was reached when they were not (tenancy/services/reach.py decides for both)."""
    c = order.customer
    if c.erased or not reaches(ctx.tenant, MESSAGE_KIND, c.email, c.phone):
        raise NoContact(
            "Not reached: the customer has no e-mail address mail can reach (a partner's "
            "booking may carry none) and no phone the business texts. Nothing was sent: "
            "contact them another way, or through the partner."
        )
    facts = order_facts(ctx, order)
    facts["id"] = f"{job.id}.{order.id}"
    event = OrderMessaged(**facts, subject=job.subject, body=job.body, job_id=job.id)
    try:
        with OrderUnitOfWork(ctx) as uow:
            uow.record(event)
            uow.commit()
    except Conflict as exc:
        if exc.code != "event_exists":
            raise
    return None  # sent, now or by an earlier run of this job (its id is the job's)
