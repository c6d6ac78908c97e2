"""What the import tests of every tier share: a worker that dies half-way through a booking."""

from __future__ import annotations

from typing import Any

from chalicelib.customers.services import import_runs


def die_at_confirmation(monkeypatch: Any, nth: int) -> None:
    """The import worker dies between the `nth` booking's hold and its confirmation (the
    order is placed, held, and its row has no result), as a process killed there would."""
    confirm = import_runs.order_service.confirm
    calls: list[str] = []

    def dies(ctx: Any, order_id: str, **kw: Any) -> Any:
        calls.append(order_id)
        if len(calls) == nth:
            raise SystemExit("the worker dies between a hold and its confirmation")
        return confirm(ctx, order_id, **kw)

    monkeypatch.setattr(import_runs.order_service, "confirm", dies)
