"""axe-core's accessibility rules in the page (installed from npm, injected by Playwright):
the serious and critical violations within a part of the page, or all of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def serious_violations(page: Any, within: str | None = None) -> list[str]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    context = f"{{ include: [['{within}']] }}" if within else "document"
    result = page.evaluate(
        f"async () => (await axe.run({context}, {{ resultTypes: ['violations'] }})).violations"
    )
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result
        if v["impact"] in ("serious", "critical")
    ]
