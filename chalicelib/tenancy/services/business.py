"""A change of what the business says about itself: its details, opening hours and branding.

`PATCH /v1/tenant` names the details and the branding field by field (a field not named is
kept; "" clears one) and the opening hours whole (the week as the manager sees it). Each
part is validated by tenancy's domain; the phone number and the address's country are checked
here against the numbering plans of `phonenumbers` (imported on first use, as for SMS).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from chalicelib.kernel.domain.business import Address, Branding, BusinessDetails, OpeningHours
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.tenant import Tenant, TenantSettings
from chalicelib.tenancy.domain.branding import validate_branding
from chalicelib.tenancy.domain.business import (
    STAY_TIMES,
    validate_address,
    validate_contact_email,
    validate_legal_name,
    validate_stay_times,
    validate_tax_id,
    validate_website,
)
from chalicelib.tenancy.domain.hours import validate_opening_hours
from chalicelib.tenancy.services.phones import default_sms_countries


def _phonenumbers() -> Any:
    import phonenumbers

    return phonenumbers


def contact_phone(text: str, region: str | None) -> str:
    """The number in its international form (+49 30 1234567); a national number is read in
    `region` (the business's own country). "" stays "" (not given)."""
    text = text.strip()
    if not text:
        return ""
    pn = _phonenumbers()
    try:
        number = pn.parse(text, region) if len(text) <= 40 else None
    except pn.NumberParseException:
        number = None
    if number is None or not pn.is_valid_number(number):
        raise InvalidInput(
            f"{text!r} is no phone number: write it with its country code, such as +49 30 1234567.",
            code="invalid_contact_phone",
            field="business.phone",
        )
    formatted: str = pn.format_number(number, pn.PhoneNumberFormat.INTERNATIONAL)
    return formatted


def postal_address(address: Address) -> Address:
    checked = validate_address(address)
    check_country(checked.country, field="business.address.country")
    return checked


def check_country(country: str, *, field: str) -> None:
    """422 `invalid_address_country` unless `country` (upper case) is empty or an ISO 3166
    two-letter code of a country with a numbering plan (the customers' addresses use it too)."""
    if country and country not in _phonenumbers().SUPPORTED_REGIONS:
        raise InvalidInput(
            f"{country!r} is no ISO 3166 two-letter country code (DE, US, CN...).",
            code="invalid_address_country",
            field=field,
        )


def _region(tenant: Tenant, address: Address) -> str | None:
    if address.country:
        return address.country
    own = sorted(default_sms_countries(tenant))
    return own[0] if own else None


def changed_details(tenant: Tenant, changes: Mapping[str, Any]) -> BusinessDetails:
    """The details with `changes` (field -> new value; `address` an Address; the stay's
    times as `check_in_time`/`check_out_time` text) applied, every field validated."""
    fields = {k: v for k, v in changes.items() if k not in STAY_TIMES}
    times: dict[str, Any] = validate_stay_times(
        {k: v for k, v in changes.items() if k in STAY_TIMES}
    )
    merged = replace(tenant.settings.business, **fields, **times)
    address = postal_address(merged.address)
    return BusinessDetails(
        legal_name=validate_legal_name(merged.legal_name),
        email=validate_contact_email(merged.email),
        phone=contact_phone(merged.phone, _region(tenant, address)),
        address=address,
        website=validate_website(merged.website),
        tax_id=validate_tax_id(merged.tax_id),
        check_in=merged.check_in,
        check_out=merged.check_out,
    )


def with_profile(
    tenant: Tenant,
    settings: TenantSettings,
    *,
    business: Mapping[str, Any] | None,
    opening_hours: OpeningHours | None,
    branding: Mapping[str, str] | None,
) -> TenantSettings:
    """`settings` with the changes given (None: that part unchanged)."""
    if business is not None:
        settings = replace(settings, business=changed_details(tenant, business))
    if opening_hours is not None:
        settings = replace(settings, opening_hours=validate_opening_hours(opening_hours))
    if branding is not None:
        merged: Branding = replace(settings.branding, **branding)
        settings = replace(settings, branding=validate_branding(merged))
    return settings
