"""What a template sees: plain strings, numbers and lists, already formatted for the locale.

Templates get no objects with behaviour (no Order, no datetime), only this data, so the
sandbox has nothing to reach through. Times are the tenant's wall clock; money is formatted by
the currency's minor units (JPY 0 decimals, EUR 2, KWD 3).
"""

from __future__ import annotations

from typing import Any

from chalicelib.booking.domain.orders import Order
from chalicelib.kernel.domain.business import BusinessDetails
from chalicelib.kernel.domain.money import minor_units
from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.notifications.services.arrival import is_stay, stay_hours, stay_in_time
from chalicelib.notifications.services.content_cancellation import cancellation_words
from chalicelib.notifications.services.content_change import Words, change_words
from chalicelib.notifications.services.content_times import (
    format_deadline,
    format_offset,
    format_when,
)
from chalicelib.notifications.services.content_words import money_of, nights_text, sample_money
from chalicelib.payments.services.refunds import LATE_CANCELLED, LATE_REDEEMED, LATE_TAKEN

# The codes of an off-session charge the card's bank wants its holder to confirm (Stripe's
# decline code; the intent's status as recorded), said as such, not as a decline.
AUTHENTICATION_CODES = frozenset({"authentication_required", "action_required"})

# Why a refund gave a late payment back, by the reason payments recorded it with.
LATE = {LATE_TAKEN: "taken", LATE_CANCELLED: "cancelled", LATE_REDEEMED: "redeemed"}


def format_money(amount: int, currency: str, locale: str = "en") -> str:
    """1234567 EUR -> "EUR 12,345.67"; 1500 JPY -> "JPY 1,500"; 12345 KWD -> "KWD 12.345"."""
    digits = minor_units(currency)
    sign = "-" if amount < 0 else ""
    whole, fraction = divmod(abs(amount), 10**digits)
    text = f"{whole:,}" + (f".{fraction:0{digits}d}" if digits else "")
    return f"{sign}{currency} {text}"


def _line(
    line: Any, tz: str, currency: str, locale: str, details: BusinessDetails
) -> dict[str, Any]:
    if line.nights:
        nights = nights_text(line.nights, locale)  # "Thursday 24 December 2026, 2 nights (…)"
        day = format_when(line.start, tz, locale, with_time=False)
        hours = stay_hours(details, locale)
        when = (
            f"{day}，{nights}（{hours}）" if locale == "zh-Hans" else f"{day}, {nights} ({hours})"
        )
    else:
        when = format_when(line.start, tz, locale)
    resources = ", ".join(a.resource_name for a in line.allocations)
    return {
        "name": line.offering_name,
        "when": when,
        "party": line.party,
        "quantity": line.quantity,
        "nights": line.nights,
        "with": resources,
        "named": _named(line),
        "total": format_money(line.total, currency, locale),
    }


def _named(line: Any) -> str:
    """Who or what the guest chose by name (their stylist, the table they asked for: the
    line's `chosen`), as the built-in messages say it: a salon's customer was never told
    which stylist they were booked with, nor that a change had moved them to another. What
    the business assigned ("any stylist", room numbers) is its arrangement: `with` has it."""
    chosen = line.chosen or ()
    return ", ".join(a.resource_name for a in line.allocations if a.requirement in chosen)


def _kind_defaults() -> dict[str, dict[str, Any]]:
    """Each kind's own part as every other kind's message has it: empty."""
    return {
        "hold": {"minutes": 0, "until": ""},
        "change": {"previous_when": "", "moved": False, "now": ""},
        "cancellation": {
            "refund": "",
            "card_back": "",
            "desk_back": "",
            "fee": "",
            "refund_due": False,
            "has_fee": False,
            "paid": False,
            "by_business": False,
            "unpaid": False,
        },
        "payment": {"amount": ""},
        "refund": {"amount": "", "to_card": False, "to_gift_card": False, "late": ""},
        "due": {
            "amount": "",
            "declined": False,
            "authenticate": False,
            "next_try": "",
            "instalment": 0,
        },
        "reminder": {"in_time": "", "minutes": 0},
        "message": {"subject": "", "body": ""},
    }


_KIND_PART = {
    "held": "hold",
    "changed": "change",
    "cancelled": "cancellation",
    "payment_received": "payment",
    "payment_failed": "payment",
    "refund_issued": "refund",
    "refund_failed": "refund",  # its correction: the same amount, not refunded after all
    "payment_due": "due",
    "reminder": "reminder",
    "message": "message",
}


# Where the postcode follows the town (New York, NY 10002); elsewhere it leads (10115 Berlin).
_POSTCODE_AFTER = frozenset({"US", "CA", "AU", "NZ", "GB", "IE", "CN", "HK", "SG", "IN"})


