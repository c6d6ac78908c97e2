"""The rules of a business's details: legal name, contact e-mail, postal address, website and
tax id (the phone number and the country are checked against the numbering plans in
`tenancy/services/business.py`, which needs the `phonenumbers` package).

Each is optional ("" or an empty address: not given) and, when given, one line of plain text
of a bounded length: they are printed on confirmations and invoices and read out by the
widget, so a control character or a 10,000-character "address" must not get in. Each broken
rule is an InvalidInput whose code names the field (`invalid_contact_email`, ...), so a form
can put the message beside the field.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from chalicelib.kernel.domain.business import Address
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.stay_times import DEFAULT_CHECK_IN, DEFAULT_CHECK_OUT, time_of_day
from chalicelib.kernel.domain.text import control_characters
from chalicelib.kernel.domain.untrusted import EMAIL_ADDRESS

MAX_ADDRESS_LINES = 3
MAX_WEBSITE_CHARS = 300
# One dot-atom-ish local part and a host with a dot: what a person types, not all of RFC 5322.
_EMAIL = EMAIL_ADDRESS
# Tax numbers as authorities print them (DE123456789, GB 123 4567 89, 12-3456789, 91310000...).
_TAX_ID = re.compile(r"^[A-Z0-9][A-Z0-9 ./-]{1,38}[A-Z0-9]$")
_POSTCODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 -]{0,14}[A-Za-z0-9]$|^[A-Za-z0-9]$")
_URL_SAFE = re.compile(r"^[A-Za-z0-9\-._~!$&'()*+,;=:@/?%#]*$")
# A public host name: labels with a dot, the last one not all digits (no IP literals).
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"^(?:{_LABEL}\.)+[a-z](?:[a-z0-9-]{{0,61}}[a-z0-9])?$")


def one_line(text: str, *, field: str, code: str, limit: int) -> str:
    """`text` stripped: one line of at most `limit` characters without control characters."""
    text = text.strip()
    if len(text) > limit or control_characters(text):
        raise InvalidInput(
            f"{field} is one line of at most {limit} characters without control characters.",
            code=code,
            field=field,
        )
    return text


def validate_legal_name(text: str) -> str:
    return one_line(text, field="business.legal_name", code="invalid_legal_name", limit=200)


def validate_contact_email(text: str) -> str:
    email = text.strip()
    if email and (len(email) > 254 or not _EMAIL.match(email)):
        raise InvalidInput(
            f"{text!r} is no e-mail address such as hello@example.com.",
            code="invalid_contact_email",
            field="business.email",
        )
    return email.lower()


def public_url(text: str, *, schemes: tuple[str, ...], limit: int, field: str, code: str) -> str:
    """`text` stripped, when it is an address of a public host by one of `schemes` (no user
    or password, no loopback or bare host name, characters a link carries as they are); ""
    stays "" (not given)."""
    url = text.strip()
    if not url:
        return ""
    parts = urlsplit(url) if len(url) <= limit and _URL_SAFE.match(url) else None
    try:
        port_ok = parts is not None and (parts.port is None or parts.port > 0)
    except ValueError:
        port_ok = False
    if not (
        parts
        and port_ok
        and parts.scheme.lower() in schemes
        and _HOST.match(parts.hostname or "")
        and parts.username is None
    ):
        raise InvalidInput(
            f"{field} is an address such as {schemes[0]}://www.example.com/..., "
            f"{' or '.join(schemes)}, at most {limit} characters.",
            code=code,
            field=field,
        )
    return url


def validate_website(text: str) -> str:
    return public_url(
        text,
        schemes=("https", "http"),
        limit=MAX_WEBSITE_CHARS,
        field="business.website",
        code="invalid_website",
    )


def validate_tax_id(text: str) -> str:
    tax_id = text.strip().upper()
    if tax_id and not _TAX_ID.match(tax_id):
        raise InvalidInput(
            "tax_id is your VAT or tax number as your tax authority writes it: 3 to 40 letters, "
            "digits, spaces, dots, slashes and hyphens.",
            code="invalid_tax_id",
            field="business.tax_id",
        )
    return tax_id


def validate_address(address: Address) -> Address:
    """Every part one line; a postal address given at all has a first line, a city and a
    country (its country says how the rest is written). The country's code is checked by the
    service against the countries with numbering plans."""
    lines = tuple(
        line
        for line in (
            one_line(t, field="business.address.lines", code="invalid_address", limit=100)
            for t in address.lines
        )
        if line
    )
    city = one_line(address.city, field="business.address.city", code="invalid_address", limit=100)
    postcode = address.postcode.strip().upper()
    if len(lines) > MAX_ADDRESS_LINES or (postcode and not _POSTCODE.match(postcode)):
        raise InvalidInput(
            f"An address has at most {MAX_ADDRESS_LINES} lines and a postcode of up to 16 "
            "letters, digits, spaces and hyphens.",
            code="invalid_address",
            field="business.address",
        )
    cleaned = Address(lines, city, postcode, address.country.strip().upper())
    if not cleaned.is_empty and not (lines and city and cleaned.country):
        raise InvalidInput(
            "An address names at least its first line, its city and its country.",
            code="incomplete_address",
            field="business.address",
        )
    return cleaned


# The stay's times as the API names them; "" or null in a PATCH returns one to its default.
STAY_TIMES = ("check_in_time", "check_out_time")


def _minutes(texts: dict[str, str], name: str, default: int) -> int | None:
    """The minutes of `texts[name]` ("" : `default`); None when it is no time of day."""
    text = texts[name].strip()
    return time_of_day(text) if text else default


def _refused(texts: dict[str, str], name: str, code: str) -> InvalidInput:
    return InvalidInput(
        f"{texts[name][:20]!r} is no time of day on the business's clock: HH:MM from 00:00 "
        "to 23:59, such as 14:00.",
        code=code,
        field=f"business.{name}",
    )


def validate_stay_times(texts: dict[str, str]) -> dict[str, int]:
    """The BusinessDetails fields (`check_in`, `check_out`: minutes) of the stay's times named
    in `texts` ("HH:MM" of the business's wall clock; "" the default). Check-out is not
    checked against check-in: it is on another day (the departure's), so 10:00 out and 16:00
    in is a normal hotel, and 23:00 out after 08:00 in is as allowed."""
    out: dict[str, int | None] = {}
    if "check_in_time" in texts:
        out["check_in"] = _minutes(texts, "check_in_time", DEFAULT_CHECK_IN)
        if out["check_in"] is None:
            raise _refused(texts, "check_in_time", code="invalid_check_in_time")
    if "check_out_time" in texts:
        out["check_out"] = _minutes(texts, "check_out_time", DEFAULT_CHECK_OUT)
        if out["check_out"] is None:
            raise _refused(texts, "check_out_time", code="invalid_check_out_time")
    return {name: minutes for name, minutes in out.items() if minutes is not None}
