"""`Idempotency-Key` on POST: the same key and body get the same answer once; the same key
with another body is refused (422). Keys are scoped to the caller (a key or a staff user)
within the tenant, and remembered for 24 hours: apart from the change (a claim, then the
answer: `replay_or_run`), or, for the routes that declare `replay=` (the booking's hold and
confirmation), in the change's own transaction, answered by reference (`run_with_change`).

Server errors (5xx) are not remembered, so a retry can succeed. A request that dies after
its change committed but before its answer was stored is made safe by the use case itself:
ids derived from the key (`Call.stable_id`) make the retried write find the first one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from chalice import Response

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.untrusted import loads_json
from chalicelib.kernel.services.idempotency_claims import (
    STALE_CLAIM_SECONDS,
    TTL_SECONDS,
    IdempotencyClaim,
)
from chalicelib.web.errors import error_response

HEADER = "idempotency-key"
REPLAYED_HEADERS = ("Content-Type", "ETag", "Location", "Cache-Control")


def scoped_key(actor_label: str, key: str) -> str:
    if not 1 <= len(key) <= 255 or not key.isprintable():
        raise InvalidInput(
            "Idempotency-Key is 1 to 255 printable characters.", code="invalid_idempotency_key"
        )
    return f"{actor_label}#{key}"


def request_hash(method: str, path: str, raw_body: bytes | None) -> str:
    body: Any = None
    if raw_body:
        try:
            body = loads_json(raw_body)
        except ValueError:
            body = raw_body.decode(errors="replace")
    canonical = json.dumps([method, path, body], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def replay_or_run(
    store: Any, key: str, digest: str, now: str, execute: Callable[[], Response]
) -> Response:
    """The stored answer of a finished request with this key and body; a refusal for another
    body or one still running; otherwise `execute()`, whose answer is stored (not a 5xx/429)."""
    record = store.claim(key, digest, now)
    if record is not None:
        if record.get("request_hash") != digest:
            return _reused()
        if record.get("state") == "done" and "response" in record:
            return _replay(record["response"])
        return _in_progress()
    try:
        response = execute()
    except BaseException:
        store.release(key)
        raise
    if response.status_code >= 500 or response.status_code == 429:
        store.release(key)  # "try again later" must not be the answer to every retry
    else:
        store.finish(key, _stored(response))
    return response


def run_with_change(
    store: Any,
    claim: IdempotencyClaim,
    execute: Callable[[], Response],
    replay: Callable[[], Response],
    *,
    look_first: bool = False,
) -> Response:
    """`execute()`, whose change writes the key's record in its own transaction (the route
    declares `replay=`: kernel/services/idempotency_claims.py). An answer that wrote it is the
    request's own. Any other (a refusal, a retry refused at its commit because the record is
    there, a change with nothing to write) looks the record up, once: another request's body
    -> 422; the first request's -> `replay()`, what it made as it stands now (by reference: a
    later change shows); none -> the answer as it is. So once the first request has committed,
    a retry or a duplicate gets its order, never a second; a refusal is not remembered (it
    changed nothing; a retry decides again). `look_first`: the record is looked up before
    `execute()` too, for a use case that spends something outside its transaction before it
    (the widget's hold: the customer's contact budget), so a retry does not spend it again."""
    if look_first and (known := _known(store, claim, replay)) is not None:
        return known
    response = execute()
    if claim.written:
        return response
    return _known(store, claim, replay) or response


def _known(store: Any, claim: IdempotencyClaim, replay: Callable[[], Response]) -> Response | None:
    """The answer the key's record gives; None when there is no record, or only a claim the
    other way left by a request that died (the change's Put takes it over)."""
    record = store.find(claim.key)
    if record is None or _abandoned(record, claim):
        return None
    if record.get("request_hash") != claim.request_hash:
        return _reused()
    if "response" in record:  # remembered apart, before the route wrote it with its change
        return _replay(record["response"])
    if record.get("state") != "done":
        return _in_progress()
    answer = replay()
    if answer.status_code < 400:
        answer.headers["Idempotent-Replayed"] = "true"
    return answer


def _abandoned(record: dict[str, Any], claim: IdempotencyClaim) -> bool:
    now = claim.expires - TTL_SECONDS
    started = record.get("started_epoch", now)
    return record.get("state") == "in_progress" and int(started) < now - STALE_CLAIM_SECONDS


def _reused() -> Response:
    return error_response(
        422, "idempotency_key_reused", "This Idempotency-Key was used with a different request."
    )


def _in_progress() -> Response:
    return error_response(
        409,
        "idempotency_in_progress",
        "A request with this Idempotency-Key is still being processed; retry shortly.",
        headers={"Retry-After": "1"},
    )


def _stored(response: Response) -> dict[str, Any]:
    headers = {k: v for k, v in response.headers.items() if k in REPLAYED_HEADERS}
    body = response.body if isinstance(response.body, str) else json.dumps(response.body)
    return {"status": response.status_code, "headers": headers, "body": body}


def _replay(stored: dict[str, Any]) -> Response:
    headers = {**stored.get("headers", {}), "Idempotent-Replayed": "true"}
    return Response(body=stored["body"], status_code=int(stored["status"]), headers=headers)


def stable_id(prefix: str, tenant_id: str, key: str) -> str:
    digest = hashlib.sha256(f"{tenant_id}#{key}".encode()).hexdigest()[:20]
    return f"{prefix}{digest}"
