"""Export everything held about a customer (the right of access); privacy_erase.py erases.

Who: the caller names the customer by their derived id, their e-mail or their phone. An e-mail
derives the id (identity.py); an id is known by the contacts its record holds. A phone names
the customer whose record holds it (the customers' phone index, gsi4 `CUSPHONE#<e164>`; a
merged loser's record counts as its winner): one customer is acted on whole (their e-mails'
orders, record and partitions); several are refused (409 `phone_names_several_customers`,
listing their ids: staff choose, an erase never acts on a guess). When no record holds it
(its bookings not yet counted), the orders that carry it name their customers by their
e-mails, by the same rule; when nothing carries it, the phone-only id is the one named
(nothing of theirs is found: an erase finds nothing and says so). The
record (`CUS#<id>`/`META`, customers/services/records.py) of a merged customer points at the
winner (`merged_into`): the request is about the winner, and every id merged into it (its
`merged_from`), their contacts and partitions, are the customer's.

What, found by key (privacy_ports.py): every item of the customer's own partitions (`CUS#<id>`,
`LOY#<id>`: profile, notes, figures, loyalty ledger, whatever the capability that wrote them),
every order of theirs (found through the orders' e-mail and phone indexes: lines, answers to
booking questions, payments, refunds, charges), the events about those orders and about them
(kept 90 days; the messages staff sent are `OrderMessaged` events: notifications keep no other
record of what was sent), the audit entries about them, and the invoices and credit notes
issued for their orders (summaries, with the API paths of each document and its PDF), and the
gift cards they bought or received (read whole through their links: privacy_document.py).
The file groups all this by what it is, without the table's keys (domain/privacy_export.py).

Where: one JSON file in the exports' private bucket, `exports/<tenant>/<customer id>/<export
id>.json`, handed back as a link that works for `LINK_SECONDS` (a large customer's export does
not pass through the API's answer, nor into the idempotency record that remembers it). The
bucket expires its files (infra), and an erase deletes the customer's exports.
"""

from __future__ import annotations

import json

from chalicelib.booking.domain.order_search import ByEmail, ByPhone, OrderIndex
from chalicelib.booking.domain.orders import Order
from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.domain.privacy import (
    Contacts,
    PhoneNamesSeveral,
    answer_texts,
    contact_kind,
)
from chalicelib.customers.services.privacy_document import PARTITIONS, Subject, export_document
from chalicelib.customers.services.privacy_ports import ExportFiles, PrivacyContext
from chalicelib.customers.services.records import live
from chalicelib.kernel.domain.errors import NotFound
from chalicelib.kernel.domain.timefmt import add_seconds
from chalicelib.kernel.domain.values import value
from chalicelib.tenancy.services.phones import national_forms

LINK_SECONDS = 900
PAGE = 100


@value
class Export:
    customer_id: str
    export_id: str
    url: str
    expires_at: str
    orders: int
    events: int
    invoices: int
    records: int
    gift_cards: int
    size: int


def _named(ctx: PrivacyContext, ref: str) -> tuple[str, Contacts]:
    kind = contact_kind(ref)
    text = ref.strip()
    if kind == "email":
        return customer_id_for(text), Contacts().with_(emails=[text])
    if kind == "phone":
        return phone_owner(ctx, text)
    return text, Contacts()


def phone_owner(ctx: PrivacyContext, phone: str) -> tuple[str, Contacts]:
    """The one customer a phone names, and the contacts it gives (module docstring)."""
    owners = {live(ctx, i)[0]: "" for i in ctx.data.customers.with_phone(phone)}
    if not owners:
        orders = ctx.data.orders.get_many(_index_ids(ctx, ByPhone(phone, None, None)))
        for order in orders.values():
            if not order.customer.erased and order.customer.phone == phone:
                owners[live(ctx, order.customer.id)[0]] = order.customer.email
    if len(owners) > 1:
        raise PhoneNamesSeveral(
            "This phone is on several customers' records: choose one by their id.",
            customer_ids=sorted(owners)[:20],
        )
    emails = [e for e in owners.values() if e]
    only = next(iter(owners), customer_id_for(None, phone))
    return only, Contacts().with_(emails=emails, phones=[phone])


def resolve(ctx: PrivacyContext, ref: str) -> Subject:
    """The customer `ref` names (module docstring), their partitions read: the live record (a
    merged loser's `merged_into` followed), every id merged into it, and the contacts and
    names all those records hold (customers/services/records.py)."""
    first, contacts = _named(ctx, ref)
    live_id, record = live(ctx, first)
    ids = list(dict.fromkeys([live_id, first, *(record.merged_from if record else ())]))
    names: list[str] = []
    for customer_id in ids:
        held = record if customer_id == live_id else ctx.data.customers.get(customer_id)
        if held is None:
            continue
        profile = held.profile
        contacts = contacts.with_(
            emails=[profile.email] if profile.email else [],
            phones=[profile.phone] if profile.phone else [],
        )
        names += [profile.name] if profile.name else []
    records = {pk: ctx.data.privacy.partition(pk) for pk in _pks(ids)}
    return Subject(live_id, tuple(ids), contacts, records, tuple(names))


