"""Segments: who a campaign is for, as rules over a customer's record and figures.

A segment is a list of rules, all of which must hold (AND). Each rule is typed by its `kind`:
- numbers compared with `op` (`>=`, `>`, `<=`, `<`, `=`) and `number`:
  `days_since_last_visit` (whole days from the last visit's start to now; a customer who never
  came matches no such rule), `visits`, `bookings`, `cancellations`, `no_shows`, `spend`
  (minor units of the business's currency);
- `booked_offering` with `text` = the offering's id and `days` (None: ever): a confirmed,
  checked-in or completed order of theirs with a line of that offering whose start lies in the
  last `days` days (up to now); ever: any such order, past or to come. It needs the customer's
  orders (`needs_orders`), read only for the customers every other rule let through;
- `birthday_this_month`: the birthday's month (yyyy-mm-dd or --mm-dd) is the month it is now in
  the business's time zone (not UTC's: at 23:30 on 31 December in Auckland it is already
  January there);
- `tag` with `text`: one of the customer's tags, case-insensitively;
- `language` with `text`: the language staff recorded, else the one they booked in; `zh`
  matches `zh-Hans`, `zh-hans` matches `zh-Hans`;
- `consent` with `flag`: whether they agreed to marketing e-mail (and did not withdraw it).

The examples of the issue: "no visit for 90 days and more than 3 visits before" is
[days_since_last_visit >= 90, visits > 3]; "booked a Great Wall tour" is
[booked_offering <id of the tour>]; "birthday this month" is [birthday_this_month].

Pure: the clock, the zone and the customer's orders are handed in.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from enum import StrEnum

from chalicelib.customers.domain.records import CustomerRecord
from chalicelib.kernel.domain.calendar import parse_iso_utc, to_local
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.domain.untrusted import ascii_int
from chalicelib.kernel.domain.values import value

MAX_RULES = 20
MAX_DAYS = 3660
MAX_NUMBER = 10**12
MAX_NAME = 100


class RuleKind(StrEnum):
    DAYS_SINCE_LAST_VISIT = "days_since_last_visit"
    VISITS = "visits"
    BOOKINGS = "bookings"
    CANCELLATIONS = "cancellations"
    NO_SHOWS = "no_shows"
    SPEND = "spend"
    BOOKED_OFFERING = "booked_offering"
    BIRTHDAY_THIS_MONTH = "birthday_this_month"
    TAG = "tag"
    LANGUAGE = "language"
    CONSENT = "consent"


class Op(StrEnum):
    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "="


_COMPARE: dict[Op, Callable[[int, int], bool]] = {
    Op.GE: operator.ge,
    Op.GT: operator.gt,
    Op.LE: operator.le,
    Op.LT: operator.lt,
    Op.EQ: operator.eq,
}
NUMERIC = frozenset(
    {
        RuleKind.DAYS_SINCE_LAST_VISIT,
        RuleKind.VISITS,
        RuleKind.BOOKINGS,
        RuleKind.CANCELLATIONS,
        RuleKind.NO_SHOWS,
        RuleKind.SPEND,
    }
)
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")  # any case: matched so
TEXTUAL = frozenset({RuleKind.BOOKED_OFFERING, RuleKind.TAG, RuleKind.LANGUAGE})
BOOKED_STATUSES = frozenset({"confirmed", "checked_in", "completed"})


@value
class Rule:
    kind: RuleKind
    op: Op | None = None
    number: int | None = None
    text: str | None = None
    days: int | None = None
    flag: bool | None = None


@value
class Segment:
    id: str
    name: str
    rules: tuple[Rule, ...]
    created_at: str
    updated_at: str
    created_by: str = ""
    version: int = 1


@value
class PastOrder:
    """What a `booked_offering` rule reads of one of the customer's orders."""

    start: str  # UTC instant of its first line
    status: str
    offerings: tuple[str, ...]


def _bad(message: str, index: int) -> InvalidInput:
    return InvalidInput(message, code="invalid_rule", rule=index)


def _fields_of(kind: RuleKind) -> frozenset[str]:
    """The fields a rule of this kind reads (any other is a mistake: `{"kind": "tag", "op":
    ">"}` would otherwise be kept as a tag rule and its comparison silently dropped)."""
    if kind in NUMERIC:
        return frozenset({"op", "number"})
    if kind is RuleKind.BOOKED_OFFERING:
        return frozenset({"text", "days"})
    if kind in TEXTUAL:
        return frozenset({"text"})
    if kind is RuleKind.CONSENT:
        return frozenset({"flag"})
    return frozenset()


