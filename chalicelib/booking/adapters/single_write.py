"""A transaction of one write sent as that write alone (booking/adapters/unit_of_work.py).

DynamoDB bills a write in a transaction twice (2 WRU per KB instead of 1); a single PutItem,
UpdateItem or DeleteItem with the same condition is just as atomic on its one item. So the
unit of work's writer sends a one-item change (a customer's counted orders with no co-booking
row to move, say) as that write, and reads its refusal as the transaction's would have been:
a refused condition as `ConditionalCheckFailed` at position 0, a write that met another
transaction on its item as `TransactionConflict` (retried the same way). A ConditionCheck
alone writes nothing and stays a transaction, as does anything of two items or more.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

_ALONE = {"Put": "put_item", "Update": "update_item", "Delete": "delete_item"}
_REASONS = {
    "ConditionalCheckFailedException": "ConditionalCheckFailed",
    "TransactionConflictException": "TransactionConflict",
}


def sent_alone(client: Any, transaction: list[dict[str, Any]]) -> bool:
    """Send a one-write `transaction` as that write; False (nothing sent): it is not one, and
    goes as a TransactWriteItems."""
    if len(transaction) != 1:
        return False
    ((kind, params),) = transaction[0].items()
    method = _ALONE.get(kind)
    if method is None:
        return False
    getattr(client, method)(**params, ReturnConsumedCapacity="NONE")
    return True


def cancellation_reasons(exc: ClientError) -> list[dict[str, Any]] | None:
    """The cancellation reasons of a refused write (a transaction, or a write alone), one per
    item; None: not a refusal."""
    code = exc.response["Error"]["Code"]
    if code == "TransactionCanceledException":
        reasons: list[dict[str, Any]] = exc.response.get("CancellationReasons", [])
        return reasons
    if code in _REASONS:
        return [{"Code": _REASONS[code]}]
    return None
