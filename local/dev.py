"""`make dev`: the whole stack on this machine, with demo tenants.

Starts DynamoDB Local, moto server, the platform resources, `chalice local` on 127.0.0.1:8000
and the worker loop (queues and schedules), then signs up demo tenants through the HTTP API, as
a customer would (local/seeding.py), and serves each one's website with the booking widget on
127.0.0.1:8004 (local/demo_pages.py) and the staff console on 127.0.0.1:8005 (web/dist/console,
its config.json naming the API and the user pool). Ctrl-C or SIGTERM stops everything it started, by
pid, and exits 0.

    python -m local.dev [--port 8000] [--data-dir .local/dynamodb] [--no-seed]

With a data folder (or RESERVOIR_DATA_DIR) DynamoDB keeps its tables between runs. moto keeps
nothing: queues, the user pool and its users are new on every run, so staff logins made in an
earlier run do not work in a later one (tenants already there are not seeded again).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from types import FrameType

from local.banner import banner, demo_pages
from local.demo_pages import CONSOLE_DIR, StaticSite
from local.dynamodb_local import DynamoDBLocal
from local.emulators import ChaliceLocal, LocalStripe, ManagedServer, MotoServer, free_port
from local.resources import (
    LOCAL_STRIPE_WEBHOOK_SECRET,
    Stack,
    build_stack,
    configure_stripe_webhooks,
    stripe_environment,
)
from local.seeding import seed
from local.stripe_connect import StripeConnect
from local.stripe_plans import create_plans, prices_environment

log = logging.getLogger("reservoir.local.dev")

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


def console_config(stack: Stack, api: str, moto: str, widget: str, stripe: str) -> str:
    """The console's config.json: the API, the user pool's public client on moto, which the
    browser signs in with directly as it would with Cognito (moto answers CORS), the widget's
    script for the embed snippet, and Stripe.js for the plan's card: localstripe's, served by
    the Connect stand-in at `stripe`, with the Card Element (the one it has)."""
    return json.dumps(
        {
            "api": api,
            "widget": widget,
            "cognito": {
                "endpoint": f"{moto}/",
                "region": stack.env.get("AWS_DEFAULT_REGION", "us-east-1"),
                "clientId": stack.env["RESERVOIR_COGNITO_CLIENT_ID"],
            },
            "stripe": {"js": f"{stripe}/js.stripe.com/v3/", "mounting": "card"},
        }
    )


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
    parser.add_argument(
        "--port", type=int, default=8000, help="chalice local (default 8000; 0: any)"
    )
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
    parser.add_argument(
        "--pages-port", type=int, default=8004, help="demo sites with the widget (default 8004)"
    )
    parser.add_argument(
        "--console-port", type=int, default=8005, help="the staff console (default 8005)"
    )
    parser.add_argument("--no-seed", action="store_true", help="do not create demo tenants")
    return parser.parse_args(argv)


def addresses_environment(api_port: int, console_port: int) -> dict[str, str]:
    """Where this stack answers: the console's origin (CORS), and the API's own address, which
    links in e-mails (unsubscribe, manage, gift cards) are built on; left at its default
    (port 8000) a stack started with `--port 8100` would send links to another stack."""
    return {
        "RESERVOIR_CONSOLE_ORIGIN": f"http://127.0.0.1:{console_port}",
        "RESERVOIR_PUBLIC_BASE_URL": f"http://127.0.0.1:{api_port}",
    }


def run(args: argparse.Namespace) -> int:
    with contextlib.ExitStack() as started:
        dynamodb = started.enter_context(
            _server(DynamoDBLocal(args.dynamodb_port or free_port(), args.data_dir))
        )
        moto = started.enter_context(_server(MotoServer(args.moto_port or free_port())))
        stripe = started.enter_context(_server(LocalStripe(args.stripe_port or free_port())))
        # The app talks to Stripe through the Connect stand-in, which forwards to localstripe
        # what it does not answer itself and relays localstripe's events to the API.
        connect = StripeConnect(stripe.endpoint, webhook_secret=LOCAL_STRIPE_WEBHOOK_SECRET)
        started.callback(connect.stop)
        connect.start()
        create_plans(stripe.endpoint)
        stack = build_stack(dynamodb.endpoint, moto.endpoint)
        console_port = args.console_port or free_port()
        api_port = args.port or free_port()
        stack = replace(
            stack,
            env={
                **stack.env,
                **stripe_environment(connect.endpoint),
                **prices_environment(),
                **addresses_environment(api_port, console_port),
            },
        )
        rewire_tenant_tables(stack)
        chalice = started.enter_context(_server(ChaliceLocal(api_port, stack.env, echo=True)))
        connect.webhook_target = chalice.endpoint
        configure_stripe_webhooks(stripe.endpoint, connect.endpoint)
        started.enter_context(_worker_thread(stack))
        site = started.enter_context(StaticSite(args.pages_port or free_port()))
        console = started.enter_context(
            StaticSite(
                console_port,
                {
                    "/config.json": console_config(
                        stack,
                        chalice.endpoint,
                        moto.endpoint,
                        f"{site.endpoint}/widget/reservoir-widget.js",
                        connect.endpoint,
                    )
                },
                folders={"/": CONSOLE_DIR},
                name="console",
            )
        )
        origins = [site.endpoint, f"http://localhost:{site.port}"]
        results = [] if args.no_seed else seed(stack, chalice.endpoint, origins, stripe=True)
        if results:  # a few weeks of past bookings, through the engine, for the dashboard
            from local.demo_history import seed_history

            fresh = [r.tenant_id for r in results if r.tenant_id and not r.skipped]
            for problem in seed_history(fresh):
                log.warning("past bookings: %s", problem)
        site.pages.update(demo_pages(site, chalice.endpoint, connect.endpoint, results))
        print(
            banner(chalice.endpoint, [dynamodb, moto, stripe], results, site, console),
            flush=True,
        )
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
