"""The module-level metrics are shared by every request a process serves. `chalice local`
(make dev, the benches) serves requests on threads at once; each request adds its metrics and
flushes them (chalicelib/web/middleware.py). Unlocked, two at once raised (a dict changed
during iteration, a flush of a set another thread had emptied) and a request whose change had
committed answered 500. Under the lock nothing raises and every count is emitted once."""

from __future__ import annotations

import contextlib
import io
import json
import threading

from chalicelib.observability import metrics

THREADS, EACH = 8, 1500


def test_requests_on_threads_add_and_flush_without_an_error_and_lose_no_count() -> None:
    errors: list[BaseException] = []
    out = io.StringIO()

    def serve() -> None:
        for _ in range(EACH):
            try:
                metrics.add_metric(name="Requests", unit="Count", value=1)
                metrics.add_metadata(key="tenant_id", value="t1")
                metrics.flush_metrics()
            except Exception as exc:  # noqa: BLE001 - what the test counts
                errors.append(exc)

    with contextlib.redirect_stdout(out):
        threads = [threading.Thread(target=serve) for _ in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    emitted = [json.loads(line) for line in out.getvalue().splitlines() if line.startswith("{")]
    counted = sum(sum(blob.get("Requests", [])) for blob in emitted)
    assert counted == THREADS * EACH
