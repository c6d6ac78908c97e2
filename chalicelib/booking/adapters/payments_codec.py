"""An order's payment records <-> the JSON document stored in the order item."""

from __future__ import annotations

from typing import Any

from chalicelib.booking.domain.payment_records import (
    AttemptStatus,
    CardOnFile,
    Payment,
    PaymentKind,
    Refund,
    Tender,
)


def payments_doc(payments: tuple[Payment, ...]) -> list[dict[str, Any]]:
    return [
        {
            **_payment_doc(p),
            **_desk(p.method, p.taken_by, p.reference),
            **({"tip": p.tip} if p.tip else {}),
        }
        for p in payments
    ]


def _payment_doc(p: Payment) -> dict[str, Any]:
    return {
        "id": p.id,
        "kind": p.kind.value,
        "amount": p.amount,
        "attempt": p.attempt,
        "status": p.status.value,
        "received": p.received,
        "fee": p.fee,
        "error": p.error,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
    }


def _desk(method: Tender, taken_by: str, reference: str = "") -> dict[str, str]:
    """Only money at the desk carries these (online is the default: items stay small, and
    records from before read as online)."""
    if method is Tender.ONLINE:
        return {}
    return {"method": method.value, "by": taken_by, **({"ref": reference} if reference else {})}


def payments_from(docs: list[dict[str, Any]] | None) -> tuple[Payment, ...]:
    return tuple(
        Payment(
            id=d["id"],
            kind=PaymentKind(d["kind"]),
            amount=int(d["amount"]),
            attempt=int(d["attempt"]),
            status=AttemptStatus(d["status"]),
            received=int(d.get("received", 0)),
            fee=int(d.get("fee", 0)),
            error=d.get("error"),
            created_at=d.get("created_at", ""),
            updated_at=d.get("updated_at", ""),
            method=Tender(d.get("method", Tender.ONLINE.value)),
            reference=d.get("ref", ""),
            taken_by=d.get("by", ""),
            tip=int(d.get("tip", 0)),
        )
        for d in docs or []
    )


def refunds_doc(refunds: tuple[Refund, ...]) -> list[dict[str, Any]]:
    return [
        {
            "id": r.id,
            "payment_id": r.payment_id,
            "amount": r.amount,
            "reason": r.reason,
            "status": r.status,
            "at": r.at,
            **_desk(r.method, r.taken_by),
            # a staff refund through Stripe names who asked for it, as a desk refund does
            **({"by": r.taken_by} if r.method is Tender.ONLINE and r.taken_by else {}),
            **({"rq": r.request} if r.request else {}),
        }
        for r in refunds
    ]


def refunds_from(docs: list[dict[str, Any]] | None) -> tuple[Refund, ...]:
    return tuple(
        Refund(
            d["id"],
            d["payment_id"],
            int(d["amount"]),
            d["reason"],
            d["status"],
            d["at"],
            method=Tender(d.get("method", Tender.ONLINE.value)),
            taken_by=d.get("by", ""),
            request=d.get("rq", ""),
        )
        for d in docs or []
    )


def card_doc(card: CardOnFile | None) -> dict[str, str] | None:
    return None if card is None else {"customer": card.customer, "pm": card.payment_method}


def card_from(doc: dict[str, str] | None) -> CardOnFile | None:
    return None if not doc else CardOnFile(doc["customer"], doc["pm"])
