"""A customer's export as a person reads it (services/privacy_document.py writes it): the
items of their own partitions grouped by what they are, without the table's keys.

Why: the file went to a data subject, or to staff answering one, as raw storage items (`pk`,
`sk`, index keys, and a record's `doc` as JSON text inside the JSON), which nobody outside
the code could read. Now each item is placed by what it is (the sort key names it:
adapters/customer_items.py, loyalty and gift-card stores), its storage attributes (`pk`,
`sk`, `gsi*`, `type`, `ttl`, `version`) left out and its `doc` parsed into it; what a sort key
alone holds (a coupon's code, a lot's expiry, the order of a points mark) becomes a field.

- `customer`: their record (`CUS#<id>`/`META`: name, contacts, preferences, tags, figures...),
  the live id's; `merged_records`: the records merged into it;
- `consents`: each record's marketing consent (lifted out of the record: whether, how, when);
- `notes`, `merges`, `visits` (their counted orders), `campaign_messages` (the campaigns
  sent to them), `counted_events` (the bookkeeping of events their figures counted);
- `loyalty`: `balance`, `lots` (points by expiry), `ledger`, `marks`, `coupon_uses`;
- `gift_cards`: the cards they bought or received (`gift_card`, `movement` below), found by
  the links under `CUS#<id>` (`GIFT#<card>#<role>`), which are not listed themselves;
- `other`: an item of their partitions of no kind listed here, with its `kind`, never dropped.
An item holding nothing but keys (the family-name search entry: the record's name again) is
left out.

A gift card shows what the business holds about it and nothing about another person: the
card (amounts, balance, status, dates, last four characters of its code, message) and the
customer's own part (as buyer: their name and address, how they paid; as recipient: theirs);
the other party's name and address are left out, and a ledger movement on an order not theirs
keeps its date, kind and amount only.

Pure: the items come read.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from chalicelib.customers.domain.gift_cards import CardMovement, GiftCard

STORAGE = frozenset({"pk", "sk", "type", "ttl", "version", "doc"})
LINK = "GIFT#"  # CUS#<id> / GIFT#<card id>#<buyer|recipient>
# (partition kind, sort key prefix) -> (section, loyalty's part or "", field the rest of the
# sort key becomes or "")
PLACES: tuple[tuple[str, str, str, str, str], ...] = (
    ("CUS", "NOTE#", "notes", "", ""),
    ("CUS", "MERGE#", "merges", "", ""),
    ("CUS", "BOOKED", "visits", "", ""),
    ("CUS", "CAMP#", "campaign_messages", "", "campaign_id"),
    ("CUS", "EVT#", "counted_events", "", "event_id"),
    ("LOY", "BAL", "loyalty", "balance", ""),
    ("LOY", "LOT#", "loyalty", "lots", "lot"),
    ("LOY", "L#", "loyalty", "ledger", ""),
    ("LOY", "M#", "loyalty", "marks", "mark"),
    ("LOY", "CPN#", "loyalty", "coupon_uses", "code"),
)
LISTS = ("notes", "merges", "visits", "campaign_messages", "counted_events", "other")
LOYALTY = ("balance", "lots", "ledger", "marks", "coupon_uses")


def readable(item: dict[str, Any]) -> dict[str, Any]:
    """The item without its storage attributes, its `doc` (JSON text) parsed into it."""
    out = {k: v for k, v in item.items() if k not in STORAGE and not k.startswith("gsi")}
    doc = item.get("doc")
    if isinstance(doc, str):
        try:
            doc = json.loads(doc)
        except ValueError:
            out["doc"] = doc  # not JSON: kept as it is
    if isinstance(doc, dict):
        out = {**doc, **out}
    return out


def gift_links(records: dict[str, list[dict[str, Any]]]) -> list[tuple[str, str]]:
    """The (card id, role) of every gift-card link among the customer's items."""
    found = []
    for pk, items in records.items():
        for item in items if pk.startswith("CUS#") else ():
            if str(item.get("sk", "")).startswith(LINK):
                card_id, _, role = str(item["sk"]).removeprefix(LINK).partition("#")
                found.append((card_id, role))
    return sorted(set(found))


def grouped(records: dict[str, list[dict[str, Any]]], live_id: str) -> dict[str, Any]:
    """The customer's items by what they are (module docstring)."""
    out: dict[str, Any] = {"customer": None, "merged_records": [], "consents": []}
    out |= {name: [] for name in LISTS}
    out["loyalty"] = {part: [] for part in LOYALTY}
    for pk, items in records.items():
        kind, _, customer_id = pk.partition("#")
        for item in items:
            if kind == "CUS" and item.get("sk") == "META":
                _record(out, readable(item), customer_id == live_id)
            else:
                _place(out, kind, item)
    return out


def _record(out: dict[str, Any], record: dict[str, Any], live: bool) -> None:
    consent = record.pop("consent", None)
    if consent:
        out["consents"].append({"customer_id": record.get("id"), **consent})
    if live:
        out["customer"] = record
    else:
        out["merged_records"].append(record)


def _place(out: dict[str, Any], kind: str, item: dict[str, Any]) -> None:
    sk = str(item.get("sk", ""))
    if kind == "CUS" and sk.startswith(LINK):
        return  # read whole as `gift_cards`
    shown = readable(item)
    for where, prefix, section, part, field in PLACES:
        if where == kind and sk.startswith(prefix):
            if field:
                shown = {field: sk.removeprefix(prefix), **shown}
            target = out[section][part] if part else out[section]
            target.append(shown)
            return
    if shown:
        out["other"].append({"kind": item.get("type") or sk.partition("#")[0], **shown})


def gift_card(
    card: GiftCard, roles: set[str], ledger: list[CardMovement], own_orders: set[str]
) -> dict[str, Any]:
    """One card as the customer's export shows it (module docstring)."""
    shown: dict[str, Any] = {
        "id": card.id,
        "roles": sorted(roles),
        "currency": card.currency,
        "initial": card.initial,
        "balance": card.balance,
        "status": card.status.value,
        "code_last4": card.code_last4,
        "sold_at": card.sold_at,
        "expires_on": card.expires_on,
        "disabled_at": card.disabled_at,
        "message": card.message,
    }
    if "buyer" in roles:
        shown |= {"buyer": asdict(card.buyer), "paid_with": card.paid_with}
        shown["payment_ref"] = card.payment_ref
    if "recipient" in roles:
        shown["recipient"] = asdict(card.recipient)
    shown["ledger"] = [movement(m, own_orders) for m in ledger]
    return shown


def movement(entry: CardMovement, own_orders: set[str]) -> dict[str, Any]:
    """A ledger movement: whole when on an order of theirs (or on none), else when, what and
    how much only."""
    shown: dict[str, Any] = {"at": entry.at, "movement": entry.movement.value}
    shown["amount"] = entry.amount
    if not entry.order_id or entry.order_id in own_orders:
        shown |= {"order_id": entry.order_id, "record_id": entry.record_id, "note": entry.note}
    return shown
