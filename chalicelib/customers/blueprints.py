"""The customers capability's blueprints: its routes; its event consumers are registered in
pipeline/consumers.py (the figures, the merge job)."""

from __future__ import annotations

from chalicelib.customers.api import customers

BLUEPRINTS = (customers.bp,)
