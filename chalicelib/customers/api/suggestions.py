"""The suggestions' routes: for staff, a customer's suggestions with their reasons and usual
staff member and time; for the customer holding an order's manage token, what others who
booked the same also booked (the widget offers it after a booking)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.booking.api.order_replies import MANAGE_QUERY, email_proof, manage_token
from chalicelib.customers.services import suggestions
from chalicelib.kernel.domain.errors import NotFound
from chalicelib.tenancy.domain.staff import READ
from chalicelib.web.route_headers import EMAIL_PROOF, MANAGE_TOKEN
from chalicelib.web.route_spec import Access
from chalicelib.web.routing import Call, route

if TYPE_CHECKING:
    from chalicelib.customers.api.suggestion_models import (
        CustomerSuggestionsOut,
        PublicSuggestionsOut,
    )

bp = Blueprint(__name__)

BY_EMAIL = "by-email"  # the path's id when ?email= names the customer


@route(
    bp,
    "/v1/customers/{customer_id}/suggestions",
    "GET",
    summary="What to suggest to a customer, and why",
    tag="customers",
    roles=READ,
    query="chalicelib.customers.api.suggestion_models:CustomerSuggestionsQueryIn",
    response="chalicelib.customers.api.suggestion_models:CustomerSuggestionsOut",
)
def customer_suggestions(call: Call) -> CustomerSuggestionsOut:
    """The offerings that customers who booked what this customer booked also booked, each
    with its reason (support, base, share), and the customer's usual staff member and local
    hour. The customer: `cus_...`, or `by-email` with `?email=`. Counted from confirmed,
    checked-in and completed bookings, a few seconds after each change."""
    from chalicelib.customers.api.suggestion_models import (
        CustomerSuggestionsOut,
        CustomerSuggestionsQueryIn,
        OfferingNameOut,
        SuggestionOut,
        UsualOut,
    )

    query: CustomerSuggestionsQueryIn = call.query
    given = call.path["customer_id"]
    customer_id = suggestions.customer_of(None if given == BY_EMAIL else given, query.email)
    found = suggestions.customer_suggestions(
        call.ctx, call.container.catalog_cache, customer_id, limit=query.limit
    )
    return CustomerSuggestionsOut(
        customer_id=found.customer_id,
        booked=[OfferingNameOut(offering_id=o.id, name=o.name) for o in found.booked],
        suggestions=[SuggestionOut.of(s) for s in found.suggestions],
        usual_staff=UsualOut.of_usual(found.usual_staff),
        usual_time=UsualOut.of_usual(found.usual_time),
    )


@route(
    bp,
    "/v1/public/orders/{order_id}/suggestions",
    "GET",
    summary="What others who booked the same also booked",
    tag="public",
    access=Access.PUBLIC,
    query=MANAGE_QUERY,
    response="chalicelib.customers.api.suggestion_models:PublicSuggestionsOut",
    headers=(MANAGE_TOKEN, EMAIL_PROOF),
    raises=(NotFound,),
)
def public_suggestions(call: Call) -> PublicSuggestionsOut:
    """For the holder of the order's manage token: offerings on sale that customers who booked
    this order's offerings also booked, with the share of them in words. Counts of at least
    three customers only; nothing about any one customer, nor about this customer's other
    bookings (they are only left out of the suggestions, and only with the e-mail proof of the
    order's e-mail link: a hold's own answer does not prove the address is the caller's)."""
    from chalicelib.customers.api.suggestion_models import (
        PublicSuggestionOut,
        PublicSuggestionsOut,
    )

    c = call.container
    found = suggestions.order_suggestions(
        call.ctx,
        c.catalog_cache,
        c.manage_token_secret,
        call.path["order_id"],
        manage_token(call),
        email_proof(call),
    )
    return PublicSuggestionsOut(data=[PublicSuggestionOut.of(s) for s in found])
