"""Each row of an import read and checked against the business: phones read in its country,
a booking's offering found in its catalog (by id, or by name ignoring case), its start read
in its time zone and in the future, its customer not erased (`unless_erased`). The same checks
for a dry run and for the worker; a dry run also checks each booking against its offering's
rules (`within_rules`), as placing does, so what it promises is what the import does (the
room left aside).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from chalicelib.booking.services.line_planning import LineInput, check_line
from chalicelib.catalog.domain.catalog import Offering, ResourceKind
from chalicelib.catalog.services.catalog_view import CatalogCache, CatalogSnapshot
from chalicelib.customers.domain.import_cells import DateOrder
from chalicelib.customers.domain.import_rows import (
    BookingRow,
    CustomerRow,
    ImportKind,
    Refusal,
    read_rows,
)
from chalicelib.customers.domain.imports import StoredRow
from chalicelib.customers.services.import_ports import ImportsContext
from chalicelib.kernel.domain.calendar import local_date, local_instant
from chalicelib.kernel.domain.customer_ids import customer_id_for
from chalicelib.kernel.domain.errors import DomainError
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.domain.values import value
from chalicelib.tenancy.services.phones import (
    INVALID_NUMBER,
    home_region,
    international,
    sms_refusal,
)

ERASED = (
    "This customer asked to be erased: an import does not add them again (they may book "
    "again themselves)."
)


@value
class PlannedBooking:
    booking: BookingRow
    line: LineInput


Checked = CustomerRow | PlannedBooking | Refusal


def row_of(checked: Checked) -> int:
    return checked.booking.row if isinstance(checked, PlannedBooking) else checked.row


def checked_rows(
    ctx: ImportsContext,
    cache: CatalogCache,
    kind: ImportKind,
    rows: Sequence[StoredRow],
    order: DateOrder,
) -> list[Checked]:
    region = home_region(ctx.tenant)

    def phone(text: str) -> str | None:
        # Stricter than a booking's form (a possible number): an export's phone column holds
        # what another system let anyone type, and a record is kept for years.
        e164 = international(text, region)
        valid = e164 is not None and sms_refusal(e164, frozenset()) != INVALID_NUMBER
        return e164 if valid else None

    parsed = read_rows(kind, [(r.row, dict(r.cells)) for r in rows], phone, order)
    now = parse(ctx.now())
    if kind is ImportKind.CUSTOMERS:
        today = local_date(now, ctx.tenant.timezone).isoformat()
        return [_born(p, today) for p in parsed if isinstance(p, CustomerRow | Refusal)]
    snapshot = cache.get(ctx.tenant.id, ctx.data.catalog)
    out: list[Checked] = []
    for p in parsed:
        out.append(_planned(ctx, snapshot, p, now) if isinstance(p, BookingRow) else p)
    return out


def _born(row: CustomerRow | Refusal, today: str) -> CustomerRow | Refusal:
    """A birthday yet to come (by the business's calendar) is refused, as the API refuses it."""
    born = row.birthday if isinstance(row, CustomerRow) else None
    if born is None or born.startswith("--") or born <= today:
        return row
    return Refusal(
        row.row,
        code="birthday_in_the_future",
        message="The birthday is a day yet to come (write --mm-dd when the year is not known).",
    )


def _offering(snapshot: CatalogSnapshot, named: str) -> Offering | None:
    found = snapshot.offerings.get(named)
    if found is None:
        folded = named.casefold()
        by_name = [o for o in snapshot.offerings.values() if o.name.casefold() == folded]
        found = by_name[0] if len(by_name) == 1 else None
    return found if found is not None and found.active else None


def _planned(
    ctx: ImportsContext, snapshot: CatalogSnapshot, row: BookingRow, now: datetime
) -> PlannedBooking | Refusal:
    offering = _offering(snapshot, row.offering)
    if offering is None:
        return Refusal(
            row.row,
            code="unknown_offering",
            message=f"No offering of the business is called {row.offering!r} (write its name "
            "as the catalog has it, or its id).",
        )
    tz = ctx.tenant.timezone
    if offering.kind is ResourceKind.NIGHTLY:
        if row.start.date() < local_date(now, tz):
            return Refusal(
                row.row,
                code="in_the_past",
                message="The stay began before today: only future bookings are imported.",
            )
        line = LineInput(
            offering_id=offering.id,
            party=row.party,
            quantity=row.quantity,
            check_in=row.start.date(),
            nights=row.nights,
        )
        return PlannedBooking(row, line)
    if not row.has_time:
        return Refusal(
            row.row, code="missing_time", message="The row has a date but no time of day."
        )
    minute = row.start.hour * 60 + row.start.minute
    instant = local_instant(row.start.date(), minute, tz)
    if instant is None:
        return Refusal(
            row.row,
            code="nonexistent_time",
            message=f"{row.start:%Y-%m-%d %H:%M} does not exist in {tz}: the clocks skip it.",
        )
    if instant <= now:
        return Refusal(
            row.row,
            code="in_the_past",
            message="The booking has started: only future bookings are imported.",
        )
    line = LineInput(
        offering_id=offering.id, party=row.party, quantity=row.quantity, start=row.start
    )
    return PlannedBooking(row, line)


def within_rules(ctx: ImportsContext, cache: CatalogCache, checked: Checked) -> Checked:
    """A booking row refused for a rule of its offering (its party, nights, how far ahead;
    `line_planning.check_line`) with the code placing it would meet, for a dry run to say
    so. The import itself needs no such check: placing applies these very rules."""
    if not isinstance(checked, PlannedBooking):
        return checked
    tenant = ctx.tenant
    snapshot = cache.get(tenant.id, ctx.data.catalog)
    try:
        # An import is held to the notice as online bookings are (booking.hold_order).
        check_line(
            snapshot,
            checked.line,
            tz=tenant.timezone,
            currency=tenant.currency,
            now=parse(ctx.now()),
        )
    except DomainError as refused:
        return Refusal(checked.booking.row, code=refused.code, message=refused.message)
    return checked


def unless_erased(ctx: ImportsContext, checked: Checked) -> Checked:
    """The row, or its refusal when the customer it names was erased (module docstring)."""
    if isinstance(checked, Refusal):
        return checked
    if isinstance(checked, CustomerRow):
        customer_id = checked.customer_id
    else:
        customer_id = customer_id_for(checked.booking.email, checked.booking.phone)
    if ctx.data.customers.erased_at(customer_id) is None:
        return checked
    return Refusal(row_of(checked), code="customer_erased", message=ERASED)
