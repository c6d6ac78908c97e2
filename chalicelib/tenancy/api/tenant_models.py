"""Request and response models of sign-up and of the tenant (its settings, plan, limits and
the public view a widget reads)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    Field,
)

from chalicelib.kernel.domain.money import minor_units
from chalicelib.kernel.domain.tenant import (
    MESSAGE_KINDS,
    BusinessType,
    Plan,
    Tenant,
    TenantStatus,
)
from chalicelib.tenancy.api.business_models import (
    BrandingIn,
    BrandingOut,
    BusinessIn,
    BusinessOut,
    OpeningHoursIn,
    OpeningHoursOut,
    PublicContactOut,
    StayTimesOut,
)
from chalicelib.tenancy.domain.rate_limits import LIMIT_NAMES, shown_limits
from chalicelib.tenancy.services.phones import allowed_sms_countries, date_order
from chalicelib.web.models import Body, Email, Name, Out

# MESSAGE_KINDS and MESSAGE_CHANNELS (kernel/domain/tenant.py) as the API's schema spells them
# (tests/unit/test_tenant_settings.py keeps them equal).
MessageKind = Literal[
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
]
Channel = Literal["email", "sms"]


class SignupIn(Body):
    business_name: Name
    slug: Annotated[str, Field(min_length=3, max_length=40, pattern=r"^[a-z0-9-]+$")]
    owner_email: Email
    owner_name: Name | None = None
    timezone: Annotated[str, Field(min_length=1, max_length=64, examples=["Europe/Berlin"])]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["EUR"])] = Field(
        description="An ISO 4217 code Reservoir supports (another is 422 `invalid_currency`,"
        " whose `details.supported` lists those that are)."
    )
    locale: Annotated[str, Field(min_length=2, max_length=16, examples=["en", "zh-Hans-CN"])]
    business_type: BusinessType


class SignupOut(Out):
    tenant_id: str
    slug: str
    status: TenantStatus
    owner_email: str
    secret_key: str = Field(description="Shown once. Stored only as a hash.")
    publishable_key: str = Field(description="Shown once. For the booking widget.")


class TenantSettingsOut(Out):
    hold_minutes: int
    reminder_offsets_minutes: list[int]
    public_limits: dict[str, int] = Field(
        description="Budgets of the public routes (widget, per minute unless named otherwise): "
        "the plan's, lowered where the tenant set its own. Over budget: 429 rate_limited."
    )
    sms_countries: list[str] = Field(
        description="Countries whose mobile numbers get texts (by default the tenant's own)."
    )
    message_channels: dict[str, list[str]] = Field(
        description="Each customer message and the channels it goes by (by default e-mail and "
        "SMS; SMS to mobile numbers of `sms_countries` only)."
    )
    widget_origins: list[str] = Field(
        description="The web origins the booking widget may run on: browser requests with the "
        "publishable key from any other origin are refused (403 origin_not_allowed)."
    )
    booking_page: str = Field(
        description="The page with the booking widget where the manage links of customers' "
        "messages lead; empty: messages carry no manage link."
    )
    invoice_at_completion: bool = Field(
        description="Whether an order's completion (check-out) issues its invoice and e-mails "
        "it to the customer."
    )


class TenantOut(Out):
    id: str
    slug: str
    name: str
    status: TenantStatus
    business_type: BusinessType
    timezone: str
    currency: str
    locale: str
    plan: Plan
    owner_email: str
    created_at: str
    version: int
    settings: TenantSettingsOut
    business: BusinessOut = Field(description="The business's details ('' where not given).")
    opening_hours: OpeningHoursOut = Field(
        description="The business's public hours; what can be booked is each resource's own "
        "schedule."
    )
    branding: BrandingOut = Field(description="The booking widget's colour, logo and language.")
    date_order: str = Field(
        description="How the business's country writes a date with slashes: mdy (03/04/2026 "
        "is March 4: the United States) or dmy; what an import reads unless told."
    )

    @classmethod
    def of(cls, t: Tenant) -> TenantOut:
        return cls(
            id=t.id,
            slug=t.slug,
            name=t.name,
            status=t.status,
            business_type=t.business_type,
            timezone=t.timezone,
            currency=t.currency,
            locale=t.locale,
            plan=t.plan,
            owner_email=t.owner_email,
            created_at=t.created_at,
            version=t.version,
            settings=TenantSettingsOut(
                hold_minutes=t.settings.hold_minutes,
                reminder_offsets_minutes=list(t.settings.reminder_offsets_minutes),
                public_limits=shown_limits(t.plan, t.settings.public_limits),
                sms_countries=sorted(allowed_sms_countries(t)),
                message_channels={k: list(t.settings.channels_for(k)) for k in MESSAGE_KINDS},
                widget_origins=list(t.settings.widget_origins),
                booking_page=t.settings.booking_page,
                invoice_at_completion=t.settings.invoice_at_completion,
            ),
            business=BusinessOut.of(t.settings.business),
            opening_hours=OpeningHoursOut.of(t.settings.opening_hours),
            branding=BrandingOut.of(t.settings.branding),
            date_order=date_order(t),
        )


Limit = Annotated[int, Field(ge=1, le=1_000_000)]


class PublicLimitsIn(Body):
    """A number lowers a budget (never above the plan's: 422 limit_above_plan); null returns
    it to the plan's; a budget not named is unchanged."""

    holds_per_minute_per_address: Limit | None = None
    holds_per_minute_per_key: Limit | None = None
    holds_per_contact: Limit | None = None
    changes_per_minute_per_address: Limit | None = None
    changes_per_minute_per_key: Limit | None = None
    availability_per_minute_per_address: Limit | None = None
    availability_per_minute_per_key: Limit | None = None

    def changes(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in sorted(self.model_fields_set)}


class TenantPatchIn(Body):
    name: Name | None = None
    timezone: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    locale: Annotated[str, Field(min_length=2, max_length=16)] | None = None
    hold_minutes: Annotated[int, Field(ge=1, le=1440)] | None = None
    # Minutes before the start; whole days are "the day before at the same wall-clock time".
    reminder_offsets_minutes: (
        Annotated[list[Annotated[int, Field(ge=5, le=43200)]], Field(max_length=5)] | None
    ) = None
    public_limits: PublicLimitsIn | None = Field(
        default=None,
        description=(
            "The tenant's own budgets, each at most its plan's: a number lowers one, null "
            "returns one to the plan's, a budget not named is unchanged. `null` for the whole "
            "object returns every budget to the plan's."
        ),
    )
    # Text messages go only to mobile numbers of these countries; [] sends none.
    sms_countries: (
        Annotated[list[Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]], Field(max_length=50)]
        | None
    ) = None
    message_channels: dict[MessageKind, Annotated[list[Channel], Field(max_length=2)]] | None = (
        Field(
            default=None,
            description=(
                'The channels of the messages named, e.g. {"reminder": ["sms"]}; [] sends '
                "that message by none. A message not named keeps its channels."
            ),
        )
    )

    widget_origins: (
        Annotated[list[Annotated[str, Field(min_length=1, max_length=300)]], Field(max_length=20)]
        | None
    ) = Field(
        default=None,
        description=(
            "The whole list of web origins the booking widget may run on (scheme, host and "
            "port, such as https://www.example.com; https, or http on localhost); [] allows "
            "none. Replaces the list."
        ),
    )

    booking_page: Annotated[str, Field(max_length=200)] | None = Field(
        default=None,
        description=(
            "The address of your page with the booking widget (on one of widget_origins), "
            'where the manage link in every message about a booking leads; "" removes it.'
        ),
    )

    invoice_at_completion: bool | None = Field(
        default=None,
        description="Issue the invoice at an order's completion (check-out) and e-mail it.",
    )

    business: BusinessIn | None = Field(
        default=None,
        description='The business\'s details: each field named is changed, "" clears one.',
    )
    opening_hours: OpeningHoursIn | None = Field(
        default=None, description="The business's public hours, replaced whole."
    )
    branding: BrandingIn | None = Field(
        default=None,
        description='The widget\'s branding: each field named is changed, "" clears one.',
    )

    def limit_changes(self) -> dict[str, int | None] | None:
        """The budgets to change: None when `public_limits` is left out, every one of them
        back to the plan's when it is null."""
        if "public_limits" not in self.model_fields_set:
            return None
        if self.public_limits is None:
            return dict.fromkeys(LIMIT_NAMES)
        return self.public_limits.changes()


class PublicTenantOut(Out):
    name: str
    slug: str
    business_type: BusinessType
    timezone: str
    currency: str
    currency_decimals: int = Field(
        description="The currency's minor unit exponent (ISO 4217): amounts are integers in "
        "minor units, so an amount is shown as amount / 10^currency_decimals. Browsers' own "
        "tables differ from ISO's for some currencies (HUF, IDR, IQD...)."
    )
    locale: str
    branding: BrandingOut
    opening_hours: OpeningHoursOut
    contact: PublicContactOut
    stay_times: StayTimesOut = Field(
        description="When a stay's guests may arrive and must leave, on the business's clock."
    )

    @classmethod
    def of(cls, t: Tenant) -> PublicTenantOut:
        return cls(
            name=t.name,
            slug=t.slug,
            business_type=t.business_type,
            timezone=t.timezone,
            currency=t.currency,
            currency_decimals=minor_units(t.currency),
            locale=t.locale,
            branding=BrandingOut.of(t.settings.branding),
            opening_hours=OpeningHoursOut.of(t.settings.opening_hours),
            contact=PublicContactOut.of(t.settings.business),
            stay_times=StayTimesOut.of(t.settings.business),
        )
