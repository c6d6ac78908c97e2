"""Marks on the platform table that tell a sweeper which tenants have timed work pending
(`platform.mark_work`), written at most once per window per container.

Sweepers (expired holds) visit only marked tenants, never every tenant. A
request that needs a tenant marked until some time asks `ensure`; the mark it writes reaches
`slack` seconds further, so the next requests of that window write nothing.
"""

from __future__ import annotations

import threading

from chalicelib.kernel.domain.timefmt import add_seconds
from chalicelib.kernel.services.ports import TenantWork


class WorkMarks:
    def __init__(self, platform: TenantWork) -> None:
        self._platform = platform
        # (kind, tenant, part) -> until, written by us
        self._marked: dict[tuple[str, str, str], str] = {}
        self._lock = threading.Lock()

    def ensure(
        self, kind: str, tenant_id: str, *, until: str, slack_seconds: int, part: str = ""
    ) -> None:
        """Make sure `tenant_id` (its `part`) is marked for `kind` until at least `until`."""
        with self._lock:
            if self._marked.get((kind, tenant_id, part), "") >= until:
                return
        marked_until = add_seconds(until, slack_seconds)
        self._platform.mark_work(kind, tenant_id, marked_until, part)
        with self._lock:
            self._marked[(kind, tenant_id, part)] = marked_until

    def forget(self, kind: str, tenant_id: str) -> None:
        """Forget the marks this container wrote, as a new container would not know them (so
        its next `ensure` writes again: bench/cost.py's quiet business, a booking an hour)."""
        with self._lock:
            for key in [k for k in self._marked if k[:2] == (kind, tenant_id)]:
                del self._marked[key]
