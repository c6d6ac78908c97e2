"""What a route declares: path, method, who may call it, the pydantic models of its query,
body and response, the headers it reads and the errors it raises. `routing.route()` records
one `RouteSpec` per view in `REGISTRY`; the OpenAPI document is generated from those specs,
so the models that validate are the models that are documented.

Models are named "module:Class" and imported on first use, so a cold Lambda container loads
pydantic and the models of the route it serves, not all of them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from chalicelib.kernel.domain.errors import DomainError
from chalicelib.kernel.domain.values import value
from chalicelib.tenancy.domain.keys import KeyScope
from chalicelib.tenancy.domain.rate_limits import Action
from chalicelib.tenancy.domain.staff import Role
from chalicelib.web.route_headers import (
    IDEMPOTENCY_KEY,
    ORDER_KEY,
    REPLAY_ONLY,
    SPENT_KEY,
    Header,
)

if TYPE_CHECKING:
    from chalice import Response
    from pydantic import BaseModel

# A model class, or its "module:Class" name (imported when a request or the docs need it).
ModelRef = type["BaseModel"] | str


@cache
def _import_model(ref: str) -> type[BaseModel]:
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


def resolve(ref: ModelRef | None) -> type[BaseModel] | None:
    return _import_model(ref) if isinstance(ref, str) else ref


class Access(StrEnum):
    NONE = "none"  # anyone (sign-up, docs)
    # A publishable key (widgets), or a secret key or staff login with one of the route's
    # roles (so a viewer reads the public routes but does not book through them).
    PUBLIC = "public"
    TENANT = "tenant"  # a secret key or a staff login with one of the route's roles


# The routes a `bookings` key may call: catalog and availability reads, orders, payments.
BOOKINGS = frozenset({KeyScope.BOOKINGS})
# The routes a channel partner's key calls (chalicelib/channels), and only such a key: the
# pipeline refuses a staff login or any other key on them (403 `partner_key_required`).
PARTNER = frozenset({KeyScope.PARTNER})


@value
class Replay:
    """How a route that keeps its Idempotency-Key with its change (the change's own writes
    remember the request: kernel/services/idempotency_claims.py) answers a retry. Both are
    views of the request (`routing.Call`)."""

    # The requests remembered by what the route's change makes (an order's `request_keys`);
    # None: it has not been made.
    marks: Callable[..., tuple[str, ...] | None]
    # What the first request made, as it stands now.
    answer: Callable[..., Any]
    # Looked up before the view runs too: its use case spends a budget outside its
    # transaction (the widget's hold), which a retry must not spend again.
    first: bool = False


@value
class RouteSpec:
    path: str
    method: str
    name: str
    summary: str
    tag: str
    access: Access
    roles: frozenset[Role]
    body_ref: ModelRef | None
    query_ref: ModelRef | None
    response_ref: ModelRef | None
    status: int
    needs_active_tenant: bool
    description: str = ""
    # POST answers are remembered under an Idempotency-Key; off where a route takes no key
    # (it changes nothing, or its key is its own: README "Retries" lists them).
    idempotent: bool = True
    # The answer holds a secret (a new key's plaintext, a signing secret), which an
    # idempotency record must never copy: the key is claimed, a repeat is 409, not replayed.
    secret_answer: bool = False
    # A POST whose Idempotency-Key is kept with its change: how a retry finds what the first
    # request made and is answered with it (web/idempotent_calls.py).
    replay: Replay | None = None
    # A remembered answer brought up to date when replayed (its JSON body, `routing.Call`):
    # a download link signed for minutes is signed again (a retry an hour later got one that
    # had stopped working). None: replayed as stored.
    renew: Callable[..., dict[str, Any]] | None = None
    # The narrow key scopes (besides `full`) whose keys may call it; public routes: all but
    # `partner` (a partner key reaches the routes that declare PARTNER, and nothing else).
    scopes: frozenset[KeyScope] = frozenset()
    # The budgets the route draws on (tenancy/domain/rate_limits.py), spent once the request is
    # authenticated and valid, before anything else; None: not budgeted.
    rate_limit: Action | None = None
    # Request headers the view reads (If-Match, X-Manage-Token, ...); Idempotency-Key is
    # added by the pipeline itself (see `request_headers`).
    headers: tuple[Header, ...] = ()
    # Domain errors the use case raises beyond what access, body, path and headers imply.
    raises: tuple[type[DomainError], ...] = ()
    # The answer's media type when the route has no response model (None: 204, no body).
    media_type: str | None = None
    # Another API's conventions spoken on these routes (OCTO's error shape and headers):
    # the middleware lets it rewrite every answer, the OpenAPI document every operation.
    dialect: Dialect | None = None

    @property
    def request_headers(self) -> tuple[Header, ...]:
        if self.method == "POST" and self.idempotent and self.access is not Access.NONE:
            if self.replay:
                return (*self.headers, ORDER_KEY, REPLAY_ONLY)
            return (*self.headers, SPENT_KEY if self.secret_answer else IDEMPOTENCY_KEY)
        return self.headers

    @property
    def body(self) -> type[BaseModel] | None:
        return resolve(self.body_ref)

    @property
    def query(self) -> type[BaseModel] | None:
        return resolve(self.query_ref)

    @property
    def response(self) -> type[BaseModel] | None:
        return resolve(self.response_ref)


REGISTRY: list[RouteSpec] = []


class Dialect(Protocol):
    """Routes that answer in another API's conventions (chalicelib/channels/api/octo_dialect.py)."""

    def answer(self, response: Response) -> Response:
        """Any answer of the route, errors included (those of chalice itself too)."""
        ...

    def document(self, operation: dict[str, Any], spec: RouteSpec) -> dict[str, Any]:
        """The route's operation in the OpenAPI document, as the answers will be."""
        ...


def spec_for(method: str, path: str) -> RouteSpec | None:
    """The route declared for `method` and `path` (the path as declared, `/octo/{x}`)."""
    if len(_INDEX) != len(REGISTRY):  # routes registered since: index them again
        _INDEX.clear()
        _INDEX.update({(s.method, s.path): s for s in REGISTRY})
    return _INDEX.get((method.upper(), path))


_INDEX: dict[tuple[str, str], RouteSpec] = {}


def dialect_of_path(path: str) -> Dialect | None:
    """The dialect the routes of `path` speak (any method's), or None."""
    return next((s.dialect for s in REGISTRY if s.path == path and s.dialect), None)
