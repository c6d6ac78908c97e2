"""Contention against DynamoDB Local: many buyers, the last units, nothing oversold.

Every attempt goes through the real services and adapters (`hold_order` -> DynamoOrderStore ->
one TransactWriteItems): 32 threads in this process share one container, as `chalice local`'s
request threads do, while 4 spawned processes with their own containers and boto3 clients run
8 threads each. All of them start at the same wall-clock instant.

After every scenario: exactly the free units were sold, every refusal is SlotUnavailable (code
`unavailable`), the buckets hold what the successful orders take, and `check_invariant` agrees.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from chalicelib.booking.domain.orders import Channel, Customer
from chalicelib.catalog.domain.catalog import (
    Offering,
    PriceBasis,
    Pricing,
    Requirement,
    Resource,
    ResourceKind,
    Selector,
    UnitsPer,
)
from chalicelib.catalog.domain.inventory import shard_share, split_shard
from chalicelib.kernel.domain.audit import Actor
from chalicelib.kernel.domain.errors import DomainError
from tests.builders import day_tour, departure, haircut, room_type, stay_offering, stylist

pytestmark = pytest.mark.slow

THREADS = 32  # in this process
PROCESSES = 4
THREADS_PER_PROCESS = 8
ATTEMPTS = 200  # per scenario: half here, half in the processes
GUEST = Customer(name="Contender", email="contender@example.com")


# -- what one attempt does (here and in the spawned processes) ---------------------------------


@dataclass(frozen=True)
class Line:
    """A picklable order line: the same shape as LineInput, with ISO text for dates."""

    offering_id: str
    check_in: str | None = None
    nights: int = 1
    start: str | None = None
    party: int = 1
    quantity: int = 1

    def to_input(self) -> Any:
        from chalicelib.booking.services.line_planning import LineInput

        return LineInput(
            self.offering_id,
            party=self.party,
            quantity=self.quantity,
            check_in=date.fromisoformat(self.check_in) if self.check_in else None,
            nights=self.nights,
            start=datetime.fromisoformat(self.start) if self.start else None,
        )


def attempt(tenant_id: str, lines: list[Line]) -> tuple[str, str, str]:
    """One hold through the services: ("ok", order_id, "") or ("error", class, code)."""
    from chalicelib import bootstrap
    from chalicelib.booking.services.booking import HoldInput, hold_order
    from chalicelib.kernel.services.context import TenantContext

    c = bootstrap.container()
    tenant = c.platform.get_tenant(tenant_id)
    assert tenant is not None
    ctx = TenantContext(
        tenant=tenant,
        actor=Actor(kind="secret_key", id="contention", tenant_id=tenant_id),
        data_factory=c.tenant_data,
        now=c.now,
        new_id=c.new_id,
    )
    order_id = "ord_" + c.new_id()
    try:
        hold_order(
            ctx,
            c.catalog_cache,
            HoldInput(GUEST, [line.to_input() for line in lines], Channel.API),
            order_id=order_id,
        )
    except DomainError as exc:
        return ("error", type(exc).__name__, exc.code)
    except Exception as exc:  # noqa: BLE001 - a crash is an outcome the test reports
        return ("crash", type(exc).__name__, repr(exc)[:300])
    return ("ok", order_id, "")


def run_attempts(
    jobs: list[tuple[str, list[Line]]], threads: int, start_at: float
) -> list[tuple[tuple[str, list[Line]], tuple[str, str, str]]]:
    """Run the jobs on `threads` threads, all released at `start_at` (time.time())."""
    barrier_wait = max(0.0, start_at - time.time())
    time.sleep(barrier_wait)
    with ThreadPoolExecutor(threads) as pool:
        outcomes = list(pool.map(lambda job: attempt(*job), jobs))
    return list(zip(jobs, outcomes, strict=True))


def _init_process(env: dict[str, str]) -> None:
    os.environ.update(env)


def _warm(_: int) -> int:
    """Build the process's container and clients before the clock starts."""
    from chalicelib import bootstrap

    c = bootstrap.container()
    c.platform  # noqa: B018 - builds the platform models and their connection
    c.tenant_data  # noqa: B018
    time.sleep(0.2)  # so that each process takes one warm-up task
    return os.getpid()


