"""The DynamoDB form of the coupons' and points' transaction items
(customers/services/redemption_ports.py), for the unit of work's writer
(booking/adapters/unit_of_work.py: the composition root hands it `REDEMPTION_ITEMS`), and the
domain error of each refused condition.

Keys (kernel/adapters/schema.py lists them with their reads):
- coupon `CPN#<code>`/`META`: `used` counted up on condition `attribute_exists(pk) AND
  attribute_not_exists(disabled_at) AND (attribute_not_exists(used) OR used <= :max)` where
  :max = max_uses - 1 (DynamoDB conditions cannot do arithmetic), down on `used >= :1`;
- the coupon's record of an order `CPN#<code>`/`R#<order id>`: Put on condition that it is
  new, Delete on condition that it is there (a give-back happens once);
- a customer's uses of a coupon `LOY#<customer id>`/`CPN#<code>` (in their partition, which
  an erase deletes and an export reads): as the coupon's, within per_customer; a merge moves
  the loser's to the winner (down by n on condition `used >= n`, up by n without a limit);
- the customer's points `LOY#<customer id>`/`BAL`: a debit `SET points = points - :n, spent =
  spent + :n` on condition `points >= :n` (never below zero), a credit `ADD points :n`, an
  expiry on condition that `spent` and `checked` are as read;
- a lot `LOY#<customer id>`/`LOT#<expires>#<lot id>`, a ledger entry
  `LOY#<customer id>`/`L#<at>#<entry id>` (new only), a mark `LOY#<customer id>`/`M#<key>`
  (new only: an earning or a give-back happens once; deleted when a revival takes the points
  again; under an id a merge does not move: customers/services/redemption_consumers.py); an
  earning's mark `M#ern_<order>` keeps `points` and `billed`, a refund's take-back writes
  `M#tkb_<refund id>` (new only) and sets the order's `M#tkn_<order>` `points` (what its refunds
  took back so far) on condition that it is as read (`attribute_not_exists(pk)` or
  `points = :read`): customers/services/points_takeback.py;
- a give-back's condition that the order is at the version read: the invoices' OrderUnchanged
  (`ORD#<id>`/`META` version = :v, encoded by invoices/adapters/invoice_items.py);
- a revival's checks: the coupon's record of the order still there, the give-back's mark not
  (ConditionChecks).
"""

from __future__ import annotations

from typing import Any

from chalicelib.customers.domain.coupons import CouponCustomerLimit, CouponUsedUp
from chalicelib.customers.domain.loyalty import PointsInsufficient
from chalicelib.customers.services.loyalty import AlreadyDone
from chalicelib.customers.services.redemption_ports import (
    CouponCount,
    CouponRedemptionDelete,
    CouponRedemptionPut,
    CouponUseHeld,
    CustomerCouponCount,
    LedgerPut,
    LotPut,
    LoyaltyMark,
    LoyaltyMarkCheck,
    LoyaltyMarkDelete,
    PointsExpire,
    PointsMove,
    TakenBackCount,
)
from chalicelib.kernel.domain.errors import Conflict, DomainError
from chalicelib.kernel.services.transaction_ports import TransactionItem


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def coupon_key(code: str) -> dict[str, Any]:
    return {"pk": _s(f"CPN#{code}"), "sk": _s("META")}


def balance_key(customer_id: str) -> dict[str, Any]:
    return {"pk": _s(f"LOY#{customer_id}"), "sk": _s("BAL")}


def _count(table: str, key: dict[str, Any], change: int, limit: int, *, exists: bool) -> Any:
    """`used` up by `change` within `limit` (0: none) or down by it, never below zero."""
    if change < 0:
        return {
            "Update": {
                "TableName": table,
                "Key": key,
                "UpdateExpression": "SET used = used - :one",
                "ConditionExpression": "used >= :one",
                "ExpressionAttributeValues": {":one": _n(-change)},
            }
        }
    condition = "attribute_exists(pk) AND attribute_not_exists(disabled_at)" if exists else ""
    values: dict[str, Any] = {":one": _n(change), ":zero": _n(0)}
    if limit:
        within = "(attribute_not_exists(used) OR used <= :max)"
        condition = f"{condition} AND {within}" if condition else within
        values[":max"] = _n(limit - change)
    update: dict[str, Any] = {
        "TableName": table,
        "Key": key,
        "UpdateExpression": "SET used = if_not_exists(used, :zero) + :one",
        "ExpressionAttributeValues": values,
    }
    if condition:
        update["ConditionExpression"] = condition
    return {"Update": update}


