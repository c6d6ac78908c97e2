"""The OCTO API's request and response models: OCTO's own field names (camelCase), the parts
of OCTO's schemas this API answers with (the answers are built as dicts by
channels/domain/octo_*.py; these models document them, and the tests check the answers against
OCTO's own document too). Requests ignore fields they do not know: a reseller sending a
capability's fields we do not apply is not refused for it."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, RootModel

from chalicelib.web.models import MultiLine, OneLine

# An id or a reference is one line: a reseller's reference is kept and shown back to the
# desk and in answers (an outside tester's "R\u0000\u2028\u202eX" was stored as sent).
Id = Annotated[str, Field(min_length=1, max_length=200), OneLine]
# A contact's name is made one clean line (octo_contacts.py: a customer typed it elsewhere);
# a note and a cancellation's reason land where the API's own do, under the same rules (a
# review found them taken as they came).
Text = Annotated[str, Field(max_length=1000)]
Reason = Annotated[str, Field(max_length=1000), OneLine]
Notes = Annotated[str, Field(max_length=1000), MultiLine]
Minutes = Annotated[int, Field(ge=1, le=1440)]


class OctoIn(BaseModel):
    model_config = ConfigDict(extra="ignore")


class OctoOut(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- requests --------------------------------------------------------------------------------


class OctoUnitQuantityIn(OctoIn):
    id: Id
    quantity: Annotated[int, Field(ge=0, le=1000)]


class OctoContactIn(OctoIn):
    fullName: Text | None = None
    firstName: Text | None = None
    lastName: Text | None = None
    emailAddress: Annotated[str, Field(max_length=254)] | None = None
    phoneNumber: Annotated[str, Field(max_length=40)] | None = None
    locales: Annotated[list[Annotated[str, Field(max_length=35)]], Field(max_length=10)] = []
    postalCode: Annotated[str, Field(max_length=40)] | None = None
    country: Annotated[str, Field(max_length=100)] | None = None
    notes: Notes | None = None


class OctoUnitItemIn(OctoIn):
    uuid: Id | None = None
    unitId: Id
    resellerReference: Id | None = None
    contact: OctoContactIn | None = None


UnitItems = Annotated[list[OctoUnitItemIn], Field(max_length=1000)]


class OctoAvailabilityIn(OctoIn):
    productId: Id
    optionId: Id
    localDate: Id | None = None
    localDateStart: Id | None = None
    localDateEnd: Id | None = None
    availabilityIds: Annotated[list[Id], Field(max_length=100)] | None = None
    units: Annotated[list[OctoUnitQuantityIn], Field(max_length=50)] | None = None
    currency: Id | None = None


class OctoCalendarIn(OctoIn):
    productId: Id
    optionId: Id
    localDateStart: Id | None = None
    localDateEnd: Id | None = None
    units: Annotated[list[OctoUnitQuantityIn], Field(max_length=50)] | None = None
    currency: Id | None = None


class OctoReservationIn(OctoIn):
    uuid: Id | None = None
    productId: Id
    optionId: Id
    # Optional in OCTO's schema, needed by every product here (availabilityRequired): its
    # absence is INVALID_AVAILABILITY_ID, as resellers' validators expect (README, OCTO).
    availabilityId: Id | None = None
    expirationMinutes: Minutes | None = None
    notes: Notes | None = None
    # Required by OCTO's schema; missing or empty is UNPROCESSABLE_ENTITY (README, OCTO).
    unitItems: UnitItems | None = None
    resellerReference: Id | None = None
    contact: OctoContactIn | None = None
    currency: Id | None = None


class OctoUpdateIn(OctoIn):
    resellerReference: Id | None = None
    productId: Id | None = None
    optionId: Id | None = None
    availabilityId: Id | None = None
    expirationMinutes: Minutes | None = None
    notes: Notes | None = None
    emailReceipt: bool | None = None
    unitItems: UnitItems | None = None
    contact: OctoContactIn | None = None


class OctoExtendIn(OctoIn):
    expirationMinutes: Minutes | None = None


class OctoConfirmIn(OctoIn):
    emailReceipt: bool | None = None
    resellerReference: Id | None = None
    contact: OctoContactIn | None = None
    unitItems: UnitItems | None = None


class OctoCancelIn(OctoIn):
    reason: Reason | None = None
    force: bool | None = None


class OctoBookingsQuery(OctoIn):
    resellerReference: Id | None = None
    supplierReference: Id | None = None
    localDate: Id | None = None
    localDateStart: Id | None = None
    localDateEnd: Id | None = None


# -- answers ---------------------------------------------------------------------------------


class OctoTax(OctoOut):
    name: str
    retail: int
    original: int
    net: int | None


class OctoPricing(OctoOut):
    original: int
    retail: int
    net: int | None
    currency: str
    currencyPrecision: int
    includedTaxes: list[OctoTax]


class OctoUnitPricing(OctoPricing):
    unitId: str


class OctoSupplierContact(OctoOut):
    website: str | None
    email: str | None
    telephone: str | None
    address: str | None


class OctoSupplier(OctoOut):
    id: str
    name: str
    endpoint: str
    contact: OctoSupplierContact


class OctoCapability(OctoOut):
    id: str
    revision: int
    required: bool
    dependencies: list[str]
    docs: str | None


class OctoCapabilities(RootModel[list[OctoCapability]]):
    pass


class OctoUnitRestrictions(OctoOut):
    minAge: int
    maxAge: int
    idRequired: bool
    minQuantity: int | None
    maxQuantity: int | None
    paxCount: int
    accompaniedBy: list[str]


class OctoUnit(OctoOut):
    id: str
    internalName: str
    reference: str | None
    type: str
    restrictions: OctoUnitRestrictions
    requiredContactFields: list[str]
    pricingFrom: list[OctoPricing] = []


class OctoOptionRestrictions(OctoOut):
    minUnits: int | None
    maxUnits: int | None


class OctoOption(OctoOut):
    id: str
    default: bool
    internalName: str
    reference: str | None
    availabilityLocalStartTimes: list[str]
    cancellationCutoff: str
    cancellationCutoffAmount: int
    cancellationCutoffUnit: str
    requiredContactFields: list[str]
    restrictions: OctoOptionRestrictions
    units: list[OctoUnit]
    pricingFrom: list[OctoPricing] = []


class OctoProduct(OctoOut):
    id: str
    internalName: str
    reference: str | None
    locale: str
    timeZone: str
    allowFreesale: bool
    instantConfirmation: bool
    instantDelivery: bool
    availabilityRequired: bool
    availabilityType: str
    deliveryFormats: list[str]
    deliveryMethods: list[str]
    redemptionMethod: str
    options: list[OctoOption]
    defaultCurrency: str = ""
    availableCurrencies: list[str] = []
    pricingPer: str = ""


class OctoProducts(RootModel[list[OctoProduct]]):
    pass


class OctoOpeningHours(OctoOut):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    from_: str = Field(alias="from")
    to: str


class OctoAvailability(OctoOut):
    id: str
    localDateTimeStart: str
    localDateTimeEnd: str
    utcCutoffAt: str
    allDay: bool
    available: bool
    status: str
    vacancies: int | None
    capacity: int | None
    maxUnits: int | None
    openingHours: list[OctoOpeningHours]
    unitPricing: list[OctoUnitPricing] = []
    pricing: OctoPricing | None = None


class OctoAvailabilities(RootModel[list[OctoAvailability]]):
    pass


class OctoCalendarDay(OctoOut):
    localDate: str
    available: bool
    status: str
    vacancies: int | None
    capacity: int | None
    openingHours: list[OctoOpeningHours]
    unitPricingFrom: list[OctoUnitPricing] = []
    pricingFrom: OctoPricing | None = None


class OctoCalendar(RootModel[list[OctoCalendarDay]]):
    pass


class OctoContact(OctoOut):
    fullName: str | None
    firstName: str | None
    lastName: str | None
    emailAddress: str | None
    phoneNumber: str | None
    locales: list[str]
    postalCode: str | None
    country: str | None
    notes: str | None


class OctoCancellation(OctoOut):
    refund: str
    reason: str | None
    utcCancelledAt: str


class OctoUnitItem(OctoOut):
    uuid: str
    resellerReference: str | None
    supplierReference: str | None
    unitId: str
    status: str
    utcRedeemedAt: str | None
    contact: OctoContact
    ticket: None
    pricing: OctoPricing | None = None


class OctoBooking(OctoOut):
    id: str
    uuid: str
    testMode: bool
    resellerReference: str | None
    supplierReference: str | None
    status: str
    utcCreatedAt: str
    utcUpdatedAt: str
    utcExpiresAt: str | None
    utcRedeemedAt: str | None
    utcConfirmedAt: str | None
    productId: str
    optionId: str
    cancellable: bool
    cancellation: OctoCancellation | None
    freesale: bool
    availabilityId: str | None
    availability: OctoAvailability | None
    contact: OctoContact
    notes: str | None
    deliveryMethods: list[str]
    voucher: None
    unitItems: list[OctoUnitItem]
    pricing: OctoPricing | None = None


class OctoBookings(RootModel[list[OctoBooking]]):
    pass
