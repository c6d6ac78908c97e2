"""Contention end to end: concurrent HTTP clients holding seats of one session.

Starts its own local stack (DynamoDB Local, moto server and `chalice local` on 127.0.0.1; all
stopped by pid at the end), signs a tenant up over HTTP, provisions it with the local worker
loop (the same SQS handler Lambda runs), creates a session resource and an offering over the
API, then:

1. timed phase: `--clients` threads, each with its own keep-alive `requests.Session`, POST
   /v1/orders for one seat of the same session (`--seats` seats, enough never to sell out)
   for `--seconds` seconds, while the worker loop runs beside them in its own process, as in
   `make dev`: the relay reads the table's stream and the consumers take each hold's event.
   Holds per second, p50/p99 latency, and the CPU time of the `chalice local` process (utime
   + stime from /proc/<pid>/stat) per successful hold, and the workers' CPU;
2. sell-out phase: a second session with `--last` seats and `--attempts` holds from the same
   clients: exactly `--last` must succeed, the rest answer 409 `unavailable`.

Oversold = units stored beyond a session's seats, or more 201s than seats; the invariant
endpoint (`GET /v1/admin/invariant`) is checked too, and stored units are matched against the
201s. Also printed: the CPU seconds of every process of the stack during the timed phase, since
all of them share this machine's cores. Ends with one JSON line.

    .venv/bin/python -m bench.contention [--clients 16] [--seconds 20] [--seats 10000]
        [--shards 1]  the sessions' bucket shards (catalog/domain/inventory.py)
        [--profile]   py-spy (pip install py-spy) samples the API's request threads
        [--nodelay]   diagnostic: chalice local with TCP_NODELAY (see ChaliceLocalNoDelay)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

# Run as `python -m bench.contention`: run as a script, bench/ would lead sys.path and
# `import requests` would find bench/requests.py instead of the HTTP library.
if Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    del sys.path[0]

import requests  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chalicelib.kernel.adapters.hot_keys import inventory_pk  # noqa: E402
from local.dynamodb_local import DynamoDBLocal  # noqa: E402
from local.emulators import ChaliceLocal, MotoServer, free_port  # noqa: E402
from local.resources import Stack, build_stack  # noqa: E402

TARGET_HOLDS_PER_SECOND = 94.0  # four times pretix's 23.5 orders/s measured here (issue 11)
TARGET_CPU_MS_PER_HOLD = 15.0
CLK_TCK = os.sysconf("SC_CLK_TCK")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, all its threads, from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    # After the ")" closing the command name: fields[0] is field 3 (state); utime is field 14.
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def own_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Api:
    def __init__(self, endpoint: str, key: str | None = None) -> None:
        self.endpoint = endpoint
        self.session = requests.Session()
        self.session.trust_env = False  # loopback: never through a proxy
        self.headers = {"Content-Type": "application/json"}
        if key:
            self.headers["Authorization"] = f"Bearer {key}"

    def call(self, method: str, path: str, body: Any = None) -> requests.Response:
        data = None if body is None else json.dumps(body)
        return self.session.request(
            method, self.endpoint + path, data=data, headers=self.headers, timeout=30
        )


class ChaliceLocalNoDelay(ChaliceLocal):
    """Diagnostic only (--nodelay): `chalice local` with TCP_NODELAY on its sockets.

    Its handler writes a response's headers and body in two send() calls; with Nagle's
    algorithm on, the body waits for the client's delayed ACK of the headers (about 40 ms on
    Linux) on a keep-alive connection. Lambda behind API Gateway has no such server.
    """

    name = "chalice-local-nodelay"

    def command(self) -> list[str]:
        launch = (
            "import sys; import chalice.local as local; "
            "local.ChaliceRequestHandler.disable_nagle_algorithm = True; "
            "from chalice.cli import main; sys.argv = ['chalice'] + sys.argv[1:]; main()"
        )
        return [sys.executable, "-c", launch, *super().command()[1:]]


# -- setting up a tenant -----------------------------------------------------------------------


def run_workers(stack: Stack, stop: Any) -> None:
    """The worker loop of `make dev`, in a process of its own (started by `Workers`)."""
    os.environ.update(stack.env)
    os.environ.update(POWERTOOLS_LOG_LEVEL="WARNING", POWERTOOLS_METRICS_DISABLED="true")
    from app import app
    from local.worker_loop import WorkerLoop

    WorkerLoop.for_stack(app, stack, wait_seconds=1).run_forever(stop)


class Workers:
    """`run_workers` in a child process, stopped (and joined) on exit."""

    def __init__(self, stack: Stack) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self.stop = context.Event()
        self.process = context.Process(target=run_workers, args=(stack, self.stop), daemon=True)

    def __enter__(self) -> Workers:
        self.process.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.process.join(timeout=30)
        if self.process.is_alive():
            self.process.kill()

    @property
    def pid(self) -> int:
        assert self.process.pid is not None
        return self.process.pid


def sign_up_and_provision(stack: Stack, endpoint: str) -> dict[str, Any]:
    slug = f"bench-{os.urandom(4).hex()}"
    r = Api(endpoint).call(
        "POST",
        "/v1/signup",
        {
            "business_name": "Bench Tours",
            "slug": slug,
            "owner_email": f"owner@{slug}.example",
            "timezone": "Europe/Berlin",
            "currency": "EUR",
            "locale": "en",
            "business_type": "tours",
        },
    )
    if r.status_code != 202:
        raise SystemExit(f"sign-up failed: {r.status_code} {r.text}")
    signup = r.json()
    # The provisioning message is handled by the same SQS handler Lambda runs, here.
    os.environ.update(stack.env)
    from app import app
    from local.worker_loop import WorkerLoop

    loop = WorkerLoop.for_stack(app, stack, wait_seconds=0)
    owner = Api(endpoint, signup["secret_key"])
    for _ in range(50):
        loop.run_round(wait_seconds=1)
        if owner.call("GET", "/v1/tenant").json().get("status") == "active":
            upgrade_to_business(signup["tenant_id"])
            return signup
    raise SystemExit("the tenant was not provisioned")


def upgrade_to_business(tenant_id: str) -> None:
    """The bench's tenant is on the business plan (no monthly booking allowance), as a
    subscription webhook would set it; then wait out the API's 5-second key cache."""
    from dataclasses import replace

    from chalicelib.bootstrap import Container
    from chalicelib.kernel.domain.tenant import Plan
    from chalicelib.settings import from_environ

    platform = Container(from_environ()).platform
    tenant = platform.get_tenant(tenant_id)
    assert tenant is not None
    platform.save_tenant(replace(tenant, plan=Plan.BUSINESS, version=tenant.version + 1))
    time.sleep(5.5)


