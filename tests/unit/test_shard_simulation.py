"""bench/shards.py's simulation, small: the planner under the simulated table's conflicts,
throttles and lost conditions never oversells a sharded session and refuses only parties the
seats left cannot take. (Its throughput figures are the bench's, never asserted here.)"""

from __future__ import annotations

import argparse

import pytest

from bench.shards import simulate


@pytest.mark.parametrize(("shards", "item_ms"), [(1, 5.0), (8, 5.0), (8, 0.0)])
def test_a_simulated_rush_sells_the_session_out_and_never_oversells(shards, item_ms):
    args = argparse.Namespace(
        rate=2000.0,
        seconds=0.6,
        seats=1500,
        max_party=4,
        partition_wcu=1000.0,
        item_ms=item_ms,
        rtt_ms=8.0,
        seed=7,
    )
    run = simulate(args, shards)
    assert run["oversold"] == 0
    assert run["refused_while_it_fit"] == 0
    assert run["stored"] == run["seated"] <= 1500
    assert run["ok"] + run["unavailable"] + run["busy"] + run["throttled"] == run["holds"]
