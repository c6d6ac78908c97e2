"""The HTTP plumbing's own routes (health, the OpenAPI document and its page), for app.py."""

from __future__ import annotations

from chalicelib.web import meta

BLUEPRINTS = (meta.bp,)
