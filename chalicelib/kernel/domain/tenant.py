"""Tenant: a business that signed up, with its own table and settings."""

from __future__ import annotations

import re
from dataclasses import field, replace
from enum import StrEnum
from functools import lru_cache

from chalicelib.kernel.domain.business import Branding, BusinessDetails, OpeningHours
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.money import MINOR_UNITS, UNSUPPORTED, is_currency
from chalicelib.kernel.domain.text import control_characters
from chalicelib.kernel.domain.values import value

# fullmatch, not match: `$` also matches before a trailing newline ("en\n" passed).
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$")
# BCP 47 subset: language, optional script, optional region (en, en-GB, zh-Hans-CN).
# [0-9], not \d: a str pattern's \d takes any script's digits.
LOCALE_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?$")
RESERVED_SLUGS = frozenset({"admin", "api", "app", "www", "docs", "help", "status", "widget"})


class TenantStatus(StrEnum):
    PROVISIONING = "provisioning"
    ACTIVE = "active"
    SUSPENDED = "suspended"


class BusinessType(StrEnum):
    HOTEL = "hotel"
    RESTAURANT = "restaurant"
    APPOINTMENTS = "appointments"  # salons, clinics, training centres
    TOURS = "tours"  # tour operators and travel agencies
    EVENTS = "events"


class Plan(StrEnum):
    FREE = "free"
    PRO = "pro"
    BUSINESS = "business"


# Names in a zoneinfo directory that are no IANA zone of their own, so mean different things
# on different hosts: `localtime` is the machine's own zone (a copy of /etc/localtime),
# `Factory` a placeholder with the abbreviation "-00", `posixrules` a template for POSIX TZ
# strings; the `posix/` and `right/` trees repeat every zone (`right/` with leap seconds, so
# its clock is off by half a minute). A business's zone must mean the same on every machine.
HOST_ZONES = frozenset({"localtime", "Factory", "posixrules"})
HOST_ZONE_TREES = ("posix/", "right/")


@lru_cache(maxsize=1)
def _timezones() -> frozenset[str]:
    import zoneinfo

    return frozenset(
        name
        for name in zoneinfo.available_timezones()
        if name not in HOST_ZONES and not name.startswith(HOST_ZONE_TREES)
    )


def validate_slug(slug: str) -> str:
    if not SLUG_RE.fullmatch(slug) or "--" in slug:
        raise InvalidInput(
            "A slug is 3 to 40 lower-case letters, digits and single hyphens, "
            "starting and ending with a letter or digit.",
            code="invalid_slug",
            field="slug",
        )
    if slug in RESERVED_SLUGS:
        raise InvalidInput("This slug is reserved.", code="invalid_slug", field="slug")
    return slug


def validate_name(name: str) -> str:
    """The business name, stripped: one line (it goes into every e-mail's From header)."""
    name = name.strip()
    if not name:
        raise InvalidInput("The business name is empty.", code="invalid_name", field="name")
    if control_characters(name):
        raise InvalidInput(
            "The business name is one line of text without control characters.",
            code="invalid_name",
            field="name",
            characters=control_characters(name),
        )
    return name


def validate_timezone(name: str, field: str = "timezone") -> str:
    """`field`: the name the caller sent it under (availability's `tz` query parameter)."""
    if name not in _timezones():
        raise InvalidInput(
            f"Unknown IANA time zone {name!r}.", code="invalid_timezone", field=field
        )
    return name


def validate_currency(code: str) -> str:
    """A currency Reservoir supports; the refusal lists those (`details.supported`), and says
    whether the code is a real one that is not supported or no ISO 4217 code at all."""
    if not is_currency(code):
        why = "is not supported" if code in UNSUPPORTED else "is no ISO 4217 currency"
        raise InvalidInput(
            f"The currency {code!r} {why}: `details.supported` lists the currencies that are.",
            code="invalid_currency",
            field="currency",
            supported=sorted(MINOR_UNITS),
        )
    return code


def validate_locale(tag: str) -> str:
    if not LOCALE_RE.fullmatch(tag):
        raise InvalidInput(
            f"{tag!r} is not a locale tag such as en, en-GB or zh-Hans-CN.",
            code="invalid_locale",
            field="locale",
        )
    return tag


