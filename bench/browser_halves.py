"""How evenly the browser tier's two fixed halves share its time, and a salt that shares it better.

The browser tier runs its files in two halves, one per worker, by a CRC of `HALVES_SALT` and
the file's name (tests/browser/conftest.py): the tier takes as long as its longer half. This
reads the per-test durations `make test` prints for that tier (`--durations=0`: every test's
setup, call and teardown) from one or more saved logs, sums them per file (each worker's
start-up aside: both halves pay it), and prints each log's two halves under the current salt
and under the salt (of the first `--salts` integers) whose worse imbalance over all the logs
is smallest. The halves are predictions from those logs, not measurements: a run's tests take
a few seconds more or less each time, and a salt chosen on the logs fits them better than
the next run. Ends with one JSON line.

    .venv/bin/python -m bench.browser_halves make-test-1.log make-test-2.log [--salts 20000]
"""

from __future__ import annotations

import argparse
import json
import re
import zlib
from collections import Counter
from pathlib import Path

from tests.browser.conftest import HALVES_SALT

DURATION = re.compile(r"^([\d.]+)s (call|setup|teardown)\s+tests/browser/(test_\w+\.py)::", re.M)
# pytest charges a worker's session fixtures (its stack, the seeding, chromium: 20-30 s) to
# the setup of the first test it runs, a file that changes with the salt. A setup this long
# is that start-up: every half pays it once, whichever file it lands on, so it is left out.
STARTUP_SECONDS = 10.0


def file_seconds(log: str) -> Counter[str]:
    """Seconds per browser test file in a `make test` log (its last durations table), the
    workers' start-up aside."""
    table = log[log.rfind("slowest durations") :]
    seconds: Counter[str] = Counter()
    for match in DURATION.finditer(table):
        spent, when, name = float(match.group(1)), match.group(2), match.group(3)
        if when == "setup" and spent >= STARTUP_SECONDS:
            continue
        seconds[name] += spent
    return seconds


def halves(seconds: Counter[str], salt: str) -> tuple[float, float]:
    sums = [0.0, 0.0]
    for name, spent in seconds.items():
        sums[zlib.crc32(f"{salt}{name}".encode()) % 2] += spent
    return round(sums[0], 1), round(sums[1], 1)


def worst_gap(logs: list[Counter[str]], salt: str) -> float:
    return max(abs(a - b) for a, b in (halves(log, salt) for log in logs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("logs", nargs="+", type=Path, help="saved `make test` output")
    parser.add_argument(
        "--salts", type=int, default=20_000, help="salts tried: 0 up to this, not included"
    )
    args = parser.parse_args(argv)
    logs = [file_seconds(path.read_text(errors="replace")) for path in args.logs]
    if not all(logs):
        parser.error("a log holds no browser tier durations (`make test` prints them)")
    best = min((str(n) for n in range(args.salts)), key=lambda salt: worst_gap(logs, salt))
    for salt, label in ((HALVES_SALT, "current"), (best, "best")):
        print(
            f"salt {salt} ({label}): "
            + ", ".join(f"{a} s + {b} s" for a, b in (halves(log, salt) for log in logs))
        )
    figures = {
        "current": {"salt": HALVES_SALT, "halves": [halves(log, HALVES_SALT) for log in logs]},
        "best": {"salt": best, "halves": [halves(log, best) for log in logs]},
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
