"""The payments capability's blueprints, in the order app.py registers them: payments, refunds,
Connect, the subscription, Stripe's webhooks; the settlement worker."""

from __future__ import annotations

from chalicelib.payments.api import payments
from chalicelib.payments.workers import payments as settlement

BLUEPRINTS = (payments.bp, settlement.bp)
