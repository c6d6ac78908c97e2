"""Reservoir's Chalice app: middleware and blueprint registration. Nothing else."""

from __future__ import annotations

from chalice import Chalice

from chalicelib.booking.api import calendar_feeds, orders, public
from chalicelib.booking.workers import holds
from chalicelib.catalog.api import catalog
from chalicelib.notifications.api import templates as notification_templates
from chalicelib.notifications.workers import reminders
from chalicelib.payments.api import payments
from chalicelib.payments.workers import payments as settle_payments
from chalicelib.pipeline import workers as events
from chalicelib.tenancy.api import audit, keys, signup, staff, tenant
from chalicelib.tenancy.workers import provisioning
from chalicelib.web import meta
from chalicelib.web.middleware import observe
from chalicelib.webhooks.api import webhooks
from chalicelib.webhooks.workers import webhooks as webhook_deliveries

app = Chalice(app_name="reservoir")
app.register_middleware(observe, "http")

for blueprint in (meta, signup, tenant, keys, staff, audit, catalog, orders, public):
    app.register_blueprint(blueprint.bp)
for worker in (provisioning, holds):
    app.register_blueprint(worker.bp)
for blueprint in (webhooks, calendar_feeds, webhook_deliveries):  # issue 5, part B
    app.register_blueprint(blueprint.bp)
for blueprint in (payments, settle_payments):  # issue 4: Stripe
    app.register_blueprint(blueprint.bp)
for blueprint in (notification_templates, events, reminders):  # issue 5, part A
    app.register_blueprint(blueprint.bp)
