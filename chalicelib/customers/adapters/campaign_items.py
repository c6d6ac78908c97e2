"""The campaigns' transaction items on DynamoDB (handed to the unit of work's writer by the
composition root, tenant_data.py): a claim, its outcome, its release, its unsubscribe, a
booking's mark, and the campaign's counts. Keys: campaign_store.py's docstring."""

from __future__ import annotations

from typing import Any

from chalicelib.customers.adapters.campaign_store import campaign_key, claim_key
from chalicelib.customers.services.campaign_ports import (
    BookingMark,
    CampaignCount,
    ClaimBounced,
    ClaimPut,
    ClaimRelease,
    ClaimSettle,
    ClaimUnsubscribed,
)
from chalicelib.kernel.domain.errors import Conflict, DomainError
from chalicelib.kernel.services.transaction_ports import TransactionItem

STILL_CLAIMED = {
    "ConditionExpression": "#s = :claimed",
    "ExpressionAttributeNames": {"#s": "state"},
}


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def _claim_put(table: str, item: ClaimPut) -> dict[str, Any]:
    c = item.claim
    return {
        "Put": {
            "TableName": table,
            "Item": {
                **claim_key(c.customer_id, c.campaign_id),
                "type": _s("campaign_claim"),
                "state": _s("claimed"),
                "claimed_at": _s(c.claimed_at),
                "follow_days": _n(c.follow_days),
            },
            "ConditionExpression": "attribute_not_exists(pk)",
        }
    }


def _claim_moved(
    table: str, customer_id: str, campaign_id: str, expression: str, was: str, **values: str
) -> dict[str, Any]:
    """The claim's state changed on condition that it is still `was`."""
    return {
        "Update": {
            "TableName": table,
            "Key": claim_key(customer_id, campaign_id),
            "UpdateExpression": expression,
            "ConditionExpression": "#s = :was",
            "ExpressionAttributeNames": {"#s": "state"},
            "ExpressionAttributeValues": {
                ":was": _s(was),
                **{f":{name}": _s(v) for name, v in values.items()},
            },
        }
    }


def _settle(table: str, item: ClaimSettle) -> dict[str, Any]:
    return _claim_moved(
        table,
        item.customer_id,
        item.campaign_id,
        "SET #s = :state, sent_at = :at",
        "claimed",
        state=item.state,
        at=item.at,
    )


def _bounced(table: str, item: ClaimBounced) -> dict[str, Any]:
    return _claim_moved(
        table,
        item.customer_id,
        item.campaign_id,
        "SET #s = :bounced, bounced_at = :at",
        item.was,
        bounced="bounced",
        at=item.at,
    )


def _release(table: str, item: ClaimRelease) -> dict[str, Any]:
    return {
        "Delete": {
            "TableName": table,
            "Key": claim_key(item.customer_id, item.campaign_id),
            **STILL_CLAIMED,
            "ExpressionAttributeValues": {":claimed": _s("claimed")},
        }
    }


def _unsubscribed(table: str, item: ClaimUnsubscribed) -> dict[str, Any]:
    return {
        "Update": {
            "TableName": table,
            "Key": claim_key(item.customer_id, item.campaign_id),
            "UpdateExpression": "SET unsubscribed_at = :at",
            "ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(unsubscribed_at)",
            "ExpressionAttributeValues": {":at": _s(item.at)},
        }
    }


def _booking(table: str, item: BookingMark) -> dict[str, Any]:
    return {
        "Put": {
            "TableName": table,
            "Item": {
                "pk": _s(f"CAMP#{item.campaign_id}"),
                "sk": _s(f"BOOKED#{item.order_id}"),
                "type": _s("campaign_booking"),
                "at": _s(item.at),
            },
            "ConditionExpression": "attribute_not_exists(pk)",
        }
    }


def _count(table: str, item: CampaignCount) -> dict[str, Any]:
    names, values = {"#n": f"n_{item.name}"}, {":n": _n(item.n)}
    expression = "ADD #n :n"
    if item.moved_from:
        names["#m"], values[":m"] = f"n_{item.moved_from}", _n(-item.n)
        expression += ", #m :m"
    return {
        "Update": {
            "TableName": table,
            "Key": campaign_key(item.campaign_id),
            "UpdateExpression": expression,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }
    }


class CampaignItems:
    """The campaigns' items for the unit of work's writer (its `ItemCodec`)."""

    def write(self, table: str, item: TransactionItem) -> dict[str, Any] | None:
        if isinstance(item, ClaimPut):
            return _claim_put(table, item)
        if isinstance(item, ClaimSettle):
            return _settle(table, item)
        if isinstance(item, ClaimRelease):
            return _release(table, item)
        if isinstance(item, ClaimBounced):
            return _bounced(table, item)
        if isinstance(item, ClaimUnsubscribed):
            return _unsubscribed(table, item)
        if isinstance(item, BookingMark):
            return _booking(table, item)
        if isinstance(item, CampaignCount):
            return _count(table, item)
        return None

    def refusal(self, item: TransactionItem) -> DomainError | None:
        if isinstance(item, ClaimPut):
            return Conflict("The customer was claimed.", code="campaign_claimed")
        if isinstance(item, ClaimSettle | ClaimRelease | ClaimBounced):
            return Conflict("The claim was settled.", code="claim_settled")
        if isinstance(item, ClaimUnsubscribed):
            return Conflict("The unsubscribe was counted.", code="unsubscribe_counted")
        if isinstance(item, BookingMark):
            return Conflict("The booking was counted.", code="booking_counted")
        return None


CAMPAIGN_ITEMS = CampaignItems()
