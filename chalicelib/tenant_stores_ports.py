"""Every store of one tenant's table, put together: each capability's part (its `*Data`
protocol, built on those of the capabilities it is built on) is a base of `TenantData`. A new
store is its capability's protocol plus one base here; `tenant_data.DynamoTenantData` and the
tests' fake provide it. Only the composition root and the entry points (routes and workers,
which build contexts) name the whole; a use case names the part it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from chalicelib.channels.services.connection_ports import ChannelsData
from chalicelib.channels.services.inbound_ports import InboundData
from chalicelib.channels.services.octo_ports import OctoData
from chalicelib.channels.services.outbound_ports import OutboundData
from chalicelib.customers.services.campaign_ports import CampaignsData
from chalicelib.customers.services.customer_ports import CustomersData
from chalicelib.customers.services.gift_card_ports import GiftCardsData
from chalicelib.customers.services.import_ports import ImportsData
from chalicelib.customers.services.privacy_ports import PrivacyData
from chalicelib.customers.services.redemption_ports import LoyaltyData
from chalicelib.customers.services.suggestion_ports import SuggestionsData
from chalicelib.invoices.services.invoice_ports import InvoicesData
from chalicelib.kernel.services.tenant_data_ports import DataFactory
from chalicelib.notifications.services.template_ports import NotificationsData
from chalicelib.payments.services.takings_ports import TakingsData
from chalicelib.reports.services.export_ports import ExportsData
from chalicelib.reports.services.figures_ports import ReportsData
from chalicelib.webhooks.services.webhook_ports import WebhooksData

if TYPE_CHECKING:
    from chalicelib.booking.domain.orders import Order
    from chalicelib.kernel.domain.listeners import Listeners


class TenantData(
    InboundData,  # first: it is built on ChannelsData
    OutboundData,  # built on ChannelsData: before it (resolution order)
    OctoData,  # first: built on ChannelsData (the OCTO API's extras of a booking)
    ChannelsData,  # first, as ExportsData: built on CustomersData and WebhooksData
    ExportsData,  # first: it is built on CampaignsData and ReportsData (resolution order)
    ReportsData,
    PrivacyData,
    ImportsData,
    CampaignsData,
    GiftCardsData,
    CustomersData,
    SuggestionsData,
    NotificationsData,
    WebhooksData,
    TakingsData,
    InvoicesData,
    LoyaltyData,
    Protocol,
):
    """Every store of one tenant's table."""

    def order_and_listeners(self, order_id: str) -> tuple[Order | None, Listeners | None]:
        """The order and the tenant's listener counts, both read consistently, in one request
        (an event's first look at both: pipeline/event_data.py)."""
        ...


class TenantDataFactory(DataFactory[TenantData], Protocol):
    """Builds a tenant's data, with credentials for that tenant's table alone."""

    def for_tenant_id(self, tenant_id: str) -> TenantData:
        """The same by the tenant's id alone, without its record (TenantNotReady when the
        table is not there)."""
        ...