def contact_of(details: BusinessDetails) -> dict[str, str]:
    """How a customer reaches the business, each "" where it gave none: the address on one
    line (`214 Orchard Street, New York, NY 10002`)."""
    a = details.address
    town = (a.city, a.postcode) if a.country.upper() in _POSTCODE_AFTER else (a.postcode, a.city)
    parts = [*a.lines, " ".join(p for p in town if p)]
    return {
        "phone": details.phone,
        "phone_uri": "tel:" + "".join(c for c in details.phone if c in "+0123456789")
        if details.phone
        else "",
        "email": details.email,
        "website": details.website,
        "address": ", ".join(p for p in parts if p),
    }


def message_context(
    tenant: Tenant, order: Order, locale: str, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The data every template gets, plus the kind's own (`hold`, `change`, ...)."""
    tz, currency = tenant.timezone, order.currency
    details = tenant.settings.business
    lines = [_line(line, tz, currency, locale, details) for line in order.lines]
    context: dict[str, Any] = {
        "business": {"name": tenant.name, "timezone": tz, **contact_of(tenant.settings.business)},
        "customer": {"name": order.customer.name},
        "order": {
            "reference": order.id,
            "status": order.status.value,
            "when": format_when(order.start, tz, locale, with_time=not is_stay(order)),
            "lines": lines,
            **money_of(order, lambda amount: format_money(amount, currency, locale)),
            "currency": currency,
            "manage_url": "",  # notify() gives messages about a live booking their link
            "plan": [
                {"due": _day(i.due, locale), "amount": format_money(i.amount, currency, locale)}
                for i in order.plan
            ],
        },
        **_kind_defaults(),
    }
    for key, value in (extra or {}).items():
        context[key] = {**context.get(key, {}), **value}
    return context


def _day(iso_date: str, locale: str) -> str:
    """A local date as a message says it ("Sunday 28 February 2027", "2027年2月28日 星期日")."""
    return format_when(f"{iso_date}T12:00Z", "UTC", locale, with_time=False)


def kind_data(
    kind: str, tenant: Tenant, order: Order, data: dict[str, Any], locale: str, now: str
) -> dict[str, Any]:
    """The kind's own part of the context, from the event's data."""
    tz, currency = tenant.timezone, order.currency
    if kind == "held" and order.hold_expires_at:
        left = max(0, int((parse(order.hold_expires_at) - parse(now)).total_seconds()) // 60)
        until = format_deadline(order.hold_expires_at, tz, locale)
        return {"hold": {"minutes": left, "until": until}}
    if kind == "message":
        return {"message": {"subject": data.get("subject", ""), "body": data.get("body", "")}}
    if kind == "changed":  # moved, or changed where it was (content_change.py)
        return {"change": change_words(order, data, Words(format_when, tz, locale))}
    if kind == "cancelled":  # the money as it stands (content_cancellation.py)
        say = lambda amount: format_money(amount, currency, locale)  # noqa: E731
        return {"cancellation": cancellation_words(order, data, say)}
    if kind in ("refund_issued", "refund_failed"):
        return {"refund": _refund(data, currency, locale)}
    if kind in ("payment_received", "payment_failed"):
        amount = int(data.get("amount", order.total))
        return {"payment": {"amount": format_money(amount, currency, locale)}}
    if kind == "payment_due":
        return {"due": _due(data, tz, currency, locale)}
    if kind == "reminder":
        minutes = int(data.get("offset_minutes", 0))
        # A stay begins at its check-in time: "tomorrow, check-in from 15:00" (arrival.py).
        said = stay_in_time(order, tenant, now, locale) if is_stay(order) else None
        return {"reminder": {"minutes": minutes, "in_time": said or format_offset(minutes, locale)}}
    return {}


def _refund(data: dict[str, Any], currency: str, locale: str) -> dict[str, Any]:
    """A refund (the notifier's data: its amount and how it went back, `method`), and `late`
    when it gives back a payment that came too late: `taken` (the hold had run out and the
    booking was taken), `cancelled`, `redeemed` (its discount went meanwhile). A phone
    tester's customer was sent "Refund: EUR 23.80" with no word of why."""
    method = str(data.get("method", "online"))
    return {
        "amount": format_money(int(data.get("amount", 0)), currency, locale),
        "to_card": method == "online",
        "to_gift_card": method == "gift_card",
        "late": LATE.get(str(data.get("reason", "")), ""),
    }


def _due(data: dict[str, Any], tz: str, currency: str, locale: str) -> dict[str, Any]:
    """A balance or instalment not taken (the `PaymentDue` event): how much, whether the card
    was declined (else none is kept) or its bank asks the customer to confirm the payment
    (3-D Secure: it cannot be taken without them, and is not a decline), when it is tried
    again ("" : the last try)."""
    retry = data.get("next_try_at")
    authenticate = data.get("code") in AUTHENTICATION_CODES
    return {
        "amount": format_money(int(data.get("amount", 0)), currency, locale),
        "declined": bool(data.get("payment_id")) and not authenticate,
        "authenticate": authenticate,
        "next_try": format_when(str(retry), tz, locale) if retry else "",
        "instalment": int(data.get("step", 0)),
    }


def sample_context(locale: str) -> dict[str, Any]:
    """A full message's data, for checking a tenant's template when it is saved."""
    line = {
        "name": "Double room",
        "when": format_when("2026-12-24T14:00Z", "Europe/Berlin", locale),
        "party": 2,
        "quantity": 1,
        "nights": 2,
        "with": "Room 12",
        "named": "Room 12",
        "total": format_money(24000, "EUR", locale),
    }
    return {
        "business": {
            "name": "Sample Hotel",
            "timezone": "Europe/Berlin",
            "phone": "+49 30 1234567",
            "phone_uri": "tel:+49301234567",
            "email": "stay@hotel.example",
            "website": "https://www.hotel.example/",
            "address": "Hafenstraße 1, 10115 Berlin",
        },
        "customer": {"name": "Ann Example"},
        "order": {
            "reference": "ord_sample",
            "status": "confirmed",
            "when": line["when"],
            "lines": [line],
            "total": line["total"],
            "deposit": format_money(5000, "EUR", locale),
            **sample_money(lambda amount: format_money(amount, "EUR", locale)),
            "currency": "EUR",
            "manage_url": "https://www.example.com/book#reservoir_order=ord_x&reservoir_token=m1",
            "plan": [
                {"due": _day("2026-12-24", locale), "amount": format_money(8000, "EUR", locale)}
            ],
        },
        "hold": {"minutes": 15, "until": line["when"]},
        "change": {"previous_when": line["when"], "moved": True, "now": line["when"]},
        "cancellation": {
            "refund": format_money(18000, "EUR", locale),
            "card_back": format_money(18000, "EUR", locale),
            "desk_back": "",
            "fee": format_money(6000, "EUR", locale),
            "refund_due": True,
            "has_fee": True,
            "by_business": False,
            "unpaid": False,
            "paid": True,
            "late_refund": format_money(6000, "EUR", locale),
            "reason": "",
        },
        "payment": {"amount": line["total"]},
        "refund": {
            "amount": format_money(18000, "EUR", locale),
            "to_card": True,
            "to_gift_card": False,
            "late": "",
        },
        "due": {
            "amount": format_money(19000, "EUR", locale),
            "declined": True,
            "authenticate": False,
            "next_try": line["when"],
            "instalment": 0,
        },
        "reminder": {"in_time": format_offset(1440, locale), "minutes": 1440},
        "message": {
            "subject": "About tomorrow",
            "body": "The pool is closed for repairs tomorrow; breakfast is served from 6:30.",
        },
    }


def placeholders(kind: str) -> list[str]:
    """What a template of this kind may print: every message's `business`, `customer` and
    `order`, and the kind's own part (`reminder.in_time`). A list is named with `[]`
    (`order.lines[].name`: `{% for line in order.lines %}{{ line.name }}{% endfor %}`). Read
    from the sample a saved template is checked against, so the two cannot differ."""
    sample = sample_context("en")
    own = _KIND_PART.get(kind)
    names: list[str] = []
    for group in ("business", "customer", "order", *((own,) if own else ())):
        for key, value in sample[group].items():
            if isinstance(value, list):
                names += [f"{group}.{key}[].{field}" for field in value[0]]
            else:
                names.append(f"{group}.{key}")
    return names


def sample_contexts(kind: str, locale: str) -> list[dict[str, Any]]:
    """The messages a tenant's template is rendered against when it is saved: the kind's own
    full sample (the other kinds' parts empty, as in a real message), then a long one (names
    of 120 characters in two scripts, 20 lines), then a bare one (a name in Chinese, no
    resources, no nights, no deposit, nothing paid)."""
    full = sample_context(locale)
    own = _KIND_PART.get(kind)
    base = {**full, **_kind_defaults()}
    if own:
        base[own] = full[own]
    line = full["order"]["lines"][0]
    long_name = ("Harbour View 港景酒店 " * 8)[:120]
    long_line = {**line, "name": long_name, "with": ", ".join([long_name] * 3), "named": long_name}
    long = {
        **base,
        "business": {**base["business"], "name": long_name},
        "customer": {"name": long_name},
        "order": {**base["order"], "lines": [long_line] * 20},
    }
    bare_line = {**line, "name": "会议室", "with": "", "named": "", "nights": 0, "party": 1}
    bare = {
        **base,
        "customer": {"name": "李雷"},
        "order": {
            **base["order"],
            "lines": [bare_line],
            "deposit": format_money(0, "EUR", locale),
            "has_paid": False,
            "manage_url": "",
        },
    }
    return [base, long, bare]
