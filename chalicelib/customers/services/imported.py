"""A customer row of an import becomes a record: the consumer `RecordImportedCustomers`
(pipeline/consumers.py, bulk group) of `CustomerImported` (customers/services/
import_runs.py writes one per row, under an id derived from the file, the row and the customer).

The import fills; it never overrules. A new customer gets a record with the file's name,
e-mail, phone, birthday, tags and consent (source `import`, the import's time). A customer the
business already knows keeps what it has: the file adds a name, phone or birthday the record
lacks, its tags join the record's, and its consent counts only where the record holds none (a
customer who unsubscribed is not subscribed again by an old export). The file's notes become
one note, written by the import. The phone rule holds as for bookings: a phone that is another
record's flags both as possible duplicates.

An erased customer (their tombstone `ERASED#<id>`, privacy_erase.py) gets no record from an
import event, whenever it was written: the import refuses their rows, and an event written
before the erase and delivered after it is dropped here.

Once per event: the record, the note and the event's mark (`CUS#<id>`/`EVT#<event id>`) are one
transaction, conditional on the mark being new and on the version read, so the same event
delivered three times changes the record once.
"""

from __future__ import annotations

from dataclasses import replace

from chalicelib.customers.domain.records import (
    Consent,
    ConsentSource,
    CustomerRecord,
    Note,
    Profile,
    flag_duplicates,
    joined_tags,
    phone_conflicts,
)
from chalicelib.customers.services.customer_ports import (
    MARK_DAYS,
    CustomersContext,
    EventMark,
    NotePut,
)
from chalicelib.customers.services.figures import flag_pair
from chalicelib.customers.services.records import REREADS, bumped, live, new_record, put
from chalicelib.kernel.domain.customer_events import CustomerImported
from chalicelib.kernel.domain.customer_ids import customer_id_for
from chalicelib.kernel.domain.errors import Conflict, TransientFailure
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.services.transaction_ports import TransactionItem

IMPORT_ACTOR = "system:import"


class RecordImportedCustomers:
    """The consumer (pipeline/consumers.py) of the customers an import read."""

    name = "customer_imports"
    events = (CustomerImported,)
    repeatable = True  # its one write carries the event's mark, on condition that it is new

    def handle(self, ctx: CustomersContext, event: CustomerImported, deps: object) -> None:
        record_imported(ctx, event)


def record_imported(ctx: CustomersContext, event: CustomerImported) -> bool:
    """Make or fill the customer's record from the row, once (module docstring); False when
    the event was counted before."""
    if ctx.data.customers.erased_at(event.customer_id) is not None:
        return False
    expires = int(parse(ctx.now()).timestamp()) + MARK_DAYS * 86400
    mark = EventMark(event.customer_id, event.id, expires)
    for _ in range(REREADS):
        target, before = live(ctx, event.customer_id)
        others = _phone_owners(ctx, target, event.phone)
        after = filled(target, before, event, ctx.now())
        after = replace(after, possible_duplicates=flag_duplicates(after, others))
        also: tuple[TransactionItem, ...] = (mark,)
        if event.notes.strip():
            also += (NotePut(_note(target, event)),)
        try:
            put(ctx, after, before=before, also=also)
        except Conflict as exc:
            if exc.code == "event_counted":
                return False
            if exc.code != "customer_changed":
                raise
            continue
        for other in others:
            flag_pair(ctx, other, target)
        return True
    raise TransientFailure("The customer's record kept changing.", code="customer_busy")


def filled(
    customer_id: str, before: CustomerRecord | None, event: CustomerImported, now: str
) -> CustomerRecord:
    """The record with what the row adds (module docstring: it fills, never overrules)."""
    consent = None
    if event.marketing_consent is not None:
        at = event.consent_at or event.at
        consent = Consent(event.marketing_consent, ConsentSource.IMPORT, at, IMPORT_ACTOR)
    if before is None:
        profile = Profile(
            name=event.customer_name,
            email=event.email or "",
            phone=event.phone or "",
            birthday=event.birthday or "",
        )
        record = new_record(customer_id, profile, now)
        return bumped(record, now, tags=joined_tags((), event.tags), consent=consent)
    p = before.profile
    profile = replace(
        p,
        name=p.name or event.customer_name,
        email=p.email or event.email or "",
        phone=p.phone or event.phone or "",
        birthday=p.birthday or event.birthday or "",
    )
    return bumped(
        before,
        now,
        profile=profile,
        tags=joined_tags(before.tags, event.tags),
        consent=before.consent or consent,
    )


def _note(customer_id: str, event: CustomerImported) -> Note:
    return Note(
        id=f"imp_{event.id}",
        customer_id=customer_id,
        text=event.notes.strip(),
        at=event.at,
        by=IMPORT_ACTOR,
        by_name=f"import {event.import_id}, row {event.row}",
    )


def _phone_owners(ctx: CustomersContext, target: str, phone: str | None) -> tuple[str, ...]:
    if not phone:
        return ()
    owners = set(ctx.data.customers.with_phone(phone))
    phone_only = customer_id_for(None, phone)
    if phone_only != target and ctx.data.customers.get(phone_only) is not None:
        owners.add(phone_only)
    return phone_conflicts(target, owners)
