"""The event pipeline's handlers (the stream relay, the event dispatcher), for app.py."""

from __future__ import annotations

from chalicelib.pipeline import workers

BLUEPRINTS = (workers.bp,)
