"""Imports (customers/domain/imports.py says what one is and promises): asked for, checked
without writing (a dry run), read back, listed. The rows are taken by the import worker
(customers/services/import_runs.py).

Asking reads the whole file first (size, rows, header, the mapping), so a file that cannot
be imported at all is refused before anything is written; each row's own refusal is its
result and stops nothing else.
"""

from __future__ import annotations

from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.customers.domain.import_cells import DateOrder
from chalicelib.customers.domain.import_csv import file_hash, parse_csv
from chalicelib.customers.domain.import_rows import (
    CustomerRow,
    ImportKind,
    Refusal,
    cells_of,
    check_mapping,
)
from chalicelib.customers.domain.imports import (
    ImportJob,
    ImportStatus,
    RowOutcome,
    RowResult,
    StoredRow,
)
from chalicelib.customers.services.import_checks import (
    checked_rows,
    row_of,
    unless_erased,
    within_rules,
)
from chalicelib.customers.services.import_ports import ImportsContext
from chalicelib.customers.services.import_runs import (
    ALREADY,
    ALREADY_BOOKED,
    event_id_for,
    order_id_for,
)
from chalicelib.kernel.domain.errors import Conflict, NotFound
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.messaging_ports import MessageBus
from chalicelib.queues import IMPORTS
from chalicelib.tenancy.domain.plans import PlanLimitReached, check_limit, terms
from chalicelib.tenancy.services.phones import date_order
from chalicelib.tenancy.services.plan_limits import bookings_left

RESEND_AFTER_SECONDS = 120  # an idle import is sent again by a reader at most this often
RECENT = 20


@value
class ImportAsk:
    kind: ImportKind
    text: str
    mapping: tuple[tuple[str, str], ...]  # (column of the header, field)
    file_name: str = ""
    date_order: DateOrder | None = None  # None: as the business's country writes dates


def _job(ctx: ImportsContext, import_id: str, ask: ImportAsk, rows: list[StoredRow]) -> ImportJob:
    return ImportJob(
        id=import_id,
        kind=ask.kind,
        file_name=ask.file_name.strip()[:200],
        file_hash=file_hash(ask.text),
        mapping=ask.mapping,
        date_order=_order_of(ctx, ask),
        rows=len(rows),
        created_at=ctx.now(),
        created_by=ctx.actor.label,
        created_role=ctx.actor.role or "",
    )


def _order_of(ctx: ImportsContext, ask: ImportAsk) -> DateOrder:
    """The order asked, or as the business's country writes dates (tenancy's `date_order`)."""
    return ask.date_order or DateOrder(date_order(ctx.tenant))


def _stored_rows(ask: ImportAsk) -> list[StoredRow]:
    """The file read, and its mapping checked against its header (InvalidInput, FileTooLarge)."""
    table = parse_csv(ask.text)
    mapping = dict(ask.mapping)
    check_mapping(ask.kind, table.header, mapping)
    return [
        StoredRow(row=n, cells=tuple(cells_of(table.header, mapping, cells).items()))
        for n, cells in table.rows
    ]


def dry_run(ctx: ImportsContext, cache: CatalogCache, ask: ImportAsk) -> list[RowResult]:
    """What an import of the file would do, row by row, with nothing written: each row
    `taken` (it would be), `already_imported` (an earlier import of the file took it) or
    `refused` with its reason (an erased customer's: `customer_erased`). The offering's
    rules are checked as placing checks them, and the plan's bookings left this month
    (`_within_plan`); the room left is not looked at: a row the import refuses for want of it
    is only known when placed."""
    rows = _stored_rows(ask)
    now = ctx.now()
    out = []
    ids: dict[int, str] = {}  # a taken row's -> the id the import would find made before
    job = _job(ctx, "dry_run", ask, rows)
    for row in checked_rows(ctx, cache, ask.kind, rows, _order_of(ctx, ask)):
        checked = within_rules(ctx, cache, unless_erased(ctx, row))  # as the import refuses
        if isinstance(checked, Refusal):
            out.append(
                RowResult(checked.row, RowOutcome.REFUSED, now, checked.code, checked.message)
            )
            continue
        out.append(RowResult(row_of(checked), RowOutcome.TAKEN, now))
        ids[row_of(checked)] = (
            event_id_for(ctx.tenant.id, job, checked)
            if isinstance(checked, CustomerRow)
            else order_id_for(ctx.tenant.id, job, checked)
        )
    # A row an earlier import of the file took is said `already_imported`, as the import
    # says it (a tester's dry run said `taken` of every row of a file imported already).
    made = _made(ctx, ask.kind, tuple(ids.values()))
    message = ALREADY if ask.kind is ImportKind.CUSTOMERS else ALREADY_BOOKED
    said = [
        RowResult(r.row, RowOutcome.ALREADY, now, "already_imported", message)
        if ids.get(r.row) in made
        else r
        for r in out
    ]
    return said if ask.kind is ImportKind.CUSTOMERS else _within_plan(ctx, said)


