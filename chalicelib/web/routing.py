"""One way to declare a route, and the one pipeline every view runs through.

`route()` registers the Chalice view and its `RouteSpec` (route_spec.py). Every view runs one
pipeline: authenticate -> authorise -> parse -> budgets -> idempotency -> service -> response,
every domain error mapped to its status and JSON body; a view receives a `Call` and answers
with a model, a dict, a `Reply` (other status or headers) or None.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Response

from chalicelib import bootstrap
from chalicelib.dependencies import Dependencies
from chalicelib.kernel.domain import values
from chalicelib.kernel.domain.errors import (
    DomainError,
    Forbidden,
    NotFound,
    TenantNotReady,
    Unauthenticated,
)
from chalicelib.kernel.domain.text import with_article
from chalicelib.kernel.services.context import TenantContext
from chalicelib.observability import logger
from chalicelib.tenancy.domain.keys import KeyScope, scope_allows
from chalicelib.tenancy.domain.rate_limits import Action
from chalicelib.tenancy.domain.staff import READ, Role
from chalicelib.tenancy.services.auth import Caller, authenticate_key, authenticate_token
from chalicelib.web import cors, idempotency, idempotent_calls, preflight
from chalicelib.web.errors import domain_error_response, error_response, validation_details
from chalicelib.web.request_body import parse_body
from chalicelib.web.route_headers import Header
from chalicelib.web.route_spec import PARTNER, REGISTRY, Access, ModelRef, Replay, RouteSpec

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

# Every id and token we issue in a path is far shorter; a longer one names nothing, and as a
# DynamoDB key (at most 2,048 bytes) it would be a ValidationException, a 500, not a 404.
MAX_PATH_PARAM_BYTES = 256


def _validation_error() -> type[ValidationError]:
    """pydantic's ValidationError, imported when an exception reaches the handler that
    names it: a route without models never loads pydantic."""
    from pydantic import ValidationError

    return ValidationError


@dataclass
class Call:
    """What a view function receives."""

    spec: RouteSpec
    container: Dependencies = field(repr=False)  # the process's, taken once as the request came in
    request_id: str
    path: dict[str, str]
    headers: dict[str, str]
    body: Any = None
    query: Any = None
    caller: Caller | None = None
    idempotency_key: str | None = None  # scoped to the caller, when the request sent one
    cors: dict[str, str] = field(default_factory=dict)  # the answer's CORS headers (web/cors.py)
    _ctx: TenantContext | None = field(default=None, repr=False)

    def stable_id(self, prefix: str) -> str:
        """A new id, or one derived from the Idempotency-Key, so a retried request that
        died after committing finds its first write instead of making a second."""
        if self.idempotency_key and self.caller is not None:
            return idempotency.stable_id(prefix, self.caller.tenant.id, self.idempotency_key)
        return prefix + self.container.new_id()

    @property
    def ctx(self) -> TenantContext:
        if self._ctx is None:
            if self.caller is None:
                raise Unauthenticated("This route needs credentials.")
            c = self.container
            self._ctx = TenantContext(
                tenant=self.caller.tenant,
                actor=self.caller.actor,
                data_factory=c.tenant_data,
                now=c.now,
                new_id=c.new_id,
                request_id=self.request_id,
            )
        return self._ctx


@values.value
class Reply:
    """A view's answer when it needs a status or headers other than the route's default."""

    body: BaseModel | dict[str, Any] | None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)


View = Callable[[Call], Any]


def route(
    bp: Blueprint,
    path: str,
    method: str,
    *,
    summary: str,
    tag: str,
    access: Access = Access.TENANT,
    roles: frozenset[Role] = READ,
    body: ModelRef | None = None,
    query: ModelRef | None = None,
    response: ModelRef | None = None,
    status: int = 200,
    needs_active_tenant: bool = True,
    description: str = "",
    idempotent: bool = True,
    secret_answer: bool = False,  # a repeated key is 409, never replayed: idempotency.py
    replay: Replay | None = None,  # the key kept with the change: idempotent_calls.py
    renew: Callable[..., dict[str, Any]] | None = None,  # a replayed answer made current
    scopes: frozenset[KeyScope] = frozenset(),
    rate_limit: Action | None = None,
    headers: tuple[Header, ...] = (),
    raises: tuple[type[DomainError], ...] = (),
    media_type: str | None = None,
    accepts: tuple[str, ...] = (),
) -> Callable[[View], View]:
    if response is None and media_type is None and status != 204:
        # The document must say what the answer is: a model, a media type, or no content.
        raise ValueError(f"{method} {path}: give a response model, a media_type, or status=204")

    def decorator(fn: View) -> View:
        spec = RouteSpec(
            path=path,
            method=method.upper(),
            name=fn.__name__,
            summary=summary,
            tag=tag,
            access=access,
            roles=roles,
            body_ref=body,
            query_ref=query,
            response_ref=response,
            status=status,
            needs_active_tenant=needs_active_tenant,
            description=description or (fn.__doc__ or "").strip(),
            idempotent=idempotent,
            secret_answer=secret_answer,
            replay=replay,
            renew=renew,
            scopes=frozenset(KeyScope) - PARTNER if access is Access.PUBLIC else scopes,
            rate_limit=rate_limit,
            headers=headers,
            raises=raises,
            media_type=media_type,
        )
        REGISTRY.append(spec)

        def view(**path_params: str) -> Response:
            return _run(spec, fn, bp.current_request, path_params)

        view.__name__ = fn.__name__
        # `accepts`: bodies a view takes without a model (an HTML form's, which it ignores).
        content_types = ["application/json"] if body is not None else list(accepts) or None
        kwargs: dict[str, Any] = {"methods": [spec.method]}
        if content_types:
            kwargs["content_types"] = content_types
        bp.route(path, **kwargs)(view)
        preflight.add(bp, path)
        return fn

    return decorator


def request_id_of(request: Any, new_id: Callable[[], str]) -> str:
    context = getattr(request, "context", None) or {}
    rid = context.get("requestId")
    if rid:
        return str(rid)
    return new_id()


def _run(spec: RouteSpec, fn: View, request: Any, path_params: dict[str, str]) -> Response:
    """The entry point of every route: the one place it takes the process's container."""
    c = bootstrap.container()
    headers = {k.lower(): v for k, v in (request.headers or {}).items()}
    call = Call(
        spec=spec,
        container=c,
        request_id=request_id_of(request, c.new_id),
        path=path_params,
        headers=headers,
    )
    response = _handle(spec, fn, request, call)
    response.headers.update(call.cors)
    return response


