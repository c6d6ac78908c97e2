"""Erase a customer: their personal data leaves the tenant's table and the exports' files;
their orders stay for the books, anonymised; issued invoices and credit notes stay whole.

Refused while an order of theirs is still to come or under way (409 `customer_has_open_bookings`)
or owes them money back (409 `customer_owed_money`): customers/domain/privacy.py says why.

Order by order, oldest first, at most `BATCH` orders a call (a customer with more answers
`done: false` and the caller calls again), each in this order:
1. the webhook deliveries of the order's events: payloads scrubbed (`scrub`), and the words
   of the bulk jobs they name (a bulk message's: `_scrub_jobs`);
2. the idempotency records whose answer names the order: answers scrubbed;
3. the audit entries about the order: details scrubbed (who did what, and when, stays);
4. the order's events deleted (an event item rewritten would reach the relay again);
5. last, the order itself anonymised over the version read (`anonymised`: a new manage-link
   generation, an address nothing is sent to), through booking's unit of work, which rewrites
   its index entries: the e-mail, phone and name indexes no longer name it.
Before anything of theirs goes, a run that finds their data marks the erase under way
(`owe_withdrawal`). Then, once no order of theirs is left: the events, idempotency answers and
audit entries about the customer's id, their export files, and their partitions (`CUS#<id>`,
`LOY#<id>`) deleted, then the business's report exports made until then that can name a
customer withdrawn (`ReportExports`: their files deleted) and the mark with them,
and one audit entry (`customer.erased`: who, when, the customer's id, how many orders; never
their name), and the tombstone of each id (`ERASED#<id>`/`META`: the id, a one-way hash of
the contact, and the time; no personal data, kept for good), and of the id each of their
phones derives alone (what a phone-only import row names; not when another record holds
that id): an import never makes the customer again (import_runs.py, imported.py), from a job
started before the erase or a later run of an old file. The customer may come back: a
booking they make themselves makes their record again (figures.py), and the tombstone still
keeps old import files out. The gift cards that name them (bought or received) keep their
balance and ledger and lose the name, address and message (customers/services/gift_cards
.forget_customer). A record flagged as a possible duplicate of theirs (a phone-only record an
import made with their phone) is another record until staff merge it: it keeps its name and
phone and loses only its flag naming the erased id (staff who know it is the same person
merge first, or erase it too, by its id).

Resumable and idempotent without a job record (the mark aside): an order is anonymised only
after all that names it is done, so a run that dies half-way leaves the order findable by its
e-mail, and the next run does it again (each step changes only what still holds the data);
an anonymised order is no longer found. A run that died after their data went and before the
withdrawal finds nothing but the mark, and withdraws. A run that finds nothing and no mark
writes nothing but the tombstone, once: erasing twice changes nothing (later exports stay).

Kept, by design: the issued invoices and credit notes (`INVC#`, `ORDINV#` and their PDFs: the
law keeps them), the takings entries (the day's cash-up; their references are scrubbed as the
order's payments' are), the consumer ledger (`DONE#` items hold event ids and the names of the
pieces done, nothing of the customer; deleting them would
let a late retry send a message again), and the rate-limit counters (a hash, a minute long).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import timedelta
from typing import Any

from chalicelib.booking.domain.orders import ERASED_DOMAIN, Order
from chalicelib.booking.services.order_unit_of_work import OrderUnitOfWork
from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.domain.privacy import (
    ERASED_NAME,
    EraseNotConfirmed,
    anonymised,
    answer_texts,
    needles,
    refuse_in_flight,
    refuse_money_owed,
    scrub,
    scrub_text,
)
from chalicelib.customers.services.gift_cards import forget_customer
from chalicelib.customers.services.privacy import Known, exports_prefix, known, orders_of, resolve
from chalicelib.customers.services.privacy_document import Subject
from chalicelib.customers.services.privacy_ports import (
    ExportFiles,
    PrivacyContext,
    ReportExports,
)
from chalicelib.customers.services.records import REREADS, bumped, live, put
from chalicelib.kernel.domain.calendar import local_date
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.domain.events import Record
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.domain.values import value

BATCH = 25  # orders one call forgets (each is about a dozen reads and writes)


@value
class Erasure:
    customer_id: str
    done: bool  # False: more orders are left, call again
    orders: int  # anonymised by this call (not by an erase of the same customer at once)
    remaining: int
    events: int
    records: int  # items of the customer's own partitions deleted
    files: int
    invoices_kept: int
    reports: int = 0  # the business's report exports withdrawn (files that could name them)

    @property
    def changed(self) -> bool:
        return bool(self.orders or self.events or self.records or self.files or self.reports)


def confirm_erase(subject: Subject, ref: str, confirm: str, phones: Iterable[str] = ()) -> None:
    """The caller typed the customer's id, e-mail or phone (one that names them: an e-mail
    whose id is theirs counts even after their record is gone)."""
    typed = confirm.strip().lower()
    accepted = {ref.strip().lower(), *subject.ids}
    accepted |= subject.contacts.emails | subject.contacts.phones
    if typed and (typed in accepted or _id_of(typed) in subject.ids):
        return
    if _same_phone(typed, [*subject.contacts.phones, *phones]):
        return
    raise EraseNotConfirmed(
        "Type the customer's e-mail, phone or id in `confirm` to erase them.",
        customer_id=subject.customer_id,
    )


def _same_phone(typed: str, phones: Iterable[str]) -> bool:
    """A phone typed as people write it ("+1 212 555 0166", "(212) 555-0166"): its digits are
    one of the customer's phones', whole or as the national number (seven digits at least)."""
    digits = "".join(c for c in typed if c in "0123456789").lstrip("0")  # a trunk prefix
    if len(digits) < 7 or any(c.isalpha() for c in typed):
        return False
    return any(p.lstrip("+") == digits or p.endswith(digits) for p in phones)


def _id_of(typed: str) -> str | None:
    if "@" in typed:
        return customer_id_for(typed)
    return customer_id_for(None, typed) if typed.startswith("+") else None


def _scrub_answer(response: dict[str, Any], found: tuple[str, ...]) -> dict[str, Any]:
    body = response.get("body")
    if not isinstance(body, str):
        return dict(scrub(response, found))
    try:
        text = json.dumps(scrub(json.loads(body), found), separators=(",", ":"))
    except ValueError:
        text = scrub_text(body, found)
    return {**response, "body": text}


def _scrub_payload(payload: str, found: tuple[str, ...]) -> str:
    try:
        doc = json.loads(payload)
    except ValueError:
        return scrub_text(payload, found)
    # Its envelope (ids, type, time, currency, the business's zone) names nobody: a customer
    # called Sydney left a delivery's zone "Australia/[erased]" (a reviewer's finding).
    doc["data"] = scrub(doc.get("data"), found)
    return json.dumps(doc, separators=(",", ":"), sort_keys=True, default=str)


def _scrub_around(
    ctx: PrivacyContext, subject_id: str, target: str, found: tuple[str, ...]
) -> list[str]:
    """Scrub what names one order or customer outside it, delete its events; their ids."""
    store = ctx.data.privacy
    events = store.order_events(subject_id) if target == "order" else []
    if target == "customer":
        events = store.customer_events(subject_id)
    _scrub_deliveries(ctx, [e.id for e in events], found)
    _scrub_jobs(ctx, events, found)
    for answer in store.answers_about(subject_id):
        response = _scrub_answer(answer.response, found)
        if response != answer.response:
            store.replace_answer(answer.key, response)
    for entry in store.audit_about(f"{target}:{subject_id}"):
        details = scrub(entry.details, found)
        if details != entry.details:
            store.replace_audit_details(entry, details)
    store.delete_events([e.id for e in events])
    return [e.id for e in events]


def _scrub_deliveries(ctx: PrivacyContext, event_ids: list[str], found: tuple[str, ...]) -> None:
    store = ctx.data.privacy
    for event_id in event_ids:
        for p in store.payloads_of(event_id):
            payload = _scrub_payload(p.payload, found)
            if payload != p.payload:
                store.replace_payload(p.endpoint_id, p.delivery_id, payload)


def _scrub_jobs(ctx: PrivacyContext, events: list[Record], found: tuple[str, ...]) -> None:
    """A bulk message's words (its event names the job) may name the customer, and the job
    keeps them 90 days (an outside tester found "Hi Zed Erasable" in an erased customer's
    job): scrubbed as the events' payloads are, the other customers' words left as they are."""
    store = ctx.data.privacy
    for job_id in sorted({str(e.data["job_id"]) for e in events if e.data.get("job_id")}):
        words = store.job_words(job_id)
        scrubbed = {k: scrub_text(v, found) for k, v in words.items()}
        if scrubbed != words:
            store.replace_job_words(job_id, scrubbed)


def _scrub_takings(ctx: PrivacyContext, order: Order, found: tuple[str, ...]) -> None:
    """The references of the order's desk records on the days' takings (the local day each
    was recorded, or the next when that day was closed: payments/domain/takings.py): amounts,
    methods and times stay for the cash-up, the customer's words go."""
    zone = ctx.tenant.timezone
    days: set[str] = set()
    for at in [p.created_at for p in order.payments] + [r.at for r in order.refunds]:
        if not at:
            continue
        local = local_date(parse(at), zone)
        days |= {local.isoformat(), (local + timedelta(days=1)).isoformat()}
    store = ctx.data.privacy
    for day in sorted(days):
        for sk, reference in store.takings_of(order.id, day):
            scrubbed = scrub_text(reference, found)
            if scrubbed != reference:
                store.replace_takings_reference(day, sk, scrubbed)


