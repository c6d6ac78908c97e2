"""The event pipeline's handlers (the event worker, the outbox sweeper), for app.py."""

from __future__ import annotations

from chalicelib.pipeline import workers

BLUEPRINTS = (workers.bp,)
