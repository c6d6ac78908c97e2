"""The project's own Python files under a folder, for the tests that read the code.

Never the synth's output nor installed packages: infra/cdk.out holds a copy of the whole app
(the Lambda package), and `make test` synthesises into it while the unit tier runs, so a walk
into it could meet a folder being deleted or a file half written."""

from __future__ import annotations

import os
from pathlib import Path

SKIPPED = frozenset({"cdk.out", "node_modules", "__pycache__"})


def python_files(root: Path) -> list[Path]:
    """Every .py file under `root`, in a stable order, not descending into `SKIPPED`."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED)
        found += [Path(folder, name) for name in sorted(files) if name.endswith(".py")]
    return found
