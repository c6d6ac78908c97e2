"""The payments capability's blueprints, in the order app.py registers them: payments, refunds,
Connect, Stripe's webhooks; a gift card paying a hold; the folio; the customer's balance on the
manage page; the plan and its card (billing); the day's takings; how a hold is settled (card or
venue); the customer's move of their own booking, and their cancel or hold given back; the
settlement worker."""

from __future__ import annotations

from chalicelib.payments.api import (
    balance,
    billing,
    folio,
    gift_card_payments,
    own_cancels,
    own_moves,
    payments,
    settling,
    takings,
)
from chalicelib.payments.workers import payments as settlement

BLUEPRINTS = (
    payments.bp,
    gift_card_payments.bp,
    folio.bp,
    balance.bp,
    billing.bp,
    takings.bp,
    settling.bp,
    own_moves.bp,
    own_cancels.bp,
    settlement.bp,
)
