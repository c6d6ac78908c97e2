"""How many holds a second one session takes on AWS: a simulation of DynamoDB's per-partition
limits around the real planner (docs/SCALING.md, "One hot session").

DynamoDB Local has no throughput limits, so this cannot be measured here; it is simulated. Every
hold is planned by the domain itself (`plan_line`, with a random start shard and the shards a
commit lost, as booking/services/line_planning.py and replanning.py do) on the units committed
so far, and committed as the unit of work would commit it: the same items, keys and indexes
(booking/adapters/unit_of_work.py, kernel/adapters/hot_keys.py), against a model of the table:

- partitions: each partition key value gets `--partition-wcu` write units a second (DynamoDB's
  documented 1,000 WCU per partition), as a token bucket. A
  transactional write or ConditionCheck costs 2 WCU per KB, an index entry 1 WCU per KB (the
  order's index entries land on their index keys' partitions). A write that finds a partition
  without units is throttled and retried by the SDK (standard mode: 3 attempts, jittered
  exponential backoff from 50 ms); the third throttle fails the hold (`throttled`). The bucket
  holds a tenth of a second's units, so no partition writes much more than its rate in a second.
- items: a transaction holds each of its items for `--item-ms` from its start; another
  transaction touching one of them meanwhile is cancelled (TransactionConflict) and sent again by
  the writer (6 attempts, jittered backoff 0-10 ms x 2^n); the sixth fails the hold (`busy`).
- conditions: a bucket's `used + units <= share`, checked against the units committed when the
  transaction starts; a refused one goes back to the planner (consistent read, the lost shard
  last), up to the Replanning bound; a session that cannot seat the party answers `unavailable`.

The session sells out during a default run (100,000 seats, about 125,000 asked for), so the end
shows what the last seats do. Arrivals are Poisson at `--rate` holds a second for `--seconds`,
parties of 1 to `--max-party`, on one session of `--seats` seats over `--shards` shards.
Printed: holds a second committed, refusals by reason, latency p50/p99 (arrival to answer,
with `--rtt-ms` per DynamoDB call), the hottest partitions' peak WCU a second, and the check:
no shard above its share, the session not above its seats, the units stored equal to the
parties of the holds that succeeded, and no party refused that the seats left could take.
Ends with one JSON line.

    .venv/bin/python -m bench.shards [--rate 5000] [--seconds 10] [--shards 64] [--seats 100000]
        [--item-ms 5] [--rtt-ms 8] [--compare]   (--compare: also 1, 8, 16 and 32 shards)
"""

from __future__ import annotations

import argparse
import heapq
import json
import random
import statistics
import sys
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chalicelib.booking.domain.placement import LineRequest, plan_line  # noqa: E402
from chalicelib.booking.services.replanning import Replanning  # noqa: E402
from chalicelib.catalog.domain.catalog import (  # noqa: E402
    Offering,
    PriceBasis,
    Pricing,
    Requirement,
    Resource,
    ResourceKind,
    Selector,
    UnitsPer,
)
from chalicelib.catalog.domain.inventory import Take, shard_share, split_shard  # noqa: E402
from chalicelib.kernel.adapters.hot_keys import (  # noqa: E402
    INDEX_SHARDS,
    REVISION_SK,
    inventory_pk,
    revision_pk,
)
from chalicelib.kernel.domain.errors import SlotUnavailable  # noqa: E402

TZ = "UTC"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SESSION = datetime(2026, 12, 20, 19, 0)  # local wall clock (UTC here)
HOLD_SHARDS = 8  # booking/adapters/orders_store.py
CONFLICT_RETRIES = 6  # booking/adapters/unit_of_work.py
SDK_ATTEMPTS = 3  # botocore standard retry mode
BURST = 10  # a partition's bucket holds 1/BURST of a second's units
ORDER_KB = 1  # an order item with its compressed doc: 765 bytes for a party of 3 (projected ALL)


