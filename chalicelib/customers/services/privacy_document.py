"""The customer's export file, as one JSON document a person can read (services/privacy.py
writes it; customers/domain/privacy_export.py groups their items; README "Customers: privacy"
shows its shape): who it is about, then what is held, by what it is.

Read for it beyond their partitions and orders: each gift card a link of theirs names (the
card `GIFT#<id>`/`META` and its ledger: buyer's and recipient's names and addresses, message,
amounts), since the link alone holds only the card's id.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from chalicelib.booking.domain.orders import Order
from chalicelib.customers.domain.privacy import Contacts
from chalicelib.customers.domain.privacy_export import gift_card, gift_links, grouped
from chalicelib.customers.services.privacy_ports import PrivacyContext
from chalicelib.kernel.domain.events import Record
from chalicelib.kernel.domain.values import value

PARTITIONS = ("CUS#", "LOY#")  # a customer's own partitions, named by their id
CARD_LEDGER = 1000  # movements of one card read (a card is spent a few times)
ABOUT = (
    "Everything this business holds about one customer: who they are (`customer`, and any "
    "record merged into it), their marketing consent, staff notes, bookings (`orders`) with "
    "their invoices, the messages staff wrote to them (`messages_sent`) and the campaigns "
    "sent to them (`campaign_messages`), loyalty points and coupons, gift cards, and the log "
    "of events and staff actions about them: the booking's own e-mails and texts "
    "(confirmation, reminders, receipts) are sent on those events and not stored apart. "
    "Amounts are in minor units (cents)."
)


@value
class Subject:
    """The customer a request names: their id (the live one when merged), every id of theirs,
    their contacts, their partitions' items, and the names their record holds."""

    customer_id: str
    ids: tuple[str, ...]
    contacts: Contacts
    records: dict[str, list[dict[str, Any]]]
    names: tuple[str, ...]

    @property
    def pks(self) -> list[str]:
        return [f"{prefix}{i}" for i in self.ids for prefix in PARTITIONS]


def _event(record: Record) -> dict[str, Any]:
    return {"id": record.id, "name": record.name, "at": record.at, "data": record.data}


def _invoices(ctx: PrivacyContext, order_id: str) -> list[dict[str, Any]]:
    docs = ctx.data.invoices.invoicing(order_id).docs
    return [
        {
            **asdict(doc),
            "order_id": order_id,
            "document": f"/v1/invoices/{doc.id}",
            "pdf": f"/v1/invoices/{doc.id}/pdf",
        }
        for doc in docs
    ]


def _exported(order: Order) -> dict[str, Any]:
    """The order as its customer's export shows it: without the marks of the requests that
    made it (the API's bookkeeping of Idempotency-Keys, not the customer's data)."""
    doc = asdict(order)
    doc.pop("request_keys", None)
    return doc


def gift_cards(ctx: PrivacyContext, subject: Subject, orders: list[Order]) -> list[dict[str, Any]]:
    """Each card a link of theirs names, once, with every role they have on it."""
    roles: dict[str, set[str]] = {}
    for card_id, role in gift_links(subject.records):
        roles.setdefault(card_id, set()).add(role)
    own = {o.id for o in orders}
    store = ctx.data.gift_cards
    out = []
    for card_id, held in sorted(roles.items()):
        card = store.get(card_id)
        if card is not None:
            out.append(gift_card(card, held, store.ledger(card_id, limit=CARD_LEDGER), own))
    return out


def export_document(ctx: PrivacyContext, subject: Subject, orders: list[Order]) -> dict[str, Any]:
    """Everything held about the customer, as one readable JSON document (module docstring)."""
    store = ctx.data.privacy
    events = [_event(e) for o in orders for e in store.order_events(o.id)]
    events += [_event(e) for i in subject.ids for e in store.customer_events(i)]
    targets = [f"customer:{i}" for i in subject.ids] + [f"order:{o.id}" for o in orders]
    audit = [asdict(entry) for t in targets for entry in store.audit_about(t)]
    held = grouped(subject.records, subject.customer_id)
    return {
        "about": ABOUT,
        "customer_id": subject.customer_id,
        "ids": list(subject.ids),
        "exported_at": ctx.now(),
        "contacts": {
            "emails": sorted(subject.contacts.emails),
            "phones": sorted(subject.contacts.phones),
        },
        "customer": held.pop("customer"),
        "merged_records": held.pop("merged_records"),
        "consents": held.pop("consents"),
        "notes": held.pop("notes"),
        "orders": [_exported(order) for order in orders],
        "invoices": [doc for order in orders for doc in _invoices(ctx, order.id)],
        "messages_sent": [e for e in events if e["name"] == "OrderMessaged"],
        "campaign_messages": held.pop("campaign_messages"),
        "loyalty": held.pop("loyalty"),
        "gift_cards": gift_cards(ctx, subject, orders),
        **held,  # visits, merges, counted events, other
        "events": events,
        "audit": audit,
    }
