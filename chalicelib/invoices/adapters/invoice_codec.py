"""An issued document as stored: its whole snapshot as one JSON attribute (it never changes,
and it is read whole), and an order's invoicing's list of documents and what was credited per
tax rate likewise."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from chalicelib.booking.domain.bill import BillKind, BillLine, TaxBand
from chalicelib.invoices.domain.invoices import (
    DocKind,
    DocSummary,
    Invoice,
    Party,
)


def doc_json(doc: Invoice) -> str:
    return json.dumps(asdict(doc), ensure_ascii=False, separators=(",", ":"))


def _party(raw: dict[str, Any]) -> Party:
    return Party(**{**raw, "address": tuple(raw.get("address", ()))})


def doc_of(text: str) -> Invoice:
    raw = json.loads(text)
    kind = DocKind(raw["kind"])
    return Invoice(
        **{
            **raw,
            "kind": kind,
            # A credit note acknowledges no payment; one stored before that was said kept a
            # copy of its invoice's `paid`, which a client summing documents counted twice.
            **({"paid": 0} if kind is DocKind.CREDIT_NOTE else {}),
            "seller": _party(raw["seller"]),
            "buyer": _party(raw["buyer"]),
            "lines": tuple(
                BillLine(**{**line, "kind": BillKind(line["kind"])}) for line in raw["lines"]
            ),
            "bands": tuple(TaxBand(**band) for band in raw["bands"]),
        }
    )


def summaries_json(docs: tuple[DocSummary, ...]) -> str:
    return json.dumps([asdict(d) for d in docs], separators=(",", ":"))


def summaries_of(text: str) -> tuple[DocSummary, ...]:
    return tuple(DocSummary(**{**d, "kind": DocKind(d["kind"])}) for d in json.loads(text or "[]"))


def bands_json(bands: tuple[TaxBand, ...]) -> str:
    return json.dumps([asdict(b) for b in bands], separators=(",", ":"))


def bands_of(text: str) -> tuple[TaxBand, ...]:
    return tuple(TaxBand(**b) for b in json.loads(text or "[]"))
