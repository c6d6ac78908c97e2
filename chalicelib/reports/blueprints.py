"""The reports' routes and workers, registered by app.py."""

from __future__ import annotations

from chalicelib.reports.api import summaries as summary_routes
from chalicelib.reports.workers import summaries as summary_workers

BLUEPRINTS = (summary_routes.bp, summary_workers.bp)
