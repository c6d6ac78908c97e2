"""The customers capability's blueprints (its consumers are registered in
pipeline/consumers.py)."""

from __future__ import annotations

from chalicelib.customers.api import gift_cards

BLUEPRINTS = (gift_cards.bp,)
