"""No module of chalicelib, local or infra is over 400 lines.

A module past that size almost always holds more than one concern; split it along a real seam
(a module per concern, named for the business) rather than raise the limit. The exceptions are
listed below, each with its reason, and the list can only shrink: an exception that is no longer
over the limit (or no longer exists) fails too, so it is taken off when its module is split.
"""

from __future__ import annotations

from pathlib import Path

from tests.source_files import python_files

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("chalicelib", "local", "infra")
MAX_LINES = 400

EXCEPTIONS: dict[str, str] = {}


def _line_counts() -> dict[str, int]:
    counts = {}
    for package in PACKAGES:
        for path in python_files(ROOT / package):
            counts[path.relative_to(ROOT).as_posix()] = len(path.read_bytes().splitlines())
    return counts


def test_no_module_is_over_400_lines():
    too_long = {
        path: lines
        for path, lines in _line_counts().items()
        if lines > MAX_LINES and path not in EXCEPTIONS
    }

    assert too_long == {}, f"over {MAX_LINES} lines, split along a real seam: {too_long}"


def test_every_exception_is_still_needed():
    counts = _line_counts()
    not_needed = [path for path in EXCEPTIONS if counts.get(path, 0) <= MAX_LINES]

    assert not_needed == [], f"no longer over {MAX_LINES} lines: take off EXCEPTIONS: {not_needed}"
