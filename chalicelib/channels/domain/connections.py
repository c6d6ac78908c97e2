"""A channel connection: one partner of one tenant (an OCTO reseller, a hotel's channel
manager, an agent selling on commission) and everything the engine needs to deal with it.

- Credentials: a partner key (`key_id`, `key_prefix`: a secret key of scope `partner` naming
  this connection, made and replaced through the connection only) for a partner that calls
  us, and an HMAC secret (`secret_set`; the secret itself is kept apart and never in this
  value) for the webhooks it sends us and the updates we send it.
- Mappings: the partner's product or room-type id (and rate plan: "" matches any) to the
  tenant's offering and, for a room type, its resource.
- Commission: the connection's rate in basis points, and per offering overrides; an order
  copies the rate that applies when it is made (booking/domain/partner_refs.py).
- Status: a disabled connection's key and webhooks are refused (`connection_disabled`) but
  its orders and statements stay.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from typing import Any

from chalicelib.booking.domain.partner_refs import check_commission
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.values import value

ID_PREFIX = "chn_"
EVENT_KINDS = frozenset({"availability", "rates"})  # the outbound updates a partner may want
MAX_MAPPINGS = 500
MAX_PARTNER_ID = 100
MAX_NAME = 100


class ConnectionKind(StrEnum):
    OCTO = "octo"  # a reseller speaking OCTO (tours, activities, events)
    CHANNEL_MANAGER = "channel_manager"  # a hotel's channel manager (webhooks in, updates out)
    AGENT = "agent"  # an agent selling on commission through the API


class ConnectionStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


class Settlement(StrEnum):
    PARTNER = "partner"  # the partner pays us (on account): confirming needs no card
    CUSTOMER = "customer"  # the tenant's own payment rules apply (a deposit by card...)


@value
class ChannelMapping:
    partner_id: str  # the partner's product or room-type id
    offering_id: str
    resource_id: str | None = None  # a room type, or the resource the product books
    rate_id: str = ""  # the partner's rate plan id ("": any)


@value
class Connection:
    id: str
    name: str
    kind: ConnectionKind
    status: ConnectionStatus
    settlement: Settlement
    outbound_url: str | None
    events: frozenset[str]
    created_at: str
    updated_at: str
    commission_bp: int = 0
    offering_commissions: tuple[tuple[str, int], ...] = ()  # (offering id, bp), by id
    mappings: tuple[ChannelMapping, ...] = ()
    key_id: str | None = None
    key_prefix: str | None = None
    secret_set: bool = False
    version: int = 1

    @property
    def active(self) -> bool:
        return self.status is ConnectionStatus.ACTIVE

    def mapping_for(self, partner_id: str, rate_id: str = "") -> ChannelMapping | None:
        """The mapping of the partner's product and rate plan: the rate's own first, else the
        product's mapping for any rate ("")."""
        exact = [m for m in self.mappings if m.partner_id == partner_id and m.rate_id == rate_id]
        if exact:
            return exact[0]
        return next(
            (m for m in self.mappings if m.partner_id == partner_id and not m.rate_id), None
        )

    def commission_for(self, offering_id: str) -> int:
        """The commission (basis points) on a booking of `offering_id`: the offering's
        override, else the connection's rate."""
        return dict(self.offering_commissions).get(offering_id, self.commission_bp)

    def edited(self, at: str, **changes: Any) -> Connection:
        return replace(self, updated_at=at, version=self.version + 1, **changes)


def check_name(name: str) -> str:
    name = name.strip()
    if not 0 < len(name) <= MAX_NAME:
        raise InvalidInput(f"A name is 1 to {MAX_NAME} characters.", field="name")
    return name


def check_events(events: list[str] | tuple[str, ...] | frozenset[str]) -> frozenset[str]:
    unknown = sorted(set(events) - EVENT_KINDS)
    if unknown:
        raise InvalidInput(
            "Unknown update kinds.",
            code="unknown_channel_events",
            unknown=unknown,
            known=sorted(EVENT_KINDS),
        )
    return frozenset(events)


def check_offering_commissions(rates: dict[str, int]) -> tuple[tuple[str, int], ...]:
    for offering_id, bp in rates.items():
        check_commission(bp, field=f"offering_commissions.{offering_id}")
    return tuple(sorted(rates.items()))


def check_mappings(mappings: list[ChannelMapping]) -> tuple[ChannelMapping, ...]:
    """The mappings as kept: at most `MAX_MAPPINGS`, each (partner id, rate id) once. That
    the offerings and resources exist is checked against the catalog by the use case."""
    if len(mappings) > MAX_MAPPINGS:
        raise InvalidInput(f"At most {MAX_MAPPINGS} mappings.", field="mappings")
    seen: set[tuple[str, str]] = set()
    for m in mappings:
        if not 0 < len(m.partner_id) <= MAX_PARTNER_ID or len(m.rate_id) > MAX_PARTNER_ID:
            raise InvalidInput(
                f"A partner's id is 1 to {MAX_PARTNER_ID} characters.", field="partner_id"
            )
        if (m.partner_id, m.rate_id) in seen:
            raise InvalidInput(
                "Each partner id and rate id is mapped once.",
                code="duplicate_mapping",
                partner_id=m.partner_id,
                rate_id=m.rate_id,
            )
        seen.add((m.partner_id, m.rate_id))
    return tuple(mappings)
