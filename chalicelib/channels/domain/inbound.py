"""A channel manager's reservation messages (hotels): their JSON, their signature, and what a
message asks for.

Channel managers (SiteMinder, Cloudbeds, Channex...) tell a hotel's system of each booking an
online travel agency took: created, modified, cancelled. Every message carries the whole
reservation as it now is (not a difference), with the partner's own ids: its reservation id,
its room type and rate plan ids, which the connection's mappings translate to an offering and
a resource. The format (README "### Channel managers' webhooks"):

    {"event_id": "evt_1", "type": "reservation.created", "sent_at": "2026-12-01T10:00:00Z",
     "reservation": {"id": "BDC-4711", "room_type": "DBL", "rate_plan": "BAR",
       "arrival": "2026-12-24", "departure": "2026-12-27", "rooms": 1,
       "guests": {"adults": 2, "children": 0},
       "guest": {"name": "Ana Lima", "email": "ana@example.com", "phone": "+351912345678"},
       "price": {"amount": 54000, "currency": "EUR"}}}

A cancellation needs only `reservation.id`. Signed as our own webhooks are
(chalicelib/webhooks/domain/webhooks.py): `Reservoir-Signature: t=<unix seconds>,v1=<hex
HMAC-SHA256(secret, "<t>.<raw body>")>`, within 300 s of our clock either way. The signature
is checked before the body is read as JSON, so a forged message costs no parsing and no read
of the tenant's data beyond the connection.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from chalicelib.kernel.domain.errors import InvalidInput, Unauthenticated
from chalicelib.kernel.domain.money import MAX_AMOUNT, is_currency
from chalicelib.kernel.domain.text import control_characters
from chalicelib.kernel.domain.timefmt import format_utc, parse
from chalicelib.kernel.domain.untrusted import (
    EMAIL_ADDRESS,
    loads_json,
    read_signature_header,
    same_secret,
)
from chalicelib.kernel.domain.values import value
from chalicelib.webhooks.domain.webhooks import signature

TOLERANCE_SECONDS = 300
MAX_BODY_BYTES = 64 * 1024
MAX_NIGHTS = 60
MAX_ROOMS = 9
# The partner's ids become parts of DynamoDB keys: printable ASCII without `#`, bounded.
PARTNER_ID = re.compile(r"[A-Za-z0-9_.:@/+=-]{1,100}")


class InboundType(StrEnum):
    CREATED = "reservation.created"
    MODIFIED = "reservation.modified"
    CANCELLED = "reservation.cancelled"


class InboundOutcome(StrEnum):
    """What a message did (the answer's `status`, and the received log's)."""

    APPLIED = "applied"  # booked, changed or cancelled as asked
    DUPLICATE = "duplicate"  # this event id, or this reservation's creation, came before
    PARKED = "parked"  # kept until the reservation's creation arrives
    CONFLICT = "conflict"  # booked without rooms: an overbooking for staff to resolve
    REJECTED = "rejected"  # not done, and `reason` says why


class BadChannelSignature(Unauthenticated):
    code = "invalid_channel_signature"


class InvalidChannelEvent(InvalidInput):
    code = "invalid_channel_event"


@value
class Guest:
    name: str
    email: str
    phone: str | None = None


@value
class Reservation:
    """The reservation as the partner has it now. `room_type`..`price`: absent (empty) in a
    cancellation."""

    id: str
    room_type: str = ""
    rate_plan: str = ""
    arrival: date | None = None
    departure: date | None = None
    rooms: int = 1
    adults: int = 1
    children: int = 0
    guest: Guest | None = None
    amount: int = 0  # the partner's price, minor units
    currency: str = ""

    @property
    def nights(self) -> int:
        if self.arrival is None or self.departure is None:
            return 0
        return (self.departure - self.arrival).days

    @property
    def party(self) -> int:
        return self.adults + self.children


@value
class InboundEvent:
    event_id: str
    type: InboundType
    sent_at: str  # the partner's clock, UTC (the stored format)
    reservation: Reservation

    @property
    def books(self) -> bool:
        """The message says what the reservation is (created or modified), not that it ended."""
        return self.type is not InboundType.CANCELLED


# -- the signature -------------------------------------------------------------------------


def verify(secret: str, header: str, body: bytes, *, now: int) -> None:
    """The header signs `body` with `secret` within the tolerance; BadChannelSignature (401,
    nothing read or written) otherwise."""
    parts = read_signature_header(header)
    if parts is None:
        raise BadChannelSignature("Reservoir-Signature needs t=<unix seconds> and v1=<hex>.")
    stamp, signatures = parts
    if abs(now - stamp) > TOLERANCE_SECONDS:
        raise BadChannelSignature(
            "The signature's timestamp is more than 5 minutes from our clock.",
            code="stale_channel_signature",
        )
    expected = signature(secret, stamp, body)
    if not secret or not any(same_secret(s, expected) for s in signatures):
        raise BadChannelSignature("The signature does not match the body.")


# -- the message ---------------------------------------------------------------------------


def parse_event(body: bytes) -> InboundEvent:
    """The message, or InvalidChannelEvent (422) naming the first field that is wrong."""
    if len(body) > MAX_BODY_BYTES:
        raise InvalidChannelEvent("The message is larger than 64 KB.", field="body")
    try:
        doc = loads_json(body)
    except ValueError as exc:
        raise InvalidChannelEvent("The body is not JSON.", field="body") from exc
    if not isinstance(doc, dict):
        raise InvalidChannelEvent("The body is a JSON object.", field="body")
    kind = _text(doc, "type", "type", 40)
    if kind not in {t.value for t in InboundType}:
        raise InvalidChannelEvent(
            "type is reservation.created, reservation.modified or reservation.cancelled.",
            field="type",
        )
    event_type = InboundType(kind)
    res = doc.get("reservation")
    if not isinstance(res, dict):
        raise InvalidChannelEvent("reservation is an object.", field="reservation")
    return InboundEvent(
        event_id=_partner_id(doc, "event_id", "event_id"),
        type=event_type,
        sent_at=_instant(doc.get("sent_at")),
        reservation=_reservation(res, full=event_type is not InboundType.CANCELLED),
    )


def _reservation(doc: dict[str, Any], *, full: bool) -> Reservation:
    ext = _partner_id(doc, "id", "reservation.id")
    if not full:
        return Reservation(id=ext)
    arrival = _date(doc.get("arrival"), "reservation.arrival")
    departure = _date(doc.get("departure"), "reservation.departure")
    if not 1 <= (departure - arrival).days <= MAX_NIGHTS:
        raise InvalidChannelEvent(
            f"departure is 1 to {MAX_NIGHTS} nights after arrival.", field="reservation.departure"
        )
    guests = doc.get("guests")
    if not isinstance(guests, dict):
        raise InvalidChannelEvent("guests is an object.", field="reservation.guests")
    price = doc.get("price")
    if not isinstance(price, dict):
        raise InvalidChannelEvent("price is an object.", field="reservation.price")
    currency = _text(price, "currency", "reservation.price.currency", 3)
    if not is_currency(currency):
        raise InvalidChannelEvent(
            "currency is an ISO 4217 code.", field="reservation.price.currency"
        )
    rate = doc.get("rate_plan", "")
    return Reservation(
        id=ext,
        room_type=_partner_id(doc, "room_type", "reservation.room_type"),
        rate_plan=_partner_id(doc, "rate_plan", "reservation.rate_plan") if rate else "",
        arrival=arrival,
        departure=departure,
        rooms=_int(doc.get("rooms", 1), "reservation.rooms", 1, MAX_ROOMS),
        adults=_int(guests.get("adults"), "reservation.guests.adults", 1, 50),
        children=_int(guests.get("children", 0), "reservation.guests.children", 0, 50),
        guest=_guest(doc.get("guest")),
        amount=_int(price.get("amount"), "reservation.price.amount", 0, MAX_AMOUNT),
        currency=currency,
    )


def _guest(doc: Any) -> Guest:
    if not isinstance(doc, dict):
        raise InvalidChannelEvent("guest is an object.", field="reservation.guest")
    name = _text(doc, "name", "reservation.guest.name", 200)
    email = _text(doc, "email", "reservation.guest.email", 254)
    if not EMAIL_ADDRESS.match(email):
        raise InvalidChannelEvent("email is an e-mail address.", field="reservation.guest.email")
    phone = doc.get("phone")
    if phone is not None and phone != "":
        phone = _text(doc, "phone", "reservation.guest.phone", 32)
    return Guest(name=name, email=email, phone=phone or None)


def _text(doc: dict[str, Any], key: str, field: str, longest: int) -> str:
    text = doc.get(key)
    if not isinstance(text, str) or not text.strip() or len(text) > longest:
        raise InvalidChannelEvent(f"{field} is text of 1 to {longest} characters.", field=field)
    if control_characters(text):
        raise InvalidChannelEvent(f"{field} holds control characters.", field=field)
    return text.strip()


def _partner_id(doc: dict[str, Any], key: str, field: str) -> str:
    text = doc.get(key)
    if not isinstance(text, str) or not PARTNER_ID.fullmatch(text):
        raise InvalidChannelEvent(
            f"{field} is 1 to 100 letters, digits or _.:@/+=- (no spaces, no #).", field=field
        )
    return text


def _int(raw: Any, field: str, least: int, most: int) -> int:
    if not isinstance(raw, int) or isinstance(raw, bool) or not least <= raw <= most:
        raise InvalidChannelEvent(f"{field} is a whole number, {least} to {most}.", field=field)
    return raw


def _date(raw: Any, field: str) -> date:
    if not isinstance(raw, str) or not re.fullmatch(r"2[0-9]{3}-[0-9]{2}-[0-9]{2}", raw):
        raise InvalidChannelEvent(f"{field} is a date, YYYY-MM-DD.", field=field)
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidChannelEvent(f"{field} is not a real date.", field=field) from exc


_INSTANT = re.compile(r"2[0-9]{3}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?Z")


def _instant(raw: Any) -> str:
    """`sent_at`, an instant in UTC (`...Z`), as the stored format (so two compare as text)."""
    if not isinstance(raw, str) or not _INSTANT.fullmatch(raw):
        raise InvalidChannelEvent(
            "sent_at is a UTC instant: 2026-12-01T10:00:00Z.", field="sent_at"
        )
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidChannelEvent("sent_at is not a real instant.", field="sent_at") from exc
    return format_utc(moment)


def check_sent_at(event: InboundEvent, now: str) -> None:
    """`sent_at` no later than the signature's tolerance ahead of our clock: a message from the
    future would make every later one `superseded` (the newest by `sent_at` wins)."""
    ahead = (parse(event.sent_at) - parse(now)).total_seconds()
    if ahead > TOLERANCE_SECONDS:
        raise InvalidChannelEvent(
            "sent_at is more than 5 minutes ahead of our clock.", field="sent_at"
        )


def to_doc(event: InboundEvent) -> dict[str, Any]:
    """The message in its own JSON format (a parked one is stored so): `parse_event` of its
    JSON gives the same event back."""
    res = event.reservation
    reservation: dict[str, Any] = {"id": res.id}
    if event.books and res.arrival is not None and res.departure is not None:
        guest = res.guest or Guest(name="-", email="-")
        reservation |= {
            "room_type": res.room_type,
            **({"rate_plan": res.rate_plan} if res.rate_plan else {}),
            "arrival": res.arrival.isoformat(),
            "departure": res.departure.isoformat(),
            "rooms": res.rooms,
            "guests": {"adults": res.adults, "children": res.children},
            "guest": {
                "name": guest.name,
                "email": guest.email,
                **({"phone": guest.phone} if guest.phone else {}),
            },
            "price": {"amount": res.amount, "currency": res.currency},
        }
    return {
        "event_id": event.event_id,
        "type": event.type.value,
        "sent_at": event.sent_at,
        "reservation": reservation,
    }
