"""The API over real HTTP as `make dev` runs it: `chalice local` on 127.0.0.1 with the worker
loop in this process. Shared by the e2e and browser tiers."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import requests

from local.emulators import ChaliceLocal, free_port
from local.resources import Stack


@dataclass
class Http:
    base: str
    session: requests.Session

    def call(self, method: str, path: str, *, key: str | None = None, **kwargs: Any) -> Any:
        headers = kwargs.pop("headers", {})
        if key:
            headers["Authorization"] = f"Bearer {key}"
        response = self.session.request(
            method, self.base + path, headers=headers, timeout=30, **kwargs
        )
        assert response.status_code < 500, (response.status_code, response.text)
        return response

    def signup(self, stem: str, **overrides: Any) -> dict[str, Any]:
        slug = f"{stem}-{uuid.uuid4().hex[:8]}"
        body = {
            "business_name": stem.title(),
            "slug": slug,
            "owner_email": f"o@{slug}.example",
            "timezone": "Europe/Berlin",
            "currency": "EUR",
            "locale": "en",
            "business_type": "hotel",
            **overrides,
        }
        response = self.call("POST", "/v1/signup", json=body)
        assert response.status_code == 202, response.text
        tenant = response.json()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            status = self.call("GET", "/v1/tenant", key=tenant["secret_key"]).json()["status"]
            if status == "active":
                return tenant
            time.sleep(0.2)
        raise AssertionError(f"{slug} not active after 30 s")


@contextmanager
def serving(env: dict[str, str], stack: Stack) -> Iterator[Http]:
    """`chalice local` with `env` and the worker loop in this process, as `make dev` runs."""
    import os

    from app import app
    from local.worker_loop import WorkerLoop
    from tests.conftest import reset_app_state

    server = ChaliceLocal(free_port(), env).start()
    saved = dict(os.environ)
    os.environ.update(env)
    reset_app_state()
    stop = threading.Event()
    # One stack for the session: each module's loop reads the tables made while it runs.
    loop = WorkerLoop.for_stack(app, stack, wait_seconds=1, replay_existing=False)
    thread = threading.Thread(target=loop.run_forever, args=(stop,), daemon=True)
    thread.start()
    try:
        yield Http(server.endpoint, requests.Session())
    finally:
        stop.set()
        thread.join(timeout=10)
        server.stop()
        os.environ.clear()
        os.environ.update(saved)
        reset_app_state()
