"""Request and response models: they validate the requests and generate the OpenAPI document."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)

from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.calendar import FIRST_DAY, LAST_DAY
from chalicelib.domain.keys import ApiKey, KeyKind, KeyScope, KeyStatus
from chalicelib.domain.rate_limits import LIMIT_NAMES, shown_limits
from chalicelib.domain.staff import Role, StaffStatus, StaffUser
from chalicelib.domain.tenant import BusinessType, Plan, Tenant, TenantStatus
from chalicelib.domain.text import control_characters
from chalicelib.services.notify.phones import allowed_sms_countries

Email = Annotated[str, Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]


def one_line(value: str) -> str:
    """A name or label is one line: no control characters (domain/text.py says which)."""
    refused = control_characters(value)
    if refused:
        raise ValueError(f"must be one line of text without control characters ({refused[0]})")
    return value


def not_blank(value: str) -> str:
    """A name says something: only spaces (any script's, no-break ones too) or invisible
    format characters (a zero-width space, a word joiner) is no name."""
    if all(c.isspace() or unicodedata.category(c) == "Cf" for c in value):
        raise ValueError("must not be blank (only spaces or invisible characters)")
    return value


OneLine = AfterValidator(one_line)
Name = Annotated[str, Field(min_length=1, max_length=120), OneLine, AfterValidator(not_blank)]
# The dates a request may name, everywhere (bookings, the catalog, the audit month, replays).
# Python's calendar ends at years 1 and 9999, and a stay's last night or a zone's offset past
# either end is an OverflowError, not a 422: requests stay well inside it. Written as
# YYYY-MM-DD only ([0-9], not \d, which takes any script's digits): not the ISO week or
# ordinal forms, not a timestamp, not a datetime.
DAY_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _day_text(value: object) -> object:
    # Parsed here: after a before-validator, strict validation takes a date, not text.
    if isinstance(value, date):
        return value
    if not (isinstance(value, str) and DAY_TEXT.fullmatch(value)):
        raise ValueError("a date is written YYYY-MM-DD")
    return date.fromisoformat(value)  # ValueError for 2026-02-30: a 422 naming the field


Day = Annotated[
    date,
    BeforeValidator(_day_text),
    Field(ge=FIRST_DAY, le=LAST_DAY),
    # The document says it in JSON Schema's words (pydantic would write `ge`/`le`, which
    # are no JSON Schema keywords, so validators and fuzzers would ignore them).
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": f"YYYY-MM-DD, {FIRST_DAY} to {LAST_DAY}.",
        }
    ),
]


def day_of(text: str) -> date | None:
    """A date in a path, by the same rule as `Day`; None when it is not one."""
    if not DAY_TEXT.fullmatch(text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


FIRST_INSTANT = datetime.combine(FIRST_DAY, time.min, UTC)
LAST_INSTANT = datetime.combine(LAST_DAY, time.max, UTC)


def _within_days(value: datetime) -> datetime:
    # Compared as instants (offsets apply): 2999-12-31T23:00-05:00 is in the year 3000.
    if not FIRST_INSTANT <= value <= LAST_INSTANT:
        raise ValueError(f"an instant from {FIRST_DAY} to {LAST_DAY} (UTC)")
    return value


# An instant with its offset, inside the same years as `Day`.
Instant = Annotated[AwareDatetime, AfterValidator(_within_days)]


# defer_build: a model's validator is built on its first use, not at import, so a cold
# Lambda container pays only for the models of the routes it actually serves.
class Body(BaseModel):
    """A request body: unknown fields are errors (a typo must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)


class Query(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Out(BaseModel):
    model_config = ConfigDict(defer_build=True)


class ErrorDetail(Out):
    code: str = Field(description="Stable machine-readable code, e.g. slug_taken.")
    message: str
    details: dict = Field(default_factory=dict)


class ErrorOut(Out):
    error: ErrorDetail


# -- sign-up and tenant ------------------------------------------------------------------


class SignupIn(Body):
    business_name: Name
    slug: Annotated[str, Field(min_length=3, max_length=40, pattern=r"^[a-z0-9-]+$")]
    owner_email: Email
    owner_name: Name | None = None
    timezone: Annotated[str, Field(min_length=1, max_length=64, examples=["Europe/Berlin"])]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["EUR"])]
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
            ),
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
    locale: str

    @classmethod
    def of(cls, t: Tenant) -> PublicTenantOut:
        return cls(
            name=t.name,
            slug=t.slug,
            business_type=t.business_type,
            timezone=t.timezone,
            currency=t.currency,
            locale=t.locale,
        )