DEFAULT_REMINDER_OFFSETS = (1440, 120)  # minutes before the start: a day, two hours
# The messages a tenant's customers get (their texts: notifications/services/templates.py), and
# the channels each may go by; by default every message goes by both (SMS to mobiles only).
MESSAGE_KINDS = (
    "held",
    "confirmed",
    "changed",
    "cancelled",
    "payment_received",
    "payment_failed",
    "payment_due",
    "reminder",
    "no_show",
    "message",
    "refund_issued",
    "refund_failed",
)
MESSAGE_CHANNELS = ("email", "sms")
MAX_REMINDERS = 5


def validate_reminder_offsets(offsets: tuple[int, ...]) -> tuple[int, ...]:
    """Distinct offsets from 5 minutes to 30 days, at most five, largest first."""
    unique = tuple(sorted(set(offsets), reverse=True))
    if len(unique) > MAX_REMINDERS or any(not 5 <= m <= 30 * 1440 for m in unique):
        raise InvalidInput(
            f"Reminders are at most {MAX_REMINDERS} offsets of 5 to 43200 minutes.",
            code="invalid_reminder_offsets",
            field="reminder_offsets_minutes",
        )
    return unique


@value
class TenantSettings:
    hold_minutes: int = 15
    reminder_offsets_minutes: tuple[int, ...] = DEFAULT_REMINDER_OFFSETS
    # Budgets of the public routes the tenant lowered below its plan's (name, value), sorted;
    # see tenancy/domain/rate_limits.py.
    public_limits: tuple[tuple[str, int], ...] = ()
    # ISO countries whose mobile numbers get text messages; None: the tenant's own country
    # (tenancy/services/phones.py derives it).
    sms_countries: tuple[str, ...] | None = None
    # (message kind, its channels) where the tenant chose other than every channel, sorted.
    message_channels: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The web origins the booking widget may run on (tenancy/domain/origins.py), canonical and
    # sorted: the API answers the publishable key's browser requests from these only.
    widget_origins: tuple[str, ...] = ()
    # The tenant's page with the widget, where the manage links of its messages lead ("":
    # messages carry none).
    booking_page: str = ""
    # Whether an order's completion (a hotel's check-out) issues its invoice and e-mails it to
    # the customer (chalicelib/invoices: InvoiceAtCompletion).
    invoice_at_completion: bool = False
    # What the business says about itself (kernel/domain/business.py): none until it does.
    business: BusinessDetails = BusinessDetails()
    opening_hours: OpeningHours = OpeningHours()
    branding: Branding = Branding()

    def channels_for(self, kind: str) -> tuple[str, ...]:
        """The channels a message of `kind` goes by."""
        return dict(self.message_channels).get(kind, MESSAGE_CHANNELS)


@value
class Tenant:
    id: str
    slug: str
    name: str
    owner_email: str
    timezone: str
    currency: str
    locale: str
    business_type: BusinessType
    status: TenantStatus
    plan: Plan
    table_name: str
    created_at: str
    version: int = 1
    settings: TenantSettings = field(default_factory=TenantSettings)

    @property
    def is_active(self) -> bool:
        return self.status is TenantStatus.ACTIVE

    def activated(self) -> Tenant:
        return replace(self, status=TenantStatus.ACTIVE, version=self.version + 1)


def new_tenant(
    *,
    tenant_id: str,
    slug: str,
    name: str,
    owner_email: str,
    timezone: str,
    currency: str,
    locale: str,
    business_type: BusinessType,
    table_name: str,
    now: str,
    hold_minutes: int = 15,
) -> Tenant:
    """A tenant as recorded at sign-up: provisioning, on the free plan."""
    return Tenant(
        id=tenant_id,
        slug=validate_slug(slug),
        name=validate_name(name),
        owner_email=owner_email.strip().lower(),
        timezone=validate_timezone(timezone),
        currency=validate_currency(currency),
        locale=validate_locale(locale),
        business_type=business_type,
        status=TenantStatus.PROVISIONING,
        plan=Plan.FREE,
        table_name=table_name,
        created_at=now,
        settings=TenantSettings(hold_minutes=hold_minutes),
    )