def _scrub_channel(ctx: PrivacyContext, order: Order) -> None:
    """A channel manager's reservation keeps the messages it applied (`CHRES#`), with their
    guest: the guest becomes the erased customer of the order, as the order itself does (a
    reviewer found the name, e-mail and phone kept for good after the erase). A later message
    from the channel about the reservation brings what the channel still holds."""
    if order.partner is None:
        return
    store, ref = ctx.data.privacy, order.partner
    kept = store.channel_messages(ref.connection_id, ref.reference)
    gone = {"name": ERASED_NAME, "email": f"{order.id}@{ERASED_DOMAIN}"}
    texts = {}
    for key, text in kept.items():
        doc = json.loads(text)
        reservation = doc.get("reservation") or {}
        if reservation.get("guest") not in (None, gone):
            reservation["guest"] = gone
            texts[key] = json.dumps(doc, separators=(",", ":"))
    store.replace_channel_messages(ref.connection_id, ref.reference, texts)


def _forget_order(ctx: PrivacyContext, order: Order, extra: Known) -> tuple[int, bool]:
    """Steps 1 to 5 for one order: the events deleted, and whether this call anonymised it."""
    found = needles(order.customer, [*answer_texts(order), *extra.texts], extra.names)
    events = _scrub_around(ctx, order.id, "order", found)
    _scrub_takings(ctx, order, found)
    _scrub_channel(ctx, order)
    anonymised_here = _anonymise(ctx, order.id, found)
    # Deliveries made meanwhile (queued events): later ones carry no words (webhook_delivery)
    _scrub_deliveries(ctx, events, found)
    return len(events), anonymised_here


