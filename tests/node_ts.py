"""The console's pure TypeScript modules run in node, for unit tests of their rules: esbuild
compiles the module to CommonJS and node evaluates expressions over it, printed as JSON. Needs
`node_modules` (make node) and node; the tests are skipped without them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
NEEDS_NODE = pytest.mark.skipif(
    not ESBUILD.exists() or shutil.which("node") is None, reason="needs node_modules (make node)"
)


def run_ts(tmp_path: Path, module: str, name: str, expressions: dict[str, str]) -> dict[str, Any]:
    """Each of `expressions` evaluated with `module` (a path from the repository's root)
    loaded as `name`: {key: its value as JSON}. Bundled: the module's own imports (a shared
    helper) come with it."""
    bundle = tmp_path / f"{Path(module).stem}.cjs"
    subprocess.run(
        [str(ESBUILD), str(ROOT / module), "--bundle", "--format=cjs", "--platform=node",
         f"--outfile={bundle}", "--log-level=warning"],
        check=True,
    )  # fmt: skip
    body = ",".join(f"{json.dumps(k)}: {v}" for k, v in expressions.items())
    script = (
        f"const {name} = require({json.dumps(str(bundle))});"
        f" console.log(JSON.stringify({{{body}}}));"
    )
    out = subprocess.run(["node", "-e", script], check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout))
