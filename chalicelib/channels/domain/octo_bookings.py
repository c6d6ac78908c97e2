"""An order as OCTO's Booking: the status it maps to, and the JSON-ready Booking.

Statuses (our order -> OCTO): held -> ON_HOLD; confirmed -> CONFIRMED; checked in and
completed -> REDEEMED (redeemed at the check-in); a no-show -> CONFIRMED (OCTO has no
no-show: the booking stood and was never redeemed); cancelled -> CANCELLED; expired ->
EXPIRED. A hold past its expiry that the engine has not expired yet is expired by the engine
before it is shown (channels/services/octo_bookings.py), never merely labelled so here.

A booking's `uuid` is the partner's reference of the order (`Order.partner.reference`); its
`id` and `supplierReference` are our order id; each unit item is one person of the party,
with the uuid the reseller gave it or one derived from the booking's.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid as uuids
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.channels.domain.octo_availability import availability_id, utc_text
from chalicelib.channels.domain.octo_products import OPTION_ID, UNIT_ID
from chalicelib.kernel.domain.calendar import parse_iso_utc
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.domain.values import value

S = BookingStatus
STATUS = {
    S.HELD: "ON_HOLD",
    S.CONFIRMED: "CONFIRMED",
    S.CHECKED_IN: "REDEEMED",
    S.COMPLETED: "REDEEMED",
    S.NO_SHOW: "CONFIRMED",
    S.CANCELLED: "CANCELLED",
    S.EXPIRED: "EXPIRED",
}
# The domain of the e-mail address of a reservation made without a contact: `.invalid` is
# never delivered (RFC 2606), so nobody is written to until the partner names the traveller.
NO_CONTACT_DOMAIN = "octo.invalid"


def octo_status(status: BookingStatus) -> str:
    return STATUS[status]


@value
class OctoExtras:
    """What OCTO says of a booking that our order does not hold (kept by the OCTO store)."""

    uuid: str
    reseller_reference: str | None = None
    unit_uuids: tuple[str, ...] = ()
    order_id: str = ""
    # The product id the booking was made (or last moved) under: shown while it still names
    # the booking's offering, though the connection's mappings change (octo_products.py).
    product_id: str = ""
    # The reservation that made it (request_print): the same uuid again with another body is
    # refused, not answered with this booking ("" for one kept before it was stored).
    request: str = ""


def request_print(fields: dict[str, Any]) -> str:
    """A reservation's body (its fields but its uuid, those it did not send left out) as one
    short text: equal for the same request however its JSON was written."""
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def unit_uuid(booking_uuid: str, index: int) -> str:
    return str(uuids.uuid5(uuids.UUID(booking_uuid), f"unit-{index}"))


def new_uuid(seed: str) -> str:
    """A booking uuid for a reservation that sent none, derived from a fresh id."""
    return str(uuids.uuid5(uuids.NAMESPACE_URL, f"reservoir:octo:{seed}"))


UUID_FORM = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)


def is_uuid(text: str) -> bool:
    """A UUID as OCTO writes one: 8-4-4-4-12 hex digits (no braces, no URN, no bare hex)."""
    return UUID_FORM.fullmatch(text) is not None


def stamp(text: str | None) -> str | None:
    """A stored timestamp as OCTO writes one (`2026-12-01T04:00:00Z`)."""
    return utc_text(parse(text)) if text else None


def _when(order: Order, status: str) -> str | None:
    return next((stamp(at) for at, s, _ in order.history if s == status), None)


def _name_parts(name: str) -> tuple[str | None, str | None]:
    first, _, last = name.strip().partition(" ")
    return (first or None, last.strip() or None)


def contact(order: Order) -> dict[str, Any]:
    c = order.customer
    email = None if c.email.endswith("@" + NO_CONTACT_DOMAIN) else c.email
    first, last = _name_parts(c.name)
    return {
        "fullName": c.name or None,
        "firstName": first,
        "lastName": last,
        "emailAddress": email,
        "phoneNumber": c.phone,
        "locales": [c.locale] if c.locale else [],
        "postalCode": None,
        "country": None,
        "notes": order.note or None,
    }


EMPTY_CONTACT: dict[str, Any] = {
    "fullName": None,
    "firstName": None,
    "lastName": None,
    "emailAddress": None,
    "phoneNumber": None,
    "locales": [],
    "postalCode": None,
    "country": None,
    "notes": None,
}


def _cancellation(order: Order) -> dict[str, Any] | None:
    record = order.cancellation
    if order.status is not S.CANCELLED or not record:
        return None
    fee = int(record.get("fee", 0))
    refund = "FULL" if fee == 0 else ("NONE" if fee >= order.total else "PARTIAL")
    return {
        "refund": refund,
        "reason": record.get("reason") or None,
        "utcCancelledAt": stamp(str(record.get("at"))) or stamp(order.updated_at),
    }


def _slot(order: Order, tz: str) -> dict[str, Any]:
    line = order.lines[0]
    start, end = parse_iso_utc(line.start), parse_iso_utc(line.end)
    return {
        "id": availability_id(start, tz),
        "localDateTimeStart": availability_id(start, tz),
        "localDateTimeEnd": availability_id(end, tz),
        "utcCutoffAt": utc_text(start),
        "allDay": False,
        "available": True,
        "status": "AVAILABLE",
        "vacancies": None,
        "capacity": None,
        "maxUnits": None,
        "openingHours": [],
    }


def cancellable(order: Order, now: datetime, *, free: bool = True) -> bool:
    """Whether the reseller may still cancel: a reservation until it runs out; a confirmed
    booking before it starts while cancelling it is free (`free`: the offering's terms keep
    no fee now). Past that, the fee would be lost: a reseller's booking pays nothing here
    (it settles with the business), so a fee cannot be kept from its money."""
    started = parse_iso_utc(order.start) <= now
    if order.status is S.HELD:
        return not started
    return order.status is S.CONFIRMED and not started and free


def booking(
    order: Order,
    extras: OctoExtras,
    *,
    product_id: str,
    tz: str,
    now: datetime,
    pricing: dict[str, Any] | None,
    unit_pricing: dict[str, Any] | None,
    free_to_cancel: bool = True,
) -> dict[str, Any]:
    """OCTO's Booking of `order` (`pricing`, `unit_pricing`: with octo/pricing;
    `free_to_cancel`: its cancellation would keep no fee now)."""
    status = octo_status(order.status)
    line = order.lines[0]
    redeemed = _when(order, S.CHECKED_IN.value) if status == "REDEEMED" else None
    items = [
        _unit_item(order, extras, i, status, redeemed, unit_pricing) for i in range(line.party)
    ]
    out: dict[str, Any] = {
        "id": order.id,
        "uuid": extras.uuid,
        "testMode": False,
        "resellerReference": extras.reseller_reference,
        "supplierReference": order.id,
        "status": status,
        "utcCreatedAt": stamp(order.created_at),
        "utcUpdatedAt": stamp(order.updated_at),
        "utcExpiresAt": stamp(order.hold_expires_at) if order.status is S.HELD else None,
        "utcRedeemedAt": redeemed,
        "utcConfirmedAt": _when(order, S.CONFIRMED.value),
        "productId": product_id,
        "optionId": OPTION_ID,
        "cancellable": cancellable(order, now, free=free_to_cancel),
        "cancellation": _cancellation(order),
        "freesale": False,
        "availabilityId": availability_id(parse_iso_utc(line.start), tz),
        "availability": _slot(order, tz),
        "contact": contact(order),
        "notes": order.note or None,
        "deliveryMethods": [],
        "voucher": None,
        "unitItems": items,
    }
    if pricing is not None:
        out["pricing"] = pricing
    return out


def _unit_item(
    order: Order,
    extras: OctoExtras,
    index: int,
    status: str,
    redeemed: str | None,
    unit_pricing: dict[str, Any] | None,
) -> dict[str, Any]:
    given = extras.unit_uuids[index] if index < len(extras.unit_uuids) else None
    item: dict[str, Any] = {
        "uuid": given or unit_uuid(extras.uuid, index),
        "resellerReference": None,
        "supplierReference": f"{order.id}-{index + 1}",
        "unitId": UNIT_ID,
        "status": status,
        "utcRedeemedAt": redeemed,
        "contact": dict(EMPTY_CONTACT),
        "ticket": None,
    }
    if unit_pricing is not None:
        item["pricing"] = unit_pricing
    return item


def hold_minutes(expiration_minutes: int | None, default: int) -> int:
    """How long a reservation holds: OCTO's `expirationMinutes`, else the tenant's hold."""
    return expiration_minutes if expiration_minutes is not None else default


def expires_after(now: datetime, minutes: int) -> datetime:
    return now + timedelta(minutes=minutes)


def unit_uuids_of(items: Sequence[Any]) -> tuple[str, ...]:
    """The uuids the reseller gave its unit items ("" where it gave none)."""
    return tuple(getattr(item, "uuid", None) or "" for item in items)
