"""The customers capability's blueprints: its routes (its event consumers are registered in
pipeline/consumers.py)."""

from __future__ import annotations

from chalicelib.customers.api import gift_cards, privacy, suggestions

BLUEPRINTS = (privacy.bp, suggestions.bp, gift_cards.bp)
