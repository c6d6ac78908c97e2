"""Helpers shared by the API-tier tests (the fixtures themselves live in conftest.py)."""

from __future__ import annotations

import copy
import functools
import json
from typing import Any

from chalicelib.tenancy.domain.keys import parse_key

ERROR_KEYS = {"code", "message", "details"}


def forbid_server_errors(api: Any) -> None:
    """Make every request through `api.call` (and every provisioning delivery) fail the test
    on a 5xx: no request in these suites may ever get a 500."""
    call, deliver = api.call, api.deliver_provisioning

    @functools.wraps(call)
    def checked_call(*args: Any, **kwargs: Any) -> Any:
        response = call(*args, **kwargs)
        assert response.status_code < 500, (args, response.status_code, response.body)
        return response

    @functools.wraps(deliver)
    def checked_deliver() -> Any:
        payload = deliver()
        assert not (payload or {}).get("batchItemFailures"), payload
        return payload

    api.call = checked_call
    api.deliver_provisioning = checked_deliver


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The one error shape, with a request id; returns the `error` object."""
    assert response.status_code == status, response.body
    assert response.headers.get("X-Request-Id"), response.headers
    assert response.headers.get("Content-Type", "").startswith("application/json")
    assert isinstance(response.data, dict) and set(response.data) == {"error"}, response.body
    error = response.data["error"]
    assert set(error) == ERROR_KEYS, error
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], dict)
    if code is not None:
        assert error["code"] == code, error
    return error


def patch_tenant(api: Any, tenant: dict[str, Any], body: Any, auth: str | None = None) -> Any:
    """PATCH /v1/tenant with the tenant's secret key unless `auth` is given."""
    return api.call("PATCH", "/v1/tenant", auth=auth or tenant["secret_key"], body=body)


def fields_named(error: dict[str, Any]) -> set[str]:
    """The request fields an error names: pydantic's list, or a domain error's `field`."""
    details = error["details"]
    names = {f["field"] for f in details.get("fields", [])}
    if "field" in details:
        names.add(details["field"])
    return names


def snapshot(container: Any) -> dict[str, Any]:
    """Everything the fakes hold, to compare before and after a request."""
    p = container.platform
    return copy.deepcopy(
        {
            "tenants": p.tenants,
            "slugs": p.slugs,
            "emails": p.emails,
            "keys": p.keys,
            "users": p.users,
            "sent": container.bus.sent,
            "tables": container.tables.tables,
            "directory": container.directory.users,
            "audit": {t: dict(d.audit.entries) for t, d in container.tenant_data.data.items()},
        }
    )


def audit_entries(api: Any, tenant: dict[str, Any]) -> list[Any]:
    """The tenant's audit entries straight from the fake, oldest first."""
    data = api.container.tenant_data.data.get(tenant["tenant_id"])
    if data is None:
        return []
    return [data.audit.entries[k] for k in sorted(data.audit.entries)]


def key_id(plaintext: str) -> str:
    return parse_key(plaintext)[1]


def owner_id(api: Any, tenant: dict[str, Any]) -> str:
    return next(
        u.id
        for u in api.container.platform.users.values()
        if u.tenant_id == tenant["tenant_id"] and u.role.value == "owner"
    )


def invite(
    api: Any, tenant: dict[str, Any], role: str, *, auth: str | None = None, email: str = ""
) -> tuple[dict[str, Any], str]:
    """Invite a staff user (with the tenant's secret key unless `auth` is given): the user
    as the API shows it, and an ID token for them."""
    n = len(api.container.platform.users) + 1
    response = api.call(
        "POST",
        "/v1/staff",
        auth=auth or tenant["secret_key"],
        body={
            "email": email or f"{role}{n}@{tenant['slug']}.example",
            "name": f"{role.title()} {n}",
            "role": role,
        },
    )
    assert response.status_code == 201, response.body
    return response.data, api.token(response.data["id"])


def tenant_data(api: Any, tenant: dict[str, Any]) -> Any:
    """The tenant's table as the fakes hold it (to seed a catalog, or read what was written)."""
    return api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )


def deliver_events_times(api: Any, times: int) -> Any:
    """The bookkeeping group's events committed since the last delivery, each delivered
    `times` times in one batch to the very dispatcher Lambda invokes; its answer."""
    messages = api.container.relayed_events()
    event = api.client.events.generate_sqs_event(
        message_bodies=[json.dumps(m) for m in messages * times], queue_name="reservoir-events"
    )
    for i, record in enumerate(event["Records"]):
        record["messageId"] = f"m-{i}"
    return api.client.lambda_.invoke("dispatch_events", event).payload