@pytest.fixture(scope="module")
def processes(stack: Any) -> Iterator[Any]:
    """Four spawned processes with the stack's environment and their own boto3 clients."""
    ctx = multiprocessing.get_context("spawn")
    pool = ctx.Pool(PROCESSES, initializer=_init_process, initargs=(stack.env,))
    try:
        assert len(set(pool.map(_warm, range(PROCESSES), chunksize=1))) >= 2
        yield pool
    finally:
        pool.terminate()
        pool.join()


# -- scenarios ---------------------------------------------------------------------------------


@dataclass
class Outcomes:
    results: list[tuple[tuple[str, list[Line]], tuple[str, str, str]]]

    @property
    def won(self) -> list[tuple[str, list[Line]]]:
        return [job for job, (kind, *_) in self.results if kind == "ok"]

    @property
    def order_ids(self) -> list[str]:
        return [r[1] for _, r in self.results if r[0] == "ok"]

    @property
    def refusals(self) -> Counter[tuple[str, str, str]]:
        return Counter(r for _, r in self.results if r[0] != "ok")

    def assert_only_unavailable(self) -> None:
        others = {
            r: n for r, n in self.refusals.items() if r[1:] != ("SlotUnavailable", "unavailable")
        }
        assert not others, f"refusals other than `unavailable`: {others}"


class Shop:
    """A provisioned tenant on the real stack, and the concurrency harness around it."""

    def __init__(self, live: Any, pool: Any, stem: str) -> None:
        from chalicelib import bootstrap

        signup = live.signup(stem)
        live.provision(signup["tenant_id"])
        self.tenant_id = signup["tenant_id"]
        self.secret_key = signup["secret_key"]
        self.live = live
        self.pool = pool
        self.container = bootstrap.container()
        self.tenant = self.container.platform.get_tenant(self.tenant_id)
        assert self.tenant is not None and self.tenant.is_active
        self.data = self.container.tenant_data.for_tenant(self.tenant)
        self.today = datetime.now().date()

    def add(self, *things: Resource | Offering) -> Shop:
        for thing in things:
            if isinstance(thing, Resource):
                self.data.catalog.put_resource(thing, expected_rev=None, replicas=thing.shards)
            else:
                self.data.catalog.put_offering(thing, expected_rev=None)
        return self

    def hold(self, *lines: Line) -> str:
        kind, order_id, code = attempt(self.tenant_id, list(lines))
        assert kind == "ok", (order_id, code)
        return order_id

    def contend(self, jobs: list[tuple[str, list[Line]]], *, delay: float = 1.5) -> Outcomes:
        """Half the jobs on threads here, half spread over the processes, started together."""
        here, there = jobs[::2], jobs[1::2]
        start_at = time.time() + delay
        chunks = [there[i::PROCESSES] for i in range(PROCESSES)]
        pending = [
            self.pool.apply_async(run_attempts, (chunk, THREADS_PER_PROCESS, start_at))
            for chunk in chunks
        ]
        results = run_attempts(here, THREADS, start_at)
        for future in pending:
            results += future.get(timeout=120)
        assert len(results) == len(jobs)
        return Outcomes(results)

    def used(self, resource_id: str, shards: int = 1) -> dict[str, int]:
        return self.data.orders.used(resource_id, "!", "~", consistent=True, shards=shards)

    def assert_invariant(self, first: date, last_exclusive: date) -> None:
        from chalicelib.booking.services.invariant import check_invariant

        report = check_invariant(self.context(), first, last_exclusive)
        assert report.ok, report.differences
        # The same check over HTTP, as an operator runs it.
        r = self.live.call(
            "GET",
            f"/v1/admin/invariant?from={first}&to={last_exclusive}",
            auth=self.secret_key,
        )
        assert r.status_code == 200 and r.data["ok"], r.body

    def context(self) -> Any:
        from chalicelib.kernel.services.context import TenantContext

        return TenantContext(
            tenant=self.tenant,
            actor=Actor(kind="secret_key", id="check", tenant_id=self.tenant_id),
            data_factory=self.container.tenant_data,
            now=self.container.now,
            new_id=self.container.new_id,
        )

    def expected_used(self, order_ids: list[str]) -> dict[tuple[str, str], int]:
        """Units per bucket that these orders take, read back from the store."""
        want: Counter[tuple[str, str]] = Counter()
        for order_id in order_ids:
            order = self.data.orders.get(order_id)
            assert order is not None, f"a successful hold {order_id} is missing"
            for take in order.takes:
                want[(take.bucket.resource_id, take.bucket.key)] += take.units
        return dict(want)


