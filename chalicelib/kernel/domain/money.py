"""Currencies and their minor units. Amounts are always integers in minor units."""

from __future__ import annotations

from chalicelib.kernel.domain.errors import InvalidInput

# The most Stripe charges in one payment: eight digits of minor units (999,999.99 in a
# two-decimal currency) for most currencies (https://docs.stripe.com/currencies, "Minimum and
# maximum charge amounts"). An order past it could never be paid, so it is refused when it is
# made or moved (`check_chargeable`), and an offering's prices are bounded by it when saved.
MAX_AMOUNT = 99_999_999

# ISO 4217 active codes with their number of decimal places (minor unit exponent).
_ZERO = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE = "BHD IQD JOD KWD LYD OMR TND"
_TWO = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD "
    "CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD "
    "GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD "
    "MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP "
    "PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS "
    "TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD YER ZAR ZMW ZWL"
)

# ISO 4217 codes that are no currency a business charges in (funds, metals, units of
# account, test codes) or that Stripe does not take: real, but not supported here.
_UNSUPPORTED = (
    "BOV CHE CHW CLF COU CUC MXV USN UYW VED XAG XAU XBA XBB XBC XBD XCG XDR XPD XPT XSU XTS "
    "XUA XXX ZWG"
)
UNSUPPORTED = frozenset(_UNSUPPORTED.split())

MINOR_UNITS: dict[str, int] = {
    **{c: 2 for c in _TWO.split()},
    **{c: 0 for c in _ZERO.split()},
    **{c: 3 for c in _THREE.split()},
}


def is_currency(code: str) -> bool:
    return code in MINOR_UNITS


def minor_units(code: str) -> int:
    return MINOR_UNITS[code]


def amount_text(amount: int, code: str) -> str:
    """An amount in minor units as a person reads it in a message, in major units with the
    currency's code: 25940 EUR is "259.40 EUR", 1500 JPY "1500 JPY", 12345 KWD "12.345 KWD"
    (an unknown code is taken as two decimals)."""
    places = MINOR_UNITS.get(code, 2)
    sign, units = ("-" if amount < 0 else ""), abs(amount)
    if places == 0:
        return f"{sign}{units} {code}"
    whole, part = divmod(units, 10**places)
    return f"{sign}{whole}.{part:0{places}d} {code}"


def check_chargeable(total: int, code: str) -> int:
    """An order's total, if one payment can take it (as sent to the processor: a
    three-decimal currency in its steps of 10); else InvalidInput `amount_too_large`."""
    if to_provider_amount(max(0, total), code) > MAX_AMOUNT:
        raise InvalidInput(
            f"The total is more than one payment can take ({MAX_AMOUNT} minor units): "
            "book fewer nights, people or items per order.",
            code="amount_too_large",
            total=total,
            max_amount=MAX_AMOUNT,
        )
    return total


def to_provider_amount(amount: int, code: str) -> int:
    """The amount to send to the card processor, a charge or a refund. Stripe takes minor
    units, except that three-decimal currencies (KWD, BHD, ...) must be a multiple of 10:
    round down to 10, so 12.345 KWD is charged as 12.340 and the 5 fils the card could not
    take are not asked (order_money.under_a_step), and a refund never gives more than is
    owed. Never up: an outside tester's card paid 12.350 for a 12.345 total, and nothing
    gave the 5 fils back."""
    if amount < 0:
        raise ValueError("amounts are not negative")
    if minor_units(code) == 3:
        return amount // 10 * 10
    return amount
