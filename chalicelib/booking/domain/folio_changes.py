"""The rules of changing an order's folio: when a charge or a discount may be added or voided,
and what the order looks like after (its payment status follows the new total: a minibar
charge on a paid stay makes it owe again).
"""

from __future__ import annotations

from dataclasses import replace

from chalicelib.booking.domain.bill import bill_lines, tax_bands
from chalicelib.booking.domain.folio import (
    MAX_CHARGES,
    MAX_QUANTITY,
    MAX_TAX_BP,
    Charge,
    ChargeKind,
    taxed,
)
from chalicelib.booking.domain.order_money import payment_status_of
from chalicelib.booking.domain.orders import BookingStatus, Order, status_words
from chalicelib.kernel.domain.errors import Conflict, InvalidInput, NotFound
from chalicelib.kernel.domain.money import MAX_AMOUNT

# A folio is open from confirmation until after check-out (a minibar found when the room is
# cleaned); a hold is not yet the customer's, a cancelled, expired or no-show order bills
# nothing more.
FOLIO_OPEN = frozenset({BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.COMPLETED})


class FolioClosed(Conflict):
    code = "folio_closed"


class ChargeNotFound(NotFound):
    code = "charge_not_found"


def check_folio_open(order: Order) -> None:
    if order.status not in FOLIO_OPEN:
        raise FolioClosed(
            f"An order that is {status_words(order.status)} takes no charge or discount: only a"
            " confirmed, checked-in or completed one.",
            status=order.status.value,
        )


def priced(
    *,
    amount: int,
    quantity: int,
    tax_bp: int,
    inclusive: bool,
) -> tuple[int, int]:
    """(tax, total) of `quantity` at `amount` each, within the bounds a payment can take."""
    if not 0 < amount <= MAX_AMOUNT:
        raise InvalidInput(
            f"An amount is 1 to {MAX_AMOUNT} minor units.", code="invalid_amount", field="amount"
        )
    if not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidInput(
            f"A quantity is 1 to {MAX_QUANTITY}.", code="invalid_charge_quantity", field="quantity"
        )
    if not 0 <= tax_bp <= MAX_TAX_BP:
        raise InvalidInput(
            "A tax rate is 0 to 10000 basis points (0 to 100 %).",
            code="invalid_tax_rate",
            field="tax_rate_bp",
        )
    tax, total = taxed(amount * quantity, tax_bp, inclusive)
    if total > MAX_AMOUNT:
        raise InvalidInput(
            f"A charge is at most {MAX_AMOUNT} minor units.", code="invalid_amount", field="amount"
        )
    return tax, total


def band_totals(order: Order) -> dict[int, tuple[int, int]]:
    """(total, tax) billed at each tax rate, the folio's discounts taken off."""
    return {b.tax_bp: (b.total, b.tax) for b in tax_bands(bill_lines(order))}


def check_bands(order: Order, *, code: str = "discounts_exceed_lines") -> None:
    """No tax rate bills less than nothing: a discount comes off what is billed at its own
    rate, so a void or a shorter stay that would leave a rate's discounts bigger than its
    lines is refused (void or reduce the discount first)."""
    for rate, (total, _) in band_totals(order).items():
        if total < 0:
            raise Conflict(
                f"The discounts at {rate / 100:g} % would be more than what the order bills at"
                " that rate: void or reduce a discount first.",
                code=code,
                tax_rate_bp=rate,
            )


def _restated(order: Order, charges: tuple[Charge, ...], at: str) -> Order:
    changed = replace(order, charges=charges)
    return replace(
        changed,
        payment_status=payment_status_of(changed),
        updated_at=at,
        version=order.version + 1,
    )


def with_charge(order: Order, charge: Charge) -> Order:
    """The order with `charge` (or discount) added; the same id again changes nothing."""
    if any(c.id == charge.id for c in order.charges):
        return order
    check_folio_open(order)
    if len(order.charges) >= MAX_CHARGES:
        raise Conflict(
            f"An order takes at most {MAX_CHARGES} charges and discounts.", code="too_many_charges"
        )
    if charge.kind is ChargeKind.DISCOUNT:
        billed, _ = band_totals(order).get(charge.tax_bp, (0, 0))
        if charge.total > billed:
            raise InvalidInput(
                f"A discount takes off at most what the order bills at its rate"
                f" ({charge.tax_bp / 100:g} %).",
                code="discount_too_large",
                billed=billed,
            )
    if charge.kind is ChargeKind.CHARGE and order.total + charge.total > MAX_AMOUNT:
        raise InvalidInput(
            f"An order's total is at most {MAX_AMOUNT} minor units.", code="invalid_amount"
        )
    return _restated(order, (*order.charges, charge), charge.at)


def without_charge(order: Order, charge_id: str, *, at: str, by: str, reason: str) -> Order:
    """The order with a charge or discount voided (kept on the record as voided). Voiding one
    twice changes nothing; a charge a discount at its rate depends on cannot go (the rate would
    bill less than nothing): void the discount first."""
    charge = next((c for c in order.charges if c.id == charge_id), None)
    if charge is None:
        raise ChargeNotFound("No such charge on this order.", charge_id=charge_id)
    if not charge.live:
        return order
    check_folio_open(order)
    voided = replace(charge, voided_at=at, voided_by=by, void_reason=reason)
    charges = tuple(voided if c.id == charge_id else c for c in order.charges)
    after = _restated(order, charges, at)
    check_bands(after, code="charge_needed_by_discount")
    return after
