"""Orders <-> plain JSON documents, for storage; the catalog's documents are in
catalog_codec.py.

An order item keeps its document compressed (`docz`, binary: zlib of the JSON). A write costs
a WRU per KB of the item, in the table and again in each of the order's three indexes (all
attributes projected), and twice in a transaction: a typical order's JSON is about 1 KB, which
with the keys makes a 2 KB item; compressed it is under half of that, so a booking's order
writes cost half as much. Items written before hold `doc` (the JSON as text): both are read.

Since 2026-12-01 the compression starts from a preset dictionary (`ORDER_DICTIONARY`: the
document's keys and common values, in the order they come), which takes a typical order's
`docz` from about 560 bytes to about 330: the item, with its keys, from just over 1 KB to about
800 bytes, so each of its writes (the hold, the confirmation, each in the table and its
indexes) costs one WRU per KB fewer. The dictionary is part of the stored format: it never
changes (a unit test pins it); a `docz` written without it (before) carries no dictionary id in
its zlib header and reads as before.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from chalicelib.booking.adapters.folio_codec import (
    charges_doc,
    charges_from,
    redemptions_doc,
    redemptions_from,
)
from chalicelib.booking.adapters.payments_codec import (
    card_doc,
    card_from,
    payments_doc,
    payments_from,
    refunds_doc,
    refunds_from,
)
from chalicelib.booking.domain.orders import (
    Allocation,
    BookingStatus,
    Channel,
    Customer,
    Line,
    Order,
    PaymentStatus,
    RoomStay,
)
from chalicelib.booking.domain.partner_refs import PartnerRef
from chalicelib.booking.domain.payment_records import Instalment
from chalicelib.catalog.domain.inventory import BucketRef, Take
from chalicelib.catalog.domain.questions import NO_ANSWERS, Answers

# -- orders --------------------------------------------------------------------------------


def _take_doc(t: Take) -> list[Any]:
    return [t.bucket.resource_id, t.bucket.key, t.units, t.capacity]


def _take_from(doc: list[Any]) -> Take:
    return Take(BucketRef(doc[0], doc[1]), int(doc[2]), int(doc[3]))


def line_doc(line: Line) -> dict[str, Any]:
    return {
        "offering_id": line.offering_id,
        "offering_name": line.offering_name,
        "start": line.start,
        "end": line.end,
        "local_start": line.local_start,
        "local_date": line.local_date,
        "party": line.party,
        "quantity": line.quantity,
        "nights": line.nights,
        "allocations": [
            {
                "requirement": a.requirement,
                "resource_id": a.resource_id,
                "resource_name": a.resource_name,
                "takes": [_take_doc(t) for t in a.takes],
                **({"back": [_take_doc(t) for t in a.given_back]} if a.given_back else {}),
            }
            for a in line.allocations
        ],
        "price_items": [list(i) for i in line.price_items],
        "subtotal": line.subtotal,
        "tax": line.tax,
        "total": line.total,
        "deposit": line.deposit,
        "tax_bp": line.tax_bp,
        **({"tax_inc": True} if line.tax_inclusive else {}),
        **(
            {"answers": {"b": line.answers.booking, "p": list(line.answers.people)}}
            if not line.answers.empty
            else {}
        ),
        **({"rooms": [[r.first_night, r.room] for r in line.rooms]} if line.rooms else {}),
        **({"block_id": line.block_id} if line.block_id else {}),
        **({"cx": [list(t) for t in line.refund_tiers]} if line.refund_tiers is not None else {}),
        **({"chosen": list(line.chosen)} if line.chosen is not None else {}),
    }


def line_from(doc: dict[str, Any]) -> Line:
    return Line(
        offering_id=doc["offering_id"],
        offering_name=doc["offering_name"],
        start=doc["start"],
        end=doc["end"],
        local_start=doc["local_start"],
        local_date=doc["local_date"],
        party=int(doc["party"]),
        quantity=int(doc["quantity"]),
        nights=int(doc["nights"]),
        allocations=tuple(
            Allocation(
                requirement=int(a["requirement"]),
                resource_id=a["resource_id"],
                resource_name=a["resource_name"],
                takes=tuple(_take_from(t) for t in a["takes"]),
                given_back=tuple(_take_from(t) for t in a.get("back", ())),
            )
            for a in doc["allocations"]
        ),
        price_items=tuple((str(a), int(b), int(c)) for a, b, c in doc["price_items"]),
        subtotal=int(doc["subtotal"]),
        tax=int(doc["tax"]),
        total=int(doc["total"]),
        deposit=int(doc["deposit"]),
        tax_bp=int(doc["tax_bp"]) if "tax_bp" in doc else _rate_of(doc),
        tax_inclusive=bool(doc.get("tax_inc", False)),
        answers=_answers_from(doc.get("answers")),
        rooms=tuple(RoomStay(str(night), str(room)) for night, room in doc.get("rooms", ())),
        block_id=str(doc.get("block_id", "")),
        refund_tiers=(tuple((int(h), int(bp)) for h, bp in doc["cx"]) if "cx" in doc else None),
        # an item written before lines kept it: not known (every resource seen), not "none"
        chosen=tuple(int(r) for r in doc["chosen"]) if "chosen" in doc else None,
    )


def _rate_of(doc: dict[str, Any]) -> int:
    """A line stored before lines kept their rate: the rate its figures say, to the basis
    point (tax over what the tax was charged on)."""
    tax, net = int(doc["tax"]), int(doc["total"]) - int(doc["tax"])
    return (tax * 10000 + net // 2) // net if tax > 0 and net > 0 else 0


def _answers_from(doc: dict[str, Any] | None) -> Answers:
    if not doc:
        return NO_ANSWERS
    return Answers(dict(doc["b"]), tuple(dict(p) for p in doc["p"]))


# Part of the stored format (module docstring): never edit. Strings that come last are the
# cheapest to refer to, so the commonest come last.
ORDER_DICTIONARY = (
    b'"kind":"card","method":"cash","reason":"","fee":0,"received":0,"payment_id":"'
    b'"plan":[["20","manage_gen":1,"redeemed":[{"charges":[{"'
    b'"card_on_file":null}"payments":[],"refunds":[],"history":[["20'
    b'"cancellation":null,"note":"","version":1,"hold_expires_at":null,"updated_at":"20'
    b'"created_at":"20"tax_bp":700,"tax_inc":true}],"deposit":0,"total":0,"tax":0,"subtotal":0,'
    b'"price_items":[["20"]]}],"takes":[["res_"N#20",1,"resource_name":"'
    b'"allocations":[{"requirement":0,"resource_id":"res_"nights":0,"quantity":1,"party":1,'
    b'"local_date":"20"local_start":"20T00:00+01:00","end":"20T00:00Z","start":"20'
    b'"lines":[{"offering_id":"off_","offering_name":"'
    b'"channel":"api","currency":"EUR",'
    b'"phone":"+","locale":null},"email":"'
    b'{"id":"ord_","status":"confirmed","payment_status":"unpaid","customer":{"name":"'
    b'"held","secret_key:"confirmed","user:'
)


def order_attribute(o: Order) -> dict[str, dict[str, Any]]:
    """The order's document as the item's attribute (DynamoDB JSON)."""
    text = json.dumps(order_doc(o), separators=(",", ":"))
    packer = zlib.compressobj(9, zdict=ORDER_DICTIONARY)
    return {"docz": {"B": packer.compress(text.encode()) + packer.flush()}}


def open_document(packed: bytes) -> str:
    """A `docz` as JSON text: compressed with `ORDER_DICTIONARY`, or (before) without one."""
    unpacker = zlib.decompressobj(zdict=ORDER_DICTIONARY)
    return (unpacker.decompress(packed) + unpacker.flush()).decode()


def order_of_item(item: dict[str, Any]) -> Order:
    """The order of an item, compressed (`docz`) or written before compression (`doc`)."""
    if "docz" in item:
        return order_from(json.loads(open_document(item["docz"]["B"])))
    return order_from(json.loads(item["doc"]["S"]))


def order_doc(o: Order) -> dict[str, Any]:
    c = o.customer
    return {
        "id": o.id,
        "status": o.status.value,
        "payment_status": o.payment_status.value,
        "customer": {
            "name": c.name,
            "email": c.email,
            "phone": c.phone,
            "locale": c.locale,
            **({"merged_to": c.merged_to} if c.merged_to else {}),
        },
        "channel": o.channel.value,
        "currency": o.currency,
        "lines": [line_doc(line) for line in o.lines],
        "created_at": o.created_at,
        "updated_at": o.updated_at,
        "hold_expires_at": o.hold_expires_at,
        "version": o.version,
        "note": o.note,
        "cancellation": o.cancellation,
        "history": [list(h) for h in o.history],
        "payments": payments_doc(o.payments),
        "refunds": refunds_doc(o.refunds),
        "card_on_file": card_doc(o.card_on_file),
        **({"charges": charges_doc(o.charges)} if o.charges else {}),
        **({"manage_gen": o.manage_gen} if o.manage_gen else {}),
        **({"plan": [[i.due, i.amount] for i in o.plan]} if o.plan else {}),
        **({"redeemed": redemptions_doc(o.redemptions)} if o.redemptions else {}),
        **({"partner": partner_doc(o.partner)} if o.partner else {}),
        **({"settled_by": o.partner.settlement} if o.partner and o.partner.settlement else {}),
        **({"overbooked": True} if o.overbooked else {}),
        **({"no_show_fee": o.no_show_fee} if o.no_show_fee else {}),
        **({"keys": list(o.request_keys)} if o.request_keys else {}),
        **({"seen_version": o.seen_version} if o.seen_version else {}),
    }


def order_from(doc: dict[str, Any]) -> Order:
    c = doc["customer"]
    return Order(
        id=doc["id"],
        status=BookingStatus(doc["status"]),
        payment_status=PaymentStatus(doc["payment_status"]),
        customer=Customer(
            c["name"], c["email"], c.get("phone"), c.get("locale"), str(c.get("merged_to", ""))
        ),
        channel=Channel(doc["channel"]),
        currency=doc["currency"],
        lines=tuple(line_from(line) for line in doc["lines"]),
        created_at=doc["created_at"],
        updated_at=doc["updated_at"],
        hold_expires_at=doc.get("hold_expires_at"),
        version=int(doc["version"]),
        note=doc.get("note", ""),
        cancellation=doc.get("cancellation"),
        history=tuple((str(a), str(b), str(c)) for a, b, c in doc.get("history", [])),
        payments=payments_from(doc.get("payments")),
        refunds=refunds_from(doc.get("refunds")),
        card_on_file=card_from(doc.get("card_on_file")),
        charges=charges_from(doc.get("charges")),
        manage_gen=int(doc.get("manage_gen", 0)),
        plan=tuple(Instalment(str(d), int(a)) for d, a in doc.get("plan", ())),
        redemptions=redemptions_from(doc.get("redeemed")),
        partner=partner_from(doc.get("partner"), str(doc.get("settled_by", ""))),
        overbooked=bool(doc.get("overbooked", False)),
        no_show_fee=int(doc.get("no_show_fee", 0)),
        request_keys=tuple(str(k) for k in doc.get("keys", ())),
        seen_version=int(doc.get("seen_version", 0)),
    )


def partner_doc(p: PartnerRef) -> list[Any]:
    """A partner's booking as [connection, name, reference, commission bp] and, when the
    partner said its price, [..., price, price currency] (the dictionary predates it; a list
    keeps it short; orders stored before the price read as without one). Who the guest pays
    is a key of its own (`settled_by`), not a seventh place: code of the release before reads
    the list's fifth place as a price, and a rollback or a deploy running both would have
    failed on every reseller's order (a reviewer's)."""
    head: list[Any] = [p.connection_id, p.name, p.reference, p.commission_bp]
    return head if p.price is None else [*head, p.price, p.price_currency]


def partner_from(doc: list[Any] | None, settlement: str = "") -> PartnerRef | None:
    if not doc:
        return None
    price = int(doc[4]) if len(doc) > 4 and doc[4] is not None else None
    currency = str(doc[5]) if len(doc) > 5 else ""
    head = (str(doc[0]), str(doc[1]), str(doc[2]), int(doc[3]))
    return PartnerRef(*head, price, currency, settlement)
