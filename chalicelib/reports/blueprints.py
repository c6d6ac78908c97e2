"""The reports capability's blueprints, in the order app.py registers them: the exports'
routes and their worker."""

from __future__ import annotations

from chalicelib.reports.api import exports
from chalicelib.reports.workers import exports as export_worker

BLUEPRINTS = (
    exports.bp,
    export_worker.bp,
)
