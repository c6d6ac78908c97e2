"""The import worker's work (customers/workers/imports.py hands it a job): the rows not yet
done, one at a time, each with one result written on condition that it has none; when its
time runs short, the rest of the job is sent on as a new message.

A customer row is a `CustomerImported` event whose id is derived from the file's hash, the
row and the customer, written in one transaction with the row's result: the same file again
finds the event (`already_imported`), a resumed job finds the result. A booking row is placed
through the booking engine like a booking at the desk (plan allowance, inventory taken in
one transaction, a full bucket refused), under an order id derived from the row's own
reference (else the file's hash and the row), then confirmed: a second run finds the order.
An order of that id made by this job itself (its note names the import: its worker died
before writing the row's result) is finished and counted as taken.

An erased customer is not made again by an import (privacy_erase.py leaves a tombstone,
`ERASED#<customer id>`, that holds no personal data): a customer row or a booking row whose
derived customer id has one is refused (`customer_erased`: no event, no order), in this job
or in a later run of the same file, even when the job was started before the erase (its
`ROWS#` cells still hold the row until the job ends and drops them, or their 30 days run out).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from chalicelib.booking.domain.orders import BookingStatus, Channel, Customer, Order
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.booking import HoldInput
from chalicelib.booking.services.placing import place_order
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.customers.domain.import_rows import CustomerRow, Refusal
from chalicelib.customers.domain.imports import ImportJob, ImportStatus, RowOutcome, RowResult
from chalicelib.customers.services.import_checks import (
    Checked,
    PlannedBooking,
    checked_rows,
    row_of,
    unless_erased,
)
from chalicelib.customers.services.import_ports import ImportsContext, ResultPut
from chalicelib.kernel.domain.customer_events import CustomerImported
from chalicelib.kernel.domain.errors import Conflict, DomainError, TransientFailure
from chalicelib.kernel.domain.timefmt import add_seconds
from chalicelib.kernel.services.messaging_ports import MessageBus
from chalicelib.kernel.services.unit_of_work import UnitOfWork
from chalicelib.kernel.services.work_marks import WorkMarks
from chalicelib.queues import IMPORTS
from chalicelib.web.idempotency import stable_id

TRANSIENT_TRIES = 3
ALREADY = "Imported already, by an earlier import of this file."
ALREADY_BOOKED = (
    "Imported already, by an earlier import of this file (or of another with the same "
    "booking reference)."
)


def order_id_for(tenant_id: str, job: ImportJob, booking: PlannedBooking) -> str:
    """The order's id: from the other system's own reference when the file has one (the same
    booking in a later export is the same order), else from the file and the row."""
    row = booking.booking
    key = f"import#ref#{row.reference}" if row.reference else f"import#{job.file_hash}#{row.row}"
    return stable_id("ord_", tenant_id, key)


def event_id_for(tenant_id: str, job: ImportJob, row: CustomerRow) -> str:
    return stable_id("evt_", tenant_id, f"import#{job.file_hash}#{row.row}#{row.customer_id}")


def run_import(
    ctx: ImportsContext,
    cache: CatalogCache,
    marks: WorkMarks,
    import_id: str,
    *,
    bus: MessageBus,
    budget_seconds: float,
    clock: Callable[[], float] = time.monotonic,
) -> str:
    """Work through the rows not yet done: "continued" when time ran short (the rest is sent
    on), "done" when every row has its result, "busy" when another worker holds the job,
    "gone" for a job that is not."""
    started = clock()
    store = ctx.data.imports
    job = store.get(import_id)
    if job is None:
        return "gone"
    if job.status is ImportStatus.DONE:
        return "done"
    until = add_seconds(ctx.now(), IMPORTS.function_timeout + 60)
    if not store.claim(job.id, now=ctx.now(), until=until):
        return "busy"
    try:
        if job.status is ImportStatus.QUEUED:
            store.set_status(job.id, ImportStatus.RUNNING)
        done = {r.row for r in store.results(job.id)}
        rows = checked_rows(ctx, cache, job.kind, store.rows(job.id), job.date_order)
        for checked in rows:
            if row_of(checked) in done:
                continue
            if clock() - started > budget_seconds:
                bus.send(IMPORTS.name, {"tenant_id": ctx.tenant.id, "import_id": job.id})
                return "continued"
            take_row(ctx, cache, marks, job, checked)
        store.set_status(job.id, ImportStatus.DONE, at=ctx.now())
        store.drop_rows(job.id)
        ctx.audit("import.finished", f"import:{job.id}", kind=job.kind.value, rows=job.rows)
        return "done"
    finally:
        store.let_go(job.id, now=ctx.now())


def take_row(
    ctx: ImportsContext, cache: CatalogCache, marks: WorkMarks, job: ImportJob, checked: Checked
) -> None:
    """One row's effect and its result. A refusal is this row's alone; a passing failure is
    tried again a few times before it is; anything unforeseen is the row's result too, logged,
    so one row never stops the others."""
    row = row_of(checked)
    checked = unless_erased(ctx, checked)
    for attempt in range(TRANSIENT_TRIES):
        try:
            if isinstance(checked, Refusal):
                result = RowResult(
                    row, RowOutcome.REFUSED, ctx.now(), checked.code, checked.message
                )
            elif isinstance(checked, CustomerRow):
                _customer(ctx, job, checked)
                return  # its result is written with its event
            else:
                result = _booking(ctx, cache, marks, job, checked)
            break
        except TransientFailure as exc:
            if attempt == TRANSIENT_TRIES - 1:
                result = RowResult(row, RowOutcome.REFUSED, ctx.now(), exc.code, exc.message)
            else:
                time.sleep(0.2 * (attempt + 1))
        except DomainError as refused:
            result = RowResult(row, RowOutcome.REFUSED, ctx.now(), refused.code, refused.message)
            break
        except Exception:  # noqa: BLE001 - the row's result; the import goes on
            from chalicelib.observability import logger

            logger.exception("import: a row failed", extra={"import_id": job.id, "row": row})
            message = "Something went wrong on our side; import this row again."
            result = RowResult(row, RowOutcome.REFUSED, ctx.now(), "internal_error", message)
            break
    ctx.data.imports.put_result(job.id, result)


def _customer(ctx: ImportsContext, job: ImportJob, row: CustomerRow) -> None:
    at = ctx.now()
    taken = RowResult(row.row, RowOutcome.TAKEN, at, customer_id=row.customer_id)
    event = CustomerImported(
        id=event_id_for(ctx.tenant.id, job, row),
        at=at,
        customer_id=row.customer_id,
        customer_name=row.name,
        email=row.email,
        phone=row.phone,
        tags=list(row.tags),
        notes=row.notes,
        birthday=row.birthday,
        marketing_consent=row.consent,
        consent_at=job.created_at if row.consent is not None else None,
        import_id=job.id,
        row=row.row,
    )
    try:
        with UnitOfWork(ctx) as uow:
            uow.add(ResultPut(job.id, taken))
            uow.record(event)
            uow.commit()
    except Conflict as exc:
        if exc.code == "row_done":
            return  # another worker of this job wrote it
        if exc.code != "event_exists":
            raise
        already = RowResult(
            row.row,
            RowOutcome.ALREADY,
            at,
            code="already_imported",
            message=ALREADY,
            customer_id=row.customer_id,
        )
        ctx.data.imports.put_result(job.id, already)


def _booking(
    ctx: ImportsContext,
    cache: CatalogCache,
    marks: WorkMarks,
    job: ImportJob,
    planned: PlannedBooking,
) -> RowResult:
    row = planned.booking
    order_id = order_id_for(ctx.tenant.id, job, planned)
    existing = ctx.data.orders.get(order_id)
    if existing is None:
        hold = HoldInput(
            customer=Customer(name=row.name, email=row.email, phone=row.phone),
            lines=[planned.line],
            channel=Channel.IMPORT,
            note=_note(job, row.reference, row.notes),
        )
        try:
            existing = place_order(ctx, cache, marks, hold, order_id=order_id)
        except Conflict as exc:
            if exc.code != "order_exists":
                raise
            existing = ctx.data.orders.get(order_id)
            assert existing is not None
    if not _made_by(job, existing):
        return RowResult(
            row.row,
            RowOutcome.ALREADY,
            ctx.now(),
            code="already_imported",
            message=ALREADY_BOOKED,
            order_id=order_id,
        )
    if existing.status is BookingStatus.HELD:
        existing = order_service.confirm(ctx, order_id)
    elif existing.status in (BookingStatus.EXPIRED, BookingStatus.CANCELLED):
        # Its hold ran out while the job stood still (a worker died): its units are back.
        message = f"The booking was placed but its hold ran out ({existing.status.value})."
        return RowResult(
            row.row, RowOutcome.REFUSED, ctx.now(), code="import_interrupted", message=message
        )
    return RowResult(row.row, RowOutcome.TAKEN, ctx.now(), order_id=existing.id)


def _made_by(job: ImportJob, order: Order) -> bool:
    """Whether this job placed the order (its worker may have died before the row's result):
    the order's note names the import that placed it."""
    return order.note.startswith(_source(job))


def _source(job: ImportJob) -> str:
    return f"Imported ({job.id})"


def _note(job: ImportJob, reference: str, notes: str) -> str:
    source = _source(job) + (f" from {job.file_name}" if job.file_name else "")
    source += f", ref. {reference}" if reference else ""
    return f"{source}. {notes}".strip()[:1000] if notes else source + "."
