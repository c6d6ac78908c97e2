"""The reports capability's blueprints, in the order app.py registers them: the report API and
the rebuild's routes, the rebuild's worker; its event consumer (the daily figures) is
registered in pipeline/consumers.py."""

from __future__ import annotations

from chalicelib.reports.api import report
from chalicelib.reports.workers import rebuild as rebuild_worker

BLUEPRINTS = (report.bp, rebuild_worker.bp)
