"""Budgets on the routes anyone can call: what counts, how much, over which window.

A publishable key is public (it sits in every page that embeds the widget) and sign-up needs no
key at all, so without budgets anyone can hold a tenant's whole inventory, make the platform send
messages to numbers of their choosing, or create tables until the account's limit. Each budget is
a number of uses per fixed window per subject (a client address, a key, a customer's contact);
the storage counts them (one conditional increment per budget) and these rules say which
budgets a request draws on and what each allows.

- Per plan: defaults (`PLAN_LIMITS`). A tenant may lower its own (`lower_limits`), never raise
  them above its plan.
- Per deployment: `scale` multiplies the plan's budgets (never the tenant's own lower ones).
  Tests and the local stack, where every client is 127.0.0.1, raise it; there is no switch
  that turns budgets off, so the races and the fuzz still run through them.
- Open holds per contact are counted as holds per contact per hold period: a hold cannot
  outlive its period, so one window holds at most the budget's number of open holds (twice
  that across a window's edge) at the price of one counter, where counting live holds would
  read every order an e-mail address was ever given.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import fields, replace
from enum import StrEnum
from typing import Any

from chalicelib.kernel.domain import values
from chalicelib.kernel.domain.errors import DomainError, InvalidInput
from chalicelib.kernel.domain.tenant import Plan


class RateLimited(DomainError):
    """A budget is spent for this window; retry after `retry_after` seconds (HTTP 429)."""

    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int, **details: Any) -> None:
        super().__init__(message, retry_after_seconds=retry_after, **details)
        self.retry_after = retry_after


class Action(StrEnum):
    """What a rate-limited route does, which decides the budgets it draws on."""

    HOLD = "hold"  # POST /v1/public/orders
    CHANGE = "change"  # a customer pays for, moves or cancels their own order
    BROWSE = "browse"  # GET /v1/public/availability (one Query per resource)
    SIGNUP = "signup"  # POST /v1/signup (each one creates a table)


class Scope(StrEnum):
    ADDRESS = "address"  # the client address API Gateway saw (never X-Forwarded-For)
    KEY = "key"  # the credential: a publishable key, or whoever called the public route
    CONTACT = "contact"  # the customer's e-mail address or phone number
    PLATFORM = "platform"  # everyone together (the sign-up ceiling)


MINUTE = 60
HOUR = 3600


@values.value
class PublicLimits:
    """A tenant's budgets on its public routes (per minute unless the name says otherwise)."""

    holds_per_minute_per_address: int
    holds_per_minute_per_key: int
    holds_per_contact: int  # per hold period: at most this many open holds per contact
    changes_per_minute_per_address: int
    changes_per_minute_per_key: int
    availability_per_minute_per_address: int
    availability_per_minute_per_key: int

    def scaled(self, scale: int) -> PublicLimits:
        return PublicLimits(**{f.name: getattr(self, f.name) * scale for f in fields(self)})

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


LIMIT_NAMES = tuple(f.name for f in fields(PublicLimits))

PLAN_LIMITS: dict[Plan, PublicLimits] = {
    Plan.FREE: PublicLimits(30, 300, 5, 30, 300, 120, 1200),
    Plan.PRO: PublicLimits(60, 600, 5, 60, 600, 240, 2400),
    Plan.BUSINESS: PublicLimits(120, 1200, 10, 120, 1200, 480, 4800),
}


@values.value
class SignupLimits:
    """Sign-ups per client address and for the whole platform, per hour (each makes a table,
    and an account has 2,500 by default)."""

    per_hour_per_address: int = 5
    per_hour: int = 60

    def scaled(self, scale: int) -> SignupLimits:
        return SignupLimits(self.per_hour_per_address * scale, self.per_hour * scale)


@values.value
class Budget:
    """One budget a request draws on: `limit` uses per `window_seconds` for one subject."""

    name: str  # e.g. "holds_per_minute_per_address"
    scope: Scope
    subject: str  # the address, key id, hashed contact, or "all"
    limit: int
    window_seconds: int

    def window(self, now: float) -> Window:
        start = int(now) // self.window_seconds * self.window_seconds
        return Window(start=start, end=start + self.window_seconds)

    def counter_key(self) -> str:
        return f"RL#{self.name}#{self.subject}"

    def refused(self, now: float) -> RateLimited:
        retry_after = max(1, self.window(now).end - int(now))
        return RateLimited(
            f"Too many requests: {self.limit} per {_span(self.window_seconds)} "
            f"per {self.scope.value}. Try again in {retry_after} s.",
            retry_after=retry_after,
            budget=self.name,
            limit=self.limit,
            window_seconds=self.window_seconds,
        )


