"""The business's details, opening hours and branding as the tenant's item stores them: in its
`settings` map, each part only when given, so a tenant that never set one (or was stored
before they existed) has no attribute and reads the defaults. Times are minutes of the day,
dates ISO text; the stay's `check_in` and `check_out` (minutes) sit in the `business` map, and
a map without them reads as 15:00 and 11:00.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from chalicelib.kernel.domain.business import Address, Branding, BusinessDetails, OpeningHours
from chalicelib.kernel.domain.stay_times import DEFAULT_CHECK_IN, DEFAULT_CHECK_OUT
from chalicelib.kernel.domain.tenant import TenantSettings


def profile_attributes(settings: TenantSettings) -> dict[str, Any]:
    out: dict[str, Any] = {}
    b = settings.business
    if b != BusinessDetails():
        out["business"] = {
            "legal_name": b.legal_name,
            "email": b.email,
            "phone": b.phone,
            "address": {
                "lines": list(b.address.lines),
                "city": b.address.city,
                "postcode": b.address.postcode,
                "country": b.address.country,
            },
            "website": b.website,
            "tax_id": b.tax_id,
            "check_in": b.check_in,
            "check_out": b.check_out,
        }
    hours = settings.opening_hours
    if not hours.is_empty:
        out["opening_hours"] = {
            "weekly": [[[a, z] for a, z in day] for day in hours.weekly],
            "closed_dates": [d.isoformat() for d in hours.closed_dates],
        }
    if settings.branding != Branding():
        out["branding"] = {
            "primary_colour": settings.branding.primary_colour,
            "logo_url": settings.branding.logo_url,
            "widget_language": settings.branding.widget_language,
        }
    return out


def _text(raw: dict[str, Any], name: str) -> str:
    return str(raw.get(name) or "")


def _business(raw: dict[str, Any]) -> BusinessDetails:
    address = raw.get("address") or {}
    return BusinessDetails(
        legal_name=_text(raw, "legal_name"),
        email=_text(raw, "email"),
        phone=_text(raw, "phone"),
        address=Address(
            lines=tuple(str(line) for line in address.get("lines") or ()),
            city=_text(address, "city"),
            postcode=_text(address, "postcode"),
            country=_text(address, "country"),
        ),
        website=_text(raw, "website"),
        tax_id=_text(raw, "tax_id"),
        # Stored before stays had times: the defaults (15:00, 11:00).
        check_in=int(raw.get("check_in", DEFAULT_CHECK_IN)),
        check_out=int(raw.get("check_out", DEFAULT_CHECK_OUT)),
    )


def _hours(raw: dict[str, Any]) -> OpeningHours:
    weekly = raw.get("weekly") or [[]] * 7
    return OpeningHours(
        weekly=tuple(tuple((int(a), int(z)) for a, z in day) for day in weekly),
        closed_dates=tuple(date.fromisoformat(str(d)) for d in raw.get("closed_dates") or ()),
    )


def profile_values(raw: dict[str, Any]) -> dict[str, Any]:
    """The TenantSettings fields of the parts stored in `raw` (the settings map)."""
    out: dict[str, Any] = {}
    if raw.get("business"):
        out["business"] = _business(raw["business"])
    if raw.get("opening_hours"):
        out["opening_hours"] = _hours(raw["opening_hours"])
    if raw.get("branding"):
        branding = raw["branding"]
        out["branding"] = Branding(
            primary_colour=_text(branding, "primary_colour"),
            logo_url=_text(branding, "logo_url"),
            widget_language=_text(branding, "widget_language"),
        )
    return out