def _points(table: str, item: PointsMove) -> dict[str, Any]:
    if item.change < 0:
        return {
            "Update": {
                "TableName": table,
                "Key": balance_key(item.customer_id),
                "UpdateExpression": (
                    "SET points = points - :n, spent = if_not_exists(spent, :z) + :n"
                ),
                "ConditionExpression": "points >= :n",
                "ExpressionAttributeValues": {":n": _n(-item.change), ":z": _n(0)},
            }
        }
    return {
        "Update": {
            "TableName": table,
            "Key": balance_key(item.customer_id),
            "UpdateExpression": "ADD points :n",
            "ExpressionAttributeValues": {":n": _n(item.change)},
        }
    }


def _expire(table: str, item: PointsExpire) -> dict[str, Any]:
    read = item.read
    checked = "#c = :c" if read.checked else "attribute_not_exists(#c)"
    spent = "spent = :s" if read.spent else "attribute_not_exists(spent) OR spent = :s"
    values = {
        ":s": _n(read.spent),
        ":x": _n(item.points),
        ":p": _n(item.newly_passed),
        ":z": _n(0),
        ":nc": _s(item.checked),
    }
    if read.checked:
        values[":c"] = _s(read.checked)
    return {
        "Update": {
            "TableName": table,
            "Key": balance_key(item.customer_id),
            "UpdateExpression": "SET points = points - :x, spent = if_not_exists(spent, :z) + :x, "
            "passed = if_not_exists(passed, :z) + :p, #c = :nc",
            "ConditionExpression": f"({spent}) AND {checked} AND points >= :x",
            "ExpressionAttributeNames": {"#c": "checked"},
            "ExpressionAttributeValues": values,
        }
    }


def _put(table: str, item: dict[str, Any]) -> dict[str, Any]:
    return {
        "Put": {"TableName": table, "Item": item, "ConditionExpression": "attribute_not_exists(pk)"}
    }


def _loyalty_put(table: str, item: TransactionItem) -> dict[str, Any] | None:
    if isinstance(item, LotPut):
        pk = _s(f"LOY#{item.customer_id}")
        sk = _s(f"LOT#{item.expires}#{item.lot_id}")
        return _put(table, {"pk": pk, "sk": sk, "points": _n(item.points), "type": _s("lot")})
    if isinstance(item, LedgerPut):
        e = item.entry
        return _put(
            table,
            {
                "pk": _s(f"LOY#{item.customer_id}"),
                "sk": _s(f"L#{e.at}#{e.id}"),
                "type": _s("points_entry"),
                "id": _s(e.id),
                "at": _s(e.at),
                "movement": _s(e.movement.value),
                "points": _n(e.points),
                "order_id": _s(e.order_id),
                "note": _s(e.note),
            },
        )
    if isinstance(item, LoyaltyMark):
        mark = {"pk": _s(f"LOY#{item.customer_id}"), "sk": _s(f"M#{item.key}")}
        if item.earning is not None:
            mark |= {"points": _n(item.earning.points), "billed": _n(item.earning.billed)}
        return _put(table, mark)
    if isinstance(item, TakenBackCount):
        return _taken_back(table, item)
    if isinstance(item, LoyaltyMarkCheck | LoyaltyMarkDelete):
        key = {"pk": _s(f"LOY#{item.customer_id}"), "sk": _s(f"M#{item.key}")}
        if isinstance(item, LoyaltyMarkCheck):
            return _check(table, key, "attribute_not_exists(pk)")
        return {
            "Delete": {
                "TableName": table,
                "Key": key,
                "ConditionExpression": "attribute_exists(pk)",
            }
        }
    return None