def check_rule(rule: Rule, index: int) -> Rule:
    """The rule as kept (text trimmed), or InvalidInput `invalid_rule` naming its position
    (a field its kind does not read too, naming the fields in `fields`)."""
    kind = rule.kind
    given = {f for f in ("op", "number", "text", "days", "flag") if getattr(rule, f) is not None}
    extra = sorted(given - _fields_of(kind))
    if extra:
        raise InvalidInput(
            f"Rule {index + 1} ({kind.value}) does not take {', '.join(extra)}.",
            code="invalid_rule",
            rule=index,
            fields=extra,
        )
    if kind in NUMERIC:
        if rule.op is None or rule.number is None:
            raise _bad(f"Rule {index + 1} needs an `op` and a `number`.", index)
        if not 0 <= rule.number <= MAX_NUMBER:
            raise _bad(f"Rule {index + 1}'s number is out of range.", index)
        return Rule(kind, op=rule.op, number=rule.number)
    if kind in TEXTUAL:
        text = (rule.text or "").strip()
        if not text or len(text) > MAX_NAME:
            raise _bad(f"Rule {index + 1} needs a `text` of 1 to {MAX_NAME} characters.", index)
        if kind is RuleKind.LANGUAGE and not LANGUAGE_TAG.fullmatch(text):
            # a tester's "!!" was kept, a rule no customer can meet, shown as "Speaks !!"
            raise _bad(f"Rule {index + 1}'s language is a tag: en, zh, zh-Hans, pt-BR.", index)
        days = rule.days if kind is RuleKind.BOOKED_OFFERING else None
        if days is not None and not 1 <= days <= MAX_DAYS:
            raise _bad(f"Rule {index + 1}'s days are 1 to {MAX_DAYS}.", index)
        return Rule(kind, text=text, days=days)
    if kind is RuleKind.CONSENT:
        return Rule(kind, flag=True if rule.flag is None else rule.flag)
    return Rule(kind)


def check_segment(name: str, rules: Sequence[Rule]) -> tuple[str, tuple[Rule, ...]]:
    clean = " ".join(name.split())
    if not clean or len(clean) > MAX_NAME:
        raise InvalidInput(
            f"A segment needs a name of 1 to {MAX_NAME} characters.", code="invalid_name"
        )
    if not rules or len(rules) > MAX_RULES:
        raise InvalidInput(
            f"A segment has 1 to {MAX_RULES} rules.", code="invalid_rules", limit=MAX_RULES
        )
    return clean, tuple(check_rule(r, i) for i, r in enumerate(rules))


def needs_orders(rules: Sequence[Rule]) -> bool:
    return any(r.kind is RuleKind.BOOKED_OFFERING for r in rules)


def _number(customer: CustomerRecord, kind: RuleKind, now: datetime) -> int | None:
    f = customer.figures
    if kind is RuleKind.DAYS_SINCE_LAST_VISIT:
        return (now - parse_iso_utc(f.last_visit)).days if f.last_visit else None
    numbers = {
        RuleKind.VISITS: f.visits,
        RuleKind.BOOKINGS: f.bookings,
        RuleKind.CANCELLATIONS: f.cancellations,
        RuleKind.NO_SHOWS: f.no_shows,
        RuleKind.SPEND: f.spend,
    }
    return numbers[kind]


def birthday_month(birthday: str) -> int | None:
    """The month of `yyyy-mm-dd` or `--mm-dd`; None for anything else."""
    parts = birthday.removeprefix("--").split("-")
    month = parts[-2] if len(parts) >= 2 else ""
    n = ascii_int(month, max_digits=2) if len(month) == 2 else None
    return n if n is not None and 1 <= n <= 12 else None


def _language(customer: CustomerRecord, wanted: str) -> bool:
    have = (customer.profile.language or customer.profile.locale).casefold()
    want = wanted.casefold()
    return bool(have) and (have == want or have.startswith(want + "-"))


def _booked(rule: Rule, orders: Sequence[PastOrder], now: datetime) -> bool:
    since = now - timedelta(days=rule.days) if rule.days is not None else None
    for order in orders:
        if order.status not in BOOKED_STATUSES or rule.text not in order.offerings:
            continue
        if since is None or since <= parse_iso_utc(order.start) <= now:
            return True
    return False


def holds(
    rule: Rule,
    customer: CustomerRecord,
    *,
    now: str,
    tz: str,
    orders: Sequence[PastOrder] = (),
) -> bool:
    """Whether one rule holds for the customer at `now` (UTC) in the business's zone `tz`."""
    moment = parse(now)  # the clock's form; visits and orders keep the compact one
    kind = rule.kind
    if kind in NUMERIC:
        have = _number(customer, kind, moment)
        assert rule.op is not None and rule.number is not None
        return have is not None and _COMPARE[rule.op](have, rule.number)
    if kind is RuleKind.BIRTHDAY_THIS_MONTH:
        return birthday_month(customer.profile.birthday) == to_local(moment, tz).month
    if kind is RuleKind.TAG:
        return (rule.text or "").casefold() in {t.casefold() for t in customer.tags}
    if kind is RuleKind.LANGUAGE:
        return _language(customer, rule.text or "")
    if kind is RuleKind.CONSENT:
        granted = customer.consent is not None and customer.consent.granted
        return granted is bool(rule.flag)
    return _booked(rule, orders, moment)


def matches(
    rules: Sequence[Rule],
    customer: CustomerRecord,
    *,
    now: str,
    tz: str,
    orders: Sequence[PastOrder] | None = None,
) -> bool:
    """Whether every rule holds. `orders`: the customer's orders, needed only when a rule is
    `booked_offering`; None means not read yet, and such rules are then taken to hold (the
    caller reads the orders of the customers the other rules let through, and asks again)."""
    for rule in rules:
        if rule.kind is RuleKind.BOOKED_OFFERING and orders is None:
            continue
        if not holds(rule, customer, now=now, tz=tz, orders=orders or ()):
            return False
    return True
