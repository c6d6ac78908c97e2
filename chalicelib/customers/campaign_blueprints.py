"""The segments' and campaigns' blueprints, in the order app.py registers them: segments,
campaigns, the public unsubscribe link; the campaigns' worker."""

from __future__ import annotations

from chalicelib.customers.api import campaigns, segments, unsubscribe
from chalicelib.customers.workers import campaigns as campaign_worker

BLUEPRINTS = (segments.bp, campaigns.bp, unsubscribe.bp, campaign_worker.bp)
