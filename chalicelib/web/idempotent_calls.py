"""A POST that sent an Idempotency-Key, routed to one of the two ways web/idempotency.py
keeps keys: remembered apart from the change (most routes), or kept by the change itself
(the routes that declare `replay=`: the hold and the confirmation, whose order remembers the
request)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice import Response

from chalicelib.kernel.domain.errors import InvalidInput, NotFound
from chalicelib.kernel.services.idempotency_claims import IdempotencyClaim
from chalicelib.tenancy.domain.rate_limits import RateLimited
from chalicelib.web import idempotency

REPLAY_HEADER = "idempotency-replay"
View = Callable[[Any], Any]  # routing.View: a view of a `Call` (not imported: routing imports us)


def answer(
    call: Any, key: str, request: Any, fn: View, run: Callable[[View], Response]
) -> Response:
    """The answer to `call` (routing.Call, its caller known), `run(view)` running a view as
    the pipeline does (its domain errors answered)."""
    spec, ctx = call.spec, call.ctx
    digest = _scope(call, key, request)
    store = ctx.data.idempotency
    if spec.replay is None:
        return idempotency.replay_or_run(
            store,
            call.idempotency_key,
            digest,
            ctx.now(),
            lambda: run(fn),
            secret=spec.secret_answer,
            renew=None if spec.renew is None else lambda body: spec.renew(call, body),
        )
    ctx.idempotency = IdempotencyClaim(call.idempotency_key, digest)
    if is_look(call):  # checked by `check_replay_only`
        made = idempotency.known(store, ctx.idempotency, _retry(call, run))
        if made is None:
            raise NotFound(
                "This Idempotency-Key and body made nothing: the request never arrived, or "
                "was refused.",
                code="attempt_not_made",
            )
        return made
    return idempotency.run_with_change(store, ctx.idempotency, lambda: run(fn), _retry(call, run))


def is_look(call: Any) -> bool:
    """`Idempotency-Replay` sent to a route that answers looks (`check_replay_only` refused it
    anywhere else that changes something): one read, never a request, spending no budget."""
    return call.spec.replay is not None and call.headers.get(REPLAY_HEADER) is not None


def check_replay_only(call: Any, keyed: bool) -> None:
    """`Idempotency-Replay: only` (route_headers.REPLAY_ONLY) is a look, never a request: on a
    route that keeps its key with its change, with a key, or refused. Refused too on any other
    route that changes something, rather than ignored there: a client sending it to the wrong
    route expects nothing made, and the route would have made it (a reviewer's cancel)."""
    if call.headers.get(REPLAY_HEADER) is None or call.spec.method == "GET":
        return
    if call.spec.replay is None:
        raise InvalidInput(
            "Idempotency-Replay is only for a hold and a confirmation (the routes that keep "
            "their Idempotency-Key with the order); this request was not made.",
            code="invalid_idempotency_replay",
        )
    if call.headers.get(REPLAY_HEADER) != "only" or not keyed:
        raise InvalidInput(
            "Idempotency-Replay is `only`, sent with the Idempotency-Key of the request to find.",
            code="invalid_idempotency_replay",
        )


def spend(
    call: Any,
    key: str | None,
    request: Any,
    budgets: Callable[[], None],
    run: Callable[[View], Response],
) -> Response | None:
    """Spend the route's budgets (`budgets()`). Over them, a retry of a hold or confirmation
    that committed (a route with `replay=`, and a key) is answered with what it made instead
    of 429, as the README's "Retries" promise: one read, spent only past the budget."""
    try:
        budgets()
    except RateLimited:
        if key is None or call.spec.replay is None:
            raise
        digest = _scope(call, key, request)  # sets the scoped key on `call`
        claim = IdempotencyClaim(call.idempotency_key, digest)
        known = idempotency.known(call.ctx.data.idempotency, claim, _retry(call, run))
        if known is None:
            raise
        return known
    return None


def _scope(call: Any, key: str, request: Any) -> str:
    """Scope the key to the caller (on `call`) and answer the request's hash."""
    assert call.caller is not None
    call.idempotency_key = idempotency.scoped_key(call.caller.actor.label, key)
    return idempotency.request_hash(
        call.spec.method, request.context.get("path", ""), request.raw_body
    )


def _retry(call: Any, run: Callable[[View], Response]) -> idempotency.Retry:
    replay = call.spec.replay
    return idempotency.Retry(
        marks=lambda: replay.marks(call),
        answer=lambda: run(replay.answer),
        first=replay.first,
    )
