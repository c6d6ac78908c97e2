"""The demo tenants `make dev` creates, through the public API as a business would: sign-up,
provisioning, the catalog (local/demo_catalog.py), the demo site as the widget's origin, staff
with a known local password."""

from __future__ import annotations

import contextlib
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import requests

from local.demo_catalog import seed_catalog
from local.demo_connections import seed_connections
from local.demo_customers import RETURNING_AT, seed_returning_customer
from local.resources import Stack

log = logging.getLogger("reservoir.local.seeding")

# Local only: the emulated user pool lives in moto's memory and never leaves this machine.
DEMO_PASSWORD = "Reservoir-local-2026!"
PROVISIONING_TIMEOUT = 60.0


@dataclass(frozen=True)
class DemoStaff:
    email: str
    name: str
    role: str  # owner | manager | staff | viewer


@dataclass(frozen=True)
class DemoTenant:
    business_name: str
    slug: str
    timezone: str
    currency: str
    locale: str
    business_type: str
    owner_email: str
    owner_name: str
    staff: tuple[DemoStaff, ...] = ()
    # What customers are told (`business` and `opening_hours` of PATCH /v1/tenant); the demo
    # hotel has none, for the settings page's browser test to fill in.
    about: dict[str, Any] = field(default_factory=dict)

    def signup_body(self) -> dict[str, str]:
        return {
            "business_name": self.business_name,
            "slug": self.slug,
            "owner_email": self.owner_email,
            "owner_name": self.owner_name,
            "timezone": self.timezone,
            "currency": self.currency,
            "locale": self.locale,
            "business_type": self.business_type,
        }


