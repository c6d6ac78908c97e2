"""An Idempotency-Key's record written in its change's transaction (`IdempotencyPut`,
kernel/services/idempotency_claims.py): the same `IDEM#<key>` item the claims of the other
routes write (web/idempotency_store.py), in the state `done` from the start, with the request's
hash and no answer: a retry is answered by reference, with what the change made as it stands
now. About 150 bytes: no index entry (it names no one), 2 write units in the transaction."""

from __future__ import annotations

from typing import Any

from chalicelib.kernel.domain.errors import Conflict, DomainError
from chalicelib.kernel.services.idempotency_claims import STALE_CLAIM_SECONDS, TTL_SECONDS
from chalicelib.kernel.services.transaction_ports import IdempotencyPut, TransactionItem


def idempotency_key(key: str) -> dict[str, Any]:
    return {"pk": {"S": f"IDEM#{key}"}, "sk": {"S": "META"}}


def idempotency_put(table: str, put: TransactionItem) -> dict[str, Any] | None:
    """The record, on condition that the key is free (a retry's whole change is refused);
    None for an item of another kind."""
    if not isinstance(put, IdempotencyPut):
        return None
    return {
        "Put": {
            "TableName": table,
            "Item": {
                **idempotency_key(put.key),
                "state": {"S": "done"},
                "request_hash": {"S": put.request_hash},
                "ttl": {"N": str(put.expires)},
            },
            # New, or a claim the other way left by a request that died (a minute old): as
            # web/idempotency_store.py takes one over.
            "ConditionExpression": (
                "attribute_not_exists(pk) OR (#st = :busy AND started_epoch < :stale)"
            ),
            "ExpressionAttributeNames": {"#st": "state"},
            "ExpressionAttributeValues": {
                ":busy": {"S": "in_progress"},
                ":stale": {"N": str(put.expires - TTL_SECONDS - STALE_CLAIM_SECONDS)},
            },
        }
    }


def retried(item: TransactionItem, reason: dict[str, Any]) -> DomainError | None:
    """The refusal of a transaction whose Idempotency-Key is written already: a retry (or a
    duplicate), answered by its caller with what the first request made."""
    if isinstance(item, IdempotencyPut) and reason.get("Code") == "ConditionalCheckFailed":
        return Conflict("This request was made already.", code="idempotency_in_progress")
    return None
