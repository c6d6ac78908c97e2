"""Gate: every operation of the OpenAPI document is called by an API-tier test that gets its
success answer. Computed from the run itself, never from a list kept by hand.

How: while an API-tier test runs (its fixtures included), every request it sends through
`chalice.test` is recorded as (method, path template, status), the template matched the way
the local gateway matches it. An operation is covered when some request got one of the 2xx
statuses its OpenAPI document lists. The fuzz (marked `uncounted`) asserts no success answer,
so its requests do not count.

The gate asserts only when the API tier ran in full: every test file of tests/api collected,
nothing deselected (-k, -m, --deselect, --lf), no single test named (`file::test`), and every
collected API-tier test run to its end (no -x stop). Otherwise it says why and skips.
Without xdist the gate is a test ordered last (GATE_TEST). Under xdist that test cannot see
the other workers, so each worker sends what it saw to the controller, which checks at the
end of the session and fails the run naming the operations left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

API_DIR = Path(__file__).resolve().parent
GATE_TEST = "test_every_operation_has_an_api_test_of_its_success_answer"
NAME = "operation-coverage"

Operation = tuple[str, str]  # (METHOD, path template)


@cache
def documented_successes() -> dict[Operation, frozenset[int]]:
    """Each operation of the app's OpenAPI document, with the 2xx statuses it documents."""
    import app  # noqa: F401  (registers every route)
    from chalicelib.web.openapi import build_document

    return {
        (method.upper(), path): frozenset(int(s) for s in op["responses"] if s.startswith("2"))
        for path, item in build_document()["paths"].items()
        for method, op in item.items()
    }


@cache
def _matcher() -> Any:
    from chalice.local import RouteMatcher

    from app import app

    return RouteMatcher(list(app.routes))


def template_of(path: str) -> str | None:
    try:
        return _matcher().match_route(path).route
    except ValueError:
        return None


def uncovered(hits: set[tuple[str, str, int]]) -> list[str]:
    """The operations no recorded request got a documented success answer from."""
    succeeded = {
        (method, path)
        for method, path, status in hits
        if status in documented_successes().get((method, path), ())
    }
    return sorted(f"{m} {p}" for m, p in documented_successes() if (m, p) not in succeeded)


def _is_api(item: pytest.Item) -> bool:
    return API_DIR in Path(item.path).resolve().parents


class OperationCoverage:
    def __init__(self) -> None:
        self.hits: set[tuple[str, str, int]] = set()
        self.collected: set[str] = set()  # API-tier node ids, the gate's own excluded
        self.finished: set[str] = set()
        self.partial: list[str] = []  # why the API tier does not run in full
        self.worker_outputs: list[dict[str, Any]] = []
        self._counting = False
        self._original: Any = None

    # -- recording ---------------------------------------------------------------------------
    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line(
            "markers",
            "uncounted: its requests do not count for the operation-coverage gate "
            "(the test asserts no success answer, e.g. the fuzz)",
        )
        from chalice.test import TestHTTPClient

        self._original = original = TestHTTPClient.request
        gate = self

        def request(client: Any, method: str, path: str, *args: Any, **kwargs: Any) -> Any:
            response = original(client, method, path, *args, **kwargs)
            if gate._counting:
                template = template_of(path)
                if template is not None:
                    gate.hits.add((method.upper(), template, response.status_code))
            return response

        TestHTTPClient.request = request  # type: ignore[method-assign]

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        if self._original is not None:
            from chalice.test import TestHTTPClient

            TestHTTPClient.request = self._original  # type: ignore[method-assign]

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Iterator[None]:
        self._counting = _is_api(item) and item.get_closest_marker("uncounted") is None
        try:
            return (yield)
        finally:
            self._counting = False

    # -- did the API tier run in full? -------------------------------------------------------
    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        if any(_is_api(i) for i in items):
            self.partial.append("some API-tier tests were deselected")

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        gates = [i for i in items if i.name == GATE_TEST and _is_api(i)]
        for gate in gates:  # last, so that it sees every other test's requests
            items.remove(gate)
            items.append(gate)

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        api = [i for i in session.items if _is_api(i)]
        self.collected = {i.nodeid for i in api if i.name != GATE_TEST}
        files = {p.resolve() for p in API_DIR.glob("test_*.py")}
        missing = sorted(p.name for p in files - {Path(i.path).resolve() for i in api})
        if missing:
            self.partial.append(f"API-tier files not collected: {', '.join(missing)}")
        if any("::" in str(arg) for arg in session.config.args):
            self.partial.append("single tests were named on the command line")

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "teardown" and report.nodeid in self.collected:
            self.finished.add(report.nodeid)

    def why_not_in_full(self) -> str | None:
        if self.partial:
            return "; ".join(dict.fromkeys(self.partial))
        if not self.collected:
            return "no API-tier test was collected"
        left = self.collected - self.finished
        if left:
            return f"{len(left)} API-tier tests did not run (the run stopped early)"
        return None

    # -- xdist: workers report, the controller decides ---------------------------------------
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        config = session.config
        if hasattr(config, "workeroutput"):
            config.workeroutput[NAME] = {
                "hits": sorted(self.hits),
                "collected": sorted(self.collected),
                "finished": sorted(self.finished),
                "partial": self.partial,
            }
            return
        if not self.worker_outputs:
            return  # no xdist: the gate test has asserted already
        for out in self.worker_outputs:
            self.hits |= {tuple(h) for h in out["hits"]}  # type: ignore[misc]
            self.collected |= set(out["collected"])
            self.finished |= set(out["finished"])
            self.partial += out["partial"]
        if self.why_not_in_full() is None and (left_out := uncovered(self.hits)):
            reporter = config.pluginmanager.get_plugin("terminalreporter")
            if reporter is not None:
                reporter.write_sep("=", "operation coverage", red=True)
                reporter.write_line(failure_message(left_out))
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        output = getattr(node, "workeroutput", {}).get(NAME)
        if output is not None:
            self.worker_outputs.append(output)


def failure_message(left_out: list[str]) -> str:
    return (
        f"{len(left_out)} operations of the OpenAPI document have no API-tier test that got "
        "their success answer (add one in tests/api, in the test file of their area):\n  "
        + "\n  ".join(left_out)
    )
