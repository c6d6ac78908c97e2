"""The channels' pages' small rules (web/console/channel_api.ts), run in node after esbuild
compiles the module: a commission typed as a percentage becomes basis points without a float
(and back), the locale writes it, months step across years, and a move is offered the
resources that can serve the booked offering's first requirement."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.node_ts import NEEDS_NODE, run_ts

pytestmark = NEEDS_NODE


def run(tmp_path: Path, expressions: dict[str, str]) -> dict[str, Any]:
    return run_ts(tmp_path, "web/console/channel_api.ts", "C", expressions)


def test_a_percentage_typed_is_basis_points_and_back(tmp_path):
    typed = ["0", "15", "12.5", "12,5", "12.25", "0.01", "100", "7 %", " 33.3 "]
    wrong = ["", "-1", "100.01", "101", "12.345", "1e2", "abc", "12.5.1", "0x10"]
    got = run(
        tmp_path,
        {
            "bp": f"{json.dumps(typed)}.map(C.percentToBp)",
            "refused": f"{json.dumps(wrong)}.map(C.percentToBp)",
            "back": "[0, 1, 1250, 1225, 1500, 10000, 3330].map(C.bpToPercent)",
        },
    )
    assert got["bp"] == [0, 1500, 1250, 1250, 1225, 1, 10000, 700, 3330]
    assert got["refused"] == [None] * len(wrong)
    assert got["back"] == ["0", "0.01", "12.5", "12.25", "15", "100", "33.3"]


def test_every_basis_point_survives_the_round_trip(tmp_path):
    got = run(
        tmp_path,
        {
            "bad": "Array.from({length: 10001}, (_, bp) => bp)"
            ".filter((bp) => C.percentToBp(C.bpToPercent(bp)) !== bp)"
        },
    )
    assert got["bad"] == []


def test_a_commission_as_each_language_writes_it(tmp_path):
    got = run(
        tmp_path,
        {
            "en": "[C.commission('en-US', 1250), C.commission('en-US', 1500)]",
            "zh": "C.commission('zh-Hans', 1225)",
            "de": "C.commission('de-DE', 1250)",
        },
    )
    assert got["en"] == ["12.5%", "15%"]
    assert got["zh"] == "12.25%"
    assert got["de"] == "12,5\u00a0%"


def test_months_step_across_years(tmp_path):
    got = run(
        tmp_path,
        {
            "steps": "[['2026-12', 1], ['2027-01', -1], ['2026-03', -14], ['2026-12', 0]]"
            ".map(([m, n]) => C.addMonths(m, n))"
        },
    )
    assert got["steps"] == ["2027-01", "2026-12", "2025-01", "2026-12"]


def test_a_move_is_offered_what_can_serve_the_booked_offering(tmp_path):
    resources = [
        {"id": "double", "kind": "nightly", "tags": ["room"], "skills": []},
        {"id": "suite", "kind": "nightly", "tags": ["room", "big"], "skills": []},
        {"id": "alex", "kind": "timed", "tags": ["room"], "skills": ["cut"]},
        {"id": "sam", "kind": "timed", "tags": [], "skills": ["cut", "colour"]},
    ]
    offerings = {
        "named": {"kind": "nightly", "requirements": [{"resource_id": "suite"}]},
        "tagged": {"kind": "nightly", "requirements": [{"resource_id": None, "tag": "room"}]},
        "skilled": {"kind": "timed", "requirements": [{"resource_id": None, "skill": "colour"}]},
        "none": {"kind": "nightly", "requirements": []},
    }
    got = run(
        tmp_path,
        {
            name: f"C.candidates({json.dumps(o)}, {json.dumps(resources)}).map((r) => r.id)"
            for name, o in offerings.items()
        },
    )
    assert got == {
        "named": ["suite"],
        "tagged": ["double", "suite"],  # of its kind only: the stylist has the tag too
        "skilled": ["sam"],
        "none": [],
    }
