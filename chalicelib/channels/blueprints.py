"""The channels capability's blueprints, in the order app.py registers them."""

from __future__ import annotations

BLUEPRINTS: tuple[object, ...] = ()
