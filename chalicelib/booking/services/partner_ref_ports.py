"""Reading partners' reference entries (booking/domain/partner_refs.py): the order a
partner's reference names, and a connection's entries of a month (its statement). The
entries are written by the order's unit of work; this port only reads them
(booking/adapters/partner_ref_items.py on DynamoDB, tests/fakes.py in memory)."""

from __future__ import annotations

from abc import ABC, abstractmethod

from chalicelib.booking.domain.partner_refs import PartnerEntry


class PartnerRefIndex(ABC):
    @abstractmethod
    def order_id_for(self, connection_id: str, reference: str) -> str | None:
        """The id of the order holding the partner's reference (one consistent GetItem)."""

    @abstractmethod
    def month_entries(self, connection_id: str, month: str) -> list[PartnerEntry]:
        """The connection's orders booked in `month` (yyyy-mm, the tenant's zone), oldest
        first: one Query (paged past 1 MB)."""
