"""The payments capability's blueprints, in the order app.py registers them: payments, refunds,
Connect, Stripe's webhooks; the plan and its card (billing); the settlement worker."""

from __future__ import annotations

from chalicelib.payments.api import billing, folio, payments
from chalicelib.payments.workers import payments as settlement

BLUEPRINTS = (payments.bp, folio.bp, billing.bp, settlement.bp)
