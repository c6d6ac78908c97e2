"""The JSON documents of segments and campaigns, and a claim item read back
(campaign_store.py has the keys)."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.customers.domain.campaigns import (
    Campaign,
    CampaignCounts,
    CampaignStatus,
    Wording,
)
from chalicelib.customers.domain.segments import Op, Rule, RuleKind, Segment
from chalicelib.customers.services.campaign_ports import SendClaim

COUNTS = ("recipients", "sent", "bounced", "unsubscribed", "bookings")


def segment_json(s: Segment) -> str:
    rules = [
        {
            k: v
            for k, v in (
                ("kind", r.kind.value),
                ("op", r.op.value if r.op else None),
                ("number", r.number),
                ("text", r.text),
                ("days", r.days),
                ("flag", r.flag),
            )
            if v is not None
        }
        for r in s.rules
    ]
    return json.dumps(
        {
            "id": s.id,
            "name": s.name,
            "rules": rules,
            "created_at": s.created_at,
            "updated_at": s.updated_at,
            "created_by": s.created_by,
        },
        ensure_ascii=False,
    )


def segment_from(doc: str, version: int) -> Segment:
    d = json.loads(doc)
    rules = tuple(
        Rule(
            RuleKind(r["kind"]),
            op=Op(r["op"]) if "op" in r else None,
            number=r.get("number"),
            text=r.get("text"),
            days=r.get("days"),
            flag=r.get("flag"),
        )
        for r in d["rules"]
    )
    return Segment(
        d["id"],
        d["name"],
        rules,
        d["created_at"],
        d["updated_at"],
        d.get("created_by", ""),
        version,
    )


def campaign_json(c: Campaign) -> str:
    return json.dumps(
        {
            "id": c.id,
            "name": c.name,
            "segment_id": c.segment_id,
            "wordings": [[lang, w.subject, w.body] for lang, w in c.wordings],
            "follow_days": c.follow_days,
            "created_at": c.created_at,
            "created_by": c.created_by,
        },
        ensure_ascii=False,
    )


def campaign_from(item: dict[str, Any]) -> Campaign:
    d = json.loads(item["doc"]["S"])
    counts = {name: int(item.get(f"n_{name}", {"N": "0"})["N"]) for name in COUNTS}
    return Campaign(
        id=d["id"],
        name=d["name"],
        segment_id=d["segment_id"],
        wordings=tuple((lang, Wording(subject, body)) for lang, subject, body in d["wordings"]),
        follow_days=d["follow_days"],
        created_at=d["created_at"],
        created_by=d.get("created_by", ""),
        status=CampaignStatus(item["status"]["S"]),
        send_started_at=item.get("send_started_at", {"S": ""})["S"],
        sent_at=item.get("sent_at", {"S": ""})["S"],
        counts=CampaignCounts(**counts),
        cursor=item.get("cursor", {"S": ""})["S"],
        touched_at=item.get("touched_at", {"S": ""})["S"],
        version=int(item["version"]["N"]),
    )


def claim_from(item: dict[str, Any]) -> SendClaim:
    def text(name: str) -> str:
        return str(item.get(name, {"S": ""})["S"])

    return SendClaim(
        customer_id=item["pk"]["S"].removeprefix("CUS#"),
        campaign_id=item["sk"]["S"].removeprefix("CAMP#"),
        claimed_at=text("claimed_at"),
        follow_days=int(item["follow_days"]["N"]),
        state=text("state"),
        sent_at=text("sent_at"),
        unsubscribed_at=text("unsubscribed_at"),
    )
