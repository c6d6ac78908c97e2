"""Browser tier: the widget on the demo businesses' pages and the staff console, in Debian's
chromium, driven by Playwright, against the whole local stack (`chalice local`, the worker loop,
DynamoDB Local, moto with its user pool, localstripe), seeded as `make dev` seeds it.

Every test saves a screenshot of its final screen under .local/screenshots (or
RESERVOIR_SCREENSHOTS) and fails on any error the page throws. In CI (`CI` set) only a failing
test saves its screenshots: nobody looks at the others there, and a full-page screenshot of a
long console page is a good share of the tier's chromium time."""

from __future__ import annotations

import os
import re
import shutil
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from local.banner import demo_pages
from local.demo_pages import CONSOLE_DIR, WIDGET_DIR, StaticSite
from local.dev import console_config
from local.emulators import free_port
from local.resources import (
    LOCAL_STRIPE_WEBHOOK_SECRET,
    Stack,
    configure_stripe_webhooks,
    stripe_environment,
)
from local.seeding import SeedResult, seed
from local.stripe_connect import StripeConnect
from local.stripe_plans import create_plans, prices_environment
from tests.live_http import Http, serving

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("RESERVOIR_SCREENSHOTS") or ROOT / ".local" / "screenshots")
ONLY_FAILING_SHOTS = bool(os.environ.get("CI"))
# Debian's build of chromium's headless shell (the "old headless" mode, which Playwright itself
# runs for headless tests): the same Blink and V8 as /usr/bin/chromium without the browser's
# windowing layer. On 22 tests it used 40% less CPU than `chromium --headless` (114 CPU-s
# instead of 194, both in CI mode). RESERVOIR_CHROMIUM=/usr/bin/chromium runs the full browser.
CHROMIUM = os.environ.get("RESERVOIR_CHROMIUM", "/usr/bin/chromium-headless-shell")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-gpu",
]


