"""The invoices capability's blueprints: its routes and its event consumers' registrations
live elsewhere (pipeline/consumers.py)."""

from __future__ import annotations

from chalicelib.invoices.api import invoices

BLUEPRINTS = (invoices.bp,)
