"""Request and response models of the privacy routes (customers/api/privacy.py)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from pydantic import Field

from chalicelib.customers.services.privacy import Export
from chalicelib.customers.services.privacy_erase import Erasure
from chalicelib.web.models import Body, OneLine, Out


class ExportIn(Body):
    """Nothing to choose: the export holds everything."""


class EraseIn(Body):
    confirm: Annotated[str, Field(min_length=1, max_length=254), OneLine] = Field(
        description="The customer's e-mail, phone or id, typed by the person erasing them."
    )


class ExportOut(Out):
    customer_id: str
    export_id: str
    url: str = Field(description="A GET of the JSON file; it stops working at `expires_at`.")
    expires_at: str
    orders: int
    events: int
    invoices: int
    records: int = Field(description="Items of the customer's own record, notes, points...")
    gift_cards: int = Field(description="Gift cards they bought or received.")
    size: int = Field(description="Bytes of the file.")

    @classmethod
    def of(cls, e: Export) -> ExportOut:
        return cls(**asdict(e))


class ErasureOut(Out):
    customer_id: str
    done: bool = Field(description="False: more orders are left; send the request again.")
    orders: int = Field(description="Orders anonymised by this request.")
    remaining: int
    events: int
    records: int
    files: int
    invoices_kept: int = Field(description="Issued invoices and credit notes kept by law.")
    reports: int = Field(
        description="Report exports made before (orders, payments, customers) withdrawn by "
        "this request: their files deleted, each listed as withdrawn."
    )

    @classmethod
    def of(cls, e: Erasure) -> ErasureOut:
        return cls(**asdict(e))