def _taken_back(table: str, item: TakenBackCount) -> dict[str, Any]:
    key = taken_back_key(item.customer_id, item.order_id)
    values = {":to": _n(item.to)}
    condition = "attribute_not_exists(pk)"
    if item.read:
        values[":read"] = _n(item.read)
        condition = "points = :read"
    return {
        "Update": {
            "TableName": table,
            "Key": key,
            "UpdateExpression": "SET points = :to",
            "ConditionExpression": condition,
            "ExpressionAttributeValues": values,
        }
    }


def taken_back_key(customer_id: str, order_id: str) -> dict[str, Any]:
    return {"pk": _s(f"LOY#{customer_id}"), "sk": _s(f"M#tkn_{order_id}")}


def _check(table: str, key: dict[str, Any], condition: str) -> dict[str, Any]:
    return {"ConditionCheck": {"TableName": table, "Key": key, "ConditionExpression": condition}}


class RedemptionItems:
    """The `ItemCodec` of the coupons' and points' items."""

    def write(self, table: str, item: TransactionItem) -> dict[str, Any] | None:
        if isinstance(item, CouponCount):
            return _count(table, coupon_key(item.code), item.change, item.max_uses, exists=True)
        if isinstance(item, CustomerCouponCount):
            key = {"pk": _s(f"LOY#{item.customer_id}"), "sk": _s(f"CPN#{item.code}")}
            return _count(table, key, item.change, item.per_customer, exists=False)
        if isinstance(item, CouponRedemptionPut):
            return _put(
                table,
                {
                    "pk": _s(f"CPN#{item.code}"),
                    "sk": _s(f"R#{item.order_id}"),
                    "type": _s("coupon_use"),
                    "order_id": _s(item.order_id),
                    "amount": _n(item.amount),
                    "at": _s(item.at),
                },
            )
        if isinstance(item, CouponUseHeld):
            key = {"pk": _s(f"CPN#{item.code}"), "sk": _s(f"R#{item.order_id}")}
            return _check(table, key, "attribute_exists(pk)")
        if isinstance(item, CouponRedemptionDelete):
            return {
                "Delete": {
                    "TableName": table,
                    "Key": {"pk": _s(f"CPN#{item.code}"), "sk": _s(f"R#{item.order_id}")},
                    "ConditionExpression": "attribute_exists(pk)",
                }
            }
        if isinstance(item, PointsMove):
            return _points(table, item)
        if isinstance(item, PointsExpire):
            return _expire(table, item)
        return _loyalty_put(table, item)

    def refusal(self, item: TransactionItem) -> DomainError | None:
        return redemption_refusal(item)


def redemption_refusal(item: TransactionItem) -> DomainError | None:
    """The domain error of a refused condition (the fake's transactions raise the same)."""
    if isinstance(item, CouponCount) and item.change > 0:
        return CouponUsedUp(
            "This code has just been used as many times as it may be, or was withdrawn."
        )
    if isinstance(item, CustomerCouponCount) and item.change > 0:
        return CouponCustomerLimit("You have used this code as many times as you may.")
    if isinstance(item, PointsMove) and item.change < 0:
        return PointsInsufficient("Not enough points: they were just spent elsewhere.")
    if isinstance(item, CouponRedemptionDelete | LoyaltyMark):
        return AlreadyDone("Already given back or earned.")
    if isinstance(item, CouponUseHeld | LoyaltyMarkCheck | LoyaltyMarkDelete):
        return Conflict(
            "The booking's coupon or points were just given back.", code="redemption_changed"
        )
    if isinstance(item, PointsExpire):
        return Conflict("The points changed while expiring.", code="points_changed")
    if isinstance(
        item,
        CouponCount
        | CustomerCouponCount
        | CouponRedemptionPut
        | LotPut
        | LedgerPut
        | TakenBackCount,
    ):
        return Conflict("The coupon or points records are out of step.", code="redemption_failed")
    return None


REDEMPTION_ITEMS = RedemptionItems()
