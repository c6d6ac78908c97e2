"""The folio in answers: the staff's view of a charge (who made and voided it), the
customer's (what it is and costs), and tax per rate."""

from __future__ import annotations

from pydantic import Field

from chalicelib.booking.domain.bill import TaxBand
from chalicelib.booking.domain.folio import Charge
from chalicelib.web.models import Out


class FolioLineOut(Out):
    """A live charge or discount as the order's customer may see it."""

    id: str
    kind: str = Field(description="charge or discount")
    label: str
    quantity: int
    tax_rate_bp: int
    total: int = Field(description="Signed: what it adds to the order's total.")

    @classmethod
    def of(cls, c: Charge) -> FolioLineOut:
        return cls(
            id=c.id,
            kind=c.kind.value,
            label=c.label,
            quantity=c.quantity,
            tax_rate_bp=c.tax_bp,
            total=c.signed_total,
        )


class ChargeOut(Out):
    id: str
    kind: str = Field(description="charge or discount")
    label: str
    quantity: int
    unit_amount: int
    tax_rate_bp: int
    tax_inclusive: bool
    tax: int = Field(description="Signed: a discount's is negative.")
    total: int = Field(description="Signed: what it adds to the order's total.")
    item_id: str
    reason: str
    at: str
    by: str
    voided: bool
    voided_at: str
    voided_by: str
    void_reason: str

    @classmethod
    def of(cls, c: Charge) -> ChargeOut:
        return cls(
            id=c.id,
            kind=c.kind.value,
            label=c.label,
            quantity=c.quantity,
            unit_amount=c.unit_amount,
            tax_rate_bp=c.tax_bp,
            tax_inclusive=c.tax_inclusive,
            tax=c.signed_tax,
            total=c.signed_total,
            item_id=c.item_id,
            reason=c.reason,
            at=c.at,
            by=c.by,
            voided=not c.live,
            voided_at=c.voided_at,
            voided_by=c.voided_by,
            void_reason=c.void_reason,
        )


class TaxBandOut(Out):
    tax_rate_bp: int
    net: int
    tax: int
    total: int

    @classmethod
    def of(cls, band: TaxBand) -> TaxBandOut:
        return cls(tax_rate_bp=band.tax_bp, net=band.net, tax=band.tax, total=band.total)
