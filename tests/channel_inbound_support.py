"""What the inbound webhooks' tests share (unit, api and integration tiers): a channel
manager's connection mapping the partner's `DBL` to the builders' stay offering."""

from __future__ import annotations

from chalicelib.channels.domain.connections import (
    ChannelMapping,
    Connection,
    ConnectionKind,
    ConnectionStatus,
    Settlement,
)


def channel_manager(connection_id: str, at: str, *, commission_bp: int = 0) -> Connection:
    """An active channel manager's connection with a secret set (made at `at`)."""
    return Connection(
        id=connection_id,
        name="Channex",
        kind=ConnectionKind.CHANNEL_MANAGER,
        status=ConnectionStatus.ACTIVE,
        settlement=Settlement.PARTNER,
        outbound_url=None,
        events=frozenset(),
        created_at=at,
        updated_at=at,
        commission_bp=commission_bp,
        mappings=(ChannelMapping("DBL", "off_stay", "res_double"),),
        secret_set=True,
    )