DEMO_TENANTS: tuple[DemoTenant, ...] = (
    DemoTenant(
        "Harbour View Hotel",
        "harbour-view",
        "Europe/Berlin",
        "EUR",
        "en",
        "hotel",
        owner_email="owner@harbour-view.example",
        owner_name="Greta Hansen",
        # A manager at the desk and a read-only bookkeeper: every role has a login to try.
        staff=(
            DemoStaff("frontdesk@harbour-view.example", "Jonas Weber", "manager"),
            DemoStaff("accounts@harbour-view.example", "Lena Vogel", "viewer"),
        ),
    ),
    DemoTenant(
        "Shear Studio",
        "shear-studio",
        "America/New_York",
        "USD",
        "en",
        "appointments",
        owner_email="owner@shear-studio.example",
        owner_name="Maya Brooks",
        about={
            "business": {
                "email": "hello@shear-studio.example",
                "phone": "+1 212 555 0142",
                "address": {
                    "lines": ["214 Orchard Street"],
                    "city": "New York, NY",
                    "postcode": "10002",
                    "country": "US",
                },
                "website": "https://shear-studio.example/",
            },
            # The hours its stylists work between them (demo_catalog.py): a tester read
            # "Monday Closed" above a Monday 09:00 with Alex.
            "opening_hours": {
                "weekly": {
                    day: [["09:00", "20:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat")
                },
                "closed_dates": [],
            },
        },
        staff=(
            DemoStaff("alex@shear-studio.example", "Alex Rivera", "staff"),
            DemoStaff("sam@shear-studio.example", "Sam Chen", "staff"),
            DemoStaff("jordan@shear-studio.example", "Jordan Lee", "staff"),
        ),
    ),
    DemoTenant(
        "Great Wall Day Tours",
        "great-wall-tours",
        "Asia/Shanghai",
        "CNY",
        "zh-Hans-CN",
        "tours",
        owner_email="owner@great-wall-tours.example",
        owner_name="Li Wei",
        about={
            "business": {
                "email": "hi@great-wall-tours.example",
                "phone": "+86 10 6512 3456",
                "address": {
                    "lines": ["北京市东城区东长安街 1 号"],
                    "city": "北京",
                    "postcode": "100005",
                    "country": "CN",
                },
            },
            "opening_hours": {
                "weekly": {
                    day: [["06:30", "18:00"]]
                    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
                },
                "closed_dates": [],
            },
        },
        staff=(DemoStaff("guide@great-wall-tours.example", "Zhang Min", "staff"),),
    ),
)


@dataclass
class SeedResult:
    demo: DemoTenant
    skipped: bool = False
    tenant_id: str = ""
    secret_key: str = ""
    publishable_key: str = ""
    logins: list[str] = field(default_factory=list)
    offerings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    connections: list[str] = field(default_factory=list)  # channel partners, keys shown once


class SeedError(RuntimeError):
    """The API answered something the seeding did not expect."""


# -- seeding through the public API ------------------------------------------------------------


def _error_code(response: requests.Response) -> str:
    with contextlib.suppress(ValueError, AttributeError, TypeError):
        return str(response.json()["error"]["code"])
    return ""


def _expect(response: requests.Response, status: int, what: str) -> dict[str, Any]:
    if response.status_code != status:
        raise SeedError(f"{what}: HTTP {response.status_code}: {response.text[:500]}")
    return dict(response.json())


def seed_tenant(
    http: requests.Session,
    api: str,
    cognito: Any,
    pool: str,
    demo: DemoTenant,
    origins: list[str] = [],  # noqa: B006 - read only
) -> SeedResult:
    """Sign the tenant up, wait for provisioning, list the demo site as its widget's origin,
    invite its staff, give everyone a password."""
    response = http.post(f"{api}/v1/signup", json=demo.signup_body(), timeout=30)
    if response.status_code == 409 and _error_code(response) == "slug_taken":
        return SeedResult(demo, skipped=True)
    created = _expect(response, 202, f"sign-up of {demo.slug}")
    result = SeedResult(
        demo,
        tenant_id=created["tenant_id"],
        secret_key=created["secret_key"],
        publishable_key=created["publishable_key"],
    )
    auth = {"Authorization": f"Bearer {result.secret_key}"}
    _wait_until_active(http, api, auth, demo.slug)
    result.offerings = seed_catalog(http, api, auth, demo.slug)
    try:
        result.connections = seed_connections(http, api, auth, demo.slug)
    except (RuntimeError, requests.RequestException) as exc:
        result.problems.append(f"channel partners: {exc}")
    if demo.about:
        told = http.patch(f"{api}/v1/tenant", json=demo.about, headers=auth, timeout=30)
        _expect(told, 200, f"contact and opening hours of {demo.slug}")
    if origins:
        # Its page on the demo site is where its messages' manage links lead.
        page = f"{origins[0]}/demo/{demo.slug}.html"
        allowed = {"widget_origins": origins, "booking_page": page}
        patched = http.patch(f"{api}/v1/tenant", json=allowed, headers=auth, timeout=30)
        _expect(patched, 200, f"widget origins of {demo.slug}")
    for person in demo.staff:
        body = {"email": person.email, "name": person.name, "role": person.role}
        _expect(
            http.post(f"{api}/v1/staff", json=body, headers=auth, timeout=30),
            201,
            f"inviting {person.email} to {demo.slug}",
        )
    if demo.slug == RETURNING_AT:
        result.problems += seed_returning_customer(http, api, auth, result.offerings)
    # Everyone the API lists (the owner too) gets the known local password.
    listed = _expect(http.get(f"{api}/v1/staff", headers=auth, timeout=30), 200, "staff list")
    for user in listed.get("data", []):
        try:
            cognito.admin_set_user_password(
                UserPoolId=pool, Username=user["email"], Password=DEMO_PASSWORD, Permanent=True
            )
            result.logins.append(f"{user['email']} ({user['role']})")
        except cognito.exceptions.UserNotFoundException:
            result.problems.append(f"{user['email']} has no sign-in user in the pool")
    return result


def _wait_until_active(http: requests.Session, api: str, auth: dict[str, str], slug: str) -> None:
    # Provisioning runs on the worker loop (the SQS handler), so this also proves the loop works.
    deadline = time.monotonic() + PROVISIONING_TIMEOUT
    status = "?"
    while time.monotonic() < deadline:
        response = http.get(f"{api}/v1/tenant", headers=auth, timeout=30)
        if response.status_code == 200:
            status = response.json().get("status", "?")
            if status == "active":
                return
        time.sleep(0.5)
    raise SeedError(f"{slug} still {status!r} after {PROVISIONING_TIMEOUT:.0f} s of provisioning")


def connect_stripe(http: requests.Session, api: str, auth: dict[str, str], slug: str) -> None:
    """Connect the tenant's Stripe account as its owner would: start onboarding, complete it on
    the page the link opens (the local Connect stand-in's), wait for `account.updated` to make
    it able to take charges."""
    started = _expect(
        http.post(f"{api}/v1/payments/connect", headers=auth, timeout=30), 200, f"{slug} connect"
    )
    link = started.get("onboarding_url")
    if link:
        done = http.post(link, timeout=30, allow_redirects=False)
        if done.status_code != 303:
            raise SeedError(f"{slug} onboarding: HTTP {done.status_code}")
    deadline = time.monotonic() + PROVISIONING_TIMEOUT
    while time.monotonic() < deadline:
        state = http.get(f"{api}/v1/payments/connect", headers=auth, timeout=30).json()
        if state.get("charges_enabled"):
            return
        time.sleep(0.3)
    raise SeedError(f"{slug}: its Stripe account cannot charge after onboarding")


def seed(
    stack: Stack,
    api: str,
    origins: list[str] = [],  # noqa: B006 - read only
    *,
    stripe: bool = False,
) -> list[SeedResult]:
    """Every demo tenant; with `stripe`, each connects its Stripe account (the local Connect
    stand-in), so the widget takes cards for what is paid ahead."""
    http = requests.Session()
    http.trust_env = False  # 127.0.0.1 never goes through a proxy
    cognito = stack.client("cognito-idp")
    pool = stack.resources.user_pool_id
    results = []
    for demo in DEMO_TENANTS:
        try:
            result = seed_tenant(http, api, cognito, pool, demo, origins)
            if stripe and result.secret_key:
                auth = {"Authorization": f"Bearer {result.secret_key}"}
                connect_stripe(http, api, auth, demo.slug)
            results.append(result)
        except (SeedError, requests.RequestException) as exc:
            log.error("could not seed %s: %s", demo.slug, exc)
            results.append(SeedResult(demo, problems=[str(exc)]))
    return results
