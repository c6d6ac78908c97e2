"""An OCTO reseller's world for the API tests: a tour operator (Shanghai, CNY) with daily
departures, an OCTO channel connection and its partner key (made through the connection's
services, as the connection API does)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.channels.domain.connections import ConnectionKind, Settlement
from chalicelib.channels.services.connections import ConnectionFields, create_connection, issue_key
from chalicelib.kernel.domain.audit import Actor
from chalicelib.kernel.services.context import TenantContext
from chalicelib.webhooks.services.webhooks import UrlPolicy
from tests import octo_schema
from tests.builders import day_tour, departure

PRICING = {"Octo-Capabilities": "octo/pricing"}


@dataclass
class Reseller:
    tenant: dict[str, Any]
    connection_id: str
    key: str

    @property
    def secret_key(self) -> str:
        return str(self.tenant["secret_key"])


def tenant_context(api: Any, tenant: dict[str, Any]) -> TenantContext:
    c = api.container
    t = c.platform.get_tenant(tenant["tenant_id"])
    actor = Actor(kind="user", id="owner", tenant_id=t.id, role="owner")
    return TenantContext(
        tenant=t, actor=actor, data_factory=c.tenant_data, now=c.now, new_id=c.new_id
    )


def connect(
    api: Any,
    tenant: dict[str, Any],
    *,
    settlement: Settlement = Settlement.PARTNER,
    commission_bp: int = 1000,
    name: str = "Trip Reseller",
) -> tuple[str, str]:
    """An OCTO connection of `tenant` and its partner key: (connection id, key)."""
    c = api.container
    ctx = tenant_context(api, tenant)
    fields = ConnectionFields(
        name=name, kind=ConnectionKind.OCTO, settlement=settlement, commission_bp=commission_bp
    )
    policy = UrlPolicy(c.host_resolver, True)
    connection = create_connection(ctx, policy, fields, connection_id="chn_" + c.new_id())
    _, key = issue_key(ctx, c.platform, c.key_cache, connection.id)
    return connection.id, key


def tour_operator(api: Any, slug: str, *, seats: int = 20, **connection: Any) -> Reseller:
    tenant = api.signup(
        slug, timezone="Asia/Shanghai", currency="CNY", locale="zh", business_type="tours"
    )
    data = tenant_context(api, tenant).data
    data.catalog.put_resource(departure(seats=seats), expected_rev=None)
    data.catalog.put_offering(day_tour(), expected_rev=None)
    connection_id, key = connect(api, tenant, **connection)
    return Reseller(tenant, connection_id, key)


def octo(api: Any, reseller: Reseller, method: str, path: str, **kwargs: Any) -> Any:
    """A request with the partner key; a success answer is checked against OCTO's document."""
    response = api.call(method, path, auth=reseller.key, **kwargs)
    if response.status_code < 400:
        template = path.split("?")[0]
        for name, pattern in (("uuid", "/octo/bookings/"), ("product_id", "/octo/products/")):
            if template.startswith(pattern):
                rest = template[len(pattern) :].split("/", 1)
                template = pattern + "{" + name + "}" + ("/" + rest[1] if len(rest) > 1 else "")
        octo_schema.check(method, template.replace("{product_id}", "{id}"), response)
    return response
