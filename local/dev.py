"""`make dev`: the whole stack on this machine, with demo tenants.

Starts DynamoDB Local, moto server, the platform resources, `chalice local` on 127.0.0.1:8000
and the worker loop (queues and schedules), then signs up demo tenants through the HTTP API, as
a customer would. Ctrl-C or SIGTERM stops everything it started, by pid, and exits 0.

    python -m local.dev [--port 8000] [--data-dir .local/dynamodb] [--no-seed]

With a data folder (or RESERVOIR_DATA_DIR) DynamoDB keeps its tables between runs. moto keeps
nothing: queues, the user pool and its users are new on every run, so staff logins made in an
earlier run do not work in a later one (tenants already there are not seeded again).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from types import FrameType
from typing import Any

import requests

from local.demo_catalog import seed_catalog
from local.emulators import (
    ChaliceLocal,
    DynamoDBLocal,
    LocalStripe,
    ManagedServer,
    MotoServer,
    free_port,
)
from local.resources import Stack, build_stack, configure_stripe_webhooks, stripe_environment

log = logging.getLogger("reservoir.local.dev")

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
        staff=(DemoStaff("frontdesk@harbour-view.example", "Jonas Weber", "manager"),),
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
    http: requests.Session, api: str, cognito: Any, pool: str, demo: DemoTenant
) -> SeedResult:
    """Sign the tenant up, wait for provisioning, invite its staff, give everyone a password."""
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
    for person in demo.staff:
        body = {"email": person.email, "name": person.name, "role": person.role}
        _expect(
            http.post(f"{api}/v1/staff", json=body, headers=auth, timeout=30),
            201,
            f"inviting {person.email} to {demo.slug}",
        )
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


def seed(stack: Stack, api: str) -> list[SeedResult]:
    http = requests.Session()
    http.trust_env = False  # 127.0.0.1 never goes through a proxy
    cognito = stack.client("cognito-idp")
    pool = stack.resources.user_pool_id
    results = []
    for demo in DEMO_TENANTS:
        try:
            results.append(seed_tenant(http, api, cognito, pool, demo))
        except (SeedError, requests.RequestException) as exc:
            log.error("could not seed %s: %s", demo.slug, exc)
            results.append(SeedResult(demo, problems=[str(exc)]))
    return results


# -- what the developer reads ------------------------------------------------------------------


def banner(api: str, servers: list[ManagedServer], results: list[SeedResult]) -> str:
    lines = [
        "",
        "=" * 78,
        "Reservoir is running locally",
        f"  API ............ {api}/v1/",
        f"  API docs ....... {api}/v1/docs   (OpenAPI: {api}/v1/openapi.json)",
    ]
    lines += [f"  {s.name + ' ':.<16} {s.endpoint} (pid {s.pid})" for s in servers]
    lines.append(
        "  booking pages .. the widget's public API is live (/v1/public/*, publishable key);"
        " its page arrives with the widget issue"
    )
    for result in results:
        demo = result.demo
        lines += ["", f"{demo.business_name} ({demo.slug}, {demo.business_type})"]
        if result.skipped:
            lines.append("  already there (kept data): not seeded again; its keys were shown then.")
            lines.append("  Its staff logins are gone: moto (Cognito) keeps nothing between runs.")
            continue
        if result.tenant_id:
            lines += [
                f"  tenant id ........ {result.tenant_id}",
                f"  secret key ....... {result.secret_key}",
                f"  publishable key .. {result.publishable_key}",
            ]
        lines += [f"  offering ......... {offering}" for offering in result.offerings]
        lines += [f"  login ............ {login}" for login in result.logins]
        lines += [f"  PROBLEM .......... {problem}" for problem in result.problems]
    if results and any(r.logins for r in results):
        lines += ["", f"Staff password (local only): {DEMO_PASSWORD}"]
    sample = next((r for r in results if r.secret_key), None)
    key = sample.secret_key if sample else "sk_..."
    moto = next((s.endpoint for s in servers if s.name == "moto-server"), "<moto endpoint>")
    lines += [
        "",
        "E-mails and text messages the stack sent (moto keeps them; nothing leaves the machine):",
        f"  .venv/bin/python -m local.mailbox --endpoint {moto} --body",
        "",
        "Try:",
        f"  curl -s {api}/v1/tenant -H 'Authorization: Bearer {key}'",
        f"  curl -s '{api}/v1/availability?offering=<offering id>&from=<date>&to=<date>'"
        f" -H 'Authorization: Bearer {key}'",
        "",
        "Ctrl-C stops everything.",
        "=" * 78,
    ]
    return "\n".join(lines)


# -- running and stopping ----------------------------------------------------------------------


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C or SIGTERM: unwind through the `finally` blocks that stop the servers.

    Further signals are ignored from here on, so a second Ctrl-C cannot cut a server's stop
    short (each stop is bounded: SIGTERM, then SIGKILL after a grace period)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


@contextlib.contextmanager
def _server(server: ManagedServer) -> Iterator[ManagedServer]:
    log.info("starting %s on port %d", server.name, server.port)
    server.start()
    try:
        yield server
    finally:
        log.info("stopping %s (pid %s)", server.name, server.pid)
        server.stop()


def rewire_tenant_tables(stack: Stack) -> int:
    """Tables kept in a data folder from before tenant tables streamed their events get their
    stream now, as provisioning gives every new table (the worker loop then reads it)."""
    from chalicelib.settings import from_environ
    from chalicelib.tenancy.adapters.tables import DynamoTenantTables

    client = stack.client("dynamodb")
    prefix = from_environ(stack.env).tenant_table_prefix
    tables = DynamoTenantTables(client, supports_pitr_and_tags=False, table_arn_prefix="")
    pages = client.get_paginator("list_tables").paginate()
    names = [n for page in pages for n in page.get("TableNames", []) if n.startswith(prefix)]
    for name in names:
        tables.ensure_table(name, tags={})
    return len(names)


@contextlib.contextmanager
def _worker_thread(stack: Stack) -> Iterator[None]:
    # The loop calls the app's handlers in this process, so it needs the stack's environment
    # before the app reads its settings.
    os.environ.update(stack.env)
    from app import app
    from local.worker_loop import WorkerLoop

    stop = threading.Event()
    loop = WorkerLoop.for_stack(app, stack, wait_seconds=1)
    thread = threading.Thread(
        target=loop.run_forever, args=(stop,), name="worker-loop", daemon=True
    )
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m local.dev", description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8000, help="chalice local (default 8000)")
    parser.add_argument(
        "--dynamodb-port", type=int, default=8001, help="DynamoDB Local (default 8001; 0: any)"
    )
    parser.add_argument("--moto-port", type=int, default=8002, help="moto (default 8002; 0: any)")
    parser.add_argument(
        "--stripe-port", type=int, default=8003, help="localstripe (default 8003; 0: any)"
    )
    parser.add_argument(
        "--data-dir",
        default=os.environ.get("RESERVOIR_DATA_DIR") or None,
        help="keep DynamoDB data in this folder, e.g. .local/dynamodb (default: in memory)",
    )
    parser.add_argument("--no-seed", action="store_true", help="do not create demo tenants")
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> int:
    with contextlib.ExitStack() as started:
        dynamodb = started.enter_context(
            _server(DynamoDBLocal(args.dynamodb_port or free_port(), args.data_dir))
        )
        moto = started.enter_context(_server(MotoServer(args.moto_port or free_port())))
        stripe = started.enter_context(_server(LocalStripe(args.stripe_port or free_port())))
        stack = build_stack(dynamodb.endpoint, moto.endpoint)
        stack = replace(stack, env={**stack.env, **stripe_environment(stripe.endpoint)})
        rewire_tenant_tables(stack)
        chalice = started.enter_context(_server(ChaliceLocal(args.port, stack.env, echo=True)))
        configure_stripe_webhooks(stripe.endpoint, chalice.endpoint)
        started.enter_context(_worker_thread(stack))
        results = [] if args.no_seed else seed(stack, chalice.endpoint)
        print(banner(chalice.endpoint, [dynamodb, moto, stripe], results), flush=True)
        return _wait_while_running([dynamodb, moto, stripe, chalice])
    return 1  # only if a context manager swallowed an exception


def _wait_while_running(servers: list[ManagedServer]) -> int:
    while True:
        time.sleep(1.0)
        for server in servers:
            if not server.running:
                log.error("%s stopped on its own:\n%s", server.name, server.output())
                return 1


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    args = parse_args(argv)
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return run(args)
    except KeyboardInterrupt:
        print("\nstopped", flush=True)
        return 0


if __name__ == "__main__":
    sys.exit(main())
