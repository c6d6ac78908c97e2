"""An OCTO contact as the order's customer: one clean line of name, an e-mail address and a
phone number that are what they say (refused, BAD_REQUEST naming the field, when they are not:
never dropped silently, never wiping the one stored), the first valid locale. A field the
contact does not send keeps the stored customer's."""

from __future__ import annotations

from typing import Any

from chalicelib.booking.domain.orders import Customer
from chalicelib.channels.domain import octo_bookings as octo
from chalicelib.channels.domain.octo_errors import OctoBadRequest
from chalicelib.channels.services.octo_ports import OctoContext
from chalicelib.kernel.domain.tenant import LOCALE_RE
from chalicelib.kernel.domain.untrusted import EMAIL_ADDRESS
from chalicelib.tenancy.services.phones import home_region, international


def one_line(text: str | None) -> str:
    """A name as one line of printable characters (it goes into e-mails and printouts)."""
    return " ".join("".join(c for c in (text or "") if c.isprintable() or c.isspace()).split())


def customer_of(
    ctx: OctoContext, contact: Any, uuid: str, fallback: str, kept: Customer | None = None
) -> Customer:
    """The traveller the contact names. A field it does not send is the `kept` customer's
    (the contact stored before), else none: without an e-mail address, the reservation
    itself (an address nobody is written to). An e-mail address or phone number sent that
    is none is BAD_REQUEST naming the field, never dropped (nor a stored one wiped)."""
    name = fallback
    email = kept.email if kept is not None else None
    phone = kept.phone if kept is not None else None
    locale = kept.locale if kept is not None else None
    if contact is not None:
        parts = " ".join(p for p in (contact.firstName, contact.lastName) if p)
        name = one_line(contact.fullName or parts)[:120] or fallback
        email = _email(contact.emailAddress) or email
        phone = _phone(ctx, contact.phoneNumber) or phone
        tags = [t for t in contact.locales if LOCALE_RE.fullmatch(t)]
        locale = tags[0] if tags else locale
    if email is None:
        email = f"{uuid}@{octo.NO_CONTACT_DOMAIN}"
    return Customer(name=name, email=email, phone=phone, locale=locale)


def _email(given: str | None) -> str | None:
    text = (given or "").strip().lower()
    if not text:
        return None
    if len(text) > 254 or not EMAIL_ADDRESS.fullmatch(text):
        raise OctoBadRequest(
            "contact.emailAddress is no e-mail address.", field="contact.emailAddress"
        )
    return text


def _phone(ctx: OctoContext, given: str | None) -> str | None:
    if not (given or "").strip():
        return None
    phone = international(str(given), home_region(ctx.tenant))
    if phone is None:
        raise OctoBadRequest(
            "contact.phoneNumber is no phone number (with its country code, or the business's "
            "country's).",
            field="contact.phoneNumber",
        )
    return phone