@dataclass
class Partition:
    """A token bucket of write units, refilled continuously at `rate` a second, holding a tenth
    of a second's worth: a partition's second never takes much more than its rate."""

    rate: float
    tokens: float
    at: float = 0.0
    used_by_second: Counter[int] = field(default_factory=Counter)

    def refill(self, now: float) -> float:
        """The units there are at `now`."""
        self.tokens = min(self.rate / BURST, self.tokens + (now - self.at) * self.rate)
        self.at = now
        return self.tokens

    def take(self, now: float, units: float) -> bool:
        if self.refill(now) < units:
            return False
        self.tokens -= units
        self.used_by_second[int(now)] += int(units)
        return True


@dataclass
class Hold:
    id: int
    arrived: float
    party: int
    tries: Replanning = field(default_factory=lambda: Replanning("simulating"))
    conflicts: int = 0  # of the transaction being sent (the writer resends the same one)
    throttles: int = 0
    pending: list[Take] | None = None  # the takes of the transaction being sent
    all_conflicts: int = 0


@dataclass
class Table:
    seats: int
    shards: int
    partition_wcu: float
    item_ms: float
    used: dict[str, int] = field(default_factory=dict)  # bucket key -> units
    partitions: dict[str, Partition] = field(default_factory=dict)
    busy_until: dict[tuple[str, str], float] = field(default_factory=dict)

    def partition(self, pk: str) -> Partition:
        if pk not in self.partitions:
            self.partitions[pk] = Partition(self.partition_wcu, self.partition_wcu / BURST)
        return self.partitions[pk]


def session_resource(seats: int, shards: int) -> Resource:
    return Resource(
        id="res_gala",
        name="Gala",
        kind=ResourceKind.SESSION,
        capacity=seats,
        session_times=((19 * 60,),) * 7,
        session_minutes=180,
        shards=shards,
    )


OFFERING = Offering(
    id="off_gala",
    name="Gala",
    kind=ResourceKind.SESSION,
    requirements=(Requirement(Selector(resource_id="res_gala"), units=1, per=UnitsPer.PERSON),),
    pricing=Pricing(amount=5000, basis=PriceBasis.PERSON),
    party_max=10,
    max_advance_days=365,
)


def writes_of(hold_id: int, takes: list[Take]) -> tuple[list[tuple[str, str]], dict[str, float]]:
    """The items a hold's transaction touches, and the write units on each partition key."""
    order, event = f"ORD#o{hold_id}", f"EVT#e{hold_id}"
    items = [(order, "META"), (event, "META")]
    units: dict[str, float] = defaultdict(float)
    units[order] += 2 * ORDER_KB
    units[event] += 2
    top = 0
    for take in takes:
        base, shard = split_shard(take.bucket.key)
        pk = inventory_pk(take.bucket.resource_id, shard)
        items.append((pk, base))
        units[pk] += 2
        top = max(top, shard)
    check = (revision_pk("res_gala", top), REVISION_SK) if top else ("RES#res_gala", "META")
    items.append(check)
    units[check[0]] += 2
    day, n = "2026-12-20", zlib.crc32(f"o{hold_id}".encode())
    units[f"GSI2#DAY#{day}#{n % INDEX_SHARDS}"] += ORDER_KB
    units[f"GSI3#HOLD#{n % HOLD_SHARDS}"] += ORDER_KB
    units[f"GSI1#CUS#buyer{hold_id}"] += ORDER_KB
    units[f"GSI2#EVTDAY#{day}#{zlib.crc32(f'e{hold_id}'.encode()) % INDEX_SHARDS}"] += 1
    units[f"IDEM#k{hold_id}"] += 1  # the idempotency record: its own write, before the answer
    return items, units


