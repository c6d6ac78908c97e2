"""The blueprints of coupons and loyalty points (the customers capability's redemptions), in
the order app.py registers them."""

from __future__ import annotations

from chalicelib.customers.api import coupons, loyalty

BLUEPRINTS = (coupons.bp, loyalty.bp)
