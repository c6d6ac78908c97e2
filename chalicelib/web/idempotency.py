"""`Idempotency-Key` on POST: the same key and body get the same answer once; the same key
with another body is refused (422). Keys are scoped to the caller (a key or a staff user)
within the tenant: remembered apart from the change for 24 hours (a claim, then the answer:
`replay_or_run`), or, for the routes that declare `replay=` (the booking's hold and
confirmation), by the change itself, on the order it writes, answered by reference
(`run_with_change`). A route whose answer holds a secret (a new key, a signing secret)
declares `secret_answer`: its key is claimed but its answer never stored, and a repeat is
refused (`replay_or_run(secret=True)`): a retry neither acts twice nor copies the secret.

Neither refusals (4xx: they changed nothing) nor server errors (5xx) are remembered, so a retry
decides again and the key is free for the request put right, as the hold's and confirmation's
keys are (`run_with_change`). A request that dies after
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
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.idempotency_claims import MARK_SEPARATOR, IdempotencyClaim
from chalicelib.web.errors import error_response

HEADER = "idempotency-key"
SECRET_MARK = "secret"  # a success whose answer held a secret: not kept, not replayed
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
    store: Any,
    key: str,
    digest: str,
    now: str,
    execute: Callable[[], Response],
    *,
    secret: bool = False,
    renew: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> Response:
    """The stored answer of a finished request with this key and body; a refusal for another
    body or one still running; otherwise `execute()`, whose answer is stored if it succeeded.
    `secret`: the answer holds one, so a success is remembered by a mark only and the same
    key and body again is 409 `idempotency_key_used`.
    `renew`: a stored success's JSON body brought up to date before it is replayed."""
    record = store.claim(key, digest, now)
    if record is not None:
        if record.get("request_hash") != digest:
            return _reused()
        if record.get("state") == "done" and "response" in record:
            stored = record["response"]
            return _used() if stored.get(SECRET_MARK) else _replay(_renewed(stored, renew))
        return _in_progress()
    try:
        response = execute()
    except BaseException:
        store.release(key)
        raise
    if response.status_code >= 400:
        # "Try again later" must not be the answer to every retry, and a refusal changed
        # nothing: the key is free for the request put right (an outside tester's note to a
        # customer id mistyped was 404, then the right id with that key 422 `reused`).
        store.release(key)
    elif secret:
        store.finish(key, {"status": response.status_code, "body": "", SECRET_MARK: True})
    else:
        store.finish(key, _stored(response))
    return response


@value
class Retry:
    """What `run_with_change` needs of the route: the requests remembered by what its change
    made (`marks()`; None: not made), the answer with it as it stands (`answer()`), and
    whether to look before running too (`first`)."""

    marks: Callable[[], tuple[str, ...] | None]
    answer: Callable[[], Response]
    first: bool = False


def run_with_change(
    store: Any, claim: IdempotencyClaim, execute: Callable[[], Response], retry: Retry
) -> Response:
    """`execute()`, whose change remembers the request (the route declares `replay=`: the
    order keeps the key's mark, kernel/services/idempotency_claims.py). An answer that wrote
    it is the request's own. Any other (a refusal; a retry refused by the order's own
    condition, new or over the version read; a change with nothing to write) looks once at
    what the change makes: marked with this key and body -> `retry.answer()`, what the first
    request made as it stands now (by reference: a later change shows); this key with another
    body -> 422; neither -> the answer as it is. So once the first request has committed, a
    retry or a duplicate gets its order, never a second; a refusal is not remembered (it
    changed nothing; a retry decides again). `retry.first`: looked at before `execute()` too,
    for a use case that spends something outside its transaction before it (the widget's
    hold: the customer's contact budget), so a retry does not spend it again."""
    if retry.first and (first := known(store, claim, retry)) is not None:
        return first
    response = execute()
    if claim.written:
        return response
    return known(store, claim, retry) or response


def known(store: Any, claim: IdempotencyClaim, retry: Retry) -> Response | None:
    """The answer the key's mark gives; None when nothing was made, or what was made does not
    know the key (made by another request, or before keys were kept this way: then a record
    written apart, within its 24 hours, may)."""
    marks = retry.marks()
    if marks is None:
        return None  # not made: nothing to answer but the request's own answer
    bodies = {m.partition(MARK_SEPARATOR)[0]: m for m in marks}
    mine = bodies.get(claim.key_digest)
    if mine is None:
        return _remembered_apart(store, claim, retry)
    if mine != claim.mark:
        return _reused()
    return _replayed(retry.answer())


def _remembered_apart(store: Any, claim: IdempotencyClaim, retry: Retry) -> Response | None:
    """A record of the key from before the change kept it (a stored answer, or a record
    written with the change that answers by reference); a claim still in progress the old way
    is not waited for: the change's own condition keeps the two from both committing."""
    record = store.find(claim.key)
    if record is None or record.get("request_hash") != claim.request_hash:
        return None if record is None else _reused()
    if "response" in record:
        return _replay(record["response"])
    return _replayed(retry.answer()) if record.get("state") == "done" else None


def _replayed(answer: Response) -> Response:
    if answer.status_code < 400:
        answer.headers["Idempotent-Replayed"] = "true"
    return answer


def _reused() -> Response:
    return error_response(
        422, "idempotency_key_reused", "This Idempotency-Key was used with a different request."
    )


def _used() -> Response:
    return error_response(
        409,
        "idempotency_key_used",
        "This Idempotency-Key already made what it asked for. Its answer held a secret, which is"
        " never stored, so it is not answered again: list what it made, and send a new key to"
        " make another.",
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


def _renewed(
    stored: dict[str, Any], renew: Callable[[dict[str, Any]], dict[str, Any]] | None
) -> dict[str, Any]:
    """A success's answer as `renew` makes it now (a refusal is replayed as it was)."""
    if renew is None or int(stored["status"]) >= 400:
        return stored
    body = json.dumps(renew(json.loads(stored["body"])), separators=(",", ":"))
    return {**stored, "body": body}


def _replay(stored: dict[str, Any]) -> Response:
    headers = {**stored.get("headers", {}), "Idempotent-Replayed": "true"}
    return Response(body=stored["body"], status_code=int(stored["status"]), headers=headers)


def stable_id(prefix: str, tenant_id: str, key: str) -> str:
    digest = hashlib.sha256(f"{tenant_id}#{key}".encode()).hexdigest()[:20]
    return f"{prefix}{digest}"