@values.value
class Window:
    start: int  # epoch seconds
    end: int

    @property
    def expires_at(self) -> int:
        """When the counter of this window may go (a TTL a minute after its end)."""
        return self.end + MINUTE


def _span(seconds: int) -> str:
    if seconds % HOUR == 0:
        return "hour" if seconds == HOUR else f"{seconds // HOUR} hours"
    return "minute" if seconds == MINUTE else f"{seconds // MINUTE} minutes"


def effective_limits(plan: Plan, own: tuple[tuple[str, int], ...], scale: int = 1) -> PublicLimits:
    """The plan's budgets times `scale`, lowered wherever the tenant set its own."""
    base = PLAN_LIMITS[plan].scaled(max(1, scale))
    lowered = {name: min(getattr(base, name), value) for name, value in own if name in LIMIT_NAMES}
    return replace(base, **lowered)


def lower_limits(
    plan: Plan, own: tuple[tuple[str, int], ...], changes: dict[str, int | None]
) -> tuple[tuple[str, int], ...]:
    """The tenant's own budgets after `changes` (a number sets one, None returns it to the
    plan's). A number above the plan's is refused: a tenant can only lower its budgets."""
    plan_limits = PLAN_LIMITS[plan]
    merged = dict(own)
    for name, value in changes.items():
        if name not in LIMIT_NAMES:
            raise InvalidInput(f"Unknown limit {name!r}.", code="invalid_limit", field=name)
        if value is None:
            merged.pop(name, None)
            continue
        allowed = getattr(plan_limits, name)
        if not 1 <= value <= allowed:
            raise InvalidInput(
                f"The {plan.value} plan allows 1 to {allowed} for {name}; "
                "a tenant can lower its limits, not raise them.",
                code="limit_above_plan",
                field=f"public_limits.{name}",
                allowed=allowed,
                plan=plan.value,
            )
        merged[name] = value
    return tuple(sorted(merged.items()))


def shown_limits(plan: Plan, own: tuple[tuple[str, int], ...]) -> dict[str, int]:
    """The budgets as the tenant sees them: its plan's, lowered where it set its own."""
    return effective_limits(plan, own).as_dict()


def public_budgets(
    action: Action,
    limits: PublicLimits,
    *,
    address: str,
    key: str,
) -> list[Budget]:
    """The per-address and per-key budgets a public request draws on, address first."""
    prefix = {Action.HOLD: "holds", Action.CHANGE: "changes", Action.BROWSE: "availability"}
    if action not in prefix:
        raise ValueError(action)
    name = prefix[action]
    return [
        Budget(
            f"{name}_per_minute_per_address",
            Scope.ADDRESS,
            client_subject(address),
            getattr(limits, f"{name}_per_minute_per_address"),
            MINUTE,
        ),
        Budget(
            f"{name}_per_minute_per_key",
            Scope.KEY,
            key,
            getattr(limits, f"{name}_per_minute_per_key"),
            MINUTE,
        ),
    ]


def contact_budgets(
    limits: PublicLimits, *, email: str, phone: str | None, hold_minutes: int
) -> list[Budget]:
    """Holds per customer contact (the e-mail, and the phone when one is given) per hold
    period. Contacts are hashed: the counter's key carries no personal data."""
    contacts = [email.strip().lower()] + ([phone] if phone else [])
    return [
        Budget(
            "holds_per_contact",
            Scope.CONTACT,
            _digest(contact),
            limits.holds_per_contact,
            max(1, hold_minutes) * MINUTE,
        )
        for contact in contacts
    ]


def signup_budgets(limits: SignupLimits, *, address: str) -> list[Budget]:
    """Sign-ups per client address, then for everyone, per hour."""
    return [
        Budget(
            "signups_per_hour_per_address",
            Scope.ADDRESS,
            client_subject(address),
            limits.per_hour_per_address,
            HOUR,
        ),
        Budget("signups_per_hour", Scope.PLATFORM, "all", limits.per_hour, HOUR),
    ]


def client_subject(address: str) -> str:
    """The subject a client address is counted under: an IPv4 address as it is, an IPv6 one by
    its /64 (one subscriber's whole prefix, which they can rotate through at will)."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return "unknown" if not address.strip() else "other:" + _digest(address)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]
