"""`make dev`'s channel partners (local/demo_connections.py), made through the API as the
seeding makes them: the demo catalogs first, then each partner with its mappings, its
commissions and its credentials, the partner key working on its route."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from local.demo_catalog import seed_catalog
from local.demo_connections import seed_connections
from tests.api.support import forbid_server_errors


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


class Answer:
    def __init__(self, r: Any) -> None:
        self.status_code = r.status_code
        self.text = r.body.decode() if r.body else ""

    def json(self) -> Any:
        return json.loads(self.text)

    def raise_for_status(self) -> None:
        assert self.status_code < 400, self.text


class ThroughTheApp:
    """The seeding's `requests.Session`, answered by the app in process."""

    def __init__(self, api: Any) -> None:
        self.api = api

    def _send(self, method: str, url: str, **kw: Any) -> Answer:
        parts = urlsplit(url)
        path = parts.path + (f"?{urlencode(kw['params'])}" if kw.get("params") else "")
        headers = {"Content-Type": "application/json", **kw.get("headers", {})}
        body = json.dumps(kw["json"]) if "json" in kw else None
        call = getattr(self.api.client.http, method)
        return Answer(call(path, headers=headers, **({"body": body} if body else {})))

    def get(self, url: str, **kw: Any) -> Answer:
        return self._send("get", url, **kw)

    def post(self, url: str, **kw: Any) -> Answer:
        return self._send("post", url, **kw)

    def put(self, url: str, **kw: Any) -> Answer:
        return self._send("put", url, **kw)

    def patch(self, url: str, **kw: Any) -> Answer:
        return self._send("patch", url, **kw)


@pytest.mark.parametrize(
    ("slug", "business_type", "partners"),
    [("harbour-view", "hotel", 1), ("great-wall-tours", "tours", 2)],
)
def test_the_demo_tenants_get_their_channel_partners(api, slug, business_type, partners):
    tenant = api.signup(slug, business_type=business_type)
    auth = {"Authorization": f"Bearer {tenant['secret_key']}"}
    http = ThroughTheApp(api)
    seed_catalog(http, "http://local", auth, slug)
    lines = seed_connections(http, "http://local", auth, slug)

    listed = api.call("GET", "/v1/channels", auth=tenant["secret_key"]).data["data"]
    assert len(listed) == partners
    assert sum(1 for line in lines if line.startswith("chn_")) == partners
    for connection in listed:
        assert connection["mappings"] or connection["kind"] == "agent"
    keys = [line.split(": ", 1)[1] for line in lines if "partner key:" in line]
    for key in keys:
        own = api.call("GET", "/v1/partner/connection", auth=key)
        assert own.status_code == 200 and own.data["id"] in {c["id"] for c in listed}
    if slug == "harbour-view":
        (manager,) = listed
        assert {m["partner_id"] for m in manager["mappings"]} == {"DBL", "TWN", "FAM"}
        assert all(m["resource_id"] for m in manager["mappings"]) and manager["secret_set"]
        assert keys == []
    else:
        agent = next(c for c in listed if c["kind"] == "agent")
        assert list(agent["offering_commissions"].values()) == [800]
        assert agent["settlement"] == "customer" and len(keys) == 2


def test_the_demo_private_tour_can_be_moved_to_another_day(api):
    """Its guide and van are booked by the hour: on a 15-minute grid a move's old and new slots
    (64 each way) passed a transaction's 100 items (outside probe: 422 transaction_too_large)."""
    tenant = api.signup("great-wall-tours", business_type="tours")
    key = tenant["secret_key"]
    seed_catalog(
        ThroughTheApp(api), "http://local", {"Authorization": f"Bearer {key}"}, "great-wall-tours"
    )
    offerings = api.call("GET", "/v1/offerings", auth=key).data["data"]
    private = next(o["id"] for o in offerings if o["name"].startswith("Private tour"))
    order = api.call(
        "POST",
        "/v1/orders",
        auth=key,
        body={
            "customer": {"name": "Li Na", "email": "li@example.com"},
            "lines": [{"offering_id": private, "start": "2026-12-18T08:00", "party": 4}],
        },
    )
    assert order.status_code == 201, order.body
    moved = api.call(
        "POST",
        f"/v1/orders/{order.data['id']}/reschedule",
        auth=key,
        headers={"If-Match": "*"},
        body={"lines": [{"offering_id": private, "start": "2026-12-28T08:00", "party": 4}]},
    )
    assert moved.status_code == 200, moved.body
    assert moved.data["lines"][0]["start"].startswith("2026-12-28T08:00")
