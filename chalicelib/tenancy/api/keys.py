"""API keys: list by prefix, create (shown once), rotate with a grace period, revoke."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.tenancy.domain.staff import MANAGE
from chalicelib.tenancy.services import keys
from chalicelib.web.routing import Call, Reply, route

if TYPE_CHECKING:
    from chalicelib.tenancy.api.key_models import KeyCreateIn, KeyListOut, KeyOut, KeyRotateIn
    from chalicelib.tenancy.domain.keys import ApiKey

bp = Blueprint(__name__)
NO_STORE = {"Cache-Control": "no-store"}


def _created(key: ApiKey, plaintext: str) -> Reply:
    from chalicelib.tenancy.api.key_models import KeyCreatedOut, KeyOut

    body = KeyCreatedOut(**KeyOut.of(key, key.created_at).model_dump(), key=plaintext)
    return Reply(body, headers=NO_STORE)


@route(
    bp,
    "/v1/keys",
    "GET",
    summary="List API keys",
    tag="keys",
    roles=MANAGE,
    response="chalicelib.tenancy.api.key_models:KeyListOut",
)
def list_keys(call: Call) -> KeyListOut:
    from chalicelib.tenancy.api.key_models import KeyListOut, KeyOut

    return KeyListOut(
        data=[
            KeyOut.of(k, call.ctx.now()) for k in keys.list_keys(call.ctx, call.container.platform)
        ]
    )


@route(
    bp,
    "/v1/keys",
    "POST",
    summary="Create an API key",
    tag="keys",
    roles=MANAGE,
    body="chalicelib.tenancy.api.key_models:KeyCreateIn",
    response="chalicelib.tenancy.api.key_models:KeyCreatedOut",
    status=201,
    secret_answer=True,
)
def create_key(call: Call) -> Reply:
    """A secret key acts with its `role` (at most the caller's own, the default; only an
    owner makes owner keys) within its `scope`. Not replayed under an Idempotency-Key: the
    answer holds the key's plaintext, which is never stored. The same key again is 409
    `idempotency_key_used`: no second key."""
    body: KeyCreateIn = call.body
    key, plaintext = keys.create_key(
        call.ctx,
        call.container.platform,
        kind=body.kind,
        name=body.name,
        role=body.role,
        scope=body.scope,
    )
    return _created(key, plaintext)


@route(
    bp,
    "/v1/keys/{key_id}",
    "GET",
    summary="One API key",
    tag="keys",
    roles=MANAGE,
    response="chalicelib.tenancy.api.key_models:KeyOut",
)
def get_key(call: Call) -> KeyOut:
    from chalicelib.tenancy.api.key_models import KeyOut

    key = keys.get_key(call.ctx, call.container.platform, call.path["key_id"])
    return KeyOut.of(key, call.ctx.now())


@route(
    bp,
    "/v1/keys/{key_id}/rotate",
    "POST",
    summary="Rotate an API key",
    tag="keys",
    roles=MANAGE,
    body="chalicelib.tenancy.api.key_models:KeyRotateIn",
    response="chalicelib.tenancy.api.key_models:KeyCreatedOut",
    status=201,
    secret_answer=True,
)
def rotate_key(call: Call) -> Reply:
    """Issues a new key with the same kind, name, role and scope; the old key keeps working
    for `grace_seconds`, then stops. Only an owner rotates an owner key."""
    body: KeyRotateIn = call.body
    key, plaintext = keys.rotate_key(
        call.ctx,
        call.container.platform,
        call.path["key_id"],
        grace_seconds=body.grace_seconds,
        cache=call.container.key_cache,
    )
    return _created(key, plaintext)


@route(
    bp,
    "/v1/keys/{key_id}",
    "DELETE",
    summary="Revoke an API key",
    tag="keys",
    roles=MANAGE,
    response="chalicelib.tenancy.api.key_models:KeyOut",
    raises=(InvalidInput,),  # a partner key: replaced or stopped through its connection
)
def revoke_key(call: Call) -> KeyOut:
    from chalicelib.tenancy.api.key_models import KeyOut

    revoked = keys.revoke_key(
        call.ctx, call.container.platform, call.path["key_id"], cache=call.container.key_cache
    )
    return KeyOut.of(revoked, call.ctx.now())
