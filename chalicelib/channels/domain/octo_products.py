"""What an OCTO reseller sees of the tenant's catalog: products, their option and units, and
OCTO's pricing objects, as plain JSON-ready dicts (the routes check them against their models).

The mapping, and why it is honest about what our catalog knows:
- Products are tours, activities and events: timed and session offerings, active. A nightly
  offering (a room) is no OCTO product. A connection that maps products (`ChannelMapping`:
  the partner's id -> the offering) offers exactly those, under the mapping's id; one that
  maps none offers every such offering under its own id.
- One option per product (`DEFAULT`): our offerings have no variants.
- One unit, `adult` (OCTO's type ADULT): each unit item is one person of the party. A price
  per person is the unit's price (OCTO `pricingPer: UNIT`); a price per booking or per hour is
  the option's price whatever the party (`pricingPer: BOOKING`), and the unit carries none.
- Prices are integers in minor units with the currency's precision; `retail` is what the
  customer pays (tax included, as OCTO's prices are); `includedTaxes` names the tax;
  `net` is what the partner owes us: retail less its commission (the connection's rate for
  that offering).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from chalicelib.booking.domain.start_times import candidate_starts
from chalicelib.catalog.domain.catalog import Offering, PriceBasis, Resource, ResourceKind
from chalicelib.catalog.domain.pricing import day_rate, with_tax
from chalicelib.kernel.domain.calendar import hhmm
from chalicelib.kernel.domain.money import minor_units

OCTO_KINDS = frozenset({ResourceKind.TIMED, ResourceKind.SESSION})
OPTION_ID = "DEFAULT"
UNIT_ID = "adult"
PRICING = "octo/pricing"
# The capabilities this API can apply; a request names those it wants (Octo-Capabilities).
SUPPORTED_CAPABILITIES = (PRICING,)
BP = 10_000


def sellable(offering: Offering) -> bool:
    return offering.active and offering.kind in OCTO_KINDS


def products_of(
    mappings: Iterable[tuple[str, str]], offerings: dict[str, Offering]
) -> list[tuple[str, Offering]]:
    """(product id, offering) for each product: the mapped ones under the partner's ids when
    there are mappings, else every sellable offering under its own id, by name."""
    mapped = [(pid, oid) for pid, oid in mappings]
    if mapped:
        pairs = [(pid, offerings.get(oid)) for pid, oid in mapped]
        return [(pid, o) for pid, o in pairs if o is not None and sellable(o)]
    ours = sorted((o for o in offerings.values() if sellable(o)), key=lambda o: (o.name, o.id))
    return [(o.id, o) for o in ours]


def product_id_for(mappings: Iterable[tuple[str, str]], offering_id: str) -> str:
    """The id a partner knows an offering by: its mapping's, else the offering's own."""
    return next((pid for pid, oid in mappings if oid == offering_id), offering_id)


def booked_product_id(mappings: Iterable[tuple[str, str]], offering_id: str, booked: str) -> str:
    """The product id a booking shows: `booked`, the id it was made (or moved) under, while
    that id still names its offering (a mapping of it, or with no mappings the offering's own
    id), so a booking does not change product when mappings are added later; else the id the
    offering has now."""
    pairs = list(mappings)
    still = (booked, offering_id) in pairs if pairs else booked == offering_id
    return booked if booked and still else product_id_for(pairs, offering_id)


def per_unit(offering: Offering) -> bool:
    """Whether the price is per person (OCTO: per unit) rather than per booking."""
    return offering.pricing.basis in (PriceBasis.PERSON, PriceBasis.PERSON_NIGHT)


def tax_name(rate: int) -> str:
    """A tax as OCTO's `includedTaxes` names it, by its rate: 600 -> "Tax 6%", 825 -> "Tax
    8.25%"; a booking's, of several rates, is "Tax" (octo_bookings._prices)."""
    return f"Tax {rate // 100}.{rate % 100:02d}%".replace(".00%", "%") if rate else "Tax"


def pricing(
    amount: int, *, offering: Offering, currency: str, commission_bp: int
) -> dict[str, Any]:
    """OCTO's Pricing for `amount` (minor units, as our prices are written: with or without
    tax as the offering says)."""
    price = with_tax(amount, offering.pricing.tax_bp, offering.pricing.tax_inclusive, ())
    retail = price.total
    taxes = []
    if offering.pricing.tax_bp:
        name = tax_name(offering.pricing.tax_bp)
        taxes.append({"name": name, "retail": price.tax, "original": price.tax, "net": None})
    return {
        "original": retail,
        "retail": retail,
        "net": retail - retail * commission_bp // BP,
        "currency": currency,
        "currencyPrecision": minor_units(currency),
        "includedTaxes": taxes,
    }