HALVES_SALT = "5276"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The tier's files in two fixed halves (by a CRC of the file's name), one per worker of
    `make test`'s `-n 2 --dist loadgroup`: each half on its own seeded stack and chromium,
    always the same files together, so a test meets the same neighbours on every run (a
    dynamic split met new ones each time). Serially the tier left 40% of the two cores idle
    (waiting on pages, the worker loop, the stack); in two halves it took 463 s instead of
    737. The CRC is of `HALVES_SALT` and the name, the salt chosen on fresh clones' `make
    test` logs (bench/browser_halves.py: each file's setup, call and teardown summed per half,
    each worker's start-up aside). The first salt was chosen so when the tier had fewer files;
    on three logs of today's 74 its halves held 415 + 400 s, 402 + 352 s and 384 + 384 s; this
    one's would have held 409 + 406 s, 375 + 378 s and 385 + 383 s (predictions from the same
    logs). A new file lands in either half; choose the salt again when one half outgrows the
    other."""
    for item in items:
        path = Path(item.path)
        if path.parent.name == "browser" and path.name.startswith("test_"):
            half = zlib.crc32(f"{HALVES_SALT}{path.name}".encode()) % 2
            item.add_marker(pytest.mark.xdist_group(f"browser-half-{half}"))


@pytest.fixture(scope="session")
def connect(localstripe: Any) -> Iterator[StripeConnect]:
    """Stripe as `make dev` has it: the Connect stand-in in front of localstripe."""
    front = StripeConnect(localstripe.endpoint, webhook_secret=LOCAL_STRIPE_WEBHOOK_SECRET)
    front.start()
    create_plans(localstripe.endpoint)
    try:
        yield front
    finally:
        front.stop()


@pytest.fixture(scope="session")
def console_port() -> int:
    """Chosen before the API starts: the API answers CORS for the console's origin only."""
    return free_port()


@pytest.fixture(scope="session")
def live(
    stack: Stack, localstripe: Any, connect: StripeConnect, console_port: int
) -> Iterator[Http]:
    env = {
        **stack.env,
        **stripe_environment(connect.endpoint),
        **prices_environment(),
        "RESERVOIR_CONSOLE_ORIGIN": f"http://127.0.0.1:{console_port}",
    }
    with serving(env, stack) as served:
        connect.webhook_target = served.base
        configure_stripe_webhooks(localstripe.endpoint, connect.endpoint)
        yield served


@pytest.fixture(scope="session")
def site() -> Iterator[StaticSite]:
    if not (WIDGET_DIR / "reservoir-widget.js").is_file():
        pytest.fail("the widget is not built: `make web` (make test builds it)")
    with StaticSite(free_port()) as served:
        yield served


@pytest.fixture(scope="session")
def demo(
    live: Http, stack: Stack, site: StaticSite, connect: StripeConnect
) -> dict[str, SeedResult]:
    """The three demo businesses, seeded through the API as `make dev` seeds them (the site
    as their widget's origin, their Stripe accounts connected), and their pages on the site."""
    results = seed(stack, live.base, [site.endpoint], stripe=True)
    problems = [p for r in results for p in r.problems]
    assert not problems, problems
    site.pages.update(demo_pages(site, live.base, connect.endpoint, results))
    return {r.demo.slug: r for r in results}


@pytest.fixture(scope="session")
def console(
    live: Http, stack: Stack, console_port: int, site: StaticSite, connect: StripeConnect
) -> Iterator[StaticSite]:
    """The staff console as `make dev` serves it, its config.json naming this API and moto's
    user pool."""
    if not (CONSOLE_DIR / "index.html").is_file():
        pytest.fail("the console is not built: `make web` (make test builds it)")
    widget = f"{site.endpoint}/widget/reservoir-widget.js"
    config = console_config(stack, live.base, stack.aws_endpoint, widget, connect.endpoint)
    site = StaticSite(
        console_port, {"/config.json": config}, folders={"/": CONSOLE_DIR}, name="console"
    )
    with site as served:
        yield served


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: `make browser` installs it (make test does)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Browser:
    """New pages (each in its own context: its own storage, as another visitor), their errors,
    and the screenshot of each one's final screen."""

    def __init__(self, chromium: Any, name: str) -> None:
        self.chromium, self.name = chromium, name
        self.contexts: list[Any] = []
        self.pages: list[Any] = []
        self.errors: list[str] = []

    def page(
        self,
        *,
        width: int = 1000,
        locale: str = "en-US",
        zone: str = "Europe/London",
        phone: bool = False,
    ) -> Any:
        """`phone`: a touch screen of `width` by 667 px, as the outside testers' phone was."""
        touch = {"is_mobile": True, "has_touch": True} if phone else {}
        context = self.chromium.new_context(
            viewport={"width": width, "height": 667 if phone else 900},
            locale=locale,
            timezone_id=zone,
            **touch,
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.contexts.append(context)
        self.pages.append(page)
        return page

    def close(self, *, shots: bool = True, failed: bool = False) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        for i, page in enumerate(self.pages if shots else []):
            suffix = f"-{i + 1}" if len(self.pages) > 1 else ""
            page.screenshot(path=str(SHOTS / f"{self.name}{suffix}.png"), full_page=True)
            if failed:
                said(page, self.name)
        for context in self.contexts:
            context.close()


# What failed tests' pages said, one file per worker, read by the controller at the end.
SAID = SHOTS / "said"


def said(page: Any, test: str) -> None:
    """What a failed test's page showed (its alerts and statuses, and where the keyboard was),
    printed into its report and kept for the tier's last lines (`pytest_terminal_summary`):
    CI's log keeps its start and its end, not the middle where a report's output is, nor the
    screenshots, and a flaky failure is seldom seen twice."""
    try:
        shown = page.evaluate(
            "() => [...document.querySelectorAll('[role=alert],[role=status],.error,.notice')]"
            ".map(e => e.getAttribute('role') + ': ' + e.innerText.trim())"
            ".concat([((f) => 'focus: ' + f.tagName.toLowerCase() + (f.id ? '#' + f.id : '')"
            " + ' ' + (f.innerText || f.value || '').trim().slice(0, 80))"
            "(document.activeElement || document.body)])"
            ".join('\\n')"
        )
        text = f"--- {test}: page {page.url} at its end ---\n{shown}"
    except Exception as e:  # noqa: BLE001 - the report must not fail on a closed page
        text = f"--- {test}: page could not be read: {e}"
    print(text)
    SAID.mkdir(parents=True, exist_ok=True)
    with (SAID / f"{os.getpid()}.txt").open("a", encoding="utf-8") as kept:
        kept.write(text + "\n")


def pytest_sessionstart(session: pytest.Session) -> None:
    """A run starts with nothing said: the files are of this run's failures only."""
    if not hasattr(session.config, "workerinput"):
        shutil.rmtree(SAID, ignore_errors=True)


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter: Any) -> None:
    """What the failed tests' pages said, after the durations, just above the short summary."""
    files = sorted(SAID.glob("*.txt")) if SAID.is_dir() else []
    if files:
        terminalreporter.section("what the failed tests' pages said")
        for kept in files:
            terminalreporter.write(kept.read_text(encoding="utf-8"))


@pytest.fixture
def browser(chromium: Any, request: pytest.FixtureRequest) -> Iterator[Browser]:
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", request.node.name).strip("-")
    opened = Browser(chromium, name)
    try:
        yield opened
    finally:
        called = getattr(request.node, "call_report", None)
        passed = called is not None and called.passed and not opened.errors
        opened.close(shots=not (ONLY_FAILING_SHOTS and passed), failed=not passed)
    assert not opened.errors, opened.errors


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """The call's report on the test, for its `browser` fixture's teardown to read."""
    report = yield
    if report.when == "call":
        item.call_report = report  # type: ignore[attr-defined]
    return report