def simulate(args: argparse.Namespace, shards: int) -> dict[str, object]:
    rng = random.Random(args.seed)
    table = Table(args.seats, shards, args.partition_wcu, args.item_ms / 1000)
    resource = session_resource(args.seats, shards)
    rtt = args.rtt_ms / 1000
    queue: list[tuple[float, int, int]] = []  # (time, sequence, hold id)
    holds: dict[int, Hold] = {}
    t, n = 0.0, 0
    while True:
        t += rng.expovariate(args.rate)
        if t >= args.seconds:
            break
        holds[n] = Hold(n, t, rng.randint(1, args.max_party))
        heapq.heappush(queue, (t + rtt, n, n))  # the availability read, then the plan
        n += 1
    outcome: dict[int, tuple[str, float]] = {}
    sequence = n
    committed_at: list[float] = []
    while queue:
        now, _, hid = heapq.heappop(queue)
        hold = holds[hid]
        verdict, retry_in = attempt(table, resource, hold, now, rng, rtt)
        if verdict == "retry":
            sequence += 1
            heapq.heappush(queue, (now + retry_in, sequence, hid))
            continue
        outcome[hid] = (verdict, now + rtt - hold.arrived)
        if verdict == "ok":
            committed_at.append(now)
    return report(args, table, holds, outcome, committed_at, shards)


def attempt(
    table: Table, resource: Resource, hold: Hold, now: float, rng: random.Random, rtt: float
) -> tuple[str, float]:
    """One plan and one TransactWriteItems at `now`: ("ok" | "unavailable" | "busy" |
    "throttled", 0) or ("retry", after how long)."""
    if hold.pending is None:
        try:
            hold.pending = plan(table, resource, hold, rng)
        except SlotUnavailable:
            return "unavailable", 0.0
        hold.conflicts, hold.throttles = 0, 0
    takes = hold.pending
    items, units = writes_of(hold.id, takes)
    if any(table.busy_until.get(item, -1.0) > now for item in items):
        # TransactionConflict: the writer sends the same transaction again, after a backoff.
        hold.conflicts += 1
        hold.all_conflicts += 1
        if hold.conflicts >= CONFLICT_RETRIES:
            return "busy", 0.0
        return "retry", rtt + rng.uniform(0, 0.01 * 2**hold.conflicts)
    refused = [t for t in takes if table.used.get(t.bucket.key, 0) + t.units > t.capacity]
    if refused:
        return _lost(hold, refused[0], resource.shards, rtt)
    if not all(table.partition(pk).refill(now) >= u for pk, u in units.items()):
        hold.throttles += 1  # the SDK sends the same request again, after a backoff
        done = hold.throttles >= SDK_ATTEMPTS
        return (
            ("throttled", 0.0)
            if done
            else ("retry", rtt + rng.uniform(0, 0.05 * 2**hold.throttles))
        )
    _commit(table, now, items, units, takes)
    return "ok", 0.0


def _commit(
    table: Table,
    now: float,
    items: list[tuple[str, str]],
    units: dict[str, float],
    takes: list[Take],
) -> None:
    for pk, u in units.items():
        table.partition(pk).take(now, u)
    for item in items:
        table.busy_until[item] = now + table.item_ms
    for take in takes:
        table.used[take.bucket.key] = table.used.get(take.bucket.key, 0) + take.units


def _lost(hold: Hold, take: Take, shards: int, rtt: float) -> tuple[str, float]:
    """A refused condition goes back to the planner (Replanning), or ends `unavailable`."""
    hold.pending = None
    bucket = take.bucket
    try:
        lost = SlotUnavailable("lost", resource_id=bucket.resource_id, bucket=bucket.key)
        hold.tries.lost(lost, shards)
    except SlotUnavailable:
        return "unavailable", 0.0
    return "retry", rtt  # a consistent read, then plan again


def plan(table: Table, resource: Resource, hold: Hold, rng: random.Random) -> list[Take]:
    """The takes the planner chooses on the units committed now (SlotUnavailable: none)."""
    placement = plan_line(
        LineRequest(OFFERING, hold.party, start_local=SESSION),
        [[resource]],
        {"res_gala": table.used},
        tz=TZ,
        now=NOW,
        avoid=hold.tries.avoid,
        start_shard=rng.randrange(64),
    )
    return list(placement.choices[0].takes)


