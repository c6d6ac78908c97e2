"""chalice's local gateway taught the HTTP API's `$default` route, so a path no route has
reaches the app (which answers 404 `not_found` in the API's shape, with X-Request-Id:
chalicelib/web/unknown_routes.py) instead of chalice's own 403 "Missing Authentication
Token". On AWS the HTTP API's `$default` route (infra/stacks/http_api.py) sends such a request
to the function with `resourcePath` "$default"; here the route matcher does the same. Used by
`chalice local` as the local stack runs it (local/chalice_local.py) and by the API tier's
`chalice.test.Client` (tests/api/conftest.py). Never deployed.
"""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlparse

from chalice.local import (
    ChaliceRequestHandler,
    LambdaEventConverter,
    LocalGateway,
    MatchResult,
    RouteMatcher,
)

DEFAULT_ROUTE = "$default"


class DefaultRouteMatcher(RouteMatcher):
    """A path no route matches is the `$default` route's, as API Gateway routes it."""

    def match_route(self, url: str) -> MatchResult:
        try:
            return super().match_route(url)
        except ValueError:
            query = parse_qs(urlparse(url).query, keep_blank_values=True)
            return MatchResult(DEFAULT_ROUTE, {}, query)


def with_default_route(gateway: LocalGateway) -> LocalGateway:
    """`gateway` (chalice's), routing an unknown path to the app; an OPTIONS request to one
    goes to the app too (chalice would answer it for a route of its own, there is none)."""
    converter = gateway.event_converter
    gateway.event_converter = LambdaEventConverter(
        DefaultRouteMatcher(list(gateway._app_object.routes)),
        converter._binary_types,
    )
    declared = gateway._has_user_defined_options_method

    def options_of(event: dict[str, Any]) -> bool:
        return event["requestContext"]["resourcePath"] == DEFAULT_ROUTE or declared(event)

    gateway._has_user_defined_options_method = options_of  # type: ignore[method-assign,assignment]
    # Its authorizer looks the route up in the app's routes, a defaultdict: a look-up of
    # `$default` would add it as a route with no methods. There is no authorizer to run.
    authorize = gateway._authorizer.authorize

    def authorize_known(path: str, event: dict[str, Any], context: Any) -> Any:
        if event["requestContext"]["resourcePath"] == DEFAULT_ROUTE:
            return event, context
        return authorize(path, event, context)

    gateway._authorizer.authorize = authorize_known  # type: ignore[method-assign,assignment]
    return gateway


class DefaultRouteHandler(ChaliceRequestHandler):
    """chalice local's request handler, with its gateway taught the `$default` route."""

    def __init__(self, request: Any, client_address: Any, server: Any, **kwargs: Any) -> None:
        # Not super().__init__: it handles the request before returning, with its own gateway.
        self.local_gateway = with_default_route(
            LocalGateway(kwargs["app_object"], kwargs["config"])
        )
        BaseHTTPRequestHandler.__init__(self, request, client_address, server)
