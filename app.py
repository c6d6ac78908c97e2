"""Reservoir's Chalice app: middleware and blueprint registration. Nothing else."""

from __future__ import annotations

from chalice import Chalice

from chalicelib.api import audit, keys, meta, signup, staff, tenant
from chalicelib.api.middleware import observe
from chalicelib.workers import provisioning

app = Chalice(app_name="reservoir")
app.register_middleware(observe, "http")

for blueprint in (meta, signup, tenant, keys, staff, audit):
    app.register_blueprint(blueprint.bp)
app.register_blueprint(provisioning.bp)
