"""What staff do with a customer's record: find it, read it, change its profile, tags and
consent over the version they read, write notes, see the orders, list possible duplicates.

Search without a Scan: an e-mail is the record's own key (its id is derived: one GetItem); a
phone is one Query on the phone index (`CUSPHONE#<e164>`); a name prefix is one Query on the
name index (`CUSNAME#<first folded character>`, begins_with). Each answer follows merges, so a
merged loser is found as its winner.
"""

from __future__ import annotations

from dataclasses import replace

from chalicelib.booking.domain.order_search import ByCustomer, search_name
from chalicelib.booking.domain.orders import Order
from chalicelib.customers.domain.records import (
    Consent,
    ConsentSource,
    CustomerRecord,
    Note,
    clean_preferences,
    clean_tags,
)
from chalicelib.customers.services.customer_ports import CustomerPage, CustomersContext, NotePut
from chalicelib.customers.services.loyalty import today_of
from chalicelib.customers.services.records import REREADS, bumped, existing, live, put
from chalicelib.kernel.domain.business import Address
from chalicelib.kernel.domain.customer_ids import customer_id_for, normal_email
from chalicelib.kernel.domain.errors import Conflict, InvalidInput, PreconditionFailed
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.unit_of_work import UnitOfWork
from chalicelib.tenancy.services.business import check_country
from chalicelib.tenancy.services.phones import home_region, international

MAX_PAGE = 100


class CustomerChanged(PreconditionFailed):
    """The record changed since the version the caller read (If-Match)."""

    code = "customer_changed"


@value
class Changes:
    """A profile change: None leaves a field as it is."""

    name: str | None = None
    language: str | None = None
    birthday: str | None = None
    address: Address | None = None
    preferences: dict[str, str] | None = None
    tags: tuple[str, ...] | None = None
    marketing: bool | None = None  # consent, recorded by staff now


def get_customer(ctx: CustomersContext, customer_id: str) -> CustomerRecord:
    return existing(ctx, customer_id)


def customer_with_notes(
    ctx: CustomersContext, customer_id: str, *, notes: int = 50
) -> tuple[CustomerRecord, list[Note]]:
    """The live record and its newest notes (a staff member's view of one customer)."""
    customer = existing(ctx, customer_id)
    return customer, ctx.data.customers.notes(customer.id, limit=notes)


def search_customers(
    ctx: CustomersContext,
    *,
    email: str | None = None,
    phone: str | None = None,
    name: str | None = None,
    after: str | None = None,
    limit: int = 20,
) -> CustomerPage:
    """By e-mail, else phone (E.164), else name prefix: one key each (module docstring)."""
    store = ctx.data.customers
    if email is not None:
        _, record = live(ctx, customer_id_for(email))
        return CustomerPage((record,) if record else (), None)
    if phone is not None:
        ids = store.with_phone(e164(ctx, phone))
        return CustomerPage(_live_all(ctx, ids), None)
    folded = search_name(name or "")
    if not folded:
        raise InvalidInput(
            "Search by `email`, `phone` or `name` (at least one letter).", code="no_search"
        )
    page = store.by_name(folded, after=after, limit=min(limit, MAX_PAGE))
    return CustomerPage(_live_all(ctx, [c.id for c in page.customers]), page.next)


def e164(ctx: CustomersContext, text: str) -> str:
    """A phone as orders and records keep it (E.164), read in the business's country."""
    phone = international(text, home_region(ctx.tenant))
    if phone is None:
        raise InvalidInput(
            f"{text!r} is no phone number: write it with its country code, or as a number of "
            "the business's own country.",
            code="invalid_phone",
            field="phone",
        )
    return phone


def _live_all(ctx: CustomersContext, ids: list[str]) -> tuple[CustomerRecord, ...]:
    """Each id's live record, once (a loser and its winner are one customer)."""
    found: dict[str, CustomerRecord] = {}
    for customer_id in dict.fromkeys(ids):
        target, record = live(ctx, customer_id)
        if record is not None:
            found.setdefault(target, record)
    return tuple(found.values())


def update_customer(
    ctx: CustomersContext, customer_id: str, changes: Changes, *, expected_version: int | None
) -> CustomerRecord:
    """Apply `changes` over `expected_version` (None: whatever is current; a record that
    changed between our read and write is then read again). 422 for an address in no
    country (`invalid_address_country`, as the business's own) or a birthday yet to come
    (`birthday_in_the_future`, by the business's calendar)."""
    _check(ctx, changes)
    for _ in range(REREADS):
        before = existing(ctx, customer_id)
        if expected_version is not None and before.version != expected_version:
            raise CustomerChanged("The customer changed since you read it.", version=before.version)
        after = bumped(before, ctx.now(), **_changed(ctx, before, changes))
        try:
            put(ctx, after, before=before)
        except Conflict as exc:
            if exc.code != "customer_changed" or expected_version is not None:
                if exc.code == "customer_changed":
                    raise CustomerChanged("The customer changed since you read it.") from exc
                raise
            continue
        ctx.audit("customer.updated", f"customer:{after.id}", fields=_named(changes))
        return after
    raise CustomerChanged("The customer kept changing; read it again.")