def report(
    args: argparse.Namespace,
    table: Table,
    holds: dict[int, Hold],
    outcome: dict[int, tuple[str, float]],
    committed_at: list[float],
    shards: int,
) -> dict[str, object]:
    verdicts = Counter(v for v, _ in outcome.values())
    seated = sum(holds[h].party for h, (v, _) in outcome.items() if v == "ok")
    stored = sum(table.used.values())
    over_share = [
        key
        for key, units in table.used.items()
        if units > shard_share(args.seats, shards, split_shard(key)[1])
    ]
    free_at_end = args.seats - stored
    wrongly_refused = sum(
        1 for h, (v, _) in outcome.items() if v == "unavailable" and holds[h].party <= free_at_end
    )
    latencies = sorted(lat for _, lat in outcome.values())
    # Holds a second while the session still has seats: the median over whole seconds, from
    # the first (warm-up) to the one in which it sold out (or the last offered).
    per_second = Counter(int(t) for t in committed_at)
    end = int(args.seconds)
    if stored >= args.seats - args.max_party and committed_at:
        end = min(end, int(sorted(committed_at)[-1]))
    steady = [per_second[s] for s in range(1, end)] or [len(committed_at) / args.seconds]
    peaks = sorted(
        ((max(p.used_by_second.values(), default=0), pk) for pk, p in table.partitions.items()),
        reverse=True,
    )[:5]
    return {
        "shards": shards,
        "offered_per_s": args.rate,
        "holds": len(holds),
        "committed_per_s": round(statistics.median(steady), 1),
        "ok": verdicts["ok"],
        "unavailable": verdicts["unavailable"],
        "busy": verdicts["busy"],
        "throttled": verdicts["throttled"],
        "seated": seated,
        "stored": stored,
        "oversold": max(0, stored - args.seats) + len(over_share) + abs(stored - seated),
        "refused_while_it_fit": wrongly_refused,
        "latency_p50_ms": round(statistics.median(latencies) * 1000, 1),
        "latency_p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
        "conflict_retries": sum(h.all_conflicts for h in holds.values()),
        "throttle_retries": sum(h.throttles for h in holds.values()),
        "hottest_partitions_wcu_per_s": [[pk, wcu] for wcu, pk in peaks],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=5000.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--shards", type=int, default=64)
    parser.add_argument("--seats", type=int, default=100_000)
    parser.add_argument("--max-party", type=int, default=4)
    parser.add_argument("--partition-wcu", type=float, default=1000.0)
    parser.add_argument("--item-ms", type=float, default=5.0)
    parser.add_argument("--rtt-ms", type=float, default=8.0)
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--compare", action="store_true")
    args = parser.parse_args()
    runs = [simulate(args, s) for s in ([1, 8, 16, 32] if args.compare else [])]
    runs.append(simulate(args, args.shards))
    print(
        f"one session, {args.seats} seats, {args.rate:.0f} holds/s offered for "
        f"{args.seconds:.0f} s, parties 1-{args.max_party}; {args.partition_wcu:.0f} WCU/s "
        f"per partition, items held {args.item_ms} ms per transaction, {args.rtt_ms} ms a call"
    )
    print(
        f"{'shards':>6} {'holds/s':>8} {'ok':>7} {'unavail':>7} {'busy':>6} {'throttl':>7} "
        f"{'p50 ms':>7} {'p99 ms':>7} {'oversold':>8} {'wrongly':>7} "
        f"{'hottest partition (peak WCU/s)':>34}"
    )
    for r in runs:
        hottest = r["hottest_partitions_wcu_per_s"][0]  # type: ignore[index]
        print(
            f"{r['shards']:>6} {r['committed_per_s']:>8.0f} {r['ok']:>7} {r['unavailable']:>7} "
            f"{r['busy']:>6} {r['throttled']:>7} {r['latency_p50_ms']:>7} "
            f"{r['latency_p99_ms']:>7} {r['oversold']:>8} {r['refused_while_it_fit']:>7} "
            f"{hottest[0]:>26} ({hottest[1]})"
        )
    print(json.dumps({"bench": "shards", "runs": runs}, sort_keys=True))


if __name__ == "__main__":
    main()
