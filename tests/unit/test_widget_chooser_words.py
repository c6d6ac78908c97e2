"""The widget's words for what a customer may choose (web/widget/i18n.ts, run in node): a
restaurant's guests choose a table; an outside tester's were asked "With: Anyone available /
Table 1 / Table 2", a salon's words for its stylists."""

from __future__ import annotations

from tests.node_ts import NEEDS_NODE, run_ts

pytestmark = NEEDS_NODE


def test_a_restaurant_offers_tables_and_a_salon_its_people(tmp_path):
    said = "(kind, lang) => { const w = i.chooserWords(kind); const t = i.translator(lang);"
    said += " return [t(w.label), t(w.anyone)]; }"
    got = run_ts(
        tmp_path,
        "web/widget/i18n.ts",
        "i",
        {
            "restaurant": f'({said})("restaurant", "en")',
            "restaurant_zh": f'({said})("restaurant", "zh-Hans")',
            "salon": f'({said})("salon", "en")',
        },
    )
    assert got == {
        "restaurant": ["Table", "Any table"],
        "restaurant_zh": ["餐桌", "任意餐桌"],
        "salon": ["With", "Anyone available"],
    }
