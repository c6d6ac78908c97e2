"""An answer for a request no route of the app matches: 404 `not_found` in the API's one shape.

The API is an API Gateway HTTP API (infra/stacks/http_api.py): each of the app's paths is a
route, and its `$default` route sends everything else (an unknown path) to the same function,
with `resource` and `requestContext.resourcePath` set to "$default" (payload format 1.0).
Chalice looks the resource path up in its route table without checking, and a miss is a
KeyError it answers as a 500 in its own shape; this middleware answers before that lookup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from chalice import Response

from chalicelib.web.errors import error_response

Middleware = Callable[[Any, Callable[[Any], Response]], Response]


def answer_unknown_routes(routes: Mapping[str, object]) -> Middleware:
    """A middleware that answers 404 for a resource path `routes` (the app's route table,
    read at each request, so routes registered later count) does not hold."""

    def middleware(request: Any, get_response: Callable[[Any], Response]) -> Response:
        context = getattr(request, "context", None) or {}
        if context.get("resourcePath") not in routes:
            return error_response(404, "not_found", "No such route.", {})
        return get_response(request)

    return middleware
