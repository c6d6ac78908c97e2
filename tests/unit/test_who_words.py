"""The console's words for who moved money (web/console/who_words.ts, run in node): the
platform's own work (an expired hold given back onto a gift card, a cancellation's refund)
and the customer are said as such, never as "A staff member" as testers saw on a card's page."""

from __future__ import annotations

from pathlib import Path

from tests.node_ts import NEEDS_NODE, ROOT, run_ts

pytestmark = NEEDS_NODE

ENTRY = """
import { translator } from "{root}/web/console/i18n";
import { movedBy, whoSaid } from "{root}/web/console/who_words";
const maya = {{ who: "maya@example.com", name: "Maya", kind: "staff" as const }};
const names = new Map([[maya.who, maya]]);
export const said = (lang: "en" | "zh-Hans", who: string, kind?: string) => {{
  const t = translator(lang);
  return kind ? movedBy(t, names, who, kind as never) : whoSaid(t, names, who);
}};
"""


def test_the_system_and_the_customer_are_told_apart_from_staff(tmp_path: Path):
    entry = tmp_path / "entry.ts"
    entry.write_text(ENTRY.replace("{root}", str(ROOT)).replace("{{", "{").replace("}}", "}"))
    got = run_ts(
        tmp_path,
        str(entry),
        "w",
        {
            "expired": 'w.said("en", "system:reservoir", "system")',
            "customer": 'w.said("en", "widget", "customer")',
            "by_key": 'w.said("en", "publishable_key:pk1", "customer")',
            "staff": 'w.said("en", "maya@example.com", "staff")',
            "gone": 'w.said("en", "old@example.com", "staff")',
            "money_panel": 'w.said("en", "system:reservoir")',
            "widget_coupon": 'w.said("en", "publishable_key:pk1")',
            "widget_zh": 'w.said("zh-Hans", "publishable_key:pk1")',
            "zh": 'w.said("zh-Hans", "system:reservoir", "system")',
        },
    )
    assert got == {
        "expired": "The system, by itself",
        "customer": "The customer",
        "by_key": "The customer",
        "staff": "Maya",
        "gone": "A staff member",
        "money_panel": "The system, by itself",
        "widget_coupon": "The customer, online",
        "widget_zh": "客人（在线）",
        "zh": "系统自动",
    }