# -- keys ----------------------------------------------------------------------------------


class KeyCreateIn(Body):
    kind: KeyKind
    name: Name
    role: Role | None = Field(
        default=None,
        description=(
            "Secret keys: what the key may do, as a staff user of that role (`viewer`: read"
            " only). At most the maker's role, which is the default. Not for publishable keys."
        ),
    )
    scope: KeyScope | None = Field(
        default=None,
        description=(
            "Secret keys: `full` (the default; every route the role allows) or `bookings`"
            " (catalog and availability reads, orders and their payments, the public routes)."
        ),
    )


class KeyRotateIn(Body):
    grace_seconds: Annotated[int, Field(ge=0, le=7 * 24 * 3600)] = Field(
        default=0, description="How long the old key keeps working (at most 7 days)."
    )


class KeyOut(Out):
    id: str
    kind: KeyKind
    name: str
    prefix: str = Field(description="The first characters of the key, to recognise it.")
    status: KeyStatus
    created_at: str
    created_by: str
    expires_at: str | None = None
    revoked_at: str | None = None
    replaced_by: str | None = None
    role: Role | None = Field(description="A secret key's role; null for publishable keys.")
    scope: KeyScope

    @classmethod
    def of(cls, k: ApiKey) -> KeyOut:
        return cls(
            id=k.id,
            kind=k.kind,
            name=k.name,
            prefix=k.prefix,
            status=k.status,
            created_at=k.created_at,
            created_by=k.created_by,
            expires_at=k.expires_at,
            revoked_at=k.revoked_at,
            replaced_by=k.replaced_by,
            role=k.role,
            scope=k.scope,
        )


class KeyCreatedOut(KeyOut):
    key: str = Field(description="The whole key. Shown once; store it now.")


class KeyListOut(Out):
    data: list[KeyOut]


# -- staff ---------------------------------------------------------------------------------


class StaffInviteIn(Body):
    email: Email
    name: Name
    role: Role


class StaffPatchIn(Body):
    role: Role


class StaffOut(Out):
    id: str
    email: str
    name: str
    role: Role
    status: StaffStatus
    created_at: str

    @classmethod
    def of(cls, u: StaffUser) -> StaffOut:
        return cls(
            id=u.id,
            email=u.email,
            name=u.name,
            role=u.role,
            status=u.status,
            created_at=u.created_at,
        )


class StaffListOut(Out):
    data: list[StaffOut]


# -- audit ---------------------------------------------------------------------------------


class AuditQueryIn(Query):
    month: Annotated[str, Field(pattern=r"^2[0-9]{3}-(0[1-9]|1[0-2])$")] | None = Field(
        default=None, description="YYYY-MM, 2000-01 to 2999-12; the current month when absent."
    )
    limit: Annotated[int, Field(ge=1, le=100)] = 50
    after: Annotated[str, Field(max_length=80)] | None = None


class ActorOut(Out):
    kind: str
    id: str
    role: str | None = None
    email: str | None = None


class AuditEntryOut(Out):
    id: str
    at: str
    actor: ActorOut
    action: str
    target: str
    request_id: str | None = None
    details: dict
    cursor: str

    @classmethod
    def of(cls, a: AuditEntry) -> AuditEntryOut:
        return cls(
            id=a.id,
            at=a.at,
            action=a.action,
            target=a.target,
            request_id=a.request_id,
            details=a.details,
            actor=ActorOut(
                kind=a.actor.kind, id=a.actor.id, role=a.actor.role, email=a.actor.email
            ),
            cursor=f"{a.at}#{a.id}",
        )


class AuditListOut(Out):
    data: list[AuditEntryOut]
    next_after: str | None = Field(
        default=None, description="Pass as `after` for the next page; absent on the last page."
    )


class HealthOut(Out):
    status: str