def _anonymise(ctx: PrivacyContext, order_id: str, found: tuple[str, ...]) -> bool:
    """Step 5 over the version read, read again when another write got there first: a second
    erase of the customer at the same moment (a double click) anonymised it, or a worker
    wrote the order (its figures, a reminder sent); not a 409 to a caller who sent no
    version. False when it already was (by the other erase)."""
    for _ in range(REREADS):
        before = ctx.data.orders.get(order_id)
        if before is None or before.customer.erased:
            return False
        try:
            with OrderUnitOfWork(ctx) as uow:
                uow.put_order(anonymised(before, found, ctx.now()), before=before)
                uow.commit()
            return True
        except Conflict as exc:
            if exc.code != "version_mismatch":
                raise
    raise Conflict(
        "The customer's orders kept changing while they were erased; try again.",
        code="erase_busy",
    )


def erase_customer(
    ctx: PrivacyContext, files: ExportFiles, ref: str, confirm: str, *, reports: ReportExports
) -> Erasure:
    """Erase the customer `ref` names, a batch of orders at a time (module docstring)."""
    subject = resolve(ctx, ref)
    orders = orders_of(ctx, subject.contacts)
    confirm_erase(subject, ref, confirm, [o.customer.phone for o in orders if o.customer.phone])
    refuse_in_flight(orders, ctx.now())
    refuse_money_owed(orders)
    if orders or any(subject.records.values()):  # before anything of theirs goes
        ctx.data.privacy.owe_withdrawal(subject.ids, ctx.now())
    extra = known(subject, orders)
    batch, rest = orders[:BATCH], orders[BATCH:]
    done = [_forget_order(ctx, order, extra) for order in batch]
    events, anonymised_here = sum(e for e, _ in done), sum(1 for _, a in done if a)
    kept = sum(len(ctx.data.invoices.invoicing(o.id).docs) for o in batch)
    erasure = Erasure(subject.customer_id, False, anonymised_here, len(rest), events, 0, 0, kept)
    if not rest:
        erasure = _forget_customer(
            ctx, (files, reports), subject, erasure, needles(None, extra.texts, extra.names)
        )
    if erasure.changed:
        ctx.audit(
            "customer.erased",
            f"customer:{subject.customer_id}",
            done=erasure.done,
            orders=erasure.orders,
            remaining=erasure.remaining,
            events=erasure.events,
            records=erasure.records,
            files=erasure.files,
            reports=erasure.reports,
        )
    return erasure


