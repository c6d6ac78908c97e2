"""Request and response models of coupons and the public code check."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from chalicelib.customers.domain.coupons import Coupon
from chalicelib.customers.services.coupons import CodeCheck
from chalicelib.web.cursors import CursorShape
from chalicelib.web.models import Body, Day, EmailLookup, OneLine, Out, Query, not_blank

Code = Annotated[str, Field(min_length=3, max_length=32, pattern=r"^[A-Za-z0-9-]+$")]
OfferingId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Limit = Annotated[int, Field(ge=0, le=1_000_000)]
Amount = Annotated[int, Field(ge=0, le=99_999_999)]


class CouponTermsIn(Body):
    name: Annotated[
        str, Field(max_length=120), OneLine, AfterValidator(lambda v: v and not_blank(v))
    ] = Field(default="", description="Optional; when given, not only spaces (422).")
    kind: Literal["percent", "amount"] = Field(
        description="`percent`: `value` in basis points (1000 = 10 %) off each line it "
        "applies to; `amount`: `value` minor units off, spread over them."
    )
    value: Annotated[int, Field(ge=1, le=99_999_999)] = Field(
        description="`percent`: basis points, 1 to 10000 (1000 = 10 %; 10 would be 0.1 %);"
        " `amount`: minor units of the business's currency (1000 = 10.00)."
    )
    valid_from: Day | None = Field(default=None, description="Local date, inclusive.")
    valid_until: Day | None = Field(default=None, description="Local date, inclusive.")
    offering_ids: Annotated[list[OfferingId], Field(max_length=100)] = Field(
        default_factory=list, description="The offerings it applies to; none: all."
    )
    min_spend: Amount = Field(default=0, description="On what it applies to, minor units.")
    max_uses: Limit = Field(default=0, description="Uses in all; 0: no limit.")
    per_customer: Limit = Field(default=0, description="Uses per customer; 0: no limit.")

    def terms(self) -> dict[str, Any]:
        from chalicelib.customers.domain.coupons import CouponKind

        return {
            "name": self.name,
            "kind": CouponKind(self.kind),
            "value": self.value,
            "valid_from": self.valid_from.isoformat() if self.valid_from else "",
            "valid_until": self.valid_until.isoformat() if self.valid_until else "",
            "offering_ids": tuple(dict.fromkeys(self.offering_ids)),
            "min_spend": self.min_spend,
            "max_uses": self.max_uses,
            "per_customer": self.per_customer,
        }


class CouponIn(CouponTermsIn):
    code: Code = Field(description="Letters, digits and dashes; stored in upper case.")


class DisableIn(Body):
    """Nothing is required (send `{}` or nothing)."""


class CouponOut(Out):
    code: str
    name: str
    kind: str
    value: int
    valid_from: str | None
    valid_until: str | None
    offering_ids: list[str]
    min_spend: int
    max_uses: int
    per_customer: int
    used: int = Field(description="Uses held by bookings (a cancelled one gives its use back).")
    active: bool
    disabled_at: str | None
    created_at: str
    created_by: str
    version: int

    @classmethod
    def of(cls, c: Coupon) -> CouponOut:
        # The coupon's `code` is no error code: given by name, not as a `code=` keyword.
        return cls(
            **{"code": c.code},
            name=c.name,
            kind=c.kind.value,
            value=c.value,
            valid_from=c.valid_from or None,
            valid_until=c.valid_until or None,
            offering_ids=list(c.offering_ids),
            min_spend=c.min_spend,
            max_uses=c.max_uses,
            per_customer=c.per_customer,
            used=c.used,
            active=not c.disabled_at,
            disabled_at=c.disabled_at or None,
            created_at=c.created_at,
            created_by=c.created_by,
            version=c.version,
        )


class CouponListQueryIn(Query):
    limit: Annotated[int, Field(ge=1, le=200)] = 50
    after: Annotated[str, CursorShape(r"^[A-Za-z0-9-]{3,32}$", 32)] | None = Field(
        default=None, description="`next_after` of the previous page."
    )


class CouponListOut(Out):
    data: list[CouponOut]
    next_after: str | None = None


class CouponUseOut(Out):
    order_id: str
    amount: int
    at: str


class CouponUsesOut(Out):
    code: str
    data: list[CouponUseOut]


class CheckLineIn(Body):
    offering_id: OfferingId
    amount: Amount = Field(
        description="The line's price before tax, as the availability answer gave it "
        "(`price.subtotal`): what a code is reckoned on."
    )


class CodeCheckIn(Body):
    code: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9 -]+$")]
    email: EmailLookup | None = Field(
        default=None,
        description="Accepted and ignored: the check does not say whether an address used a "
        "code (a per-customer limit is answered by the booking, 409 coupon_customer_limit).",
    )
    lines: Annotated[list[CheckLineIn], Field(max_length=20)] = Field(default_factory=list)


class CodeCheckOut(Out):
    code: str
    kind: str
    value: int
    currency: str
    offering_ids: list[str]
    min_spend: int
    valid_until: str | None
    discount: int = Field(
        description="Minor units it would take off the total of the lines sent, tax included: "
        "the figure of the booking's discount line."
    )

    @classmethod
    def of(cls, check: CodeCheck, currency: str) -> CodeCheckOut:
        c = check.coupon
        return cls(
            **{"code": c.code},
            kind=c.kind.value,
            value=c.value,
            currency=currency,
            offering_ids=list(c.offering_ids),
            min_spend=c.min_spend,
            valid_until=c.valid_until or None,
            discount=check.discount,
        )
