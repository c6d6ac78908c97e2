"""The customers capability's blueprints, in the order app.py registers them: its routes
(customers, privacy, suggestions, imports, coupons, loyalty points) and the import worker; its
event consumers are registered in pipeline/consumers.py (the figures, the merge job, the
co-booking counts, the imported customers, the redemptions given back, the points earned)."""

from __future__ import annotations

from chalicelib.customers.api import (
    coupons,
    customers,
    gift_cards,
    imports,
    loyalty,
    privacy,
    suggestions,
)
from chalicelib.customers.workers import imports as import_worker

BLUEPRINTS = (
    customers.bp,
    privacy.bp,
    suggestions.bp,
    imports.bp,
    import_worker.bp,
    coupons.bp,
    loyalty.bp,
    gift_cards.bp,
)
