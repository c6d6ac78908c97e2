"""The customers capability's blueprints, in the order app.py registers them: its routes
(suggestions, imports) and the import worker (its event consumers are registered in
pipeline/consumers.py)."""

from __future__ import annotations

from chalicelib.customers.api import imports, suggestions
from chalicelib.customers.workers import imports as import_worker

BLUEPRINTS = (suggestions.bp, imports.bp, import_worker.bp)