@pytest.fixture
def shop(live: Any, processes: Any) -> Callable[[str], Shop]:
    return lambda stem: Shop(live, processes, stem)


def assert_sold_exactly(
    shop: Shop, outcomes: Outcomes, resource_ids: list[str], sold: int, capacity: int
) -> None:
    """`sold` new orders, every refusal `unavailable`, and every bucket touched is full."""
    outcomes.assert_only_unavailable()
    won = len(outcomes.won)
    assert won == sold, outcomes.refusals
    for rid in resource_ids:
        for key, used in shop.used(rid).items():
            assert used == capacity, (rid, key, used)


def day_ahead(days: int) -> date:
    return datetime.now().date() + timedelta(days=days)


# -- the last ten units ------------------------------------------------------------------------


def test_two_hundred_buyers_get_exactly_the_last_ten_rooms_of_a_night(shop):
    s = shop("lastrooms").add(room_type("res_double", rooms=30), stay_offering("res_double"))
    night = day_ahead(40)
    s.hold(Line("off_stay", check_in=night.isoformat(), quantity=10))
    s.hold(Line("off_stay", check_in=night.isoformat(), quantity=10))
    assert s.used("res_double") == {f"N#{night}": 20}

    line = Line("off_stay", check_in=night.isoformat())
    outcomes = s.contend([(s.tenant_id, [line])] * ATTEMPTS)

    assert_sold_exactly(s, outcomes, ["res_double"], sold=10, capacity=30)
    s.assert_invariant(night, night + timedelta(days=1))


def test_ten_stylists_sharing_a_skill_give_exactly_ten_cuts_at_one_time(shop):
    stylists = [stylist(f"res_sty{i:02d}", f"Stylist {i}") for i in range(10)]
    s = shop("lastcuts").add(*stylists, haircut())
    day = day_ahead(41)
    line = Line("off_cut", start=f"{day}T10:00")

    outcomes = s.contend([(s.tenant_id, [line])] * ATTEMPTS)

    assert_sold_exactly(s, outcomes, [r.id for r in stylists], sold=10, capacity=1)
    served = {
        a.resource_id for o in outcomes.order_ids for a in s.data.orders.get(o).lines[0].allocations
    }
    assert served == {r.id for r in stylists}  # one cut each: nobody was double-booked
    s.assert_invariant(day, day + timedelta(days=1))


def test_ten_concurrent_bookings_of_one_slot_all_get_one_of_ten_free_stylists(shop):
    # Exactly as many buyers as stylists: every buyer first picks the same least-loaded one,
    # so each loser must re-plan without the stylist it lost until it finds a free one.
    stylists = [stylist(f"res_sty{i:02d}", f"Stylist {i}") for i in range(10)]
    s = shop("tencuts").add(*stylists, haircut())
    day = day_ahead(46)
    for start in ("10:00", "14:00"):
        line = Line("off_cut", start=f"{day}T{start}")

        outcomes = s.contend([(s.tenant_id, [line])] * len(stylists))

        outcomes.assert_only_unavailable()
        assert len(outcomes.won) == len(stylists), outcomes.refusals
        served = [
            a.resource_id
            for o in outcomes.order_ids
            for a in s.data.orders.get(o).lines[0].allocations
        ]
        assert sorted(served) == sorted(r.id for r in stylists)
        assert attempt(s.tenant_id, [line])[1:] == ("SlotUnavailable", "unavailable")
    s.assert_invariant(day, day + timedelta(days=1))


