"""What a business says about itself: its details (legal name, contact, address, tax id), its
public opening hours, and the branding of its booking widget.

These are values the tenant holds (`TenantSettings`), each optional: a tenant stored before
they existed reads as having none (every field's default), and nothing is migrated. "" means
"not given" for every text, as `booking_page` does. Their rules (what a phone, a colour or a
range of hours must be) live in tenancy's domain (`tenancy/domain/business.py`, `hours.py`,
`branding.py`); the kernel holds only the shapes, because the tenant does.

Opening hours are what the business shows its customers (the widget's head, messages); what
can be booked stays each resource's own schedule (catalog): a salon open 09:00-18:00 may have
a stylist who works 10:00-14:00.
"""

from __future__ import annotations

from datetime import date

from chalicelib.kernel.domain.stay_times import DEFAULT_CHECK_IN, DEFAULT_CHECK_OUT
from chalicelib.kernel.domain.values import value

Range = tuple[int, int]  # [open, close) in minutes of a local day; close may be 1440 (24:00)
CLOSED_ALL_WEEK: tuple[tuple[Range, ...], ...] = ((),) * 7


@value
class Address:
    lines: tuple[str, ...] = ()
    city: str = ""
    postcode: str = ""
    country: str = ""  # ISO 3166-1 alpha-2

    @property
    def is_empty(self) -> bool:
        return not (self.lines or self.city or self.postcode or self.country)


@value
class BusinessDetails:
    legal_name: str = ""
    email: str = ""
    phone: str = ""  # international form, as phonenumbers writes it: +49 30 1234567
    address: Address = Address()
    website: str = ""
    tax_id: str = ""  # VAT, GST or any tax number, as the authority writes it
    # When a stay's guests may arrive and must leave: minutes after local midnight on the
    # business's wall clock (kernel/domain/stay_times.py); a tenant that set none has these.
    check_in: int = DEFAULT_CHECK_IN
    check_out: int = DEFAULT_CHECK_OUT


@value
class OpeningHours:
    # Per weekday (0 = Monday) the ranges the business is open, in order, none overlapping;
    # no range: closed that weekday.
    weekly: tuple[tuple[Range, ...], ...] = CLOSED_ALL_WEEK
    closed_dates: tuple[date, ...] = ()  # sorted, each once

    @property
    def is_empty(self) -> bool:
        return self.weekly == CLOSED_ALL_WEEK and not self.closed_dates


@value
class Branding:
    primary_colour: str = ""  # "#rrggbb", lower case; "": the widget's own blue
    logo_url: str = ""  # https
    widget_language: str = ""  # "en" or "zh-Hans"; "": the page's, then the browser's
