"""Loyalty points: the programme (managers), a customer's balance and ledger (staff), and the
customer's own balance on their manage page (with the order's manage token)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.booking.api.order_replies import MANAGE_QUERY, email_proof, manage_token
from chalicelib.customers.services import loyalty
from chalicelib.tenancy.domain.staff import MANAGE, READ
from chalicelib.web.route_headers import EMAIL_PROOF, MANAGE_TOKEN
from chalicelib.web.route_spec import Access
from chalicelib.web.routing import Call, route

if TYPE_CHECKING:
    from chalicelib.customers.api.loyalty_models import BalanceOut, ProgrammeOut

bp = Blueprint(__name__)
MODELS = "chalicelib.customers.api.loyalty_models"


@route(
    bp,
    "/v1/loyalty/programme",
    "GET",
    summary="The loyalty programme",
    tag="customers",
    roles=READ,
    response=f"{MODELS}:ProgrammeOut",
)
def get_programme(call: Call) -> ProgrammeOut:
    from chalicelib.customers.api.loyalty_models import ProgrammeOut

    return ProgrammeOut.of(loyalty.programme(call.ctx))


@route(
    bp,
    "/v1/loyalty/programme",
    "PUT",
    summary="Set the loyalty programme",
    tag="customers",
    roles=MANAGE,
    body=f"{MODELS}:ProgrammeIn",
    response=f"{MODELS}:ProgrammeOut",
)
def put_programme(call: Call) -> ProgrammeOut:
    """Points already earned keep the expiry they were earned with; a new rate applies to
    bookings completed from now on."""
    from chalicelib.customers.api.loyalty_models import ProgrammeIn, ProgrammeOut

    body: ProgrammeIn = call.body
    return ProgrammeOut.of(loyalty.set_programme(call.ctx, body.programme()))


@route(
    bp,
    "/v1/loyalty/balance",
    "GET",
    summary="A customer's points and their ledger, by e-mail",
    tag="customers",
    roles=READ,
    query=f"{MODELS}:BalanceQueryIn",
    response=f"{MODELS}:BalanceOut",
)
def get_balance(call: Call) -> BalanceOut:
    """Points past their date are expired first (and the ledger says so)."""
    from chalicelib.customers.api.loyalty_models import BalanceOut

    view = loyalty.balance_of(call.ctx, email=call.query.email)
    return BalanceOut.of(view, call.ctx.tenant.currency)


@route(
    bp,
    "/v1/public/orders/{order_id}/points",
    "GET",
    summary="The customer's own points, on their order's manage page",
    tag="public",
    access=Access.PUBLIC,
    query=MANAGE_QUERY,
    response=f"{MODELS}:BalanceOut",
    headers=(MANAGE_TOKEN, EMAIL_PROOF),
)
def public_points(call: Call) -> BalanceOut:
    """For the e-mail of the order the manage token opens, with the e-mail proof of that
    order's e-mail link (403 `email_link_required` without it: a hold's own answer does not
    prove the address is the caller's); the balance only, no ledger."""
    from chalicelib.customers.api.loyalty_models import BalanceOut

    secret = call.container.manage_token_secret
    order_id, token = call.path["order_id"], manage_token(call)
    view = loyalty.own_points(call.ctx, secret, order_id, token, email_proof(call))
    return BalanceOut.of(view, call.ctx.tenant.currency, ledger=False)
