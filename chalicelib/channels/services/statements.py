"""A connection's statement of a month: one Query over the month's reference entries
(booking/adapters/partner_ref_items.py: gsi1 `PST#<connection>#<yyyy-mm>`), no order read."""

from __future__ import annotations

from chalicelib.channels.domain.statements import Statement, check_month, statement
from chalicelib.channels.services.connection_ports import ChannelsContext
from chalicelib.channels.services.connections import get_connection


def monthly_statement(ctx: ChannelsContext, connection_id: str, month: str) -> Statement:
    connection = get_connection(ctx, connection_id)
    entries = ctx.data.partner_refs.month_entries(connection.id, check_month(month))
    return statement(connection.id, connection.name, month, ctx.tenant.timezone, entries)
