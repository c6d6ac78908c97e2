"""The reports capability's blueprints, in the order app.py registers them: the report API and
the rebuild's routes, the rebuild's worker, the exports' routes and their worker, the morning
summary's routes and workers; its event consumer (the daily figures) is registered in
pipeline/consumers.py."""

from __future__ import annotations

from chalicelib.reports.api import exports, report
from chalicelib.reports.api import summaries as summary_routes
from chalicelib.reports.workers import exports as export_worker
from chalicelib.reports.workers import rebuild as rebuild_worker
from chalicelib.reports.workers import summaries as summary_workers

BLUEPRINTS = (
    report.bp,
    rebuild_worker.bp,
    exports.bp,
    export_worker.bp,
    summary_routes.bp,
    summary_workers.bp,
)
