"""The long OpenAPI fuzz: schemathesis against `chalice local` over HTTP.

The suite's fuzz (tests/api/test_fuzz_api.py) runs in process with fakes and a fixed, small
number of examples so that it fits `make test`. This one starts the local stack (DynamoDB
Local, moto server, localstripe behind the tests' Connect stand-in, and `chalice local` on
127.0.0.1; all stopped at the end), and for
every operation of the app's own OpenAPI document (read from GET /v1/openapi.json) signs a
fresh tenant up over HTTP, provisions it with the local worker loop, gives it a room, a
stylist, their offerings, orders, a webhook endpoint, a calendar feed, a spare key and a spare
staff user, and then sends `--examples` cases (positive and negative, a random seed unless
`--seed`): the same checks as the suite's fuzz (no 5xx; status, content type and body as
documented; schema-violating requests refused). Each tenant is connected to Stripe, so the
payment routes reach the provider.

The cases the suite's fuzz skips for defects other branches own are skipped here too (one
list: tests/api/test_fuzz_api.py, KNOWN_DEFECTS). Prints a line per operation, then one
JSON line.

    .venv/bin/python -m bench.fuzz [--examples 200] [--seed N] [--only /v1/orders]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

# Run as `python -m bench.fuzz`: run as a script, bench/ would lead sys.path and `import
# requests` would find bench/requests.py instead of the HTTP library.
if Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    del sys.path[0]

import requests  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from local.dynamodb_local import DynamoDBLocal  # noqa: E402
from local.emulators import ChaliceLocal, LocalStripe, MotoServer, free_port  # noqa: E402
from local.resources import Stack, build_stack, stripe_environment  # noqa: E402
from local.stripe_connect import StripeConnect  # noqa: E402
from tests.fuzz_support import (  # noqa: E402
    Outcome,
    World,
    as_json,
    load_schema,
    report,
    run_operation,
    summary,
)

WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Http:
    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.session = requests.Session()
        self.session.trust_env = False  # loopback: never through a proxy

    def send(self, method: str, url: str, headers: dict[str, str], body: bytes) -> Any:
        r = self.session.request(
            method, self.endpoint + url, headers=headers, data=body or None, timeout=30
        )
        return r.status_code, dict(r.headers), r.content

    def ok(self, method: str, path: str, status: int, key: str, body: Any = None) -> Any:
        r = self.session.request(
            method,
            self.endpoint + path,
            json=body,
            headers={"Authorization": f"Bearer {key}"},
            timeout=30,
        )
        if r.status_code != status:
            raise SystemExit(f"{method} {path}: {r.status_code} {r.text}")
        return r.json() if r.content else None


def provisioned_tenant(stack: Stack, http: Http, loop: Any, n: int) -> dict[str, Any]:
    slug = f"fuzz-{os.urandom(3).hex()}-{n}"
    r = http.session.post(
        http.endpoint + "/v1/signup",
        json={
            "business_name": "Fuzz Hotel",
            "slug": slug,
            "owner_email": f"owner@{slug}.example",
            "timezone": "Europe/Berlin",
            "currency": "EUR",
            "locale": "en",
            "business_type": "hotel",
        },
        timeout=30,
    )
    if r.status_code != 202:
        raise SystemExit(f"sign-up failed: {r.status_code} {r.text}")
    tenant = r.json()
    for _ in range(60):
        loop.run_round(wait_seconds=0)
        got = http.session.get(
            http.endpoint + "/v1/tenant",
            headers={"Authorization": f"Bearer {tenant['secret_key']}"},
            timeout=30,
        )
        if got.json().get("status") == "active":
            tenant["slug"] = slug
            return tenant
        time.sleep(0.2)
    raise SystemExit("the tenant was not provisioned")


def build_world(stack: Stack, http: Http, loop: Any, n: int, day: str) -> World:
    tenant = provisioned_tenant(stack, http, loop, n)
    sk, pk = tenant["secret_key"], tenant["publishable_key"]
    room = http.ok("POST", "/v1/resources", 201, sk, {"name": "Room", "kind": "nightly",
                                                        "capacity": 50})  # fmt: skip
    anna = http.ok(
        "POST",
        "/v1/resources",
        201,
        sk,
        {"name": "Anna", "kind": "timed", "capacity": 1, "skills": ["cut"],
         "hours": {d: [["09:00", "17:00"]] for d in WEEK}, "slot_minutes": 15},
    )  # fmt: skip
    stay = http.ok(
        "POST",
        "/v1/offerings",
        201,
        sk,
        {"name": "Stay", "kind": "nightly", "requirements": [{"resource_id": room["id"]}],
         "pricing": {"amount": 12000, "basis": "night"}},
    )  # fmt: skip
    cut = http.ok(
        "POST",
        "/v1/offerings",
        201,
        sk,
        {"name": "Cut", "kind": "timed", "duration_minutes": 45,
         "requirements": [{"skill": "cut"}], "pricing": {"amount": 4500}},
    )  # fmt: skip
    http.ok("POST", "/v1/payments/connect", 200, sk, {})
    order = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": stay["id"], "check_in": day, "nights": 1}],
    }
    held = http.ok("POST", "/v1/orders", 201, sk, order)
    confirmed = http.ok("POST", "/v1/orders", 201, sk, order)
    http.ok("POST", f"/v1/orders/{confirmed['id']}/confirm", 200, sk, {})
    widget = http.ok("POST", "/v1/public/orders", 201, pk, order)
    endpoint = http.ok(
        "POST",
        "/v1/webhooks/endpoints",
        201,
        sk,
        {"url": "https://127.0.0.1:9/in", "event_types": ["OrderConfirmed"]},
    )
    feed = http.ok("POST", f"/v1/resources/{room['id']}/calendar-feed", 201, sk)
    spare_key = http.ok("POST", "/v1/keys", 201, sk, {"kind": "secret", "name": "Spare"})
    spare_user = http.ok(
        "POST",
        "/v1/staff",
        201,
        sk,
        {"email": f"spare@{tenant['slug']}.example", "name": "Spare", "role": "staff"},
    )
    resources, offerings = [room["id"], anna["id"]], [stay["id"], cut["id"]]
    return World(
        tenant_auth=[sk, sk, pk],
        public_auth=[pk, pk, sk],
        ids={
            "resource_id": resources,
            "offering_id": offerings,
            "order_id": [held["id"], confirmed["id"], widget["id"]],
            "key_id": [spare_key["id"]],
            "user_id": [spare_user["id"]],
            "endpoint_id": [endpoint["id"]],
            "token": [feed["path"].rsplit("/", 1)[1]],
            "date": [day],
            "kind": ["confirmed"],
            "channel": ["email"],
            "locale": ["en"],
        },
        manage_tokens={widget["id"]: widget["manage_token"]},
        fields={"offering_id": offerings, "offering": offerings, "resource_id": resources},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="cases per operation")
    parser.add_argument("--seed", type=int, default=None, help="default: a random one")
    parser.add_argument("--only", default="", help="operations whose 'METHOD /path' has this")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1, 2**31)
    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 30 * 86400))

    outcomes: list[Outcome] = []
    with (
        DynamoDBLocal(free_port()) as ddb,
        MotoServer(free_port()) as moto,
        LocalStripe(free_port()) as stripe,
    ):
        connect = StripeConnect(stripe.endpoint).start()
        stack = build_stack(ddb.endpoint, moto.endpoint)
        stack = replace(stack, env={**stack.env, **stripe_environment(connect.endpoint)})
        with ChaliceLocal(free_port(), stack.env) as chalice:
            os.environ.update(stack.env)
            # The worker loop runs in this process: its log lines and metrics would bury the
            # figures (chalice local's own output is kept by ChaliceLocal, not printed).
            os.environ.update(POWERTOOLS_LOG_LEVEL="WARNING", POWERTOOLS_METRICS_DISABLED="true")
            from app import app
            from local.worker_loop import WorkerLoop

            loop = WorkerLoop.for_stack(app, stack, wait_seconds=0)
            http = Http(chalice.endpoint)
            document = http.session.get(chalice.endpoint + "/v1/openapi.json", timeout=30).json()
            operations = [result.ok() for result in load_schema(document).get_all_operations()]
            began = time.perf_counter()
            for n, operation in enumerate(operations):
                label = f"{operation.method.upper()} {operation.path}"
                if args.only not in label:
                    continue
                world = build_world(stack, http, loop, n, day)
                started = time.perf_counter()
                outcome = run_operation(
                    operation,
                    world,
                    http.send,
                    examples=args.examples,
                    seed=seed,
                )
                outcomes.append(outcome)
                verdict = "FAIL" if outcome.failure else "ok"
                statuses = dict(sorted(outcome.statuses.items()))
                took = time.perf_counter() - started
                print(f"{label:60} {outcome.cases:5} cases {took:6.1f} s {verdict}  {statuses}")
            seconds = time.perf_counter() - began
        connect.stop()  # (a thread of this process: it ends with it if anything above fails)

    failures = report(outcomes)
    if failures:
        print("\n" + failures)
    figures = {"bench": "fuzz", "server": "chalice local", "seed": seed,
               "examples": args.examples, **summary(outcomes, seconds)}  # fmt: skip
    print(as_json(figures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
