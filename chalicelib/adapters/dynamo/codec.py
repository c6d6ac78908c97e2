"""Domain objects <-> plain JSON documents, for storage (one `doc` attribute per item)."""

from __future__ import annotations

from datetime import date
from typing import Any

from chalicelib.adapters.dynamo.payments_codec import (
    card_doc,
    card_from,
    payments_doc,
    payments_from,
    refunds_doc,
    refunds_from,
)
from chalicelib.domain.catalog import (
    Adjustment,
    CancellationPolicy,
    Closure,
    DateOverride,
    DepositKind,
    DepositPolicy,
    Offering,
    PriceBasis,
    Pricing,
    RefundTier,
    Requirement,
    Resource,
    ResourceKind,
    Season,
    Selector,
    UnitsPer,
)
from chalicelib.domain.inventory import BucketRef, Take
from chalicelib.domain.orders import (
    Allocation,
    BookingStatus,
    Channel,
    Customer,
    Line,
    Order,
    PaymentStatus,
)

# -- resources -----------------------------------------------------------------------------


def _override_doc(o: DateOverride) -> dict[str, Any]:
    return {
        "closed": o.closed,
        "hours": [list(s) for s in o.hours] if o.hours is not None else None,
        "session_times": list(o.session_times) if o.session_times is not None else None,
        "capacity": o.capacity,
    }


def resource_doc(r: Resource) -> dict[str, Any]:
    return {
        "id": r.id,
        "name": r.name,
        "kind": r.kind.value,
        "capacity": r.capacity,
        "tags": sorted(r.tags),
        "skills": sorted(r.skills),
        "hours": [[list(s) for s in day] for day in r.hours],
        "slot_minutes": r.slot_minutes,
        "session_times": [list(day) for day in r.session_times],
        "session_minutes": r.session_minutes,
        "open_nights": list(r.open_nights),
        "closures": [[c.first.isoformat(), c.last.isoformat(), c.reason] for c in r.closures],
        "overrides": {d.isoformat(): _override_doc(o) for d, o in sorted(r.overrides.items())},
        "active": r.active,
        "rev": r.rev,
    }


def resource_from(doc: dict[str, Any]) -> Resource:
    return Resource(
        id=doc["id"],
        name=doc["name"],
        kind=ResourceKind(doc["kind"]),
        capacity=int(doc["capacity"]),
        tags=frozenset(doc["tags"]),
        skills=frozenset(doc["skills"]),
        hours=tuple(tuple((int(a), int(b)) for a, b in day) for day in doc["hours"]),
        slot_minutes=int(doc["slot_minutes"]),
        session_times=tuple(tuple(int(m) for m in day) for day in doc["session_times"]),
        session_minutes=int(doc["session_minutes"]),
        open_nights=tuple(bool(x) for x in doc["open_nights"]),
        closures=tuple(
            Closure(date.fromisoformat(a), date.fromisoformat(b), reason)
            for a, b, reason in doc["closures"]
        ),
        overrides={
            date.fromisoformat(d): DateOverride(
                closed=bool(o["closed"]),
                hours=tuple((int(a), int(b)) for a, b in o["hours"])
                if o["hours"] is not None
                else None,
                session_times=tuple(int(m) for m in o["session_times"])
                if o["session_times"] is not None
                else None,
                capacity=o["capacity"],
            )
            for d, o in doc["overrides"].items()
        },
        active=bool(doc["active"]),
        rev=int(doc["rev"]),
    )


# -- offerings -----------------------------------------------------------------------------


def _adjustment(a: Adjustment) -> list[int]:
    return [a.percent_bp, a.amount]


def pricing_doc(p: Pricing) -> dict[str, Any]:
    return {
        "amount": p.amount,
        "basis": p.basis.value,
        "weekdays": {str(k): _adjustment(v) for k, v in sorted(p.weekdays.items())},
        "seasons": [
            [s.first.isoformat(), s.last.isoformat(), _adjustment(s.adjustment), s.name]
            for s in p.seasons
        ],
        "date_prices": {d.isoformat(): v for d, v in sorted(p.date_prices.items())},
        "tax_bp": p.tax_bp,
        "tax_inclusive": p.tax_inclusive,
    }


