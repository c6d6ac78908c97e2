"""Segments, campaigns and their per-customer claims on DynamoDB.

Keys (kernel/adapters/schema.py lists them with the access patterns):
- segment ....... pk=SEG#<id>  sk=META: `doc` (JSON), `version`; gsi1pk=SEGS gsi1sk=<name>#<id>;
- campaign ...... pk=CAMP#<id> sk=META: `doc` (JSON: what does not change), `status`, `cursor`,
                  `version`, counters `n_recipients`, `n_sent`, `n_bounced`, `n_unsubscribed`,
                  `n_bookings` (ADD); gsi1pk=CAMPS gsi1sk=<created_at>#<id>;
- claim ......... pk=CUS#<customer> sk=CAMP#<campaign>: `state` (claimed | sent | bounced),
                  `claimed_at`, `sent_at`, `follow_days`, `unsubscribed_at` (in the customer's
                  partition: an erase deletes it with the rest of them; written through the
                  unit of work with the campaign's count: campaign_items.py);
- booking mark .. pk=CAMP#<campaign> sk=BOOKED#<order>: one count per order (campaign_items.py);
- all customers . gsi6pk=CUSALL#<n> gsi6sk=<customer id> on every live record (keys only;
                  customers/adapters/customer_items.py writes it).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.customers.adapters.campaign_codec import (
    campaign_from,
    campaign_json,
    claim_from,
    segment_from,
    segment_json,
)
from chalicelib.customers.domain.campaigns import Campaign
from chalicelib.customers.domain.segments import Segment
from chalicelib.customers.services.campaign_ports import CampaignStore, IdPage, SendClaim
from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.paged_reads import query_up_to
from chalicelib.kernel.domain.errors import Conflict


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def _failed_condition(exc: ClientError) -> bool:
    return bool(exc.response["Error"]["Code"] == "ConditionalCheckFailedException")


def campaign_key(campaign_id: str) -> dict[str, Any]:
    return {"pk": _s(f"CAMP#{campaign_id}"), "sk": _s("META")}


def claim_key(customer_id: str, campaign_id: str) -> dict[str, Any]:
    return {"pk": _s(f"CUS#{customer_id}"), "sk": _s(f"CAMP#{campaign_id}")}


class DynamoCampaignStore(CampaignStore):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def _call(self, op: str, **kwargs: Any) -> dict[str, Any] | None:
        """The call; None when its condition failed."""
        try:
            answer: dict[str, Any] = getattr(self._client, op)(TableName=self._table, **kwargs)
        except ClientError as exc:
            if _failed_condition(exc):
                return None
            reraise(exc)
            raise
        return answer

    def _get(self, key: dict[str, Any]) -> dict[str, Any] | None:
        answer = self._call("get_item", Key=key, ConsistentRead=True) or {}
        found: dict[str, Any] | None = answer.get("Item")
        return found

    def _listing(self, pk: str, *, forward: bool) -> list[dict[str, Any]]:
        items, _ = query_up_to(
            self._client,
            self._table,
            IndexName="gsi1",
            KeyConditionExpression="gsi1pk = :k",
            ExpressionAttributeValues={":k": _s(pk)},
            ScanIndexForward=forward,
            Limit=1000,
        )
        return items

    # -- segments -------------------------------------------------------------------------

    def segment(self, segment_id: str) -> Segment | None:
        item = self._get({"pk": _s(f"SEG#{segment_id}"), "sk": _s("META")})
        return None if item is None else segment_from(item["doc"]["S"], int(item["version"]["N"]))

    def segments(self) -> list[Segment]:
        return [
            segment_from(i["doc"]["S"], int(i["version"]["N"]))
            for i in self._listing("SEGS", forward=True)
        ]

    def put_segment(self, segment: Segment, *, expected_version: int) -> None:
        item = {
            "pk": _s(f"SEG#{segment.id}"),
            "sk": _s("META"),
            "type": _s("segment"),
            "doc": _s(segment_json(segment)),
            "version": _n(segment.version),
            "gsi1pk": _s("SEGS"),
            "gsi1sk": _s(f"{segment.name.casefold()}#{segment.id}"),
        }
        if expected_version == 0:
            condition: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(pk)"}
        else:
            condition = {
                "ConditionExpression": "version = :v",
                "ExpressionAttributeValues": {":v": _n(expected_version)},
            }
        if self._call("put_item", Item=item, **condition) is not None:
            return
        if expected_version == 0:
            raise Conflict("The segment exists.", code="segment_exists")
        raise Conflict("The segment changed.", code="segment_changed")

    def delete_segment(self, segment_id: str) -> bool:
        answer = self._call(
            "delete_item",
            Key={"pk": _s(f"SEG#{segment_id}"), "sk": _s("META")},
            ConditionExpression="attribute_exists(pk)",
        )
        return answer is not None

    def customer_ids(self, shard: int, *, after: str | None, limit: int) -> IdPage:
        kwargs: dict[str, Any] = {
            "IndexName": "gsi6",
            "KeyConditionExpression": "gsi6pk = :k",
            "ExpressionAttributeValues": {":k": _s(f"CUSALL#{shard}")},
            "Limit": limit,
        }
        if after is not None:
            kwargs["ExclusiveStartKey"] = {
                "gsi6pk": _s(f"CUSALL#{shard}"),
                "gsi6sk": _s(after),
                "pk": _s(f"CUS#{after}"),
                "sk": _s("META"),
            }
        try:
            answer = self._client.query(TableName=self._table, **kwargs)
        except ClientError as exc:
            reraise(exc)
            raise
        ids = tuple(i["gsi6sk"]["S"] for i in answer.get("Items", []))
        more = "LastEvaluatedKey" in answer and bool(ids)
        return IdPage(ids, ids[-1] if more else None)

    # -- campaigns ------------------------------------------------------------------------

    def campaign(self, campaign_id: str) -> Campaign | None:
        item = self._get(campaign_key(campaign_id))
        return None if item is None else campaign_from(item)

    def campaigns(self) -> list[Campaign]:
        return [campaign_from(i) for i in self._listing("CAMPS", forward=False)]

    def create_campaign(self, campaign: Campaign) -> None:
        item = {
            **campaign_key(campaign.id),
            "type": _s("campaign"),
            "doc": _s(campaign_json(campaign)),
            "status": _s(campaign.status.value),
            "version": _n(1),
            "gsi1pk": _s("CAMPS"),
            "gsi1sk": _s(f"{campaign.created_at}#{campaign.id}"),
        }
        if (
            self._call("put_item", Item=item, ConditionExpression="attribute_not_exists(pk)")
            is None
        ):
            raise Conflict("The campaign exists.", code="campaign_exists")

    def delete_draft(self, campaign_id: str) -> bool:
        answer = self._call(
            "delete_item",
            Key=campaign_key(campaign_id),
            ConditionExpression="#s = :draft",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":draft": _s("draft")},
        )
        return answer is not None

    def start_sending(self, campaign_id: str, *, at: str) -> bool:
        return (
            self._call(
                "update_item",
                Key=campaign_key(campaign_id),
                UpdateExpression="SET #s = :sending, send_started_at = :at, touched_at = :at "
                "ADD version :one",
                ConditionExpression="#s = :draft",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={
                    ":sending": _s("sending"),
                    ":draft": _s("draft"),
                    ":at": _s(at),
                    ":one": _n(1),
                },
            )
            is not None
        )

    def save_cursor(self, campaign_id: str, cursor: str, *, at: str) -> None:
        self._call(
            "update_item",
            Key=campaign_key(campaign_id),
            UpdateExpression="SET #c = :c, touched_at = :at",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeNames={"#c": "cursor"},
            ExpressionAttributeValues={":c": _s(cursor), ":at": _s(at)},
        )

    def nudge(self, campaign_id: str, *, at: str, stale_before: str) -> bool:
        answer = self._call(
            "update_item",
            Key=campaign_key(campaign_id),
            UpdateExpression="SET touched_at = :at",
            ConditionExpression="#s = :sending AND touched_at < :stale",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={
                ":at": _s(at),
                ":sending": _s("sending"),
                ":stale": _s(stale_before),
            },
        )
        return answer is not None

    def finish(self, campaign_id: str, *, at: str) -> None:
        self._call(
            "update_item",
            Key=campaign_key(campaign_id),
            UpdateExpression="SET #s = :sent, sent_at = :at ADD version :one",
            ConditionExpression="#s = :sending",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={
                ":sent": _s("sent"),
                ":sending": _s("sending"),
                ":at": _s(at),
                ":one": _n(1),
            },
        )

    def claims_of(self, customer_id: str) -> list[SendClaim]:
        items, _ = query_up_to(
            self._client,
            self._table,
            KeyConditionExpression="pk = :k AND begins_with(sk, :p)",
            ExpressionAttributeValues={":k": _s(f"CUS#{customer_id}"), ":p": _s("CAMP#")},
            Limit=1000,
        )
        return [claim_from(i) for i in items]
