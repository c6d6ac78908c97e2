"""The console's words come in groups (web/console/i18n.ts and words/*.ts), merged into one
table: a key two groups both define would silently take the later group's text (TypeScript
checks that every key has its Chinese, not that groups stay apart)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

CONSOLE = Path(__file__).resolve().parents[2] / "web" / "console"


def word_groups() -> list[Path]:
    """words/*.ts but refusals.ts: the API's codes in Chinese only, which `message` reads
    (tests/unit/test_console_refusals.py checks it)."""
    return sorted(p for p in (CONSOLE / "words").glob("*.ts") if p.name != "refusals.ts")


def english_keys(path: Path, opening: str) -> list[str]:
    text = path.read_text()
    start = text.index(opening)
    end = text.find("\n};", start)
    body = text[start:end] if end >= 0 else ""
    return re.findall(r"^ {2}([a-z][a-z0-9_]*):", body, flags=re.M)


def test_no_two_word_groups_define_the_same_key():
    owners: dict[str, list[str]] = defaultdict(list)
    for key in english_keys(CONSOLE / "i18n.ts", "const base = {"):
        owners[key].append("i18n.ts")
    groups = word_groups()
    assert groups, "the word groups are where i18n.ts imports them from"
    for path in groups:
        for key in english_keys(path, "const en = {"):
            owners[key].append(path.name)
    assert {key: files for key, files in owners.items() if len(files) > 1} == {}


def test_every_group_is_merged_into_both_languages():
    i18n = (CONSOLE / "i18n.ts").read_text()
    for path in word_groups():
        name = re.search(r"export const (\w+)", path.read_text())
        assert name, path
        assert i18n.count(f"...{name.group(1)}.en") == 1, path.name
        assert i18n.count(f"...{name.group(1)}.zh") == 1, path.name
