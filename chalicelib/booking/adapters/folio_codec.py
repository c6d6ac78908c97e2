"""An order's folio (extra charges and discounts) and what it redeemed (coupons, points) <->
the JSON stored in the order item. Short keys: a long stay may carry a couple of hundred
charges in its one item."""

from __future__ import annotations

from typing import Any

from chalicelib.booking.domain.folio import Charge, ChargeKind
from chalicelib.booking.domain.redemptions import Redemption, RedemptionKind

_OPTIONAL = (("item", "item_id"), ("why", "reason"), ("void", "voided_at"))


def charges_doc(charges: tuple[Charge, ...]) -> list[dict[str, Any]]:
    return [_charge_doc(c) for c in charges]


def _charge_doc(c: Charge) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": c.id,
        "k": c.kind.value,
        "l": c.label,
        "q": c.quantity,
        "u": c.unit_amount,
        "r": c.tax_bp,
        "tax": c.tax,
        "t": c.total,
        "at": c.at,
        "by": c.by,
    }
    if c.tax_inclusive:
        doc["inc"] = True
    doc.update({key: getattr(c, name) for key, name in _OPTIONAL if getattr(c, name)})
    if c.voided_at:
        doc["vby"], doc["vwhy"] = c.voided_by, c.void_reason
    return doc


def charges_from(doc: list[dict[str, Any]] | None) -> tuple[Charge, ...]:
    return tuple(_charge_from(d) for d in doc or ())


def _charge_from(d: dict[str, Any]) -> Charge:
    return Charge(
        id=str(d["id"]),
        kind=ChargeKind(d["k"]),
        label=str(d["l"]),
        quantity=int(d["q"]),
        unit_amount=int(d["u"]),
        tax_bp=int(d["r"]),
        tax_inclusive=bool(d.get("inc", False)),
        tax=int(d["tax"]),
        total=int(d["t"]),
        at=str(d["at"]),
        by=str(d["by"]),
        item_id=str(d.get("item", "")),
        reason=str(d.get("why", "")),
        voided_at=str(d.get("void", "")),
        voided_by=str(d.get("vby", "")),
        void_reason=str(d.get("vwhy", "")),
    )


def redemptions_doc(redemptions: tuple[Redemption, ...]) -> list[list[Any]]:
    """One list each; a coupon's terms as booked at the end (a redemption stored before
    them has none, and is priced again by the code as it is)."""
    return [
        [r.kind.value, r.ref, r.customer_id, r.amount, r.points, *([r.terms] if r.terms else [])]
        for r in redemptions
    ]


def redemptions_from(doc: list[list[Any]] | None) -> tuple[Redemption, ...]:
    return tuple(
        Redemption(RedemptionKind(k), str(ref), str(cid), int(amount), int(points), str(terms))
        for k, ref, cid, amount, points, terms in (
            (*row, "") if len(row) == 5 else row for row in doc or ()
        )
    )