def _forget_customer(
    ctx: PrivacyContext,
    where: tuple[ExportFiles, ReportExports],
    subject: Subject,
    erasure: Erasure,
    found: tuple[str, ...],
) -> Erasure:
    """Once no order of theirs is left: what names their id, their files, their partitions,
    then the report exports made before (owed since the first run: module docstring)."""
    files, reports = where
    gone = [e for i in subject.ids for e in _scrub_around(ctx, i, "customer", found)]
    _scrub_deliveries(ctx, gone, found)  # made meanwhile, as an order's (_forget_order)
    events = len(gone)
    flagged = _flagged_with(ctx, subject.ids)
    forget_customer(ctx, list(subject.ids))  # before the partitions that name their cards go
    removed = sum(files.delete_under(exports_prefix(ctx.tenant.id, i)) for i in subject.ids)
    records = sum(ctx.data.privacy.delete_partition(pk) for pk in subject.pks)
    for other in flagged:
        _unflag(ctx, other, subject.ids)
    withdrawn = _withdraw_reports(ctx, reports, subject.ids)
    for customer_id in _tombstoned(ctx, subject):  # last: a run that died before does it again
        ctx.data.customers.mark_erased(customer_id, ctx.now())
    return replace(
        erasure,
        done=True,
        events=erasure.events + events,
        records=records,
        files=removed,
        reports=withdrawn,
    )


def _withdraw_reports(ctx: PrivacyContext, reports: ReportExports, ids: tuple[str, ...]) -> int:
    """The report exports made until now, their data gone, withdrawn when an erase of theirs
    is under way (its mark, written before anything of theirs went); then the mark goes. A
    run that finds neither data nor mark (erasing again) withdraws nothing: the exports made
    since the erase show "Erased customer" and stay."""
    owed = ctx.data.privacy.withdrawals_owed(ids)
    if not owed:
        return 0
    withdrawn = reports.withdraw_made_until(ctx, ctx.now())
    ctx.data.privacy.settle_withdrawal(owed)
    return withdrawn


def _tombstoned(ctx: PrivacyContext, subject: Subject) -> list[str]:
    """The ids an import may not make again: every id of theirs, and the id each phone of
    theirs derives on its own (a phone-only row names that one, not their e-mail's), unless a
    record holds that id: another record, kept (module docstring), which imports still update."""
    phones = {customer_id_for(None, p) for p in subject.contacts.phones} - set(subject.ids)
    others = ctx.data.customers.get_many(tuple(sorted(phones)))
    return [*subject.ids, *sorted(phones - set(others))]


def _flagged_with(ctx: PrivacyContext, ids: tuple[str, ...]) -> list[str]:
    """The other records flagged as possible duplicates of the customer (by the phone rule)."""
    records = ctx.data.customers.get_many(ids).values()
    return sorted({d for r in records for d in r.possible_duplicates} - set(ids))


def _unflag(ctx: PrivacyContext, customer_id: str, gone: tuple[str, ...]) -> None:
    """The other record loses its flag naming the erased customer and keeps all else: it is
    another record (it may be the same person: staff merge before an erase, or erase it too)."""
    for _ in range(REREADS):
        _, before = live(ctx, customer_id)
        if before is None or not set(before.possible_duplicates) & set(gone):
            return
        kept = tuple(d for d in before.possible_duplicates if d not in gone)
        try:
            put(ctx, bumped(before, ctx.now(), possible_duplicates=kept), before=before)
            return
        except Conflict as exc:
            if exc.code != "customer_changed":
                raise
