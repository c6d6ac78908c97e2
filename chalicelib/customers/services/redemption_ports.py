"""The coupon and loyalty stores, and the transaction items a redemption, a give-back, an
earning or an expiry writes (customers/adapters/redemption_items.py encodes them for the unit
of work's writer; tests/fakes.py fakes both).

A booking's redemption rides in the booking's own transaction (booking/services/
redemption_ports.py); the rest go through the kernel's unit of work, each change in one
transaction whose conditions make it happen once: a give-back deletes the coupon's record of
the order (on condition that it is there) and writes the points' `ret_<order>` mark (on
condition that it is not), an earning writes `ern_<order>` (the marks under an id a merge
does not move: redemption_consumers.py).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Protocol

from chalicelib.customers.domain.coupons import Coupon
from chalicelib.customers.domain.loyalty import Balance, Earning, LedgerEntry, Programme
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.services.tenant_data_ports import KernelData
from chalicelib.kernel.services.transaction_ports import TransactionItem


@value
class CouponCount(TransactionItem):
    """A coupon's uses up one (`change` 1: on condition that it is not disabled and below
    `max_uses`, 0 meaning no limit; refused: 409 `coupon_used_up`) or down one (-1)."""

    code: str
    change: int
    max_uses: int = 0


@value
class CouponRedemptionPut(TransactionItem):
    """The coupon's record of the order that used it (one per order)."""

    code: str
    order_id: str
    amount: int
    at: str


@value
class CouponRedemptionDelete(TransactionItem):
    """The order's use given back, on condition that it was still held (a second delivery of
    the cancellation finds it gone: nothing more happens)."""

    code: str
    order_id: str


@value
class CouponUseHeld(TransactionItem):
    """The order still holds its use (not given back yet): a revival keeps it as it is
    (refused: 409 `redemption_changed`)."""

    code: str
    order_id: str


@value
class CustomerCouponCount(TransactionItem):
    """The customer's uses of a coupon up by `change` (within `per_customer`, 0: no limit;
    refused: 409 `coupon_customer_limit`) or down (never below zero). A booking and a
    give-back move one use; a merge moves all of the loser's at once."""

    customer_id: str
    code: str
    change: int
    per_customer: int = 0


@value
class PointsMove(TransactionItem):
    """The customer's balance moved by `change` points: a debit (negative) on condition that
    the balance stays at or above zero (refused: 409 `points_insufficient`) and counted as
    spent; a credit (positive) added."""

    customer_id: str
    change: int


@value
class PointsExpire(TransactionItem):
    """Lots past their date counted (`passed`, through `checked`) and `points` taken off as
    expired, on condition that nothing was spent or counted since the balance was read."""

    customer_id: str
    read: Balance
    newly_passed: int
    points: int
    checked: str


@value
class LotPut(TransactionItem):
    """A lot of points earned or given back, expiring on `expires` (a local date)."""

    customer_id: str
    lot_id: str
    points: int
    expires: str


@value
class LedgerPut(TransactionItem):
    """A movement in the customer's ledger (once: on condition that it is new)."""

    customer_id: str
    entry: LedgerEntry


@value
class LoyaltyMark(TransactionItem):
    """`ern_<order>` or `ret_<order>`: the order's points earned or given back, once; an
    earning's keeps what it earned (`earning`), which a refund takes its share of; a refund's
    `tkb_<refund>`: its share taken back, once."""

    customer_id: str
    key: str
    earning: Earning | None = None


@value
class TakenBackCount(TransactionItem):
    """`tkn_<order>`: the points refunds of the order took back so far (what they were due,
    taken or not), from `read` to `to`, on condition that it is still `read` (0: not written
    yet); refused: 409 `redemption_failed` (another refund's take-back came first: read
    again)."""

    customer_id: str
    order_id: str
    read: int
    to: int


@value
class LoyaltyMarkCheck(TransactionItem):
    """The mark is not there (yet): a revival finds the points still taken (refused: 409
    `redemption_changed`)."""

    customer_id: str
    key: str


@value
class LoyaltyMarkDelete(TransactionItem):
    """The give-back's mark removed as its points are taken again (a revival), so a later
    cancellation gives them back again."""

    customer_id: str
    key: str


class CouponStore(ABC):
    @abstractmethod
    def get(self, code: str) -> Coupon | None: ...

    @abstractmethod
    def create(self, coupon: Coupon) -> None:
        """On condition that the code is new (409 `coupon_exists`)."""

    @abstractmethod
    def update(self, coupon: Coupon, *, expected_version: int) -> None:
        """Its terms (not its uses), on condition of the version read (409
        `version_mismatch`)."""

    @abstractmethod
    def page(self, *, after: str | None, limit: int) -> tuple[list[Coupon], str | None]:
        """By code, a page at a time (one Query), and the code to continue after."""

    @abstractmethod
    def redemptions(self, code: str, *, limit: int) -> list[tuple[str, int, str]]:
        """(order id, amount, at) of the orders holding a use, by order id (one Query)."""

    @abstractmethod
    def customer_uses(self, customer_id: str, code: str) -> int: ...

    @abstractmethod
    def customer_counts(self, customer_id: str) -> dict[str, int]:
        """Code -> the customer's uses of it, every code they used (one Query)."""

    @abstractmethod
    def holds(self, code: str, order_id: str) -> bool:
        """Whether the order holds a use of the coupon (its record is there)."""


class LoyaltyStore(ABC):
    @abstractmethod
    def programme(self) -> Programme: ...

    @abstractmethod
    def set_programme(self, programme: Programme) -> None: ...

    @abstractmethod
    def balance(self, customer_id: str) -> Balance:
        """Strongly consistent (nothing yet: a zero balance)."""

    @abstractmethod
    def lots_expiring(self, customer_id: str, first: str, last_exclusive: str) -> int:
        """The points of the lots expiring on a local date in [first, last_exclusive)."""

    @abstractmethod
    def ledger(self, customer_id: str, *, limit: int) -> list[LedgerEntry]:
        """The newest movements first (one Query)."""

    @abstractmethod
    def has_mark(self, customer_id: str, key: str) -> bool: ...

    @abstractmethod
    def earning(self, customer_id: str, order_id: str) -> Earning | None:
        """What the order earned, as its `ern_<order>` mark keeps it (None: it earned
        nothing yet, or before marks kept it): one GetItem."""

    @abstractmethod
    def taken_back(self, customer_id: str, order_id: str) -> int:
        """The points the order's refunds took back so far (`tkn_<order>`): one GetItem."""

    @abstractmethod
    def merged_into(self, customer_id: str) -> str | None:
        """The customer the record was merged into (`merged_into` on `CUS#<id>`/`META`,
        written by the customers' merge), if any: one GetItem."""


class LoyaltyData(KernelData, Protocol):
    @property
    def coupons(self) -> CouponStore: ...

    @property
    def loyalty(self) -> LoyaltyStore: ...


LoyaltyContext = TenantContext[LoyaltyData]