def test_a_table_group_of_ten_seats_exactly_ten_parties_in_a_slot(shop):
    tables = Resource(
        id="res_tables",
        name="Window tables",
        kind=ResourceKind.TIMED,
        capacity=10,
        hours=(((11 * 60, 23 * 60),),) * 7,
        slot_minutes=15,
    )
    dinner = Offering(
        id="off_dinner",
        name="Dinner",
        kind=ResourceKind.TIMED,
        requirements=(Requirement(Selector(resource_id="res_tables")),),
        pricing=Pricing(amount=0),
        duration_minutes=90,
    )
    s = shop("lasttables").add(tables, dinner)
    day = day_ahead(42)
    line = Line("off_dinner", start=f"{day}T19:00")

    outcomes = s.contend([(s.tenant_id, [line])] * ATTEMPTS)

    assert_sold_exactly(s, outcomes, ["res_tables"], sold=10, capacity=10)
    assert len(s.used("res_tables")) == 6  # 90 minutes of 15-minute slots
    s.assert_invariant(day, day + timedelta(days=1))


def test_a_departure_with_ten_seats_left_seats_exactly_ten_more(shop):
    s = shop("lastseats").add(departure("res_wall", seats=25), day_tour("res_wall"))
    day = day_ahead(43)
    s.hold(Line("off_tour", start=f"{day}T08:00", party=15))

    line = Line("off_tour", start=f"{day}T08:00")
    outcomes = s.contend([(s.tenant_id, [line])] * ATTEMPTS)

    assert_sold_exactly(s, outcomes, ["res_wall"], sold=10, capacity=25)
    s.assert_invariant(day, day + timedelta(days=1))


def test_a_sharded_session_seats_its_capacity_and_refuses_only_parties_it_cannot_seat(shop):
    # 60 seats over 8 shards (shares of 8 and 7), 200 parties of 1 to 4 racing for them: each
    # hold starts at a random shard, moves on when one is full, and a party may take from
    # several shards in one transaction.
    seats, shards = 60, 8
    s = shop("shardseats").add(
        departure("res_wall", seats=seats, shards=shards), day_tour("res_wall")
    )
    day = day_ahead(44)
    rng = random.Random(20261130)
    jobs = [
        (s.tenant_id, [Line("off_tour", start=f"{day}T08:00", party=rng.randint(1, 4))])
        for _ in range(ATTEMPTS)
    ]

    outcomes = s.contend(jobs)

    outcomes.assert_only_unavailable()
    used = s.used("res_wall", shards=shards)
    for key, units in used.items():
        assert units <= shard_share(seats, shards, split_shard(key)[1]), (key, units)
    sold = sum(used.values())
    assert sold == sum(lines[0].party for _, lines in outcomes.won)
    assert len({split_shard(key)[1] for key in used}) == shards  # every shard sold
    free = seats - sold
    refused = [lines[0].party for (_, lines), r in outcomes.results if r[0] != "ok"]
    assert all(party > free for party in refused), (free, Counter(refused))
    s.assert_invariant(day, day + timedelta(days=1))


# -- overlapping stays, multi-resource bookings, two tenants -----------------------------------


