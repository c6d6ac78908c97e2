"""The privacy routes: export everything held about a customer, and erase a customer.

`{customer_id}` is the customer's id (`cus_...`), or their e-mail or E.164 phone (URL-encoded),
from which the id is derived (customers/domain/identity.py)."""

from __future__ import annotations

import urllib.parse
from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.customers.domain.privacy import (
    CustomerHasOpenBookings,
    CustomerOwedMoney,
    EraseNotConfirmed,
    InvalidCustomer,
)
from chalicelib.customers.services.privacy import export_customer, link_again
from chalicelib.customers.services.privacy_erase import erase_customer
from chalicelib.kernel.domain.errors import TransientFailure
from chalicelib.tenancy.domain.staff import MANAGE, OWN
from chalicelib.web.routing import Call, route

if TYPE_CHECKING:
    from chalicelib.customers.api.privacy_models import ErasureOut, ExportOut

bp = Blueprint(__name__)


def _customer(call: Call) -> str:
    """The path's customer, percent-decoded once: an e-mail's `@` and a phone's `+` come
    encoded (`%40`, `%2B`), and not every front door decodes a path parameter."""
    return urllib.parse.unquote(call.path["customer_id"])


def _link_again(call: Call, answer: dict[str, Any]) -> dict[str, Any]:
    """A retry's answer (the same export) with its link signed again: the stored one stops
    working 15 minutes after the first request, and a retry may come later."""
    url, expires_at = link_again(
        call.ctx, call.container.export_files, answer["customer_id"], answer["export_id"]
    )
    return {**answer, "url": url, "expires_at": expires_at}


@route(
    bp,
    "/v1/customers/{customer_id}/export",
    "POST",
    summary="Export everything held about a customer (a JSON file behind an expiring link)",
    tag="customers",
    roles=MANAGE,
    body="chalicelib.customers.api.privacy_models:ExportIn",
    response="chalicelib.customers.api.privacy_models:ExportOut",
    status=201,
    raises=(InvalidCustomer, TransientFailure),
    renew=_link_again,
)
def post_export(call: Call) -> ExportOut:
    """Their record and its items (notes, figures, points), every order of theirs with its
    lines, answers, payments, refunds and charges, the events about them (90 days), the
    messages staff sent, the audit entries about them and the invoices issued to them (with
    the API paths of each document and its PDF). The `url` needs no credentials and stops
    working at `expires_at` (15 minutes); the file itself is deleted after 30 days, or when the
    customer is erased. Recorded in the audit log. Send an Idempotency-Key: a retried request
    answers the same export, with its link signed again for another 15 minutes (audited as
    the first; 404 `export_gone` once the file is gone)."""
    from chalicelib.customers.api.privacy_models import ExportOut

    got = export_customer(
        call.ctx,
        call.container.export_files,
        _customer(call),
        export_id=call.stable_id("exp_"),
    )
    return ExportOut.of(got)


@route(
    bp,
    "/v1/customers/{customer_id}/erase",
    "POST",
    summary="Erase a customer's personal data (orders kept for the books, anonymised)",
    tag="customers",
    roles=OWN,
    body="chalicelib.customers.api.privacy_models:EraseIn",
    response="chalicelib.customers.api.privacy_models:ErasureOut",
    raises=(
        InvalidCustomer,
        EraseNotConfirmed,
        CustomerHasOpenBookings,
        CustomerOwedMoney,
        TransientFailure,
    ),
)
def post_erase(call: Call) -> ErasureOut:
    """The owner types the customer's e-mail, phone or id in `confirm` (422
    `erase_not_confirmed` otherwise). Refused with 409 `customer_has_open_bookings` while an
    order of theirs is held, checked in, or confirmed and not yet over: cancel it or wait;
    with 409 `customer_owed_money` while the business owes them money back on an order
    (`refund_due`): give it back first, for nobody can be reached once they are erased.
    Their orders stay, anonymised (name, contacts, answers, notes; manage links stop
    working); their events, record, points, notes and export files go, and so do the
    business's report exports made before that can name them (orders, payments, customers:
    withdrawn, `reports` counts them); what names them in
    idempotency records, webhook deliveries and audit entries is scrubbed; issued invoices
    and credit notes are kept, as the law requires. At most 25 orders a request: `done`
    false means send it again. Erasing again changes nothing; two erases at once both answer
    (409 `erase_busy` only when the orders keep changing: try again). Recorded in the audit
    log (who, when, the customer's id)."""
    from chalicelib.customers.api.privacy_models import EraseIn, ErasureOut

    body: EraseIn = call.body
    c = call.container
    got = erase_customer(
        call.ctx, c.export_files, _customer(call), body.confirm, reports=c.report_exports
    )
    return ErasureOut.of(got)
