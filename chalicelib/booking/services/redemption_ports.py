"""The redemption seam: how a booking takes coupons and points as a discount inside its own
transaction, without booking importing the customers capability that knows what they are.

Before the commit, `hold_order` (booking.py) asks the tenant's `Redeemer` to price what the
booking asks to redeem against the order as planned; the answer is
- the discounts: folio charges of kind DISCOUNT (booking/domain/folio.py), one per tax rate of
  the lines a coupon or the points apply to, so the order's total, tax, bill and invoice count
  them like a discount staff give;
- the redemptions the order records (booking/domain/redemptions.py), so a cancellation or an
  expired hold gives them back;
- the extra transaction items the order's unit of work writes in the SAME transaction: the
  coupon's use and the customer's count on condition that uses are left, the points taken on
  condition that the balance stays at or above zero. A refused condition cancels the whole
  booking and comes back as the redeemer's domain error (409 `coupon_used_up`,
  `coupon_customer_limit`, `points_insufficient`), mapped by the codec the composition root
  hands the writer (customers/adapters/redemption_items.py), as the takings' are.

The implementation is customers/services/redeeming.py, reached through the tenant's data
(`RedemptionData.redeemer`: tenant_data.py and tests/fakes.py build it over the coupon and
loyalty stores of the same table).
"""

from __future__ import annotations

from typing import Protocol

from chalicelib.booking.domain.folio import Charge
from chalicelib.booking.domain.orders import Order
from chalicelib.booking.domain.redemptions import Redemption, RedemptionAsk
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.context import KernelContext
from chalicelib.kernel.services.transaction_ports import TransactionItem


@value
class Priced:
    """What the redemptions of one booking come to (see the module's docstring)."""

    charges: tuple[Charge, ...]
    redemptions: tuple[Redemption, ...]
    items: tuple[TransactionItem, ...]


# The codes of the refusals the items of a redemption answer (the port's contract: a use or
# points someone else took first, or a give-back that raced a revival). A revival refused one
# of them is refused as one whose units are gone (payments/services/refunds.late_payment).
REDEMPTION_REFUSALS = frozenset(
    {"coupon_used_up", "coupon_customer_limit", "points_insufficient", "redemption_changed"}
)


class Redeemer(Protocol):
    def price(self, ctx: KernelContext, order: Order, ask: RedemptionAsk) -> Priced:
        """Price `ask` against `order` (its lines as planned, no discount yet). Raises the
        domain error of a code that does not exist or does not apply, or points the customer
        does not have (nothing is written: the items do that, with the booking)."""

    def reprice(self, ctx: KernelContext, order: Order) -> Priced:
        """The coupon's discount priced again for `order`'s lines as moved (booking/services/
        repricing.py), by the code's own rules: the offerings it applies to and its minimum
        spend (its dates and uses held when it was booked, and its use stays counted). The
        answer: the code's new discounts (none when it no longer applies) and its redemption
        with the new amount, for each code it could price; no items (nothing is taken again)."""

    def retake(self, ctx: KernelContext, order: Order) -> tuple[TransactionItem, ...]:
        """The items that keep an expired order's redemptions when a late payment revives it
        (payments/services/payment_orders.revive): what its expiry gave back is taken again,
        on the same conditions, and what was not given back yet is checked to be still held
        (the give-back of a revived order gives nothing back)."""


class RedemptionData(Protocol):
    @property
    def redeemer(self) -> Redeemer: ...
