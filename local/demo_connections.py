"""The demo tenants' channel partners, made through the public API by `make dev`: the hotel's
channel manager (its room types mapped, an HMAC secret for its webhooks) and the tour
operator's OCTO reseller (its products mapped, a partner key) and a travel agent on
commission. Partners and their catalog entries are named here; ids come from the API.

Each credential is shown once by the API; the banner prints it once (local only: the stack's
data lives on this machine)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import requests


@dataclass(frozen=True)
class DemoMapping:
    partner_id: str
    offering: str  # the offering's name in the demo catalog
    resource: str | None = None  # the resource's name
    rate_id: str = ""


@dataclass(frozen=True)
class DemoConnection:
    name: str
    kind: str  # octo | channel_manager | agent
    commission_bp: int
    mappings: tuple[DemoMapping, ...] = ()
    key: bool = False  # make a partner key
    secret: bool = False  # make an HMAC secret
    settlement: str = "partner"
    offering_commissions: dict[str, int] = field(default_factory=dict)  # offering name -> bp


CONNECTIONS: dict[str, tuple[DemoConnection, ...]] = {
    "harbour-view": (
        DemoConnection(
            "Lakeside Channel Manager (demo)",
            "channel_manager",
            1500,
            mappings=(
                DemoMapping("DBL", "Double room, breakfast included", "Double room"),
                DemoMapping("TWN", "Twin room, garden wing", "Twin room, garden wing"),
                DemoMapping("FAM", "Family suite", "Family suite"),
            ),
            secret=True,
        ),
    ),
    "great-wall-tours": (
        DemoConnection(
            "Summit Reseller, OCTO (demo)",
            "octo",
            2000,
            mappings=(
                DemoMapping("mutianyu-day", "Mutianyu Great Wall day tour", "Mutianyu departure"),
                DemoMapping("private-guide-van", "Private tour with guide and van"),
            ),
            key=True,
            secret=True,
        ),
        DemoConnection(
            "Beijing Travel Agency (demo)",
            "agent",
            1000,
            key=True,
            settlement="customer",
            offering_commissions={"Private tour with guide and van": 800},
        ),
    ),
}


def _ids(http: requests.Session, api: str, auth: dict[str, str], what: str) -> dict[str, str]:
    response = http.get(f"{api}/v1/{what}", headers=auth, timeout=30)
    response.raise_for_status()
    return {item["name"]: item["id"] for item in response.json()["data"]}


def _post(http: requests.Session, url: str, auth: dict[str, str], body: Any = None) -> Any:
    response = http.post(url, json=body or {}, headers=auth, timeout=30)
    if response.status_code != 201:
        raise RuntimeError(f"{url}: HTTP {response.status_code}: {response.text[:300]}")
    return response.json()


def _made(
    http: requests.Session,
    api: str,
    auth: dict[str, str],
    demo: DemoConnection,
    ids: tuple[dict[str, str], dict[str, str]],
) -> list[str]:
    """One connection made, mapped and given its credentials; the banner's lines."""
    offerings, resources = ids
    body = {"name": demo.name, "kind": demo.kind, "commission_bp": demo.commission_bp}
    made = _post(http, f"{api}/v1/channels", auth, {**body, "settlement": demo.settlement})
    one = f"{api}/v1/channels/{made['id']}"
    if demo.offering_commissions:
        rates = {offerings[name]: bp for name, bp in demo.offering_commissions.items()}
        patched = http.patch(one, json={"offering_commissions": rates}, headers=auth, timeout=30)
        patched.raise_for_status()
    if demo.mappings:
        mappings = [
            {
                "partner_id": m.partner_id,
                "offering_id": offerings[m.offering],
                "resource_id": resources[m.resource] if m.resource else None,
                "rate_id": m.rate_id,
            }
            for m in demo.mappings
        ]
        mapped = http.put(f"{one}/mappings", json={"mappings": mappings}, headers=auth, timeout=30)
        mapped.raise_for_status()
    lines = [f"{made['id']} {demo.name} ({demo.kind}, {demo.commission_bp / 100:g} %)"]
    if demo.key:
        lines.append(f"  partner key: {_post(http, f'{one}/key', auth)['key']}")
        lines.append(f"  OCTO API ...: {api}/octo/products  (Authorization: Bearer <partner key>)")
    if demo.secret:
        lines.append(f"  HMAC secret: {_post(http, f'{one}/secret', auth)['secret']}")
        if demo.kind == "channel_manager":
            lines.append(f"  webhooks to: {api}{made['inbound_url']}")
        else:
            lines.append("               (signs the availability updates it is sent)")
    return lines


def seed_connections(
    http: requests.Session, api: str, auth: dict[str, str], slug: str
) -> list[str]:
    """The tenant's demo partners; for each, lines for the banner (its credentials once)."""
    demos = CONNECTIONS.get(slug, ())
    if not demos:
        return []
    ids = (_ids(http, api, auth, "offerings"), _ids(http, api, auth, "resources"))
    lines: list[str] = []
    for demo in demos:
        lines += _made(http, api, auth, demo, ids)
    return lines
