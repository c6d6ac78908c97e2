"""Prices: integers in minor units, per booking, person, night or hour, with weekday, season
and date rules and inclusive or exclusive tax. Every figure adds up to the minor unit."""

from __future__ import annotations

from datetime import date, timedelta

from chalicelib.catalog.domain.catalog import DepositKind, DepositPolicy, PriceBasis, Pricing
from chalicelib.catalog.domain.instalments import first_part
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.money import MAX_AMOUNT
from chalicelib.kernel.domain.values import value


@value
class PriceItem:
    label: str  # "2026-12-24" for a night, "booking" otherwise
    unit_amount: int
    quantity: int

    @property
    def amount(self) -> int:
        return self.unit_amount * self.quantity


@value
class Price:
    items: tuple[PriceItem, ...]
    subtotal: int  # sum of items, as priced (tax included when inclusive)
    tax: int
    total: int  # what the customer pays
    tax_inclusive: bool

    @property
    def net(self) -> int:
        return self.total - self.tax


def day_rate(pricing: Pricing, day: date) -> int:
    """The unit price on one local date: the rate calendar wins, else base with the weekday
    rule and then every season that covers the date."""
    if day in pricing.date_prices:
        return pricing.date_prices[day]
    amount = pricing.amount
    rule = pricing.weekdays.get(day.weekday())
    if rule is not None:
        amount = rule.apply(amount)
    for season in pricing.seasons:
        if season.first <= day <= season.last:
            amount = season.adjustment.apply(amount)
    return max(0, amount)


def price_line(
    pricing: Pricing,
    *,
    days: list[date],
    party: int,
    quantity: int = 1,
    duration_minutes: int = 0,
) -> Price:
    """Price one booking line. `days`: the nights of a stay, or the local start date."""
    basis = pricing.basis
    if basis in (PriceBasis.NIGHT, PriceBasis.PERSON_NIGHT):
        per_unit = party if basis is PriceBasis.PERSON_NIGHT else 1
        items = tuple(
            PriceItem(d.isoformat(), day_rate(pricing, d), per_unit * quantity) for d in days
        )
    else:
        first = days[0]
        multiplier = {
            PriceBasis.BOOKING: quantity,
            PriceBasis.PERSON: party * quantity,
            PriceBasis.HOUR: max(1, -(-duration_minutes // 60)) * quantity,
        }[basis]
        items = (PriceItem(first.isoformat(), day_rate(pricing, first), multiplier),)
    subtotal = sum(item.amount for item in items)
    return with_tax(subtotal, pricing.tax_bp, pricing.tax_inclusive, items)


def with_tax(subtotal: int, tax_bp: int, inclusive: bool, items: tuple[PriceItem, ...]) -> Price:
    if inclusive:
        # tax = gross * r / (1 + r), rounded half up on the minor unit
        tax = (subtotal * tax_bp * 2 + (10000 + tax_bp)) // ((10000 + tax_bp) * 2)
        return Price(items, subtotal, tax, subtotal, True)
    tax = (subtotal * tax_bp + 5000) // 10000
    return Price(items, subtotal, tax, subtotal + tax, False)


def customer_pays(pricing: Pricing) -> int:
    """What a customer pays for one unit at the base price (a person, a night, a booking),
    tax included as every priced time and total says it: a widget's "from" price."""
    return with_tax(pricing.amount, pricing.tax_bp, pricing.tax_inclusive, ()).total


def highest_unit_total(pricing: Pricing) -> int:
    """The most one unit (a booking, a person, a night, an hour) costs a customer on any date,
    tax included: each dated price, and the base with each weekday's rule in each stretch of
    dates that the same seasons cover (a week from each season's edge meets them all)."""
    edges = sorted(
        {s.first for s in pricing.seasons} | {s.last + timedelta(days=1) for s in pricing.seasons}
    )
    starts = [max(date(1900, 1, 1), edges[0] - timedelta(days=7)), *edges] if edges else []
    days = {start + timedelta(days=i) for start in starts for i in range(7)}
    # Dates no season covers: any week shows every weekday's rule (2001-01-01 is a Monday).
    days |= set(pricing.date_prices) | {date(2001, 1, 1) + timedelta(days=i) for i in range(7)}
    return max(
        with_tax(day_rate(pricing, d), pricing.tax_bp, pricing.tax_inclusive, ()).total
        for d in days
    )


def check_unit_price(pricing: Pricing) -> None:
    """A price no single payment could take on some date is refused when it is set: saved, it
    was shown in the widget and every hold of that date was refused `amount_too_large` (an
    outside tester's 99,999,999 with +10 % on Saturdays)."""
    highest = highest_unit_total(pricing)
    if highest > MAX_AMOUNT:
        raise InvalidInput(
            f"On some dates one unit would cost {highest} minor units with its weekday, season "
            f"and tax rules; one payment takes at most {MAX_AMOUNT}.",
            code="invalid_price",
            field="pricing",
            max=MAX_AMOUNT,
        )


def deposit_due(
    policy: DepositPolicy,
    total: int,
    *,
    booked_on: date | None = None,
    start_day: date | None = None,
) -> int:
    """What is asked at booking. A plan's first part: the whole when no later part fits
    before the service (`booked_on` and `start_day`, local: catalog/domain/instalments.py)."""
    if policy.instalments > 1:
        count, months = policy.instalments, policy.instalment_months
        return first_part(total, count, months, booked_on, start_day)
    if policy.kind is DepositKind.FULL:
        return total
    if policy.kind is DepositKind.PERCENT:
        return min(total, (total * policy.value + 5000) // 10000)
    if policy.kind is DepositKind.FIXED:
        return min(total, policy.value)
    return 0


def share(amount: int, bp: int) -> int:
    """`bp` basis points of `amount`, rounded half up."""
    return (amount * bp + 5000) // 10000
