"""Sharded sessions: a hot session's seats spread over N buckets (catalog/domain/inventory.py).

A hold starts at a shard the caller draws and moves round the ring while a shard cannot serve
it; a party larger than one shard's remainder takes from several in the same transaction and
is refused only when the session as a whole cannot seat it; availability sums the shards;
capacity changes and the invariant work across shards. Through the domain and the services on
the fakes; tests/integration/test_contention.py races 200 buyers on DynamoDB Local.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.booking.domain.orders import Channel, Customer
from chalicelib.booking.domain.placement import LineRequest, plan_line
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.availability import availability
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.invariant import check_invariant
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.booking.services.order_unit_of_work import OrderUnitOfWork
from chalicelib.booking.services.transaction_items import RevisionCheck
from chalicelib.catalog.domain.capacity import capacity_for, violations
from chalicelib.catalog.domain.catalog import MAX_SHARDS, validate_resource
from chalicelib.catalog.domain.inventory import (
    BucketRef,
    Take,
    session_key,
    shard_share,
    split_shard,
    spread,
)
from chalicelib.catalog.services import resources
from chalicelib.kernel.domain.errors import Conflict, InvalidInput, SlotUnavailable
from tests.builders import Shop, day_tour, departure, haircut, stylist

GUEST = Customer(name="Ada", email="ada@example.com")
START = datetime(2026, 12, 5, 8, 0)  # local, Shanghai: 00:00 UTC
BASE = "X#2026-12-05T00:00Z"
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
SHANGHAI = "Asia/Shanghai"


def sharded_shop(seats: int = 20, shards: int = 4) -> Shop:
    shop = Shop(tz=SHANGHAI, currency="CNY")
    return shop.add(departure(seats=seats, shards=shards), day_tour())


def hold(shop: Shop, party: int, order_id: str):
    line = LineInput("off_tour", party=party, start=START)
    return hold_order(
        shop.ctx, shop.cache, HoldInput(GUEST, [line], Channel.API), order_id=order_id
    )


def sold_per_shard(shop: Shop) -> dict[int, int]:
    out: dict[int, int] = {}
    for (rid, key), units in shop.data.orders.buckets.items():
        if rid == "res_wall" and units:
            out[split_shard(key)[1]] = units
    return out


# -- the pieces ---------------------------------------------------------------------------------


@given(st.integers(0, 100_000), st.integers(1, MAX_SHARDS))
def test_the_shares_add_up_to_the_capacity_and_differ_by_at_most_one(capacity, shards):
    shares = [shard_share(capacity, shards, i) for i in range(shards)]
    assert sum(shares) == capacity
    assert max(shares) - min(shares) <= 1


def test_shard_keys_name_the_session_and_the_shard():
    instant = datetime(2026, 12, 5, 0, 0, tzinfo=UTC)
    assert session_key(instant) == BASE  # shard 0 keeps the unsharded key
    assert session_key(instant, 3) == f"{BASE}#3"
    assert split_shard(f"{BASE}#3") == (BASE, 3)
    assert split_shard(BASE) == (BASE, 0)
    assert split_shard("N#2026-12-05") == ("N#2026-12-05", 0)
    for bad in (f"{BASE}#0", f"{BASE}#03", f"{BASE}#x", f"{BASE}#"):
        with pytest.raises(ValueError):
            split_shard(bad)


def test_spread_takes_from_the_ring_in_order_and_refuses_only_what_all_cannot_give():
    free = [2, 0, 3, 1]
    assert spread(2, free, [2, 3, 0, 1]) == [0, 0, 2, 0]
    assert spread(5, free, [2, 3, 0, 1]) == [1, 0, 3, 1]  # three shards for one party
    assert spread(6, free, [0, 1, 2, 3]) == [2, 0, 3, 1]  # every seat left
    assert spread(7, free, [0, 1, 2, 3]) is None


@given(
    st.lists(st.integers(-3, 10), min_size=1, max_size=8),
    st.integers(1, 40),
    st.randoms(use_true_random=False),
)
def test_spread_gives_exactly_the_units_within_every_shards_room(free, units, rng):
    order = list(range(len(free)))
    rng.shuffle(order)
    given_ = spread(units, free, order)
    if given_ is None:
        assert sum(max(0, f) for f in free) < units
        return
    assert sum(given_) == units
    assert all(0 <= g <= max(0, f) for g, f in zip(given_, free, strict=True))


def test_only_a_session_is_sharded_and_within_the_bound():
    validate_resource(departure(shards=MAX_SHARDS))
    with pytest.raises(InvalidInput):
        validate_resource(departure(shards=0))
    with pytest.raises(InvalidInput):
        validate_resource(departure(shards=MAX_SHARDS + 1))
    with pytest.raises(InvalidInput):
        validate_resource(replace(stylist("res_a", "Alex"), shards=2))


# -- planning ---------------------------------------------------------------------------------


def plan(used, party, start_shard, seats=20, shards=4, avoid=frozenset()):
    session = departure(seats=seats, shards=shards)
    request = LineRequest(day_tour(), party, start_local=START)
    return plan_line(
        request,
        [[session]],
        {"res_wall": used},
        tz=SHANGHAI,
        now=NOW,
        avoid=avoid,
        start_shard=start_shard,
    )


def test_a_hold_starts_at_the_drawn_shard():
    for start in range(4):
        placed = plan({}, 2, start)
        assert [(t.bucket.key, t.units, t.capacity) for t in placed.choices[0].takes] == [
            (session_key(datetime(2026, 12, 5, tzinfo=UTC), start), 2, 5)
        ]


def test_a_hold_moves_round_the_ring_to_the_first_shard_that_seats_the_whole_party():
    used = {BASE: 4, f"{BASE}#1": 5, f"{BASE}#2": 3}  # free: 1, 0, 2, 5
    assert [t.bucket.key for t in plan(used, 2, 0).choices[0].takes] == [f"{BASE}#2"]
    assert [t.bucket.key for t in plan(used, 2, 3).choices[0].takes] == [f"{BASE}#3"]


def test_a_party_no_shard_can_seat_takes_from_the_roomiest_shards_first():
    used = {BASE: 4, f"{BASE}#1": 5, f"{BASE}#2": 3}  # free: 1, 0, 2, 5
    placed = plan(used, 6, 0)
    takes = {t.bucket.key: t.units for t in placed.choices[0].takes}
    assert takes == {f"{BASE}#3": 5, f"{BASE}#2": 1}  # two shards, not three
    assert placed.remaining == 8  # the session's free seats (all shards), as listed


def test_a_party_is_refused_only_when_the_whole_session_cannot_seat_it():
    used = {BASE: 4, f"{BASE}#1": 5, f"{BASE}#2": 3, f"{BASE}#3": 5}  # 3 seats left in all
    assert sum(t.units for t in plan(used, 3, 1).choices[0].takes) == 3
    with pytest.raises(SlotUnavailable):
        plan(used, 4, 1)


def test_a_shard_a_commit_just_lost_is_tried_last_not_dropped():
    avoid = {("res_wall", f"{BASE}#1")}
    placed = plan({}, 2, 1, avoid=avoid)
    assert [t.bucket.key for t in placed.choices[0].takes] == [f"{BASE}#2"]
    # Its remainder still counts when nothing else is left.
    used = {BASE: 5, f"{BASE}#2": 5, f"{BASE}#3": 5}
    placed = plan(used, 5, 1, avoid=avoid)
    assert [t.bucket.key for t in placed.choices[0].takes] == [f"{BASE}#1"]


# -- holds, availability, the invariant, through the services -------------------------------------


def test_holds_fill_every_shard_and_never_more_than_its_share():
    shop = sharded_shop(seats=22, shards=4)  # shares 6, 6, 5, 5
    rng = random.Random(7)
    seated, refused = 0, []
    for n in range(40):
        party = rng.randint(1, 4)
        try:
            hold(shop, party, f"o{n}")
            seated += party
        except SlotUnavailable:
            refused.append((party, 22 - seated))
    shares = {i: shard_share(22, 4, i) for i in range(4)}
    assert all(units <= shares[i] for i, units in sold_per_shard(shop).items())
    assert sum(sold_per_shard(shop).values()) == seated
    assert all(party > free for party, free in refused)  # refused only when it did not fit
    assert check_invariant(shop.ctx, date(2026, 12, 5), date(2026, 12, 6)).ok


def test_a_hold_reads_a_sharded_sessions_buckets_by_key_not_one_query_per_shard(monkeypatch):
    shop = sharded_shop(seats=20, shards=4)
    store = type(shop.data.orders)
    queried = []
    monkeypatch.setattr(store, "used", lambda self, *a, **k: queried.append(a) or {})
    hold(shop, 2, "o1")
    hold(shop, 5, "o2")
    assert queried == []
    assert sum(sold_per_shard(shop).values()) == 7


def test_availability_sums_the_shards():
    shop = sharded_shop(seats=20, shards=4)
    hold(shop, 4, "o1")
    hold(shop, 3, "o2")
    _, placements = availability(
        shop.ctx,
        shop.cache,
        offering_id="off_tour",
        first=date(2026, 12, 5),
        last_exclusive=date(2026, 12, 6),
        party=1,
    )
    assert [p.remaining for p in placements] == [13]


def test_cancelling_gives_back_every_shard_a_party_took():
    shop = sharded_shop(seats=8, shards=4)  # shares of 2
    order = hold(shop, 5, "o1")
    assert len(order.takes) == 3
    order_service.confirm(shop.ctx, order.id)
    order_service.cancel(shop.ctx, shop.cache, order.id)
    assert sold_per_shard(shop) == {}
    assert check_invariant(shop.ctx, date(2026, 12, 5), date(2026, 12, 6)).ok


def test_a_hold_checks_the_revision_in_the_partition_of_a_shard_it_writes():
    shop = sharded_shop(seats=8, shards=4)
    key = session_key(datetime(2026, 12, 5, tzinfo=UTC), 2)
    uow = OrderUnitOfWork(shop.ctx)
    uow.take([Take(BucketRef("res_wall", BASE), 1, 2), Take(BucketRef("res_wall", key), 1, 2)])
    uow.check_revisions({"res_wall": 1, "res_other": 3})
    shaped = uow._shape(list(uow._items))
    checks = [i for i in shaped if isinstance(i, RevisionCheck)]
    assert checks == [RevisionCheck("res_other", 3, 0), RevisionCheck("res_wall", 1, 2)]


# -- changing a sharded session -----------------------------------------------------------------


def test_capacity_is_judged_per_shard():
    session = departure(seats=20, shards=4)
    assert capacity_for(session, f"{BASE}#3", SHANGHAI) == 5
    assert capacity_for(session, f"{BASE}#4", SHANGHAI) is None  # no such shard
    used = {BASE: 5, f"{BASE}#1": 2}
    assert violations(replace(session, capacity=16), used, SHANGHAI) == [BASE]
    assert violations(replace(session, capacity=17), used, SHANGHAI) == []
    assert violations(replace(session, shards=1), {f"{BASE}#1": 1}, SHANGHAI) == [f"{BASE}#1"]


def test_lowering_a_sharded_sessions_capacity_below_a_shards_units_is_refused():
    shop = sharded_shop(seats=20, shards=4)
    for n in range(4):
        hold(shop, 5, f"o{n}")  # every shard full
    r = shop.data.catalog.get_resource("res_wall")
    with pytest.raises(Conflict) as refused:
        resources.update_resource(shop.ctx, shop.cache, r.id, replace(r, capacity=19), r.rev)
    assert refused.value.code == "capacity_below_sold"
    changed = resources.update_resource(shop.ctx, shop.cache, r.id, replace(r, capacity=24), r.rev)
    assert changed.capacity == 24 and changed.shards == 4
    hold(shop, 4, "o5")  # the four new seats, one per shard
    assert check_invariant(shop.ctx, date(2026, 12, 5), date(2026, 12, 6)).ok


def test_the_shards_of_a_session_change_when_what_is_sold_fits_the_new_shares():
    shop = sharded_shop(seats=20, shards=1)
    hold(shop, 4, "o1")  # shard 0 of 1: 4 of 20
    r = shop.data.catalog.get_resource("res_wall")
    changed = resources.update_resource(shop.ctx, shop.cache, r.id, replace(r, shards=4), r.rev)
    assert changed.shards == 4 and changed.active and changed.rev == r.rev + 2  # paused, then new
    for n in range(4):
        hold(shop, 4, f"p{n}")
    assert sum(sold_per_shard(shop).values()) == 20
    with pytest.raises(SlotUnavailable):
        hold(shop, 1, "full")
    # Back to one shard would strand units on shards 1..3: refused, nothing changed.
    r = shop.data.catalog.get_resource("res_wall")
    with pytest.raises(Conflict):
        resources.update_resource(shop.ctx, shop.cache, r.id, replace(r, shards=1), r.rev)
    after = shop.data.catalog.get_resource("res_wall")
    assert after.shards == 4 and after.active
    assert check_invariant(shop.ctx, date(2026, 12, 5), date(2026, 12, 6)).ok


def test_the_invariant_still_counts_a_past_sessions_units_on_shards_since_dropped():
    shop = sharded_shop(seats=20, shards=4)
    hold(shop, 8, "o1")  # spread over shards
    shop.clock.advance(30 * 86400)  # the session is over: lowering the shards may not mind it
    r = shop.data.catalog.get_resource("res_wall")
    resources.update_resource(shop.ctx, shop.cache, r.id, replace(r, shards=1), r.rev)
    assert check_invariant(shop.ctx, date(2026, 12, 5), date(2026, 12, 6)).ok


def test_more_shards_are_refused_when_a_shard_holds_more_than_its_new_share():
    shop = sharded_shop(seats=20, shards=1)
    hold(shop, 8, "o1")
    r = shop.data.catalog.get_resource("res_wall")
    with pytest.raises(Conflict) as refused:
        resources.update_resource(shop.ctx, shop.cache, r.id, replace(r, shards=4), r.rev)
    assert refused.value.details["buckets"] == [BASE]
    assert shop.data.catalog.get_resource("res_wall").shards == 1


def test_a_timed_resource_is_never_sharded_through_the_services():
    shop = Shop().add(stylist("res_a", "Alex"), haircut())
    r = shop.data.catalog.get_resource("res_a")
    with pytest.raises(InvalidInput):
        resources.update_resource(shop.ctx, shop.cache, r.id, replace(r, shards=2), r.rev)
