"""The campaigns' DynamoDB shapes, without DynamoDB: every live customer record carries one
entry of the sharded listing and a merged loser none; a claim is a put conditional on its
absence, its outcome an update conditional on it still being claimed, each with the
campaign's count; a refused condition is the domain's Conflict the services expect."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from chalicelib.customers.adapters.campaign_items import CAMPAIGN_ITEMS
from chalicelib.customers.adapters.customer_items import all_customers_pk, customer_item
from chalicelib.customers.domain.records import CustomerRecord, Profile
from chalicelib.customers.services.campaign_ports import (
    SHARDS,
    BookingMark,
    CampaignCount,
    ClaimBounced,
    ClaimPut,
    ClaimSettle,
    SendClaim,
)
from chalicelib.customers.services.campaign_writes import DONE_ALREADY
from chalicelib.kernel.domain.customer_ids import customer_id_for
from chalicelib.kernel.domain.errors import Conflict


def record(n: int) -> CustomerRecord:
    email = f"guest{n}@example.com"
    return CustomerRecord(
        id=customer_id_for(email),
        profile=Profile(name=f"Guest {n}", email=email),
        created_at="2026-01-01T00:00Z",
        updated_at="2026-01-01T00:00Z",
    )


def test_every_live_record_is_listed_once_and_a_merged_loser_is_not():
    item = customer_item(record(1))
    assert item["gsi6pk"]["S"] == all_customers_pk(record(1).id)
    assert item["gsi6sk"]["S"] == record(1).id
    merged = customer_item(replace(record(1), merged_into="cus_winner"))
    assert "gsi6pk" not in merged and "gsi6sk" not in merged


def test_the_listing_spreads_customers_over_its_shards():
    shards = Counter(all_customers_pk(record(n).id) for n in range(800))
    assert set(shards) == {f"CUSALL#{i}" for i in range(SHARDS)}
    assert max(shards.values()) < 2 * 800 / SHARDS  # no shard holds twice its share


def test_a_claim_is_conditional_on_its_absence_and_its_outcome_on_it_being_claimed():
    claim = SendClaim("cus_a", "cmp_1", "2026-11-30T10:00:00.000000Z", 7)
    put = CAMPAIGN_ITEMS.write("t", ClaimPut(claim))
    assert put is not None
    assert put["Put"]["Item"]["pk"] == {"S": "CUS#cus_a"}
    assert put["Put"]["Item"]["sk"] == {"S": "CAMP#cmp_1"}
    assert put["Put"]["ConditionExpression"] == "attribute_not_exists(pk)"
    settle = CAMPAIGN_ITEMS.write("t", ClaimSettle("cus_a", "cmp_1", "sent", "now"))
    assert settle is not None and settle["Update"]["ConditionExpression"] == "#s = :was"
    assert settle["Update"]["ExpressionAttributeValues"][":was"] == {"S": "claimed"}
    count = CAMPAIGN_ITEMS.write("t", CampaignCount("cmp_1", "sent"))
    assert count is not None
    assert count["Update"]["ExpressionAttributeNames"] == {"#n": "n_sent"}
    assert "ConditionExpression" not in count["Update"]
    assert CAMPAIGN_ITEMS.write("t", object()) is None  # type: ignore[arg-type]


def test_each_refused_condition_is_a_conflict_the_services_take_for_done_already():
    claim = SendClaim("cus_a", "cmp_1", "now", 7)
    for item in (
        ClaimPut(claim),
        ClaimSettle("cus_a", "cmp_1", "sent", "now"),
        BookingMark("cmp_1", "ord_1", "now"),
    ):
        refusal = CAMPAIGN_ITEMS.refusal(item)
        assert isinstance(refusal, Conflict) and refusal.code in DONE_ALREADY
    assert CAMPAIGN_ITEMS.refusal(CampaignCount("cmp_1", "sent")) is None


def test_a_later_bounce_is_conditional_on_the_state_read_and_moves_one_count_in_one_update():
    bounced = CAMPAIGN_ITEMS.write("t", ClaimBounced("cus_a", "cmp_1", "sent", "now"))
    assert bounced is not None
    update = bounced["Update"]
    assert update["ConditionExpression"] == "#s = :was"
    assert update["ExpressionAttributeValues"][":was"] == {"S": "sent"}
    assert update["ExpressionAttributeValues"][":bounced"] == {"S": "bounced"}
    moved = CAMPAIGN_ITEMS.write("t", CampaignCount("cmp_1", "bounced", moved_from="sent"))
    assert moved is not None
    assert moved["Update"]["UpdateExpression"] == "ADD #n :n, #m :m"
    assert moved["Update"]["ExpressionAttributeNames"] == {"#n": "n_bounced", "#m": "n_sent"}
    assert moved["Update"]["ExpressionAttributeValues"] == {":n": {"N": "1"}, ":m": {"N": "-1"}}
    refused = CAMPAIGN_ITEMS.refusal(ClaimBounced("cus_a", "cmp_1", "sent", "now"))
    assert isinstance(refused, Conflict) and refused.code in DONE_ALREADY
