"""The OCTO supplier and its products for one partner's connection (channels/domain/
octo_products.py says how our catalog maps to OCTO's): read from the catalog snapshot the
booking engine plans with, so what a reseller is offered is what the engine sells."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from chalicelib.catalog.domain.catalog import Offering
from chalicelib.catalog.services.catalog_view import CatalogCache, CatalogSnapshot
from chalicelib.channels.domain import octo_products as products
from chalicelib.channels.domain.connections import Connection
from chalicelib.channels.domain.octo_errors import InvalidOptionId, InvalidProductId
from chalicelib.channels.services.octo_ports import OctoContext
from chalicelib.kernel.domain.calendar import local_date
from chalicelib.kernel.domain.timefmt import parse

Price = Callable[[date, int], dict[str, Any]]


def mappings(connection: Connection) -> list[tuple[str, str]]:
    return [(m.partner_id, m.offering_id) for m in connection.mappings]


def supplier(ctx: OctoContext, *, endpoint: str) -> dict[str, Any]:
    """OCTO's Supplier: the business, as it describes itself."""
    tenant = ctx.tenant
    details = tenant.settings.business
    where = details.address
    address = ", ".join(p for p in (*where.lines, where.postcode, where.city, where.country) if p)
    return {
        "id": tenant.id,
        "name": tenant.name,
        "endpoint": endpoint,
        "contact": {
            "website": details.website or None,
            "email": details.email or None,
            "telephone": details.phone or None,
            "address": address or None,
        },
    }


def snapshot(ctx: OctoContext, cache: CatalogCache) -> CatalogSnapshot:
    return cache.get(ctx.tenant.id, ctx.data.catalog)


def offering_of(
    ctx: OctoContext, cache: CatalogCache, connection: Connection, product_id: str
) -> Offering:
    """The offering a partner's product id names, or INVALID_PRODUCT_ID."""
    found = dict(products.products_of(mappings(connection), snapshot(ctx, cache).offerings))
    offering = found.get(product_id)
    if offering is None:
        raise InvalidProductId("The productId was missing or invalid.", productId=product_id)
    return offering


def check_option(option_id: str) -> None:
    if option_id != products.OPTION_ID:
        raise InvalidOptionId("The optionId was missing or invalid.", optionId=option_id)


def price_of(ctx: OctoContext, connection: Connection, offering: Offering) -> Price:
    """OCTO's Pricing of a booking of `party` people on a day, net of the partner's
    commission for this offering."""
    bp = connection.commission_for(offering.id)
    currency = ctx.tenant.currency

    def price(day: date, party: int) -> dict[str, Any]:
        amount = products.booking_price(offering, day, party)
        return products.pricing(amount, offering=offering, currency=currency, commission_bp=bp)

    return price


def product_json(
    ctx: OctoContext,
    snap: CatalogSnapshot,
    connection: Connection,
    product_id: str,
    offering: Offering,
    *,
    pricing: bool,
) -> dict[str, Any]:
    today = local_date(parse(ctx.now()), ctx.tenant.timezone)
    week = [today + timedelta(days=n) for n in range(7)]
    primary = snap.candidates(offering)[0]
    from_price = None
    if pricing:
        # A price "from": the unit's (per person) or the booking's, today.
        from_price = price_of(ctx, connection, offering)(today, 1)
    return products.product(
        product_id,
        offering,
        timezone=ctx.tenant.timezone,
        locale=ctx.tenant.locale,
        currency=ctx.tenant.currency,
        times=products.start_times(offering, primary, week),
        from_price=from_price,
    )


def list_products(
    ctx: OctoContext, cache: CatalogCache, connection: Connection, *, pricing: bool
) -> list[dict[str, Any]]:
    snap = snapshot(ctx, cache)
    return [
        product_json(ctx, snap, connection, pid, offering, pricing=pricing)
        for pid, offering in products.products_of(mappings(connection), snap.offerings)
    ]


def get_product(
    ctx: OctoContext, cache: CatalogCache, connection: Connection, product_id: str, *, pricing: bool
) -> dict[str, Any]:
    offering = offering_of(ctx, cache, connection, product_id)
    return product_json(
        ctx, snapshot(ctx, cache), connection, product_id, offering, pricing=pricing
    )
