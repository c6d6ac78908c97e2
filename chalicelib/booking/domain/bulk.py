"""Bulk operations: one action on up to 1,000 orders, chosen by ids, by a search, or as every
booking of a session or of a resource's day (a departure called off for weather).

A job is written once with the ids it will act on (the choice is made when it is asked for,
so what "every order of the 14th" means does not move while it runs), then worked through
by an SQS-triggered function, order by order. Each order gets one result, written on the
condition that it has none: a retried job skips the orders it has done, and the action on an
order is itself idempotent (a status already reached is answered as it is; a message is one
event under an id made from the job and the order). One order's refusal (an illegal state, a
version lost) is its result and stops nothing else, and changes nothing on that order.
"""

from __future__ import annotations

from enum import StrEnum

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.values import value

MAX_BULK_ORDERS = 1000
MAX_SUBJECT = 200
MAX_BODY = 2000


class BulkAction(StrEnum):
    CHECK_IN = "check_in"
    COMPLETE = "complete"
    NO_SHOW = "no_show"
    CANCEL = "cancel"  # by the business: no fee, everything paid refunded
    MESSAGE = "message"  # an e-mail (and text) to each order's customer


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"


class Outcome(StrEnum):
    DONE = "done"  # the action changed the order (or sent the message)
    UNCHANGED = "unchanged"  # the order was already so: nothing written
    FAILED = "failed"  # refused for this order (its `code` says why); the order is unchanged


@value
class BulkJob:
    id: str
    action: BulkAction
    order_ids: tuple[str, ...]
    created_at: str
    created_by: str  # the actor's label: the worker acts as them
    created_role: str
    chosen_by: str  # ids, search, session or day: how the orders were chosen
    # Chosen by session or day: the resource, and the session's start (UTC) or the local day.
    # An order moved off them after the job was made is left alone (bulk_jobs.still_on).
    on_resource: str = ""
    on_at: str = ""
    status: JobStatus = JobStatus.QUEUED
    reason: str = ""  # a cancellation's, told to the customer
    subject: str = ""  # a message's
    body: str = ""
    leave_balance_open: bool = False  # a check-out's: what is owed stays owed, on the order
    finished_at: str | None = None
    lease_until: str | None = None  # a worker is on it until then (one at a time)
    nudged_at: str | None = None  # last sent again by a reader (a lost or dead run)
    started_at: str | None = None  # first claimed by a worker: what it did is after this


@value
class BulkResult:
    order_id: str
    outcome: Outcome
    at: str
    code: str = ""
    message: str = ""


def check_job(job: BulkJob) -> BulkJob:
    """What a job must say before anything is written."""
    if not job.order_ids:
        raise InvalidInput("No order matches: nothing to do.", code="no_orders")
    if len(job.order_ids) > MAX_BULK_ORDERS:
        raise InvalidInput(
            f"A bulk job acts on at most {MAX_BULK_ORDERS} orders; narrow the choice.",
            code="too_many_orders",
            count=len(job.order_ids),
            max=MAX_BULK_ORDERS,
        )
    if job.action is BulkAction.CANCEL and not job.reason.strip():
        raise InvalidInput(
            "Say why the business cancels (the customers are told it was not their doing).",
            code="reason_required",
        )
    if job.action is BulkAction.MESSAGE and not (job.subject.strip() and job.body.strip()):
        raise InvalidInput("A message has a subject and a text.", code="message_required")
    return job
