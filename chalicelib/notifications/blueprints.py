"""The notifications capability's blueprints, in the order app.py registers them: the tenant's
message templates; the reminder worker."""

from __future__ import annotations

from chalicelib.notifications.api import alerts, templates
from chalicelib.notifications.workers import reminders

BLUEPRINTS = (templates.bp, alerts.bp, reminders.bp)