def _handle(spec: RouteSpec, fn: View, request: Any, call: Call) -> Response:
    c, headers = call.container, call.headers
    origin = headers.get("origin")
    public, console = spec.access is Access.PUBLIC, c.settings.console_origin
    call.cors = cors.before_credential(origin, public=public, console_origin=console)
    try:
        call.caller = _authenticate(spec, headers, c)
        if call.caller is None or not call.caller.is_publishable_key:
            # A credentialed answer (a refusal too) is the console's; a widget's stays readable.
            call.cors = dict(cors.VARY) if origin is not None else {}
        call.cors = cors.check(
            origin,
            call.caller,
            console_origin=c.settings.console_origin,
            refuse=spec.access is not Access.NONE,
        )
        _authorise(spec, call.caller)
        _check_path(call.path)
        if call.caller is not None:
            logger.append_keys(tenant_id=call.caller.tenant.id)
        call.query = _parse_query(spec, request)
        call.body = parse_body(spec, request)
        key = headers.get(idempotency.HEADER)
        keyed = key is not None and spec.method == "POST" and spec.idempotent and call.caller
        idempotent_calls.check_replay_only(call, bool(keyed))
        run = lambda view: _execute(spec, view, call)  # noqa: E731
        if spec.rate_limit is not None and not idempotent_calls.is_look(call):  # one read
            budgets = spec.rate_limit
            spend = lambda: _spend_budgets(budgets, call, request)  # noqa: E731
            if known := idempotent_calls.spend(call, key if keyed else None, request, spend, run):
                return known
        if keyed:
            assert key is not None
            return idempotent_calls.answer(call, key, request, fn, run)
    except DomainError as exc:
        return domain_error_response(exc)
    except _validation_error() as exc:
        return _validation_response(exc)
    return _execute(spec, fn, call)


def _execute(spec: RouteSpec, fn: View, call: Call) -> Response:
    try:
        result = fn(call)
    except DomainError as exc:
        return domain_error_response(exc)
    except _validation_error() as exc:
        return _validation_response(exc)
    except Exception:  # noqa: BLE001 - the last resort: a bug must still answer our shape
        # A bug, not bad input: log it with the request id; the caller gets a plain 500.
        logger.exception("unhandled error", extra={"route": spec.path})
        return error_response(500, "internal_error", "Something went wrong on our side.")
    return _to_response(spec, result)


