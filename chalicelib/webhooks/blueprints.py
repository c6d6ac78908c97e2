"""The webhooks capability's blueprints, in the order app.py registers them: the tenant's webhook
endpoints and replays; the delivery worker."""

from __future__ import annotations

from chalicelib.webhooks.api import webhooks
from chalicelib.webhooks.workers import webhooks as deliveries

BLUEPRINTS = (webhooks.bp, deliveries.bp)