def _pks(ids: list[str]) -> list[str]:
    return [f"{prefix}{i}" for i in ids for prefix in PARTITIONS]


def _index_ids(ctx: PrivacyContext, index: OrderIndex) -> list[str]:
    ids: list[str] = []
    after: str | None = None
    while True:
        page = ctx.data.orders.index_page(index, after=after, descending=False, limit=PAGE)
        ids += [entry.order_id for entry in page.entries]
        if page.next is None:
            return ids
        after = page.next


def orders_of(ctx: PrivacyContext, contacts: Contacts) -> list[Order]:
    """The customer's orders, oldest first: found by each e-mail and phone of theirs, kept
    when theirs (`Contacts.owns`: an order under another e-mail is that customer's)."""
    ids: list[str] = []
    for email in sorted(contacts.emails):
        ids += _index_ids(ctx, ByEmail(email, None, None))
    for phone in sorted(contacts.phones):
        ids += _index_ids(ctx, ByPhone(phone, None, None))
    found = ctx.data.orders.get_many(ids)
    theirs = [order for order in found.values() if contacts.owns(order)]
    return sorted(theirs, key=lambda o: (o.created_at, o.id))


def export_customer(ctx: PrivacyContext, files: ExportFiles, ref: str, *, export_id: str) -> Export:
    """Write the customer's export file and answer its link (module docstring)."""
    subject = resolve(ctx, ref)
    orders = orders_of(ctx, subject.contacts)
    if not orders and not any(subject.records.values()):
        # Nothing held (an id of no customer here, another business's): no empty file.
        raise NotFound("Nothing is held about that customer.", code="customer_not_found")
    doc = export_document(ctx, subject, orders)
    body = json.dumps(doc, ensure_ascii=False, default=str, indent=1).encode()
    key = export_key(ctx.tenant.id, subject.customer_id, export_id)
    files.put(key, body)
    ctx.audit(
        "customer.exported",
        f"customer:{subject.customer_id}",
        export_id=export_id,
        orders=len(orders),
    )
    url, expires_at = export_link(ctx, files, subject.customer_id, export_id)
    return Export(
        customer_id=subject.customer_id,
        export_id=export_id,
        url=url,
        expires_at=expires_at,
        orders=len(orders),
        events=len(doc["events"]),
        invoices=len(doc["invoices"]),
        records=sum(len(items) for items in subject.records.values()),
        gift_cards=len(doc["gift_cards"]),
        size=len(body),
    )


def export_link(
    ctx: PrivacyContext, files: ExportFiles, customer_id: str, export_id: str
) -> tuple[str, str]:
    """The export file's download address, good for `LINK_SECONDS` from now, and until when:
    also a retry's, whose stored answer's link may have stopped working meanwhile."""
    key = export_key(ctx.tenant.id, customer_id, export_id)
    url = files.link(key, f"{customer_id}.json", LINK_SECONDS)
    return url, add_seconds(ctx.now(), LINK_SECONDS)


def link_again(
    ctx: PrivacyContext, files: ExportFiles, customer_id: str, export_id: str
) -> tuple[str, str]:
    """A retried export's link signed again: each link is a download of the customer's data,
    so it is audited as the first was; 404 `export_gone` once the file is (the customer
    erased since, or its 30 days over), never a link to nothing."""
    if not files.exists(export_key(ctx.tenant.id, customer_id, export_id)):
        raise NotFound(
            "That export's file is gone (the customer was erased, or it expired): ask for a "
            "new export.",
            code="export_gone",
        )
    ctx.audit("customer.exported", f"customer:{customer_id}", export_id=export_id, again=True)
    return export_link(ctx, files, customer_id, export_id)


def exports_prefix(tenant_id: str, customer_id: str) -> str:
    return f"exports/{tenant_id}/{customer_id}/"


def export_key(tenant_id: str, customer_id: str, export_id: str) -> str:
    return f"{exports_prefix(tenant_id, customer_id)}{export_id}.json"


@value
class Known:
    """What identifies the customer across all their orders and their record."""

    names: tuple[str, ...]
    texts: tuple[str, ...]


def known(subject: Subject, orders: list[Order]) -> Known:
    """Their names, contacts and answers; each phone also as it is written at home (its
    national number, with the trunk 0 where its country has one: `07700 900123`), which the
    scrub finds whatever people put between its digits (customers/domain/privacy.py)."""
    phones = [*subject.contacts.phones, *(o.customer.phone for o in orders if o.customer.phone)]
    texts = [*subject.contacts.emails, *phones, *(f for p in phones for f in national_forms(p))]
    for order in orders:
        texts += answer_texts(order)
    names = [*subject.names, *(o.customer.name for o in orders if not o.customer.erased)]
    return Known(tuple(dict.fromkeys(names)), tuple(dict.fromkeys(texts)))
