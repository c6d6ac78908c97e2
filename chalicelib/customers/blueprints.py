"""The customers capability's blueprints, in the order app.py registers them: its routes
(customers, privacy, suggestions, imports, coupons, loyalty points, segments, campaigns, the
public unsubscribe link) and its workers (imports, campaigns, the mail service's bounces
and complaints); its event consumers are
registered in pipeline/consumers.py (the figures, the merge job, the co-booking counts, the
imported customers, the redemptions given back, the points earned, the campaigns' bookings)."""

from __future__ import annotations

from chalicelib.customers.api import (
    campaigns,
    coupons,
    customers,
    gift_cards,
    imports,
    loyalty,
    privacy,
    segments,
    suggestions,
    unsubscribe,
)
from chalicelib.customers.workers import campaigns as campaign_worker
from chalicelib.customers.workers import imports as import_worker
from chalicelib.customers.workers import mail_feedback as mail_feedback_worker

BLUEPRINTS = (
    customers.bp,
    privacy.bp,
    suggestions.bp,
    imports.bp,
    import_worker.bp,
    coupons.bp,
    loyalty.bp,
    segments.bp,
    campaigns.bp,
    unsubscribe.bp,
    campaign_worker.bp,
    gift_cards.bp,
    mail_feedback_worker.bp,
)
