"""The console's words for an API field named in a 422 (web/console/field_words.ts, run in
node after esbuild compiles it): a business reads "percentage" and "English subject", not
`percent_bp` and `wordings.en.subject`, and a bound in basis points as a percentage."""

from __future__ import annotations

import json
from pathlib import Path

from tests.node_ts import NEEDS_NODE, run_ts

pytestmark = NEEDS_NODE

CASES = [  # field, language, its words
    ("percent_bp", "en", "percentage"),
    ("percent_bp", "zh-Hans", "百分比"),
    ("wordings.en.subject", "en", "English subject"),
    ("wordings.zh-Hans.body", "en", "Simplified Chinese text"),
    ("wordings.en.subject", "zh-Hans", "英语主题"),
    ("lines.0.party", "en", "party #1"),
    ("lines.1", "en", "lines #2"),  # a list's item itself
    ("hours.mon.0.1", "en", "mon #1 #2"),
    ("wordings.xx.[key]", "en", "xx"),  # a dict's key: the dict's part named
    ("valid_months", "en", "valid months"),
    ("to", "en", "to"),  # a two-letter field is a field, not a language
    ("customer.id.name", "en", "name"),  # `id` is no language (Indonesian)
    ("labels.fr", "en", "French labels"),
    ("(body)", "en", "(body)"),
    ("", "en", ""),
]
MESSAGES = [  # field, API message, said
    ("percent_bp", "Should be at most 10000.", "Should be at most 100%."),
    ("tax_rate_bp", "Should be at least -5.", "Should be at least -0.05%."),
    ("amount", "Should be at most 10000.", "Should be at most €100.00."),
    ("lines.0.unit_amount", "Should be at least 0.", "Should be at least €0.00."),
    ("party", "Should be at most 10000.", "Should be at most 10000."),
]


# Money as the console writes it for a business in euros (t.money), bound to E in node.
EUROS = "(n) => new Intl.NumberFormat('en', {style: 'currency', currency: 'EUR'}).format(n / 100)"


def run(tmp_path: Path) -> dict:
    return run_ts(
        tmp_path,
        "web/console/field_words.ts",
        "F",
        {
            "words": f"{json.dumps(CASES)}.map(([f, l]) => F.fieldWords(f, l))",
            "_": f"(globalThis.E = {EUROS}, 0)",
            "messages": f"{json.dumps(MESSAGES)}.map(([f, m]) => F.fieldMessage(f, m, 'en', E))",
        },
    )


def test_fields_and_their_bounds_are_said_in_words(tmp_path):
    said = run(tmp_path)
    assert said["words"] == [words for _, _, words in CASES]
    assert said["messages"] == [words for _, _, words in MESSAGES]
