"""An import: customers or future bookings from another system's CSV export, taken row by row
in the background, with a report of what was taken, what was refused and why, and what an
earlier import had taken already.

Asked for, the file is read and its mapped cells stored with the job (its rows are fixed
then, as a bulk job's orders are); a worker works through them in batches and writes each
row's result on condition that it has none, so a retried or resumed job skips the rows it has
done. Each row's effect is idempotent on its own: a customer is an event whose id is derived
from the file, the row and the customer; a booking is an order whose id is derived from the
file (or the row's own reference) and the row. Running the same file again therefore adds
nothing: its rows come back "already imported".
"""

from __future__ import annotations

from collections import Counter
from enum import StrEnum

from chalicelib.customers.domain.import_cells import DateOrder
from chalicelib.customers.domain.import_rows import ImportKind
from chalicelib.kernel.domain.values import value

KEEP_DAYS = 30  # the job and its report; the file's cells go when the job is done


class ImportStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"


class RowOutcome(StrEnum):
    TAKEN = "taken"  # a customer event written, a booking placed
    REFUSED = "refused"  # the row's `code` and `message` say why; nothing was written
    ALREADY = "already_imported"  # an earlier import of the same row took it


@value
class ImportJob:
    id: str
    kind: ImportKind
    file_name: str
    file_hash: str
    mapping: tuple[tuple[str, str], ...]  # (column, field), as asked
    date_order: DateOrder
    rows: int  # data rows in the file
    created_at: str
    created_by: str  # the actor's label: the worker acts as them
    created_role: str
    status: ImportStatus = ImportStatus.QUEUED
    finished_at: str | None = None
    lease_until: str | None = None
    nudged_at: str | None = None


@value
class RowResult:
    row: int
    outcome: RowOutcome
    at: str
    code: str = ""
    message: str = ""
    customer_id: str = ""
    order_id: str = ""


@value
class StoredRow:
    """A row of the file as the job keeps it until done: its number and mapped cells."""

    row: int
    cells: tuple[tuple[str, str], ...]  # (field, text)


def counts(results: list[RowResult]) -> dict[str, int]:
    tally = Counter(r.outcome.value for r in results)
    return {o.value: tally.get(o.value, 0) for o in RowOutcome}
