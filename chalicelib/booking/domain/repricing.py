"""A coupon's discount on a moved booking: priced again for the lines as moved, so a code
restricted to some offerings does not keep its discount on a booking moved to another one (and
a percentage follows the new price). The discounts it replaces are voided, not deleted (the
folio's rule: folio.py), saying why; a code that no longer applies at all keeps its use on the
order with an amount of 0 (a cancellation still gives the use back), so a booking moved back
to an offering the code covers gets its discount again (PROBE 43: it stayed at 0). A discount
staff voided stays voided; points are worth what they were when spent and are not priced again.
"""

from __future__ import annotations

from dataclasses import replace

from chalicelib.booking.domain.folio import Charge
from chalicelib.booking.domain.orders import Order
from chalicelib.booking.domain.redemptions import Redemption, RedemptionKind

REPRICED = "Priced again for the booking as moved."


def _shape(charges: list[Charge] | tuple[Charge, ...]) -> list[tuple[int, bool, int]]:
    return sorted((c.tax_bp, c.tax_inclusive, c.total) for c in charges)


def with_coupons_repriced(
    order: Order,
    priced: tuple[Charge, ...],
    redemptions: tuple[Redemption, ...],
    *,
    at: str,
    by: str,
) -> tuple[Order, tuple[Charge, ...], tuple[Charge, ...]]:
    """(the order, the discounts voided, the discounts added) for the codes `redemptions`
    priced again (`priced`: their new discounts): a code whose discounts come to what they
    were is left as it is."""
    voided: list[Charge] = []
    added: list[Charge] = []
    amounts: dict[str, int] = {}
    for r in redemptions:
        item = f"coupon:{r.ref}"
        old = [c for c in order.charges if c.live and c.item_id == item]
        new = [c for c in priced if c.item_id == item]
        if _staff_voided(order, item) or _shape(old) == _shape(new):
            continue  # voided by staff, or priced the same
        voided += [replace(c, voided_at=at, voided_by=by, void_reason=REPRICED) for c in old]
        added += new
        amounts[r.ref] = r.amount
    if not amounts:
        return order, (), ()
    gone = {c.id: c for c in voided}
    charges = (*(gone.get(c.id, c) for c in order.charges), *added)
    kept = tuple(
        replace(r, amount=amounts[r.ref])
        if r.kind is RedemptionKind.COUPON and r.ref in amounts
        else r
        for r in order.redemptions
    )
    return replace(order, charges=charges, redemptions=kept), tuple(voided), tuple(added)


def _staff_voided(order: Order, item: str) -> bool:
    """Staff voided the code's discount (not a move's pricing): it stays voided, whatever the
    booking is moved to next."""
    return any(
        c.item_id == item and not c.live and c.void_reason != REPRICED for c in order.charges
    )