def _check(ctx: CustomersContext, c: Changes) -> None:
    if c.address is not None:
        check_country(c.address.country.strip().upper(), field="address.country")
    if c.birthday and not c.birthday.startswith("--") and c.birthday > today_of(ctx).isoformat():
        raise InvalidInput(
            "A birthday is a day that has been (write --mm-dd when the year is not known).",
            code="birthday_in_the_future",
            field="birthday",
        )


def _named(changes: Changes) -> list[str]:
    return [k for k, v in vars(changes).items() if v is not None]


def _changed(ctx: CustomersContext, before: CustomerRecord, c: Changes) -> dict[str, object]:
    profile = before.profile
    profile = replace(
        profile,
        name=profile.name if c.name is None else c.name,
        language=profile.language if c.language is None else c.language,
        birthday=profile.birthday if c.birthday is None else c.birthday,
        address=profile.address if c.address is None else c.address,
    )
    out: dict[str, object] = {"profile": profile}
    if c.preferences is not None:
        out["preferences"] = clean_preferences(c.preferences)
    if c.tags is not None:
        out["tags"] = clean_tags(c.tags)
    if c.marketing is not None:
        out["consent"] = Consent(c.marketing, ConsentSource.STAFF, ctx.now(), by=ctx.actor.label)
    return out


def record_consent(
    ctx: CustomersContext, customer_id: str, granted: bool, source: ConsentSource
) -> CustomerRecord:
    """Consent as a booking form, an import or an unsubscribe link says it (their
    capabilities call this), with its source and time."""
    for _ in range(REREADS):
        before = existing(ctx, customer_id)
        consent = Consent(granted, source, ctx.now())
        after = bumped(before, ctx.now(), consent=consent)
        try:
            put(ctx, after, before=before)
            return after
        except Conflict as exc:
            if exc.code != "customer_changed":
                raise
    raise CustomerChanged("The customer kept changing; try again.")


def add_note(ctx: CustomersContext, customer_id: str, text: str, *, note_id: str) -> Note:
    """A note on the live record, under the caller's name; the same id twice writes once."""
    customer = existing(ctx, customer_id)
    note = Note(
        id=note_id,
        customer_id=customer.id,
        text=text.strip(),
        at=ctx.now(),
        by=ctx.actor.label,
        by_name=ctx.actor.email or "",
    )
    if not note.text:
        raise InvalidInput("A note needs some text.", code="empty_note")
    try:
        with UnitOfWork(ctx) as uow:
            uow.add(NotePut(note))
            uow.commit()
    except Conflict as exc:
        if exc.code != "note_exists":
            raise
    return note


def notes_of(ctx: CustomersContext, customer_id: str, *, limit: int = 50) -> list[Note]:
    customer = existing(ctx, customer_id)
    return ctx.data.customers.notes(customer.id, limit=min(limit, MAX_PAGE))


def orders_of(
    ctx: CustomersContext, customer_id: str, *, after: str | None, limit: int
) -> tuple[CustomerRecord, list[Order], str | None]:
    """The customer's orders, newest start first, a page at a time: one Query on
    `CUSORD#<id>`, and one on each id it absorbed (their orders until the merge job, or the
    figures consumer for a booking made later, has moved them), merged by start."""
    customer = existing(ctx, customer_id)
    ids = (customer.id, *customer.merged_from)
    emails = (normal_email(customer.profile.email),) if customer.profile.email else ()
    page = ctx.data.orders.index_page(
        ByCustomer(ids, emails=emails), after=after, descending=True, limit=min(limit, MAX_PAGE)
    )
    order_ids = list(dict.fromkeys(e.order_id for e in page.entries))
    found = ctx.data.orders.get_many(order_ids)
    return customer, [found[i] for i in order_ids if i in found], page.next


def duplicates(ctx: CustomersContext, *, after: str | None, limit: int) -> CustomerPage:
    """Records flagged as possible duplicates (not merged away), most recently flagged first."""
    page = ctx.data.customers.duplicates(after=after, limit=min(limit, MAX_PAGE))
    live_ones = tuple(c for c in page.customers if not c.merged_into and c.possible_duplicates)
    return CustomerPage(live_ones, page.next)