def _within_plan(ctx: ImportsContext, said: list[RowResult]) -> list[RowResult]:
    """Imported bookings count in the plan's month like any (tenancy's plan_limits): the rows
    past what is left of it are said refused as the import will refuse them, `plan_limit_reached`
    (an outside tester's dry run said all 300 taken and the import then refused 200). As the
    desk's count sees the month now: bookings made before the import runs may take more, and a
    row the import refuses for want of room (which the dry run cannot see) gives its place in
    the month back to a later row (a reviewer's)."""
    left = bookings_left(ctx.tenant, ctx.data.bookings, ctx.now())
    if left is None:
        return said
    out = []
    for r in said:
        if r.outcome is RowOutcome.TAKEN:
            if left <= 0:
                refused = _over_plan(ctx)
                r = RowResult(r.row, RowOutcome.REFUSED, r.at, refused.code, refused.message)
            left -= 1
        out.append(r)
    return out


def _over_plan(ctx: ImportsContext) -> PlanLimitReached:
    """The refusal the import will give a row past the month's bookings (its words)."""
    limit = terms(ctx.tenant.plan).bookings_per_month or 0
    try:
        check_limit(ctx.tenant.plan, "bookings_per_month", limit)
    except PlanLimitReached as refused:
        return refused
    raise AssertionError("a limit of bookings a month is passed by one more")


def _made(ctx: ImportsContext, kind: ImportKind, ids: tuple[str, ...]) -> set[str]:
    """Which of the rows' events (customers) or orders (bookings) exist: one BatchGetItem
    per hundred."""
    if kind is ImportKind.CUSTOMERS:
        return ctx.data.imports.events_made(ids)
    return set(ctx.data.orders.get_many(ids))


def start_import(
    ctx: ImportsContext, import_id: str, ask: ImportAsk, *, bus: MessageBus
) -> ImportJob:
    """Store the job with the file's mapped rows and send it to the import worker. The same
    request again (its Idempotency-Key names the job) finds the job and sends it again."""
    rows = _stored_rows(ask)
    job = _job(ctx, import_id, ask, rows)
    try:
        ctx.data.imports.create(job, rows)
    except Conflict as exc:
        if exc.code != "import_exists":
            raise
        made = ctx.data.imports.get(import_id)
        assert made is not None
        job = made
    bus.send(IMPORTS.name, {"tenant_id": ctx.tenant.id, "import_id": job.id})
    ctx.audit("import.started", f"import:{job.id}", kind=job.kind.value, rows=job.rows)
    return job


def get_import(
    ctx: ImportsContext, import_id: str, *, bus: MessageBus
) -> tuple[ImportJob, list[RowResult]]:
    """The import and its results. One nobody works on (queued two minutes on, or running
    with its worker's claim run out) is sent again, by one reader at a time."""
    store = ctx.data.imports
    job = store.get(import_id)
    if job is None:
        raise NotFound("No such import.", code="import_not_found", import_id=import_id)
    now = ctx.now()
    last = max(job.created_at, job.nudged_at or "")
    idle = job.status is ImportStatus.QUEUED or (
        job.status is ImportStatus.RUNNING and (job.lease_until or "") < now
    )
    waited = (parse(now) - parse(last)).total_seconds() > RESEND_AFTER_SECONDS
    if idle and waited and store.nudge(job.id, now=now, seen=job.nudged_at):
        bus.send(IMPORTS.name, {"tenant_id": ctx.tenant.id, "import_id": job.id})
    return job, store.results(import_id)


def recent_imports(ctx: ImportsContext) -> list[ImportJob]:
    return ctx.data.imports.recent(RECENT)
