"""Catalog objects <-> plain JSON documents, for storage (one `doc` attribute per item)."""

from __future__ import annotations

from datetime import date
from typing import Any

from chalicelib.catalog.domain.catalog import (
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
    UnpaidRule,
)
from chalicelib.catalog.domain.questions import question_doc, question_from
from chalicelib.catalog.domain.rooms import Outage

# -- resources -----------------------------------------------------------------------------


def _override_doc(o: DateOverride) -> dict[str, Any]:
    return {
        "closed": o.closed,
        "hours": [list(s) for s in o.hours] if o.hours is not None else None,
        "session_times": list(o.session_times) if o.session_times is not None else None,
        "capacity": o.capacity,
        **({"called_off": list(o.called_off)} if o.called_off else {}),
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
        "shards": r.shards,
        "open_nights": list(r.open_nights),
        "closures": [[c.first.isoformat(), c.last.isoformat(), c.reason] for c in r.closures],
        "overrides": {d.isoformat(): _override_doc(o) for d, o in sorted(r.overrides.items())},
        "active": r.active,
        "rev": r.rev,
        **(
            {
                "rooms": list(r.rooms),
                "outages": [
                    [o.room, o.first.isoformat(), o.last.isoformat(), o.reason] for o in r.outages
                ],
            }
            if r.rooms or r.outages
            else {}
        ),
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
        shards=int(doc.get("shards", 1)),
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
                called_off=tuple(int(m) for m in o.get("called_off", ())),
            )
            for d, o in doc["overrides"].items()
        },
        active=bool(doc["active"]),
        rev=int(doc["rev"]),
        rooms=tuple(doc.get("rooms", ())),
        outages=tuple(
            Outage(room, date.fromisoformat(a), date.fromisoformat(b), reason)
            for room, a, b, reason in doc.get("outages", ())
        ),
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
            o.deposit.balance_due_days_before,
            o.deposit.if_unpaid.value,
            o.deposit.instalments,
            o.deposit.instalment_months,
        ],
        "cancellation": [[t.hours_before, t.refund_bp] for t in o.cancellation.tiers],
        "description": o.description,
        "active": o.active,
        "rev": o.rev,
        **({"questions": [question_doc(q) for q in o.questions]} if o.questions else {}),
    }


def deposit_from(doc: list[Any]) -> DepositPolicy:
    # Offerings stored before payments carry only [kind, value]; before the balance's
    # schedule, only [kind, value, manual, fee].
    manual, fee = (*doc[2:4], False, 0)[:2]
    days, unpaid, count, months = _later(doc)
    return DepositPolicy(
        DepositKind(doc[0]),
        int(doc[1]),
        bool(manual),
        int(fee),
        balance_due_days_before=None if days is None else int(days),
        if_unpaid=UnpaidRule(unpaid),
        instalments=int(count),
        instalment_months=int(months),
    )


def _later(doc: list[Any]) -> tuple[Any, Any, Any, Any]:
    defaults = [None, UnpaidRule.LEAVE.value, 1, 1]
    given = list(doc[4:8])
    days, unpaid, count, months = given + defaults[len(given) :]
    return days, unpaid, count, months


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
        questions=tuple(question_from(q) for q in doc.get("questions", ())),
    )
