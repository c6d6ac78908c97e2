"""A tenant signed up through the API and provisioned by the worker loop, for the benchmarks
that run on their own local stack (bench/notify.py, bench/channel_updates.py)."""

from __future__ import annotations

import json
import time
from typing import Any


def signed_up(app: Any, loop: Any, *, name: str, slug: str, timezone: str, business_type: str,
              currency: str) -> Any:  # fmt: skip
    """Sign a business up over the API and run the worker loop until its table is ready;
    the active tenant."""
    from chalice.test import Client

    from chalicelib import bootstrap

    body = {
        "business_name": name,
        "slug": f"{slug}-{int(time.time())}",
        "owner_email": "owner@bench.example",
        "timezone": timezone,
        "currency": currency,
        "locale": "en",
        "business_type": business_type,
    }
    with Client(app) as client:
        answer = client.http.post(
            "/v1/signup", headers={"Content-Type": "application/json"}, body=json.dumps(body)
        )
    tenant_id = json.loads(answer.body)["tenant_id"]
    c = bootstrap.container()
    for _ in range(50):
        loop.run_round(wait_seconds=1)
        tenant = c.platform.get_tenant(tenant_id)
        if tenant is not None and tenant.is_active:
            return tenant
    raise SystemExit("the tenant was not provisioned")