def test_overlapping_multi_night_stays_never_oversell_a_night_nor_keep_part_of_a_stay(shop):
    rooms = 3
    s = shop("overlap").add(room_type("res_double", rooms=rooms), stay_offering("res_double"))
    first = day_ahead(50)
    rng = random.Random(20261224)
    jobs = []
    for _ in range(ATTEMPTS):
        nights = rng.randint(1, 5)
        check_in = first + timedelta(days=rng.randint(0, 10 - nights))
        jobs.append((s.tenant_id, [Line("off_stay", check_in=check_in.isoformat(), nights=nights)]))

    outcomes = s.contend(jobs)

    outcomes.assert_only_unavailable()
    assert outcomes.won, "nobody got a room at all"
    stored = {("res_double", k): v for k, v in s.used("res_double").items()}
    assert all(v <= rooms for v in stored.values()), stored
    # Every successful stay holds all its nights; refused ones left nothing behind.
    for (_, lines), (kind, order_id, _) in outcomes.results:
        if kind != "ok":
            continue
        order = s.data.orders.get(order_id)
        check_in = date.fromisoformat(lines[0].check_in)
        assert [t.bucket.key for t in order.takes] == [
            f"N#{check_in + timedelta(days=i)}" for i in range(lines[0].nights)
        ]
    assert {k: v for k, v in stored.items() if v} == s.expected_used(outcomes.order_ids)
    s.assert_invariant(first, first + timedelta(days=10))


def test_when_guides_run_out_before_seats_no_order_keeps_a_seat_without_a_guide(shop):
    guides = [
        Resource(
            id=f"res_guide{i}",
            name=f"Guide {i}",
            kind=ResourceKind.TIMED,
            capacity=1,
            skills=frozenset({"guide"}),
            hours=(((7 * 60, 19 * 60),),) * 7,
        )
        for i in range(3)
    ]
    walk = Offering(
        id="off_walk",
        name="Guided old town walk",
        kind=ResourceKind.SESSION,
        requirements=(
            Requirement(Selector(resource_id="res_walk"), units=1, per=UnitsPer.PERSON),
            Requirement(Selector(skill="guide")),
        ),
        pricing=Pricing(amount=2500, basis=PriceBasis.PERSON),
    )
    session = departure("res_walk", seats=10, times=(10 * 60,), minutes=120, name="Old town")
    s = shop("guides").add(session, *guides, walk)
    day = day_ahead(44)
    line = Line("off_walk", start=f"{day}T10:00", party=2)

    outcomes = s.contend([(s.tenant_id, [line])] * ATTEMPTS)

    outcomes.assert_only_unavailable()
    won = len(outcomes.won)
    assert won == 3  # three guides; the seats (10) would have taken five
    assert list(s.used("res_walk").values()) == [6]  # three parties of two
    for guide in guides:
        assert set(s.used(guide.id).values()) == {1}, s.used(guide.id)  # 8 slots, one walk
    want = s.expected_used(outcomes.order_ids)
    got = {
        (rid, k): v for rid in ["res_walk", *[g.id for g in guides]] for k, v in s.used(rid).items()
    }
    assert got == want
    s.assert_invariant(day, day + timedelta(days=1))


def test_two_tenants_booking_at_once_never_touch_each_others_buckets(shop):
    # The same resource and offering ids in both: only the table tells them apart.
    a = shop("alpha").add(room_type("res_double", rooms=10), stay_offering("res_double"))
    b = shop("bravo").add(room_type("res_double", rooms=10), stay_offering("res_double"))
    night = day_ahead(45)
    line = Line("off_stay", check_in=night.isoformat())
    jobs = [(t.tenant_id, [line]) for _ in range(ATTEMPTS // 2) for t in (a, b)]

    outcomes = a.contend(jobs)

    outcomes.assert_only_unavailable()
    won = Counter(tenant_id for tenant_id, _ in outcomes.won)
    assert won == {a.tenant_id: 10, b.tenant_id: 10}
    for mine, theirs in ((a, b), (b, a)):
        assert mine.used("res_double") == {f"N#{night}": 10}
        ids = [r[1] for (tid, _), r in outcomes.results if r[0] == "ok" and tid == theirs.tenant_id]
        assert all(mine.data.orders.get(order_id) is None for order_id in ids)
        mine.assert_invariant(night, night + timedelta(days=1))
