"""Reservoir's Chalice app: middleware and blueprint registration. Nothing else.

Each capability lists its routes and worker handlers in its own `blueprints.py`; a new
capability is one more entry in CAPABILITIES (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from chalice import Chalice

from chalicelib.booking import blueprints as booking
from chalicelib.catalog import blueprints as catalog
from chalicelib.channels import blueprints as channels
from chalicelib.customers import blueprints as customers
from chalicelib.invoices import blueprints as invoices
from chalicelib.notifications import blueprints as notifications
from chalicelib.payments import blueprints as payments
from chalicelib.pipeline import blueprints as pipeline
from chalicelib.reports import blueprints as reports
from chalicelib.tenancy import blueprints as tenancy
from chalicelib.web import blueprints as web
from chalicelib.web.middleware import observe
from chalicelib.web.unknown_routes import answer_unknown_routes
from chalicelib.webhooks import blueprints as webhooks

CAPABILITIES = (
    web,
    tenancy,
    catalog,
    booking,
    payments,
    notifications,
    webhooks,
    invoices,
    customers,
    reports,
    channels,
    pipeline,
)

app = Chalice(app_name="reservoir")
# The printouts (booking/api/print_routes.py): base64 to API Gateway, bytes to a caller whose
# Accept names the type.
app.api.binary_types.append("application/pdf")
app.register_middleware(observe, "http")
# Inside `observe` (logged, with its request id): a path no route has, from the HTTP API's
# `$default` route, is a 404 in the API's shape rather than chalice's 500.
app.register_middleware(answer_unknown_routes(app.routes), "http")

for capability in CAPABILITIES:
    for blueprint in capability.BLUEPRINTS:
        app.register_blueprint(blueprint)