def _authenticate(spec: RouteSpec, headers: dict[str, str], c: Dependencies) -> Caller | None:
    if spec.access is Access.NONE:
        return None
    header = headers.get("authorization", "")
    scheme, _, credential = header.partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise Unauthenticated(
            "Send 'Authorization: Bearer <API key or ID token>'.", code="unauthenticated"
        )
    credential = credential.strip()
    if not credential.isascii():  # keys and JWTs are ASCII; other text is no credential
        raise Unauthenticated("The credential is malformed.", code="unauthenticated")
    if credential.startswith(("sk_", "pk_")):
        return authenticate_key(credential, platform=c.platform, now=c.now(), cache=c.key_cache)
    return authenticate_token(credential, verifier=c.verifier, platform=c.platform)


def _authorise(spec: RouteSpec, caller: Caller | None) -> None:
    if caller is None:
        return
    if spec.needs_active_tenant and not caller.tenant.is_active:
        raise TenantNotReady(
            "The tenant is still being set up; try again in a few seconds.",
            status=caller.tenant.status.value,
        )
    if KeyScope.PARTNER in spec.scopes:  # a partner route: a partner key, whatever else came
        _authorise_partner(caller)
        return
    if caller.is_publishable_key:
        if spec.access is Access.PUBLIC:
            return
        raise Forbidden(
            "A publishable key can only call the public booking endpoints; use a secret key.",
            code="publishable_key_not_allowed",
        )
    # A secret key: its scope first (a narrowed key is told so), then its role, as a user's.
    if not scope_allows(caller.scope, spec.scopes):
        raise Forbidden(
            f"{with_article(caller.scope.value if caller.scope else 'narrowed', start=True)} key "
            "cannot do this.",
            code="key_scope_forbidden",
        )
    if caller.role not in spec.roles:
        raise Forbidden(
            f"The {caller.role.value if caller.role else 'unknown'} role cannot do this.",
            code="role_forbidden",
            allowed_roles=sorted(r.value for r in spec.roles),
        )


def _authorise_partner(caller: Caller) -> None:
    """A partner route acts for the caller's connection: only a partner key has one."""
    if caller.connection_id is None or caller.scope is not KeyScope.PARTNER:
        raise Forbidden(
            "Only a channel partner's key (made for its connection) can call this.",
            code="partner_key_required",
        )


def _check_path(params: dict[str, str]) -> None:
    for name, value in params.items():
        if len(value.encode("utf-8", "surrogatepass")) > MAX_PATH_PARAM_BYTES:
            raise NotFound("Nothing has an id this long.", code="not_found", parameter=name)


def client_address(request: Any) -> str:
    """The address API Gateway saw the request come from. Never X-Forwarded-For: the client
    writes that header, so it would let anyone choose the budget it is counted under."""
    context = getattr(request, "context", None) or {}
    identity = context.get("identity") or {}
    return str(identity.get("sourceIp") or "")


def _spend_budgets(action: Action, call: Call, request: Any) -> None:
    from chalicelib.tenancy.services import rate_limits

    c = call.container
    address = client_address(request)
    if action is Action.SIGNUP:
        limits = c.settings.signup_limits
        rate_limits.check_signup(c.platform_counters, limits, address=address, now=c.now())
    elif call.caller is not None:
        rate_limits.check_public(
            call.ctx,
            action,
            address=address,
            key=call.caller.actor.label,
            scale=c.settings.rate_limit_scale,
        )


def _parse_query(spec: RouteSpec, request: Any) -> Any:
    params = dict(request.query_params or {})
    if spec.query is None:
        if params:
            raise _validation_error().from_exception_data(
                "query",
                [{"type": "extra_forbidden", "loc": (k,), "input": None} for k in params],
            )
        return None
    return spec.query.model_validate(params)


def _validation_response(exc: ValidationError) -> Response:
    errors = exc.errors(include_url=False, include_input=False)
    if any(err.get("type") == "json_invalid" for err in errors):
        return error_response(400, "malformed_json", "The request body is not valid JSON.")
    return error_response(
        422,
        "validation_failed",
        "The request has invalid fields.",
        validation_details([dict(e) for e in errors]),
    )


def _to_response(spec: RouteSpec, result: Any) -> Response:
    status = spec.status
    headers: dict[str, str | list[str]] = {"Content-Type": "application/json"}
    if isinstance(result, Response):
        return result
    if isinstance(result, Reply):
        status = result.status or status
        headers.update(result.headers)
        result = result.body
    if result is None:
        return Response(body="", status_code=204 if status == 200 else status, headers=headers)
    from pydantic import BaseModel  # already loaded: views answer with models

    if isinstance(result, BaseModel):
        payload = result.model_dump_json(by_alias=True)
    else:
        payload = json.dumps(result, default=str)
    return Response(body=payload, status_code=status, headers=headers)
