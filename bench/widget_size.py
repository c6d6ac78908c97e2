"""What a page downloads for the booking widget, and how soon it shows availability.

1. Size: the widget is one script (its styles are inside it), built by `node web/build.mjs`;
   printed raw and gzipped (level 9, as a CDN serves it). Stripe.js is not counted: it loads
   only when a card is taken, from Stripe.
2. Time from the tag to the first availability shown: `python -m local.dev` runs the whole
   local stack (on free 127.0.0.1 ports, stopped by its pid at the end) and seeds the demo
   businesses; chromium then opens the demo salon's page with the widget pinned to its haircut
   (`/demo/shear-studio/<offering>.html`) `--runs` times, each in a fresh context (nothing
   cached), and the page itself measures from the navigation's start and from the moment the
   script ran to the first free time on screen.
Ends with one JSON line.

    .venv/bin/python -m bench.widget_size [--runs 10]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDGET = ROOT / "web" / "dist" / "widget" / "reservoir-widget.js"
LIMIT_GZIP = 40 * 1024
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Runs in the page before its scripts: when the widget's script ran, and when the first free
# time appeared inside the widget's shadow root.
PROBE = """
window.__probe = {};
document.addEventListener("DOMContentLoaded", () => {
  const tick = () => {
    const w = document.querySelector("reservoir-booking");
    if (w && w.shadowRoot && !window.__probe.defined) window.__probe.defined = performance.now();
    const found = w && w.shadowRoot && w.shadowRoot.querySelector("ul.times button");
    if (found) { window.__probe.shown = performance.now(); return; }
    requestAnimationFrame(tick);
  };
  tick();
});
"""


def sizes() -> dict[str, int]:
    if not WIDGET.is_file():
        subprocess.run(["node", str(ROOT / "web" / "build.mjs")], check=True, cwd=ROOT)
    raw = WIDGET.read_bytes()
    return {"raw_bytes": len(raw), "gzip_bytes": len(gzip.compress(raw, compresslevel=9))}


def start_stack() -> tuple[subprocess.Popen[str], str]:
    """`python -m local.dev` on free ports; the demo salon's pinned haircut page."""
    command = [sys.executable, "-m", "local.dev", "--port", "0", "--pages-port", "0"]
    command += ["--dynamodb-port", "0", "--moto-port", "0", "--stripe-port", "0"]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 180
    site = offering = ""
    assert process.stdout is not None
    for line in process.stdout:
        if m := re.search(r"demo sites \.+ (http://\S+)/", line):
            site = m.group(1)
        if not offering and (m := re.search(r"offering \.+ (off_\S+) Haircut", line)):
            offering = m.group(1)
        if "Ctrl-C stops everything" in line or time.monotonic() > deadline:
            break
    if not (site and offering):
        stop_stack(process)
        raise SystemExit("the local stack did not print its demo salon")
    return process, f"{site}/demo/shear-studio/{offering}.html"


def stop_stack(process: subprocess.Popen[str]) -> None:
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def first_availability(url: str, runs: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    measured: dict[str, list[float]] = {"from_navigation_ms": [], "from_script_ms": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        for _ in range(runs + 1):  # the first warms the stack's caches and is not counted
            context = browser.new_context()
            page = context.new_page()
            page.add_init_script(PROBE)
            page.goto(url)
            page.locator("reservoir-booking ul.times button").first.wait_for(timeout=30_000)
            probe = page.evaluate("window.__probe")
            measured["from_navigation_ms"].append(probe["shown"])
            measured["from_script_ms"].append(probe["shown"] - probe["defined"])
            context.close()
    return {k: v[1:] for k, v in measured.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    size = sizes()
    print(
        f"widget script: {size['raw_bytes']:,} bytes, {size['gzip_bytes']:,} gzipped "
        f"(limit {LIMIT_GZIP:,}: {'within' if size['gzip_bytes'] <= LIMIT_GZIP else 'OVER'})"
    )
    process, url = start_stack()
    try:
        times = first_availability(url, args.runs)
    finally:
        stop_stack(process)
    summary = {}
    for name, values in times.items():
        summary[name] = {
            "median": round(statistics.median(values), 1),
            "max": round(max(values), 1),
        }
        print(
            f"first availability shown, {name.replace('_', ' ')}: median "
            f"{summary[name]['median']} ms, max {summary[name]['max']} ms ({len(values)} runs)"
        )
    print(json.dumps({"bench": "widget_size", "runs": args.runs, **size, **summary}))


if __name__ == "__main__":
    main()