def create_session(api: Api, seats: int, name: str, shards: int = 1) -> tuple[str, str]:
    """A session resource (one departure a day at 10:00, its seats over `shards` buckets) and
    an offering of one seat a person."""
    r = api.call(
        "POST",
        "/v1/resources",
        {
            "name": name,
            "kind": "session",
            "capacity": seats,
            "session_times": {day: ["10:00"] for day in WEEKDAYS},
            "session_minutes": 120,
            "shards": shards,
        },
    )
    if r.status_code != 201:
        raise SystemExit(f"resource: {r.status_code} {r.text}")
    resource_id = r.json()["id"]
    r = api.call(
        "POST",
        "/v1/offerings",
        {
            "name": f"{name} ticket",
            "kind": "session",
            "requirements": [{"resource_id": resource_id, "units": 1, "per": "person"}],
            "pricing": {"amount": 2500, "basis": "person"},
        },
    )
    if r.status_code != 201:
        raise SystemExit(f"offering: {r.status_code} {r.text}")
    return resource_id, r.json()["id"]


# -- the load ----------------------------------------------------------------------------------


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, ms: float, outcome: str) -> None:
        with self.lock:
            self.latencies_ms.append(ms)
            self.statuses[outcome] += 1

    @property
    def attempts(self) -> int:
        return sum(self.statuses.values())

    @property
    def successes(self) -> int:
        return self.statuses["201"]

    @property
    def unavailable(self) -> int:
        return self.statuses["409 unavailable"]

    @property
    def errors(self) -> int:
        return self.attempts - self.successes - self.unavailable


def hold_body(offering_id: str, day: date, n: int) -> dict[str, Any]:
    return {
        "customer": {"name": f"Guest {n}", "email": f"guest{n}@bench.example"},
        "lines": [{"offering_id": offering_id, "start": f"{day}T10:00", "party": 1}],
    }


