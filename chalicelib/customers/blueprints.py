"""The customers capability's blueprints: its routes (privacy, suggestions, coupons, loyalty
points; its event consumers are registered in pipeline/consumers.py)."""

from __future__ import annotations

from chalicelib.customers.api import coupons, loyalty, privacy, suggestions

BLUEPRINTS = (privacy.bp, suggestions.bp, coupons.bp, loyalty.bp)
