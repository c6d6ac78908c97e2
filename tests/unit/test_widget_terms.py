"""The widget's cancellation terms (web/widget/terms.tsx, run in node): past the last tier
nothing comes back, and the terms say so; an outside tester's tour stopped at "12 hours or
more before, 50% refunded", and a late cancellation then refunded nothing unannounced. Each
tier says what it keeps of the price: "50% refunded" read as half of what was paid, and a
phone tester who had paid a 20 % deposit got nothing back (the fee is kept from what was
paid)."""

from __future__ import annotations

from pathlib import Path

from tests.node_ts import NEEDS_NODE, ROOT, run_ts

pytestmark = NEEDS_NODE

ENTRY = """
import { translator } from "{root}/web/widget/i18n";
import { tiersSaid } from "{root}/web/widget/terms";
export const said = (lang: string, tiers: { hours_before: number; refund_bp: number }[]) =>
  tiersSaid(translator(lang), lang === "zh-Hans" ? "zh-CN" : "en-US", tiers);
"""


def test_the_terms_say_what_comes_back_after_the_last_tier(tmp_path: Path):
    entry = tmp_path / "entry.ts"
    entry.write_text(ENTRY.replace("{root}", str(ROOT)))
    two = "[{hours_before: 48, refund_bp: 10000}, {hours_before: 12, refund_bp: 5000}]"
    to_zero = "[{hours_before: 24, refund_bp: 10000}, {hours_before: 0, refund_bp: 2500}]"
    got = run_ts(
        tmp_path,
        str(entry),
        "w",
        {
            "two": f'w.said("en", {two})',
            "to_zero": f'w.said("en", {to_zero})',
            "zh": f'w.said("zh-Hans", {two})',
            "none": 'w.said("en", [])',
            "only": 'w.said("en", [{hours_before: 0, refund_bp: 10000}])',
            "ends_at_none": 'w.said("en", [{hours_before: 72, refund_bp: 10000},'
            " {hours_before: 48, refund_bp: 0}])",
        },
    )
    assert got["two"] == [
        "48 hours or more before, free",
        "12 hours or more before, 50% of the price is kept",
        "later, the whole price is kept",
    ]
    assert got["to_zero"] == [
        "24 hours or more before, free",
        "later, 75% of the price is kept",  # a quarter back: three quarters kept
    ]
    assert got["zh"] == [
        "提前 48 小时或以上，免费取消",
        "提前 12 小时或以上，从已付款项中扣除价格的 50%",  # kept from what was paid, not
        "更晚，已付款项不予退还",  # charged: 收取 read as a charge (a reviewer's)
    ]
    assert got["none"] == []
    assert got["only"] == ["any time before, free"]  # not "later", after nothing
    assert got["ends_at_none"] == [  # said once, not "... kept; later, ... kept"
        "72 hours or more before, free",
        "48 hours or more before, the whole price is kept",
    ]