def run_clients(
    endpoint: str,
    key: str,
    offering_id: str,
    day: date,
    clients: int,
    keep_going: Callable[[int], bool],
) -> Tally:
    """`clients` threads with keep-alive sessions POST holds while keep_going(n) is true."""
    tally = Tally()
    counter = iter(range(10**9))
    counter_lock = threading.Lock()
    start = threading.Barrier(clients)

    def client() -> None:
        api = Api(endpoint, key)
        api.call("GET", "/v1/health")  # open the keep-alive connection first
        start.wait()
        while True:
            with counter_lock:
                n = next(counter)
            if not keep_going(n):
                return
            began = time.perf_counter()
            try:
                r = api.call("POST", "/v1/orders", hold_body(offering_id, day, n))
                outcome = str(r.status_code)
                if r.status_code != 201:
                    outcome += " " + r.json().get("error", {}).get("code", "?")
            except requests.RequestException as exc:
                outcome = f"exception {type(exc).__name__}"
            tally.add((time.perf_counter() - began) * 1000, outcome)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tally


def stored_used(stack: Stack, tenant_id: str, resource_id: str, shards: int) -> dict[str, int]:
    """Units stored per bucket, every shard's partition read (kernel/adapters/hot_keys.py)."""
    table = stack.env["RESERVOIR_TENANT_TABLE_PREFIX"] + tenant_id
    out = {}
    for n in range(shards):
        items = stack.client("dynamodb").query(
            TableName=table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": inventory_pk(resource_id, n)}},
            ConsistentRead=True,
        )["Items"]
        out.update({f"{i['sk']['S']}#{n}": int(i["used"]["N"]) for i in items})
    return out


def invariant_ok(api: Api, day: date) -> tuple[bool, dict[str, Any]]:
    r = api.call("GET", f"/v1/admin/invariant?from={day}&to={day + timedelta(days=1)}")
    body = r.json()
    return r.status_code == 200 and bool(body.get("ok")), body


# -- where the API process's request threads spend their time (py-spy) ------------------------

PROFILE_MARKS = {
    # (function, file) in a frame -> label: inclusive wall-clock share of the request threads
    ("ChaliceRequestHandler.__init__", "chalice/local.py"): "serving the connection (all)",
    ("BaseHTTPRequestHandler.handle_one_request", "http/server.py"): "  one request",
    ("BaseHTTPRequestHandler.parse_request", "http/server.py"): "    reading headers",
    ("RestAPIEventHandler.__call__", "chalice/app.py"): "    the app (middleware + view)",
    ("authenticate_key", "tenancy/services/auth.py"): "      authenticate_key (platform GetItems)",
    ("hold_order", "booking/services/booking.py"): "      hold_order",
    (
        "plan_lines",
        "booking/services/line_planning.py",
    ): "        plan_lines (catalog + bucket Query)",
    ("DynamoTransactions.write", "dynamo/unit_of_work.py"): "        commit (TransactWriteItems)",
    ("sleep", "dynamo/unit_of_work.py"): "          backoff after TransactionConflict",
    ("schedule_expiry", "booking/services/expiry.py"): "      schedule_expiry (SQS send + mark)",
    ("BaseClient._make_api_call", "botocore/client.py"): "      every boto3 call",
    ("Endpoint._send", "botocore/endpoint.py"): "        on the wire (emulator answering)",
}
IDLE = "waiting for the client's next request (keep-alive)"


