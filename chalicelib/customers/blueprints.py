"""The customers capability's blueprints, in the order app.py registers them: imports and
their worker."""

from __future__ import annotations

from chalicelib.customers.api import imports
from chalicelib.customers.workers import imports as import_worker

BLUEPRINTS = (imports.bp, import_worker.bp)
