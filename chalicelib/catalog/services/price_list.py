"""The price list's use cases: list, add, change and remove the items staff charge to a
folio. Every change is audited; an order's charges keep their own copy (price_list.py)."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.catalog.domain.price_list import MAX_ITEMS, PriceListItem, checked_item
from chalicelib.catalog.services.catalog_ports import CatalogContext
from chalicelib.kernel.domain.errors import Conflict, NotFound, PreconditionFailed


class PriceItemNotFound(NotFound):
    code = "price_item_not_found"


def list_items(ctx: CatalogContext) -> list[PriceListItem]:
    return ctx.data.catalog.list_price_items()


def get_item(ctx: CatalogContext, item_id: str) -> PriceListItem:
    item = ctx.data.catalog.get_price_item(item_id)
    if item is None:
        raise PriceItemNotFound("No such item on the price list.", item_id=item_id)
    return item


def add_item(ctx: CatalogContext, item: PriceListItem) -> PriceListItem:
    """`item.id` comes from the request's Idempotency-Key: a retried request finds its item."""
    existing = ctx.data.catalog.get_price_item(item.id)
    if existing is not None:
        return existing
    item = checked_item(replace(item, rev=1))
    if len(ctx.data.catalog.list_price_items()) >= MAX_ITEMS:
        raise Conflict(f"A price list holds at most {MAX_ITEMS} items.", code="price_list_full")
    ctx.data.catalog.put_price_item(item, expected_rev=None)
    ctx.audit("price_item.created", f"price_item:{item.id}", name=item.name)
    return item


def change_item(
    ctx: CatalogContext, item_id: str, changes: dict[str, object], expected_rev: int | None
) -> PriceListItem:
    current = get_item(ctx, item_id)
    if expected_rev is not None and expected_rev != current.rev:
        raise PreconditionFailed(
            "The item was changed since you read it; reload and try again.",
            code="version_mismatch",
        )
    changed = checked_item(replace(current, **changes, rev=current.rev + 1))  # type: ignore[arg-type]
    ctx.data.catalog.put_price_item(changed, expected_rev=current.rev)
    ctx.audit("price_item.changed", f"price_item:{item_id}", fields=sorted(changes))
    return changed


def remove_item(ctx: CatalogContext, item_id: str) -> None:
    item = get_item(ctx, item_id)
    ctx.data.catalog.delete_price_item(item_id)
    ctx.audit("price_item.removed", f"price_item:{item_id}", name=item.name)
