"""Customers, notes and merges <-> plain JSON documents, for storage."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.customers.domain.figures import CustomerFigures
from chalicelib.customers.domain.merges import Merge, MergeStatus
from chalicelib.customers.domain.records import (
    Consent,
    ConsentSource,
    CustomerRecord,
    EmailBounce,
    Note,
    Profile,
)
from chalicelib.kernel.domain.business import Address


def _counts(doc: Any) -> tuple[tuple[str, int], ...]:
    return tuple(sorted((str(k), int(v)) for k, v in (doc or {}).items()))


def figures_doc(f: CustomerFigures) -> dict[str, Any]:
    return {
        "bookings": f.bookings,
        "visits": f.visits,
        "spend": f.spend,
        "cancellations": f.cancellations,
        "no_shows": f.no_shows,
        **({"no_show_orders": list(f.no_show_orders)} if f.no_show_orders else {}),
        "first_visit": f.first_visit,
        "last_visit": f.last_visit,
        "offerings": dict(f.offerings),
        "staff": dict(f.staff),
        "hours": dict(f.hours),
    }


def figures_from(doc: dict[str, Any]) -> CustomerFigures:
    return CustomerFigures(
        bookings=int(doc.get("bookings", 0)),
        visits=int(doc.get("visits", 0)),
        spend=int(doc.get("spend", 0)),
        cancellations=int(doc.get("cancellations", 0)),
        no_shows=int(doc.get("no_shows", 0)),
        no_show_orders=tuple(str(o) for o in doc.get("no_show_orders", ())),
        first_visit=str(doc.get("first_visit", "")),
        last_visit=str(doc.get("last_visit", "")),
        offerings=_counts(doc.get("offerings")),
        staff=_counts(doc.get("staff")),
        hours=_counts(doc.get("hours")),
    )


def customer_json(c: CustomerRecord) -> str:
    p = c.profile
    doc = {
        "id": c.id,
        "profile": {**vars(p), "address": {**vars(p.address), "lines": list(p.address.lines)}},
        "created_at": c.created_at,
        "updated_at": c.updated_at,
        "figures": figures_doc(c.figures),
        "preferences": dict(c.preferences),
        "tags": list(c.tags),
        "consent": None
        if c.consent is None
        else {**vars(c.consent), "source": c.consent.source.value},
        "merged_into": c.merged_into,
        "merged_from": list(c.merged_from),
        "possible_duplicates": list(c.possible_duplicates),
    }
    if c.email_bounce is not None:
        doc["email_bounce"] = vars(c.email_bounce)
    # The marks are kept even on a record from before them (`counted_since` None): a merge
    # hands a loser's marks to such a winner (merge_job.py), and a redelivery looks there.
    if c.counted or c.counted_since is not None:
        doc["counted"] = dict(c.counted)
    if c.counted_since is not None:
        doc["counted_since"] = c.counted_since
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)


def customer_from(text: str, version: int) -> CustomerRecord:
    doc = json.loads(text)
    p = dict(doc["profile"])
    raw = dict(p.pop("address", {}))
    address = Address(**{**raw, "lines": tuple(raw.get("lines", ()))})
    consent = doc.get("consent")
    bounce = doc.get("email_bounce")
    return CustomerRecord(
        id=doc["id"],
        profile=Profile(**p, address=address),
        created_at=doc["created_at"],
        updated_at=doc["updated_at"],
        version=version,
        figures=figures_from(doc.get("figures", {})),
        preferences=tuple(sorted(doc.get("preferences", {}).items())),
        tags=tuple(doc.get("tags", ())),
        consent=None
        if consent is None
        else Consent(
            bool(consent["granted"]),
            ConsentSource(consent["source"]),
            consent["at"],
            consent.get("by", ""),
        ),
        merged_into=doc.get("merged_into", ""),
        merged_from=tuple(doc.get("merged_from", ())),
        possible_duplicates=tuple(doc.get("possible_duplicates", ())),
        email_bounce=None if bounce is None else EmailBounce(**bounce),
        counted=tuple((k, int(v)) for k, v in doc.get("counted", {}).items()),
        counted_since=doc.get("counted_since"),
    )


def note_from(item: dict[str, Any]) -> Note:
    return Note(
        id=item["id"]["S"],
        customer_id=item["customer_id"]["S"],
        text=item["text"]["S"],
        at=item["at"]["S"],
        by=item["by"]["S"],
        by_name=item.get("by_name", {}).get("S", ""),
    )


def merge_json(m: Merge) -> str:
    doc = {**vars(m), "status": m.status.value, "mergers_done": list(m.mergers_done)}
    doc.pop("version")
    return json.dumps(doc, separators=(",", ":"))


def merge_from(text: str, version: int) -> Merge:
    doc = json.loads(text)
    return Merge(
        **{
            **doc,
            "status": MergeStatus(doc["status"]),
            "mergers_done": tuple(doc.get("mergers_done", ())),
        },
        version=version,
    )
