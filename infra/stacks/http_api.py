"""The API as an API Gateway HTTP API, in place of the REST API Chalice packages.

Why: an HTTP API costs $1.00 per million requests (of up to 512 KB each), a REST API $3.50,
and a booking makes three (docs/SCALING.md "Cost per million bookings"). What it is:

- one `AWS::ApiGatewayV2::Api` imported from an OpenAPI body built here from the routes Chalice
  packaged (the Swagger of its REST API: the app's own paths and methods, read, never listed
  by hand): a route `ANY <path>` for each of the app's paths, a `<METHOD> <path>` route for each
  route with its own throttle (ROUTE_THROTTLES), and the `$default` route. Each path's `ANY`
  route carries every method of that path, OPTIONS (the app answers CORS itself, web/cors.py;
  the API has no CorsConfiguration) and a method the path does not take (chalice answers 405);
  `$default` carries a path the app does not have (the app answers 404 `not_found`,
  chalicelib/web/unknown_routes.py). One route per path, not per method: the app has 366
  (method, path) pairs with its preflights, over an HTTP API's 300 routes (a quota raised per
  API by request), and one per path also leaves the template's 500 resources alone (the body
  is one resource);
- one integration (`components.x-amazon-apigateway-integrations`, referenced by every route;
  an HTTP API holds at most 300 integrations) with the API handler function, `aws_proxy`,
  payload format version 1.0: the REST event shape chalice reads (`resource`,
  `requestContext.resourcePath`, `pathParameters`, multi-value headers and query, base64
  bodies);
- the `$default` stage, deployed automatically: the address has no stage in its path, so the
  app's root-relative `Location` headers and links (`/v1/orders/...`) resolve against it as
  they are (under the REST API's `/api` stage they did not); the stage throttle as its default
  route settings, the per-route throttles as its route settings, and a low one on `$default`:
  it is invoked only for paths the app does not have (scanners), which the REST API refused
  without calling the function;
- one Lambda permission: the API (any stage, route and method) may invoke the handler.

Chalice's REST API (`RestAPI`), its invoke permission and its outputs are removed from the
included SAM template, so the template has one API. What API Gateway still answers itself
(throttling, a body too large, an integration timeout) has its own body: README, errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_lambda as lambda_
from chalice.cdk import Chalice
from constructs import Construct

API_HANDLER = "APIHandler"
# What Chalice makes for its REST API, and removes here (the SAM template's logical ids).
REST_API_RESOURCES = ("RestAPI", "APIHandlerInvokePermission")
REST_API_OUTPUTS = ("RestAPIId", "EndpointURL")
PAYLOAD_FORMAT_VERSION = "1.0"
INTEGRATION = "apiHandler"
DEFAULT_ROUTE = "$default"
# The importer wants every path to start with "/": the catch-all is written "/$default" with
# `isDefaultRoute` (as SAM writes it); it imports as the route `$default`.
DEFAULT_PATH = "/$default"
STAGE_NAME = "$default"
ANY_METHOD = "x-amazon-apigateway-any-method"
# API Gateway's throttling (requests per second, and the burst a token bucket allows), a
# target per route: the stage's default route settings give each route its own bucket (so
# 1,000 a second is a figure per route; what caps all routes together is the account's 10,000
# / 5,000 per Region). It keeps a flood on one route from reaching Lambda and DynamoDB at all.
# Fairness between clients is the app's per-address and per-key budgets
# (chalicelib/tenancy/domain/rate_limits.py). Sign-up makes a table each time, so it has its
# own, far lower, ceiling (the app also caps it per hour).
STAGE_THROTTLE = (1000, 2000)  # each route (the account's default is 10,000 / 5,000)
ROUTE_THROTTLES = {
    ("/v1/signup", "POST"): (1, 5),
    ("/v1/public/orders", "POST"): (100, 200),
}
DEFAULT_ROUTE_THROTTLE = (10, 20)  # unknown paths: each one a Lambda invocation


@dataclass(frozen=True)
class HttpApi:
    api: apigwv2.CfnApi
    stage: apigwv2.CfnStage
    stage_name: str

    @property
    def identity(self) -> tuple[str, str]:
        """(ApiId, Stage): the dimensions of API Gateway's metrics for this API."""
        return self.api.ref, self.stage_name

    def url(self, stack: Stack) -> str:
        """The stage's own address (the `$default` stage: no path), whatever a custom
        domain says."""
        return f"https://{self.api.ref}.execute-api.{stack.region}.{stack.url_suffix}"


