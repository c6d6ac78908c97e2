"""Who may get a text message: a mobile number in a country the tenant allows.

Anyone with a publishable key can book with any phone number, and texting premium-rate or
satellite numbers costs the platform money (`+882...` and `+239...` numbers were sent to). So a
booking accepts any valid E.164 number, but SMS goes only to numbers that `phonenumbers` types
as MOBILE (or FIXED_LINE_OR_MOBILE, where a country's plan cannot tell them apart, as in the US)
in a country of the tenant's `sms_countries`. Everything else (landlines, premium rate, shared
cost, toll free, VoIP, pagers, satellite and other international networks) gets e-mail only. The
order's answer says so (`customer.sms`, `customer.sms_refused`), and the sender checks again at
send time, which is the real guard.

`sms_countries` defaults to the tenant's own country: that of its time zone (tzdata's zone.tab),
else its locale's region, else none (no SMS until the tenant says where). `phonenumbers` (the
`phonenumberslite` distribution: parsing and types, without the geocoding data) is imported on
first use, never at cold start.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.kernel.domain.untrusted import ASCII_DIGITS

NO_PHONE = "no_phone"
INVALID_NUMBER = "invalid_number"
INTERNATIONAL_NETWORK = "international_network"  # satellite, +882/+883 networks: no country
NOT_MOBILE = "not_mobile"
COUNTRY_NOT_ALLOWED = "country_not_allowed"
MAX_COUNTRIES = 50


def _phonenumbers() -> Any:
    import phonenumbers

    return phonenumbers


def international(text: str, region: str | None) -> str | None:
    """`text` in E.164 (+447700900123): a number with its country code, or a national one
    (07700 900123) read in `region`; None when it cannot be a number there (too short or
    long for the country's plan). Whether it can get a text is sms_refusal's question."""
    pn = _phonenumbers()
    number = _parsed(text, region)
    if number is None or not pn.is_possible_number(number):
        return None
    formatted: str = pn.format_number(number, pn.PhoneNumberFormat.E164)
    return formatted


def readable(phone: str | None) -> str | None:
    """A stored number (E.164) as a person reads it, grouped by its country's plan
    ("+81 90-1234-5678"), as a business's own number is kept; one that does not parse, as it
    is (an outside tester's desk read "+819012345678" beside the business's grouped one)."""
    number = _parsed(phone, None) if phone else None
    if number is None:
        return phone or None
    pn = _phonenumbers()
    grouped: str = pn.format_number(number, pn.PhoneNumberFormat.INTERNATIONAL)
    return grouped


def national_forms(phone: str) -> list[str]:
    """A stored number (E.164) as it is written at home, digits only: its national number
    and, where its country dials a trunk prefix, with it ("+447700900123": "7700900123",
    "07700900123"); none for a number that does not parse. What an erasure looks for in the
    texts staff wrote (customers/services/privacy.py `known`)."""
    number = _parsed(phone, None)
    if number is None:
        return []
    pn = _phonenumbers()
    national = pn.format_number(number, pn.PhoneNumberFormat.NATIONAL)
    digits = "".join(c for c in national if c in ASCII_DIGITS)
    return list(dict.fromkeys([pn.national_significant_number(number), digits]))


def _parsed(text: str, region: str | None) -> Any | None:
    """`phonenumbers`' number for `text` (national numbers read in `region`), or None."""
    pn = _phonenumbers()
    try:
        return pn.parse(text, region)
    except pn.NumberParseException:
        return None


def home_region(tenant: Tenant) -> str | None:
    """The country a national number is read in: the business's own (its zone's)."""
    own = sorted(default_sms_countries(tenant))
    return own[0] if own else None


# Countries that write a date month first (03/04/2026 is March 4): the United States and a
# few tied to it. An import there reads slashes so unless told (an outside tester's New York
# salon had 02/03/2027 read as 2 March, silently).
MONTH_FIRST = frozenset({"US", "PH", "BZ", "FM", "MH", "PW"})


def date_order(tenant: Tenant) -> str:
    """How the business's country writes a date with slashes: "mdy" or "dmy"."""
    return "mdy" if home_region(tenant) in MONTH_FIRST else "dmy"


def sms_refusal(phone: str | None, allowed: frozenset[str]) -> str | None:
    """None when `phone` may get a text message; else why not (one of the codes above)."""
    if not phone:
        return NO_PHONE
    pn = _phonenumbers()
    number = _parsed(phone, None)
    if number is None or not pn.is_valid_number(number):
        return INVALID_NUMBER
    region = pn.region_code_for_number(number)
    if not region or region == pn.UNKNOWN_REGION or region == "001":
        return INTERNATIONAL_NETWORK
    kind = pn.number_type(number)
    if kind not in (pn.PhoneNumberType.MOBILE, pn.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        return NOT_MOBILE
    if region not in allowed:
        return COUNTRY_NOT_ALLOWED
    return None


@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    """IANA zone -> ISO country, from tzdata's zone.tab (a zone with no country is absent)."""
    from importlib import resources

    try:
        text = resources.files("tzdata").joinpath("zoneinfo/zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - tzdata is pinned
        return {}
    countries: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            fields = line.split("\t")
            if len(fields) >= 3:
                countries[fields[2]] = fields[0]
    return countries


def default_sms_countries(tenant: Tenant) -> frozenset[str]:
    country = _zone_countries().get(tenant.timezone)
    if country:
        return frozenset({country})
    region = tenant.locale.split("-")[-1]
    if len(region) == 2 and region.isupper():
        return frozenset({region})
    return frozenset()


def allowed_sms_countries(tenant: Tenant) -> frozenset[str]:
    chosen = getattr(tenant.settings, "sms_countries", None)
    return frozenset(chosen) if chosen is not None else default_sms_countries(tenant)


def validate_sms_countries(codes: Iterable[str]) -> tuple[str, ...]:
    """ISO 3166 alpha-2 codes of countries with a numbering plan; sorted, each once."""
    wanted = sorted({code.strip().upper() for code in codes})
    known = _phonenumbers().SUPPORTED_REGIONS
    unknown = [code for code in wanted if code not in known]
    if unknown or len(wanted) > MAX_COUNTRIES:
        raise InvalidInput(
            f"SMS countries are at most {MAX_COUNTRIES} ISO 3166 two-letter country codes"
            + (
                f"; not a country with phone numbers: {', '.join(unknown[:5])}." if unknown else "."
            ),
            code="invalid_sms_countries",
            field="sms_countries",
            unknown=unknown[:20],
        )
    return tuple(wanted)
