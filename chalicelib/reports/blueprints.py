"""The reports capability's blueprints, in the order app.py registers them: the report API and
the rebuild's routes, the exports' routes, the morning summary's settings; the workers of the
rebuilds, the exports and the summaries. Its event consumer (the daily figures) is registered
in pipeline/consumers.py."""

from __future__ import annotations

from chalicelib.reports.api import exports, report
from chalicelib.reports.api import summaries as summary_routes
from chalicelib.reports.workers import exports as export_worker
from chalicelib.reports.workers import rebuild as rebuild_worker
from chalicelib.reports.workers import summaries as summary_workers

BLUEPRINTS = (
    report.bp,
    exports.bp,
    summary_routes.bp,
    rebuild_worker.bp,
    export_worker.bp,
    summary_workers.bp,
)
