"""Request and response models of channel connections, their credentials, partners' orders
and statements (the JSON the console and the other channel slices build against)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from chalicelib.channels.domain.connections import (
    ChannelMapping,
    Connection,
    ConnectionKind,
    ConnectionStatus,
    Settlement,
)
from chalicelib.channels.domain.statements import Statement
from chalicelib.web.models import Body, Name, OneLine, Out

Url = Annotated[str, Field(min_length=8, max_length=2048, examples=["https://partner.example/ari"])]
EventKind = Annotated[str, Field(min_length=1, max_length=32, examples=["availability", "rates"])]
Bp = Annotated[int, Field(ge=0, le=10_000, description="Basis points: 1500 is 15 %.")]
PartnerId = Annotated[str, Field(min_length=1, max_length=100), OneLine]
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class ConnectionIn(Body):
    name: Name
    kind: ConnectionKind
    settlement: Settlement = Field(
        default=Settlement.PARTNER,
        description="`partner`: the partner pays the business (confirming needs no card); "
        "`customer`: the business's own payment rules apply.",
    )
    outbound_url: Url | None = Field(
        default=None, description="Where availability and rate updates go (https)."
    )
    events: Annotated[list[EventKind], Field(max_length=2)] = Field(
        default_factory=list, description="The updates the partner wants: availability, rates."
    )
    commission_bp: Bp = 0


class ConnectionPatchIn(Body):
    name: Name | None = None
    kind: ConnectionKind | None = None
    settlement: Settlement | None = None
    status: ConnectionStatus | None = Field(
        default=None, description="`disabled`: its key and webhooks are refused."
    )
    outbound_url: Url | None = Field(default=None, description="null removes it.")
    events: Annotated[list[EventKind], Field(max_length=2)] | None = None
    commission_bp: Bp | None = None
    offering_commissions: Annotated[dict[Id, Bp], Field(max_length=500)] | None = Field(
        default=None,
        description="Per offering id, the commission that replaces the connection's "
        "(the whole set: an offering left out takes the connection's rate).",
    )


class MappingIn(Body):
    partner_id: PartnerId = Field(description="The partner's product or room-type id.")
    offering_id: Id
    resource_id: Id | None = None
    rate_id: Annotated[str, Field(max_length=100), OneLine] = Field(
        default="", description="The partner's rate plan id; empty: any."
    )

    def to_domain(self) -> ChannelMapping:
        return ChannelMapping(self.partner_id, self.offering_id, self.resource_id, self.rate_id)


class MappingsIn(Body):
    mappings: Annotated[list[MappingIn], Field(max_length=500)]


class MappingOut(Out):
    partner_id: str
    offering_id: str
    resource_id: str | None
    rate_id: str


class ConnectionOut(Out):
    id: str
    name: str
    kind: ConnectionKind
    status: ConnectionStatus
    settlement: Settlement
    outbound_url: str | None
    events: list[str]
    commission_bp: int
    offering_commissions: dict[str, int]
    mappings: list[MappingOut]
    key_prefix: str | None = Field(description="The partner key's first characters; null: none.")
    secret_set: bool = Field(description="An HMAC secret exists (never shown again).")
    inbound_url: str = Field(description="Where the partner sends its webhooks (HMAC-signed).")
    created_at: str
    updated_at: str
    version: int

    @classmethod
    def of(cls, c: Connection, tenant_id: str) -> ConnectionOut:
        return cls(
            id=c.id,
            name=c.name,
            kind=c.kind,
            status=c.status,
            settlement=c.settlement,
            outbound_url=c.outbound_url,
            events=sorted(c.events),
            commission_bp=c.commission_bp,
            offering_commissions=dict(c.offering_commissions),
            mappings=[
                MappingOut(
                    partner_id=m.partner_id,
                    offering_id=m.offering_id,
                    resource_id=m.resource_id,
                    rate_id=m.rate_id,
                )
                for m in c.mappings
            ],
            key_prefix=c.key_prefix,
            secret_set=c.secret_set,
            inbound_url=f"/v1/channel-events/{tenant_id}/{c.id}",
            created_at=c.created_at,
            updated_at=c.updated_at,
            version=c.version,
        )


class ConnectionListOut(Out):
    data: list[ConnectionOut]


class PartnerKeyOut(Out):
    key: str = Field(description="The partner's key (sk_...). Shown once; store it now.")
    prefix: str


class ConnectionSecretOut(Out):
    secret: str = Field(description="The HMAC secret (whsec_...). Shown once; store it now.")


class StatementLineOut(Out):
    order_id: str
    reference: str
    booked_at: str
    status: str
    currency: str
    total: int
    commission_bp: int
    commission: int
    price: int | None = Field(
        default=None,
        description="What the partner sold the booking for, in minor units of "
        "`price_currency`, as its latest message said (a channel manager's reservation); null "
        "when the partner said no price. `total` is the order's, which bills the partner's "
        "price when the currencies are the same.",
    )
    price_currency: str | None = Field(
        default=None, description="The currency of `price` (ISO 4217); null without a price."
    )


class CurrencyTotalsOut(Out):
    orders: int = Field(description="Orders that count: confirmed, checked in, completed, no-show.")
    total: int
    commission: int
    net: int = Field(description="What remains to the business: total less commission.")


class StatementOut(Out):
    connection_id: str
    name: str
    month: str
    zone: str
    lines: list[StatementLineOut]
    totals: dict[str, CurrencyTotalsOut]

    @classmethod
    def of(cls, s: Statement) -> StatementOut:
        return cls(
            connection_id=s.connection_id,
            name=s.name,
            month=s.month,
            zone=s.zone,
            lines=[
                StatementLineOut(
                    order_id=e.order_id,
                    reference=e.reference,
                    booked_at=e.booked_at,
                    status=e.status,
                    currency=e.currency,
                    total=e.total,
                    commission_bp=e.commission_bp,
                    commission=e.commission,
                    price=e.price,
                    price_currency=e.price_currency or None,
                )
                for e in s.lines
            ],
            totals={
                currency: CurrencyTotalsOut(
                    orders=t.orders, total=t.total, commission=t.commission, net=t.net
                )
                for currency, t in s.totals
            },
        )
