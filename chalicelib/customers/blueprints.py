"""The customers capability's blueprints: its routes; its event consumers are registered in
pipeline/consumers.py (the figures, the merge job, the co-booking counts)."""

from __future__ import annotations

from chalicelib.customers.api import customers, privacy, suggestions

BLUEPRINTS = (customers.bp, privacy.bp, suggestions.bp)