def pricing_from(doc: dict[str, Any]) -> Pricing:
    return Pricing(
        amount=int(doc["amount"]),
        basis=PriceBasis(doc["basis"]),
        weekdays={int(k): Adjustment(*v) for k, v in doc["weekdays"].items()},
        seasons=tuple(
            Season(date.fromisoformat(a), date.fromisoformat(b), Adjustment(*adj), name)
            for a, b, adj, name in doc["seasons"]
        ),
        date_prices={date.fromisoformat(d): int(v) for d, v in doc["date_prices"].items()},
        tax_bp=int(doc["tax_bp"]),
        tax_inclusive=bool(doc["tax_inclusive"]),
    )


def offering_doc(o: Offering) -> dict[str, Any]:
    return {
        "id": o.id,
        "name": o.name,
        "kind": o.kind.value,
        "requirements": [
            {
                "resource_id": r.selector.resource_id,
                "skill": r.selector.skill,
                "tag": r.selector.tag,
                "units": r.units,
                "per": r.per.value,
            }
            for r in o.requirements
        ],
        "pricing": pricing_doc(o.pricing),
        "duration_minutes": o.duration_minutes,
        "buffer_before": o.buffer_before,
        "buffer_after": o.buffer_after,
        "interval_minutes": o.interval_minutes,
        "min_notice_minutes": o.min_notice_minutes,
        "max_advance_days": o.max_advance_days,
        "party_min": o.party_min,
        "party_max": o.party_max,
        "max_nights": o.max_nights,
        "deposit": [
            o.deposit.kind.value,
            o.deposit.value,
            o.deposit.manual_capture,
            o.deposit.no_show_fee,
        ],
        "cancellation": [[t.hours_before, t.refund_bp] for t in o.cancellation.tiers],
        "description": o.description,
        "active": o.active,
        "rev": o.rev,
    }


def deposit_from(doc: list[Any]) -> DepositPolicy:
    # Offerings stored before payments carry only [kind, value].
    manual, fee = (*doc[2:4], False, 0)[:2]
    return DepositPolicy(DepositKind(doc[0]), int(doc[1]), bool(manual), int(fee))


def offering_from(doc: dict[str, Any]) -> Offering:
    return Offering(
        id=doc["id"],
        name=doc["name"],
        kind=ResourceKind(doc["kind"]),
        requirements=tuple(
            Requirement(
                Selector(r["resource_id"], r["skill"], r["tag"]),
                units=int(r["units"]),
                per=UnitsPer(r["per"]),
            )
            for r in doc["requirements"]
        ),
        pricing=pricing_from(doc["pricing"]),
        duration_minutes=int(doc["duration_minutes"]),
        buffer_before=int(doc["buffer_before"]),
        buffer_after=int(doc["buffer_after"]),
        interval_minutes=int(doc["interval_minutes"]),
        min_notice_minutes=int(doc["min_notice_minutes"]),
        max_advance_days=int(doc["max_advance_days"]),
        party_min=int(doc["party_min"]),
        party_max=int(doc["party_max"]),
        max_nights=int(doc["max_nights"]),
        deposit=deposit_from(doc["deposit"]),
        cancellation=CancellationPolicy(
            tuple(RefundTier(int(h), int(bp)) for h, bp in doc["cancellation"])
        ),
        description=doc.get("description", ""),
        active=bool(doc["active"]),
        rev=int(doc["rev"]),
    )


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
            }
            for a in line.allocations
        ],
        "price_items": [list(i) for i in line.price_items],
        "subtotal": line.subtotal,
        "tax": line.tax,
        "total": line.total,
        "deposit": line.deposit,
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
            )
            for a in doc["allocations"]
        ),
        price_items=tuple((str(a), int(b), int(c)) for a, b, c in doc["price_items"]),
        subtotal=int(doc["subtotal"]),
        tax=int(doc["tax"]),
        total=int(doc["total"]),
        deposit=int(doc["deposit"]),
    )


def order_doc(o: Order) -> dict[str, Any]:
    c = o.customer
    return {
        "id": o.id,
        "status": o.status.value,
        "payment_status": o.payment_status.value,
        "customer": {"name": c.name, "email": c.email, "phone": c.phone, "locale": c.locale},
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
    }


def order_from(doc: dict[str, Any]) -> Order:
    c = doc["customer"]
    return Order(
        id=doc["id"],
        status=BookingStatus(doc["status"]),
        payment_status=PaymentStatus(doc["payment_status"]),
        customer=Customer(c["name"], c["email"], c.get("phone"), c.get("locale")),
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
    )
