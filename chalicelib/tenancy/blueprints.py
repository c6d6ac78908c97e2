"""The tenancy capability's blueprints, in the order app.py registers them: sign-up, the tenant's
settings, keys, staff, the audit log; the provisioning worker."""

from __future__ import annotations

from chalicelib.tenancy.api import audit, keys, signup, staff, tenant
from chalicelib.tenancy.workers import provisioning

BLUEPRINTS = (signup.bp, tenant.bp, keys.bp, staff.bp, audit.bp, provisioning.bp)
