"""The channels capability's blueprints, in the order app.py registers them."""

from __future__ import annotations

from chalicelib.channels.api import octo

BLUEPRINTS: tuple[object, ...] = (octo.bp,)
