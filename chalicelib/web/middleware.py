"""HTTP middleware: request id, structured logging, metrics, and one error shape."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from chalice import Response

from chalicelib import bootstrap
from chalicelib.observability import logger, metrics
from chalicelib.web.errors import error_response
from chalicelib.web.route_spec import dialect_of_path, spec_for
from chalicelib.web.routing import request_id_of

# Chalice answers some requests itself (405, 415, 500) in its own shape; rewrite them.
_CHALICE_CODES = {
    405: "method_not_allowed",
    415: "unsupported_media_type",
    400: "bad_request",
    500: "internal_error",
}


def observe(request: Any, get_response: Callable[[Any], Response]) -> Response:
    request_id = request_id_of(request, lambda: bootstrap.container().new_id())
    # Tag the request context so the view uses the same id when API Gateway gave none.
    if request.context is not None:
        request.context.setdefault("requestId", request_id)
    logger.clear_state()
    logger.append_keys(request_id=request_id)
    started = time.perf_counter()
    response = _in_dialect(request, _normalise(get_response(request)))
    elapsed_ms = (time.perf_counter() - started) * 1000
    response.headers["X-Request-Id"] = request_id
    _no_store_unless_said(response)
    _record(request, response, elapsed_ms)
    return response


def _no_store_unless_said(response: Response) -> None:
    """Every answer is kept by no cache unless its route says otherwise (the API's documents,
    a calendar feed): answers carry customers' details, a booking's manage token, a signed
    download link, and a browser's or a proxy's copy of one would outlive the session that
    asked (an outside tester's finding: only keys' and secrets' answers said so)."""
    if not any(name.lower() == "cache-control" for name in response.headers):
        response.headers["Cache-Control"] = "no-store"


def _normalise(response: Response) -> Response:
    if response.status_code < 400:
        return response
    body = response.body
    if isinstance(body, str):
        try:
            body = json.loads(body) if body else {}
        except ValueError:
            body = {}
    if isinstance(body, dict) and "Code" in body and "error" not in body:
        code = _CHALICE_CODES.get(response.status_code, "error")
        headers = {k: str(v) for k, v in response.headers.items() if k.lower() != "content-type"}
        return error_response(response.status_code, code, str(body.get("Message", "")), {}, headers)
    return response


def _in_dialect(request: Any, response: Response) -> Response:
    """The answer in the conventions of the route's API, when it speaks another's (OCTO)."""
    context = request.context or {}
    path = str(context.get("resourcePath", ""))
    spec = spec_for(str(request.method), path)
    # A method the path does not take (chalice's 405) is answered in the path's dialect too.
    dialect = spec.dialect if spec is not None else dialect_of_path(path)
    return response if dialect is None else dialect.answer(response)


def _record(request: Any, response: Response, elapsed_ms: float) -> None:
    status = response.status_code
    route = (request.context or {}).get("resourcePath", "?")
    fields = {
        "method": request.method,
        "route": route,
        "status": status,
        "ms": round(elapsed_ms, 2),
    }
    if status >= 500:
        logger.error("request failed", extra=fields)
    else:
        logger.info("request", extra=fields)
    metrics.add_metric(name="Requests", unit="Count", value=1)
    metrics.add_metric(name="Latency", unit="Milliseconds", value=elapsed_ms)
    if status >= 500:
        metrics.add_metric(name="ServerErrors", unit="Count", value=1)
    elif status >= 400:
        metrics.add_metric(name="ClientErrors", unit="Count", value=1)
    tenant_id = logger.get_current_keys().get("tenant_id")
    if tenant_id:
        metrics.add_metadata(key="tenant_id", value=tenant_id)
    metrics.flush_metrics()
