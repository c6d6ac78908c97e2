"""The customers capability's blueprints: its routes (its consumers register in
pipeline/consumers.py)."""

from __future__ import annotations

from chalicelib.customers.api import privacy

BLUEPRINTS = (privacy.bp,)
