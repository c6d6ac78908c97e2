"""Request and response models of what the business says about itself: its details, public
opening hours and the widget's branding (kernel/domain/business.py). Texts are "" when not
given; times of day are "HH:MM" in the tenant's zone ("24:00" ends a day); weekdays mon..sun.

The bounds here only keep a request small; the rules (and their codes) are the domain's, so a
form gets `invalid_contact_phone` rather than a schema error."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from chalicelib.kernel.domain.business import (
    Address,
    Branding,
    BusinessDetails,
    OpeningHours,
    Range,
)
from chalicelib.kernel.domain.calendar import hhmm, minutes_of
from chalicelib.kernel.domain.stay_times import shown
from chalicelib.tenancy.domain.hours import WEEKDAYS
from chalicelib.web.models import Body, Day, Out

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
# [0-9], not \d: the pattern engine's \d takes any script's digits.
Opens = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["09:00"])]
Closes = Annotated[
    str, Field(pattern=r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$", examples=["17:30"])
]
Text = Annotated[str, Field(max_length=1000)]
# Only kept small here: "25:00" or "3pm" reach the domain's rule and get its code.
StayTime = Annotated[str, Field(max_length=20)]


class AddressIn(Body):
    lines: Annotated[list[Text], Field(max_length=5)] = Field(
        default=[], description="At most 3 lines (more: 422)."
    )
    city: Text = ""
    postcode: Text = ""
    country: Text = Field(default="", description="ISO 3166 two-letter code, such as DE.")

    def to_domain(self) -> Address:
        return Address(tuple(self.lines), self.city, self.postcode, self.country)


class AddressOut(Out):
    lines: list[str]
    city: str
    postcode: str
    country: str

    @classmethod
    def of(cls, a: Address) -> AddressOut:
        return cls(lines=list(a.lines), city=a.city, postcode=a.postcode, country=a.country)


class BusinessIn(Body):
    """Each field named is changed ("" or null clears it, as in a JSON merge patch); a field
    not named is kept. `address` is replaced whole."""

    legal_name: Text | None = None
    email: Text | None = Field(default=None, description="The contact e-mail customers see.")
    phone: Text | None = Field(
        default=None,
        description="The contact phone: international (+49 30 1234567), or national in the "
        "business's country; answered in international form.",
    )
    address: AddressIn | None = None
    website: Text | None = Field(default=None, description="https or http, at most 300 characters.")
    tax_id: Text | None = Field(default=None, description="VAT or tax number.")
    check_in_time: StayTime | None = Field(
        default=None,
        description='When a stay\'s guests may arrive on its first day: "HH:MM" on the '
        'business\'s clock, 00:00-23:59 (422 invalid_check_in_time); "" or null: 15:00.',
        examples=["14:00"],
    )
    check_out_time: StayTime | None = Field(
        default=None,
        description='When they leave on its departure day: "HH:MM" (422 '
        'invalid_check_out_time); "" or null: 11:00. Not checked against check-in.',
        examples=["11:00"],
    )

    def changes(self) -> dict[str, Any]:
        named = {name: getattr(self, name) for name in self.model_fields_set}
        if "address" in named:
            named["address"] = (self.address or AddressIn()).to_domain()
        return {name: "" if v is None else v for name, v in named.items()}


class BusinessOut(Out):
    legal_name: str
    email: str
    phone: str
    address: AddressOut
    website: str
    tax_id: str
    check_in_time: str = Field(description='"HH:MM" on the business\'s clock (15:00 if never set).')
    check_out_time: str = Field(
        description='"HH:MM" on the business\'s clock (11:00 if never set).'
    )

    @classmethod
    def of(cls, b: BusinessDetails) -> BusinessOut:
        return cls(
            legal_name=b.legal_name,
            email=b.email,
            phone=b.phone,
            address=AddressOut.of(b.address),
            website=b.website,
            tax_id=b.tax_id,
            check_in_time=shown(b.check_in),
            check_out_time=shown(b.check_out),
        )


class OpeningHoursIn(Body):
    """The whole week (a weekday not named is closed) and the closed dates, replacing both."""

    weekly: dict[Weekday, Annotated[list[tuple[Opens, Closes]], Field(max_length=12)]] = Field(
        default_factory=dict,
        description='Ranges in the order of the day, at most 6 a day, e.g. {"mon": '
        '[["09:00", "12:30"], ["13:30", "18:00"]]}.',
    )
    closed_dates: Annotated[list[Day], Field(max_length=400)] = []

    def to_domain(self) -> OpeningHours:
        named: dict[str, list[tuple[str, str]]] = {str(k): v for k, v in self.weekly.items()}

        def ranges(day: str) -> tuple[Range, ...]:
            return tuple((minutes_of(a), minutes_of(b)) for a, b in named.get(day, []))

        return OpeningHours(
            weekly=tuple(ranges(day) for day in WEEKDAYS), closed_dates=tuple(self.closed_dates)
        )


class OpeningHoursOut(Out):
    weekly: dict[str, list[tuple[str, str]]] = Field(
        description="Every weekday, mon..sun, with its ranges ([] closed)."
    )
    closed_dates: list[str]

    @classmethod
    def of(cls, h: OpeningHours) -> OpeningHoursOut:
        return cls(
            weekly={
                day: [(hhmm(a), hhmm(b)) for a, b in h.weekly[i]] for i, day in enumerate(WEEKDAYS)
            },
            closed_dates=[d.isoformat() for d in h.closed_dates],
        )


class BrandingIn(Body):
    """Each field named is changed ("" or null returns it to the widget's own); others are
    kept."""

    primary_colour: Annotated[str, Field(max_length=20)] | None = Field(
        default=None,
        description="#rrggbb of the widget's buttons: white text on it needs a contrast of "
        "4.5:1 at least (422 brand_colour_low_contrast).",
    )
    logo_url: Annotated[str, Field(max_length=1000)] | None = Field(
        default=None, description="https, at most 500 characters."
    )
    widget_language: Literal["en", "zh-Hans", ""] | None = Field(
        default=None,
        description="The widget's language when its tag names none ('': the page's, then "
        "the browser's).",
    )

    def changes(self) -> dict[str, str]:
        return {name: getattr(self, name) or "" for name in self.model_fields_set}


class BrandingOut(Out):
    primary_colour: str
    logo_url: str
    widget_language: str

    @classmethod
    def of(cls, b: Branding) -> BrandingOut:
        return cls(
            primary_colour=b.primary_colour, logo_url=b.logo_url, widget_language=b.widget_language
        )


class PublicContactOut(Out):
    """How customers reach the business (its legal name and tax id are not public)."""

    email: str
    phone: str
    address: AddressOut
    website: str

    @classmethod
    def of(cls, b: BusinessDetails) -> PublicContactOut:
        return cls(
            email=b.email, phone=b.phone, address=AddressOut.of(b.address), website=b.website
        )


class StayTimesOut(Out):
    """When a stay's guests may arrive (its first day) and must leave (its departure day), on
    the business's clock: what the widget says on a stay's summary."""

    check_in_time: str = Field(examples=["15:00"])
    check_out_time: str = Field(examples=["11:00"])

    @classmethod
    def of(cls, b: BusinessDetails) -> StayTimesOut:
        return cls(check_in_time=shown(b.check_in), check_out_time=shown(b.check_out))
