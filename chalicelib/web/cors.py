"""Cross-origin requests: which web pages may call which routes, and the headers that say so.

Two kinds of page call the API from a browser:
- the booking widget, on the tenant's own website, with a publishable key, on `/v1/public/*`;
- the staff console, served from the platform's own origin (`Settings.console_origin`).

A preflight (`OPTIONS`) carries no credential, so it cannot know the tenant: a public route's
preflight is answered for any origin, and the real request is then checked against the
tenant's `widget_origins` for its publishable key and refused (403 `origin_not_allowed`,
nothing done) from any other; that refusal is readable by the page, which can then say why
(it names the origin and nothing of the tenant). Every other route, and a public route called
with a secret key or a staff login, answers only the console's origin. No answer ever says
`Access-Control-Allow-Origin: *`: the origin is echoed when allowed, and `Vary: Origin` keeps a
cache from serving one origin's answer to another.

A request without `Origin` (a server, curl) is not a cross-origin request and is not checked:
`Origin` is the browser's word, not an authentication.
"""

from __future__ import annotations

from chalicelib.kernel.domain.errors import Forbidden
from chalicelib.tenancy.services.auth import Caller

# The request headers the widget and the console send (besides the CORS-safelisted ones).
ALLOWED_HEADERS = (
    "Authorization, Content-Type, Idempotency-Key, Idempotency-Replay, If-Match, X-Manage-Token, "
    "X-Email-Proof"
)
# The answer's headers a page may read (besides the CORS-safelisted ones).
# Date: the widget counts a hold down by the server's clock, not the visitor's.
EXPOSED_HEADERS = "Date, ETag, Idempotent-Replayed, Location, Retry-After, X-Request-Id"
PREFLIGHT_MAX_AGE = "600"  # seconds a browser may keep a preflight's answer
VARY = {"Vary": "Origin"}


def allow(origin: str) -> dict[str, str]:
    """The headers of an answer `origin` may read."""
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Expose-Headers": EXPOSED_HEADERS,
        **VARY,
    }


def before_credential(origin: str | None, *, public: bool, console_origin: str) -> dict[str, str]:
    """The headers of a refusal before the credential is known: a widget on any page reads
    why a public route refused it, and the console why its login was refused (401 expired or
    not valid, 403 `user_disabled`), so it signs out saying so (unreadable, an outside
    tester's disabled stylist was told "the server cannot be reached" and stayed signed in)."""
    if origin is not None and (public or (console_origin and origin == console_origin)):
        return allow(origin)
    return {}


def check(
    origin: str | None, caller: Caller | None, *, console_origin: str, refuse: bool
) -> dict[str, str]:
    """The CORS headers of the answer to a request from `origin` by `caller`.

    A publishable key's request from an origin its tenant did not list, or a credentialed
    request from another origin than the console's, raises Forbidden when `refuse` (routes that
    take a credential); a route without one is answered without CORS headers instead, so the
    browser keeps the answer from the page."""
    if origin is None:
        return {}
    if caller is not None and caller.is_publishable_key:
        if origin in caller.tenant.settings.widget_origins:
            return allow(origin)
        raise Forbidden(
            f"This publishable key may not be used from {origin}: add the origin to the "
            "tenant's widget_origins (PATCH /v1/tenant).",
            code="origin_not_allowed",
            origin=origin,
        )
    if console_origin and origin == console_origin:
        return allow(origin)
    if refuse:
        raise Forbidden(
            f"This route answers browsers on the console's origin only, not {origin}.",
            code="origin_not_allowed",
            origin=origin,
        )
    return dict(VARY)


def preflight(
    origin: str | None, *, public: bool, console_origin: str, methods: list[str]
) -> tuple[int, dict[str, str]]:
    """The status and headers of the answer to `OPTIONS` on a path whose routes are `public`
    (or not), with `methods`."""
    if origin is None:
        return 204, {"Allow": ", ".join([*methods, "OPTIONS"])}
    if not public and not (console_origin and origin == console_origin):
        return 403, dict(VARY)
    return 204, {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": ", ".join([*methods, "OPTIONS"]),
        "Access-Control-Allow-Headers": ALLOWED_HEADERS,
        "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
        **VARY,
    }