def start_profile(pid: int, seconds: float) -> tuple[Any, str]:
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(prefix="reservoir-pyspy-", suffix=".txt", delete=False) as out:
        pass
    command = [
        str(ROOT / ".venv" / "bin" / "py-spy"),
        "record",
        "--pid",
        str(pid),
        "--duration",
        str(max(1, int(seconds) - 1)),
        "--rate",
        "200",
        "--idle",
        "--nonblocking",
        "--threads",
        "--format",
        "raw",
        "--output",
        out.name,
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, out.name


def finish_profile(profiler: tuple[Any, str]) -> dict[str, Any]:
    """Wall-clock shares of the threads that served holds (py-spy --idle --threads)."""
    process, path = profiler
    process.wait(timeout=60)
    rows = []
    with open(path) as handle:
        for row in handle:
            stack, _, count_text = row.rstrip("\n").rpartition(" ")
            rows.append((stack.split(";"), int(count_text)))
    hold_threads = {frames[0] for frames, _ in rows if any("post_order" in f for f in frames)}
    inclusive: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    total = 0
    for frames, count in rows:
        if frames[0] not in hold_threads:
            continue
        total += count
        names = [frame.partition(" (") for frame in frames]
        leaves[names[-1][0]] += count
        labels = {
            label
            for name, _, where in names
            for (function, suffix), label in PROFILE_MARKS.items()
            if name == function and suffix in where
        }
        for label in labels:
            inclusive[label] += count
        if not any(name == "BaseHTTPRequestHandler.handle_one_request" for name, _, _ in names):
            continue
        if not labels - {PROFILE_MARKS[k] for k in list(PROFILE_MARKS)[:3]}:
            inclusive[IDLE] += count  # blocked in readline() for the next request line
    if os.environ.get("RESERVOIR_KEEP_PROFILE"):
        print(f"raw py-spy stacks kept in {path}")
    else:
        os.unlink(path)
    marks = {label: inclusive[label] for label in PROFILE_MARKS.values()}
    marks[IDLE] = inclusive[IDLE]
    return {
        "threads": len(hold_threads),
        "samples": total,
        "marks": marks,
        "top": [[name, round(100 * n / max(1, total), 1)] for name, n in leaves.most_common(25)],
    }


def print_profile(profile: dict[str, Any]) -> None:
    total = max(1, profile["samples"])
    print(
        f"profile: wall clock of the {profile['threads']} API threads that served holds "
        f"(py-spy --idle, {total} samples)"
    )
    for label, n in profile["marks"].items():
        print(f"  {100 * n / total:5.1f}%  {label}")
    print("  innermost frames:")
    for name, share in profile["top"][:15]:
        print(f"  {share:5.1f}%  {name}")


# -- main --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--seats", type=int, default=10000)
    parser.add_argument("--last", type=int, default=10, help="seats in the sell-out phase")
    parser.add_argument(
        "--shards", type=int, default=1, help="bucket shards of both sessions (1: unsharded)"
    )
    parser.add_argument("--attempts", type=int, default=200, help="holds in the sell-out phase")
    parser.add_argument(
        "--nodelay",
        action="store_true",
        help="diagnostic: run chalice local with TCP_NODELAY (see ChaliceLocalNoDelay)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="sample the API process with py-spy during the timed phase (wall clock, idle too)",
    )
    args = parser.parse_args()

    day = datetime.now().date() + timedelta(days=30)
    with DynamoDBLocal(free_port()) as ddb, MotoServer(free_port()) as moto:
        stack = build_stack(ddb.endpoint, moto.endpoint)
        server = ChaliceLocalNoDelay if args.nodelay else ChaliceLocal
        with server(free_port(), stack.env) as chalice:
            assert chalice.pid is not None
            signup = sign_up_and_provision(stack, chalice.endpoint)
            tenant_id, key = signup["tenant_id"], signup["secret_key"]
            owner = Api(chalice.endpoint, key)
            big, big_offer = create_session(owner, args.seats, "Harbour cruise", args.shards)
            small, small_offer = create_session(owner, args.last, "Sunset cruise", args.shards)
            # One warm-up hold: the first request of a container builds its clients.
            warm = owner.call("POST", "/v1/orders", hold_body(big_offer, day, -1))
            assert warm.status_code == 201, warm.text

            with Workers(stack) as workers:
                time.sleep(3)  # the loop's first round: app imported, streams found
                pids = {
                    "api": chalice.pid,
                    "dynamodb_local": ddb.pid,
                    "moto": moto.pid,
                    "workers": workers.pid,
                }
                profiler = start_profile(chalice.pid, args.seconds) if args.profile else None
                cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
                cpu_before["clients"] = own_cpu_seconds()
                deadline = time.monotonic() + args.seconds
                began = time.perf_counter()
                timed = run_clients(
                    chalice.endpoint,
                    key,
                    big_offer,
                    day,
                    args.clients,
                    lambda n: time.monotonic() < deadline,
                )
                elapsed = time.perf_counter() - began
                cpu_all = {name: cpu_seconds(pid) - cpu_before[name] for name, pid in pids.items()}
                cpu_all["clients"] = own_cpu_seconds() - cpu_before["clients"]
            cpu = cpu_all["api"]
            profile = finish_profile(profiler) if profiler else None
            server_errors = [
                line
                for line in chalice.output(200_000).splitlines()
                if '"level":"ERROR"' in line or "Traceback" in line or "Error" in line
            ]

            sellout = run_clients(
                chalice.endpoint, key, small_offer, day, args.clients, lambda n: n < args.attempts
            )
            big_used = stored_used(stack, tenant_id, big, args.shards)
            small_used = stored_used(stack, tenant_id, small, args.shards)
            ok, report = invariant_ok(owner, day)

    held_big = timed.successes + 1  # the warm-up hold
    big_total, small_total = sum(big_used.values()), sum(small_used.values())
    # Oversold: units stored beyond a session's seats, or more 201s than there were seats.
    oversold = (
        max(0, big_total - args.seats)
        + max(0, small_total - args.last)
        + max(0, sellout.successes - args.last)
    )
    # Unaccounted: stored units that no 201 answered for, or 201s without stored units
    # (a request that committed and then failed, say).
    unaccounted = abs(big_total - held_big) + abs(small_total - sellout.successes)
    holds_per_second = timed.successes / elapsed
    cpu_ms_per_hold = 1000 * cpu / max(1, timed.successes)
    result = {
        "bench": "contention",
        "clients": args.clients,
        "server": "chalice local" + (" (TCP_NODELAY)" if args.nodelay else ""),
        "seconds": round(elapsed, 2),
        "attempts": timed.attempts,
        "successes": timed.successes,
        "unavailable": timed.unavailable,
        "errors": timed.errors,
        "statuses": dict(timed.statuses),
        "holds_per_second": round(holds_per_second, 1),
        "p50_ms": round(statistics.median(timed.latencies_ms), 1),
        "p99_ms": round(percentile(timed.latencies_ms, 0.99), 1),
        "api_cpu_seconds": round(cpu, 2),
        "api_cpu_ms_per_hold": round(cpu_ms_per_hold, 2),
        # Where the machine's cores went during the timed phase (seconds of CPU).
        "cpu_seconds_by_process": {k: round(v, 2) for k, v in cpu_all.items()},
        "sellout_seats": args.last,
        "shards": args.shards,
        "sellout_attempts": sellout.attempts,
        "sellout_successes": sellout.successes,
        "sellout_unavailable": sellout.unavailable,
        "sellout_errors": sellout.errors,
        "sellout_statuses": dict(sellout.statuses),
        "bucket_used": {"timed": big_total, "sellout": small_total},
        "invariant_ok": ok,
        "oversold": oversold,
        "unaccounted": unaccounted,
        "meets_throughput": holds_per_second >= TARGET_HOLDS_PER_SECOND,
        "meets_cpu": cpu_ms_per_hold <= TARGET_CPU_MS_PER_HOLD,
    }
    print(f"server: {result['server']}")
    print(f"timed phase: {args.clients} clients, {elapsed:.1f} s, one session of {args.seats}")
    print(
        f"  attempts {timed.attempts}  successes {timed.successes}  "
        f"unavailable {timed.unavailable}  errors {timed.errors}  {dict(timed.statuses)}"
    )
    print(
        f"  holds/s {holds_per_second:.1f} (target >= {TARGET_HOLDS_PER_SECOND:.0f})  "
        f"p50 {result['p50_ms']} ms  p99 {result['p99_ms']} ms"
    )
    print(
        f"  API process CPU {cpu:.2f} s = {cpu_ms_per_hold:.2f} ms per hold "
        f"(target <= {TARGET_CPU_MS_PER_HOLD:.0f} ms)"
    )
    shares = "  ".join(
        f"{name} {seconds:.2f} s ({100 * seconds / elapsed:.0f}% of a core)"
        for name, seconds in cpu_all.items()
    )
    print(f"  CPU during the timed phase: {shares}")
    print(f"sell-out phase: {args.attempts} holds for the last {args.last} seats")
    print(
        f"  successes {sellout.successes}  unavailable {sellout.unavailable}  "
        f"errors {sellout.errors}  {dict(sellout.statuses)}"
    )
    print(
        f"buckets: timed used {sum(big_used.values())} of {args.seats} (holds {held_big}); "
        f"sell-out used {sum(small_used.values())} of {args.last}"
    )
    for line in server_errors[:5]:
        print(f"API error: {line[:2000]}")
    print(f"invariant endpoint ok: {ok}  {'' if ok else report}")
    print(
        f"oversold: {oversold} (must be 0); units without a 201 or 201s without units: "
        f"{unaccounted}"
    )
    if profile:
        print_profile(profile)
        result["profile_top"] = profile["top"][:15]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
