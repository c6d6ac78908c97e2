"""A POST that sent an Idempotency-Key, routed to one of the two ways web/idempotency.py
keeps keys: remembered apart from the change (most routes), or kept by the change itself
(the routes that declare `replay=`: the hold and the confirmation, whose order remembers the
request)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice import Response

from chalicelib.kernel.services.idempotency_claims import IdempotencyClaim
from chalicelib.web import idempotency

View = Callable[[Any], Any]  # routing.View: a view of a `Call` (not imported: routing imports us)


def answer(
    call: Any, key: str, request: Any, fn: View, run: Callable[[View], Response]
) -> Response:
    """The answer to `call` (routing.Call, its caller known), `run(view)` running a view as
    the pipeline does (its domain errors answered)."""
    spec, ctx = call.spec, call.ctx
    assert call.caller is not None
    call.idempotency_key = idempotency.scoped_key(call.caller.actor.label, key)
    digest = idempotency.request_hash(
        spec.method, request.context.get("path", ""), request.raw_body
    )
    store = ctx.data.idempotency
    if spec.replay is None:
        return idempotency.replay_or_run(
            store, call.idempotency_key, digest, ctx.now(), lambda: run(fn)
        )
    replay = spec.replay
    ctx.idempotency = IdempotencyClaim(call.idempotency_key, digest)
    return idempotency.run_with_change(
        store,
        ctx.idempotency,
        lambda: run(fn),
        idempotency.Retry(
            marks=lambda: replay.marks(call),
            answer=lambda: run(replay.answer),
            first=replay.first,
        ),
    )