def booking_price(offering: Offering, day: date, party: int) -> int:
    """What one booking of `party` people costs on `day`, before tax is added (catalog
    pricing: per person, per booking, or per started hour of the duration)."""
    rate = day_rate(offering.pricing, day)
    if per_unit(offering):
        return rate * party
    if offering.pricing.basis is PriceBasis.HOUR:
        return rate * max(1, -(-offering.duration_minutes // 60))
    return rate


def cancellation_cutoff_hours(offering: Offering) -> int:
    """The hours before the start until which a cancellation is refunded in full (the least
    notice of a tier refunding everything); 0 when every cancellation is refunded, or none
    ever is in full (then the fee follows the offering's tiers, as for every booking)."""
    full = [t.hours_before for t in offering.cancellation.tiers if t.refund_bp >= BP]
    return min(full) if full else 0


def unit(offering: Offering, prices: Sequence[dict[str, Any]] | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": UNIT_ID,
        "internalName": "Adult" if per_unit(offering) else "Person",
        "reference": None,
        "type": "ADULT",
        "restrictions": {
            "minAge": 0,
            "maxAge": 100,
            "idRequired": False,
            "minQuantity": None,
            "maxQuantity": offering.party_max,
            "paxCount": 1,
            "accompaniedBy": [],
        },
        "requiredContactFields": [],
    }
    if prices is not None:
        out["pricingFrom"] = list(prices) if per_unit(offering) else []
    return out


def start_times(offering: Offering, primary: Sequence[Resource], week: Sequence[date]) -> list[str]:
    """The local start times ("09:00") the schedules offer over `week` (OCTO's
    `availabilityLocalStartTimes`, at least one)."""
    minutes = sorted({m for day in week for m in candidate_starts(offering, primary, day)})
    return [hhmm(m) for m in minutes] or ["00:00"]


def option(
    offering: Offering, times: list[str], prices: Sequence[dict[str, Any]] | None
) -> dict[str, Any]:
    hours = cancellation_cutoff_hours(offering)
    out: dict[str, Any] = {
        "id": OPTION_ID,
        "default": True,
        "internalName": offering.name,
        "reference": None,
        "availabilityLocalStartTimes": times,
        "cancellationCutoff": f"{hours} hour" + ("" if hours == 1 else "s"),
        "cancellationCutoffAmount": hours,
        "cancellationCutoffUnit": "hour",
        "requiredContactFields": [],
        "restrictions": {"minUnits": offering.party_min, "maxUnits": offering.party_max},
        "units": [unit(offering, prices)],
    }
    if prices is not None:
        out["pricingFrom"] = [] if per_unit(offering) else list(prices)
    return out


def product(
    product_id: str,
    offering: Offering,
    *,
    timezone: str,
    locale: str,
    currency: str,
    times: list[str],
    from_price: dict[str, Any] | None,
) -> dict[str, Any]:
    """OCTO's Product. `from_price`: the lowest price of one unit (per person) or one booking,
    when the request applied octo/pricing; None otherwise (no pricing fields at all)."""
    prices = [from_price] if from_price is not None else None
    out: dict[str, Any] = {
        "id": product_id,
        "internalName": offering.name,
        "reference": offering.id,
        "locale": locale,
        "timeZone": timezone,
        "allowFreesale": False,
        "instantConfirmation": True,
        "instantDelivery": True,
        "availabilityRequired": True,
        "availabilityType": "START_TIME",
        "deliveryFormats": [],
        "deliveryMethods": [],
        # The departure's manifest (the resource's day sheet) lists every person booked.
        "redemptionMethod": "MANIFEST",
        "options": [option(offering, times, prices)],
    }
    if from_price is not None:
        out["defaultCurrency"] = currency
        out["availableCurrencies"] = [currency]
        out["pricingPer"] = "UNIT" if per_unit(offering) else "BOOKING"
    return out


def applied_capabilities(header: str | None) -> tuple[str, ...]:
    """The capabilities of a request's `Octo-Capabilities` that this API applies."""
    asked = {part.strip() for part in (header or "").split(",") if part.strip()}
    return tuple(c for c in SUPPORTED_CAPABILITIES if c in asked)