def app_routes(packaged: dict[str, Any]) -> dict[str, list[str]]:
    """The app's paths and their methods (upper case), from the Swagger of the REST API
    Chalice packaged: the routes of the app object itself."""
    paths = packaged["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]["paths"]
    return {path: sorted(method.upper() for method in item) for path, item in paths.items()}


def route_keys(routes: dict[str, list[str]]) -> list[str]:
    """Every route of the HTTP API, as its route key."""
    keys = [f"ANY {path}" for path in sorted(routes)]
    keys += [f"{method} {path}" for path, method in sorted(ROUTE_THROTTLES)]
    return keys + [DEFAULT_ROUTE]


def openapi_body(title: str, routes: dict[str, list[str]], handler_uri: str) -> dict[str, Any]:
    """The OpenAPI document the HTTP API is imported from: its routes, one integration."""
    for (path, method), _ in ROUTE_THROTTLES.items():
        if method not in routes.get(path, []):
            raise ValueError(f"ROUTE_THROTTLES names {method} {path}, which the app does not have")
    operation = {
        # An operation without `responses` is an OpenAPI warning, and warnings fail the import.
        "responses": {},
        "x-amazon-apigateway-integration": {
            "$ref": f"#/components/x-amazon-apigateway-integrations/{INTEGRATION}"
        },
    }
    paths: dict[str, Any] = {path: {ANY_METHOD: operation} for path in sorted(routes)}
    for path, method in sorted(ROUTE_THROTTLES):
        paths[path][method.lower()] = operation
    paths[DEFAULT_PATH] = {ANY_METHOD: {**operation, "isDefaultRoute": True}}
    integration = {
        "type": "aws_proxy",
        "httpMethod": "POST",
        "uri": handler_uri,
        "payloadFormatVersion": PAYLOAD_FORMAT_VERSION,
        "timeoutInMillis": 30_000,
    }
    return {
        "openapi": "3.0.1",
        "info": {"title": title, "version": "1.0"},
        "paths": paths,
        "components": {"x-amazon-apigateway-integrations": {INTEGRATION: integration}},
    }


def build_http_api(scope: Construct, app: Chalice, packaged: dict[str, Any]) -> HttpApi:
    rest = packaged["Resources"]["RestAPI"]["Properties"]
    title = str(rest["DefinitionBody"]["info"]["title"])
    stage_name = STAGE_NAME
    routes = app_routes(packaged)
    handler = app.get_resource(API_HANDLER)
    stack = Stack.of(scope)
    handler_uri = (
        f"arn:{stack.partition}:apigateway:{stack.region}:lambda:path/2015-03-31/functions/"
        f"{handler.get_att('Arn').to_string()}/invocations"
    )
    api = apigwv2.CfnApi(
        scope,
        "HttpApi",
        body=openapi_body(title, routes, handler_uri),
        # A route the import would skip is a failed deploy, not a path that answers 404.
        fail_on_warnings=True,
    )
    default_settings = apigwv2.CfnStage.RouteSettingsProperty(
        throttling_rate_limit=STAGE_THROTTLE[0], throttling_burst_limit=STAGE_THROTTLE[1]
    )
    stage = apigwv2.CfnStage(
        scope,
        "HttpApiStage",
        api_id=api.ref,
        stage_name=stage_name,
        auto_deploy=True,
        default_route_settings=default_settings,
        route_settings={
            **{
                f"{method} {path}": {"ThrottlingRateLimit": rate, "ThrottlingBurstLimit": burst}
                for (path, method), (rate, burst) in ROUTE_THROTTLES.items()
            },
            DEFAULT_ROUTE: {
                "ThrottlingRateLimit": DEFAULT_ROUTE_THROTTLE[0],
                "ThrottlingBurstLimit": DEFAULT_ROUTE_THROTTLE[1],
            },
        },
    )
    lambda_.CfnPermission(
        scope,
        "HttpApiInvokesHandler",
        action="lambda:InvokeFunction",
        function_name=handler.ref,
        principal="apigateway.amazonaws.com",
        source_arn=stack.format_arn(service="execute-api", resource=api.ref, resource_name="*"),
    )
    _remove_rest_api(app)
    return HttpApi(api=api, stage=stage, stage_name=stage_name)


def _remove_rest_api(app: Chalice) -> None:
    """Take Chalice's REST API out of the included SAM template (a resource or output an upgrade
    renamed fails the synth: `get_resource` and `get_output` refuse an unknown logical id)."""
    template = app.sam_template
    elements: list[Construct] = [template.get_resource(r) for r in REST_API_RESOURCES]
    elements += [template.get_output(o) for o in REST_API_OUTPUTS]
    for element in elements:
        parent = element.node.scope
        if parent is None or not parent.node.try_remove_child(element.node.id):
            raise ValueError(f"could not remove {element.node.path} from Chalice's template")
