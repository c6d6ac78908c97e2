"""The customers' routes: search, a customer's record, profile and notes, their orders,
possible duplicates and merges (customers/services/profiles.py and merges.py)."""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.customers.domain.merges import CustomerMerged
from chalicelib.customers.services import merges, profiles
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.tenancy.domain.staff import MANAGE, OPERATE, READ
from chalicelib.web.etag import expected_version
from chalicelib.web.route_headers import if_match_header
from chalicelib.web.routing import Call, Reply, route

if TYPE_CHECKING:
    from chalicelib.customers.api.customer_models import (
        CustomerOrdersOut,
        CustomersOut,
        MergeOut,
        NoteOut,
    )
    from chalicelib.customers.domain.records import CustomerRecord, Note
    from chalicelib.customers.services.customer_ports import CustomerPage

bp = Blueprint(__name__)
IF_MATCH = if_match_header(required=False, stale=profiles.CustomerChanged)
MODELS = "chalicelib.customers.api.customer_models"


def _check(position: str) -> str:
    return hashlib.sha256(position.encode()).hexdigest()[:12]


def encode(position: str | None) -> str | None:
    """The store's position with a check of it (`<check>.<position>`, base64): a cursor cut
    short or altered is refused rather than read as some place in the list."""
    if position is None:
        return None
    return base64.urlsafe_b64encode(f"{_check(position)}.{position}".encode()).decode()


def decode(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    try:
        check, _, position = base64.urlsafe_b64decode(cursor.encode()).decode().partition(".")
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise InvalidInput("The cursor is not one this list gave.", code="invalid_cursor") from exc
    if not position or check != _check(position):
        raise InvalidInput("The cursor is not one this list gave.", code="invalid_cursor")
    return position


def _page_out(page: CustomerPage) -> CustomersOut:
    from chalicelib.customers.api.customer_models import CustomerRecordOut, CustomersOut

    return CustomersOut(
        data=[CustomerRecordOut.of(c) for c in page.customers], next_cursor=encode(page.next)
    )


def _record_reply(call: Call, customer: CustomerRecord, notes: list[Note] | None = None) -> Reply:
    from chalicelib.customers.api.customer_models import CustomerRecordOut

    body = CustomerRecordOut.of(customer, notes)
    return Reply(body, headers={"ETag": f'"{customer.version}"'})


@route(
    bp,
    "/v1/customers",
    "GET",
    summary="Find customers by e-mail, phone or name prefix, or list possible duplicates",
    tag="customers",
    roles=READ,
    query=f"{MODELS}:CustomerSearchIn",
    response=f"{MODELS}:CustomersOut",
)
def search_customers(call: Call) -> CustomersOut:
    """One of `email` (the record's own key), `phone` (with its country code, or a number of
    the business's country), `name` (the start of the name, in any case and with or without
    accents; sorted by name) or `duplicates=true`. A merged record is answered as the customer
    it was merged into. No Scan: each is one read or one Query."""
    q = call.query
    if q.duplicates:
        return _page_out(profiles.duplicates(call.ctx, after=decode(q.cursor), limit=q.limit))
    page = profiles.search_customers(
        call.ctx, email=q.email, phone=q.phone, name=q.name, after=decode(q.cursor), limit=q.limit
    )
    return _page_out(page)


@route(
    bp,
    "/v1/customers/{customer_id}",
    "GET",
    summary="A customer: profile, figures, tags, consent and newest notes",
    tag="customers",
    roles=READ,
    response=f"{MODELS}:CustomerRecordOut",
)
def get_customer(call: Call) -> Reply:
    """A merged record answers as the customer it was merged into (its `id` says which). The
    ETag is the record's version, for If-Match on a change."""
    customer, notes = profiles.customer_with_notes(call.ctx, call.path["customer_id"])
    return _record_reply(call, customer, notes)


@route(
    bp,
    "/v1/customers/{customer_id}",
    "PATCH",
    summary="Change a customer's profile, preferences, tags or marketing consent",
    tag="customers",
    roles=OPERATE,
    body=f"{MODELS}:CustomerPatchIn",
    response=f"{MODELS}:CustomerRecordOut",
    headers=(IF_MATCH,),
    raises=(CustomerMerged,),
)
def patch_customer(call: Call) -> Reply:
    """Fields left out stay as they are; `tags` and `preferences` replace the whole list. With
    If-Match, a record changed since that version is 412 `customer_changed`. `marketing`
    records consent (or its withdrawal) as given to staff, now."""
    from chalicelib.customers.api.customer_models import CustomerPatchIn

    body: CustomerPatchIn = call.body
    changes = profiles.Changes(
        name=body.name,
        language=body.language,
        birthday=body.birthday,
        address=body.address.to_domain() if body.address else None,
        preferences=body.preferences,
        tags=tuple(body.tags) if body.tags is not None else None,
        marketing=body.marketing,
    )
    version = expected_version(call.headers.get("if-match"), required=False)
    customer = profiles.update_customer(
        call.ctx, call.path["customer_id"], changes, expected_version=version
    )
    return _record_reply(call, customer)


@route(
    bp,
    "/v1/customers/{customer_id}/notes",
    "POST",
    summary="Write a note on a customer (kept with its author and time, never overwritten)",
    tag="customers",
    roles=OPERATE,
    body=f"{MODELS}:NoteIn",
    response=f"{MODELS}:NoteOut",
    status=201,
)
def post_note(call: Call) -> NoteOut:
    """Send an Idempotency-Key: a retried request then writes one note."""
    from chalicelib.customers.api.customer_models import NoteIn, NoteOut

    body: NoteIn = call.body
    note = profiles.add_note(
        call.ctx, call.path["customer_id"], body.text, note_id=call.stable_id("note_")
    )
    return NoteOut.of(note)


@route(
    bp,
    "/v1/customers/{customer_id}/orders",
    "GET",
    summary="A customer's orders, latest start first",
    tag="customers",
    roles=READ,
    query=f"{MODELS}:PageIn",
    response=f"{MODELS}:CustomerOrdersOut",
)
def customer_orders(call: Call) -> CustomerOrdersOut:
    """One Query on the customer's index (and one for each record merged into it whose orders
    the merge has not moved yet), a page at a time."""
    from chalicelib.booking.api.booking_models import order_out
    from chalicelib.customers.api.customer_models import CustomerOrdersOut
    from chalicelib.tenancy.services.phones import allowed_sms_countries

    q = call.query
    customer, orders, position = profiles.orders_of(
        call.ctx, call.path["customer_id"], after=decode(q.cursor), limit=q.limit
    )
    tz, sms = call.ctx.tenant.timezone, allowed_sms_countries(call.ctx.tenant)
    return CustomerOrdersOut(
        customer_id=customer.id,
        data=[order_out(o, tz, sms_countries=sms) for o in orders],
        next_cursor=encode(position),
    )


@route(
    bp,
    "/v1/customers/{customer_id}/merge",
    "POST",
    summary="Merge a duplicate record into this customer",
    tag="customers",
    roles=MANAGE,
    body=f"{MODELS}:MergeIn",
    response=f"{MODELS}:MergeOut",
    status=202,
    raises=(CustomerMerged,),
)
def post_merge(call: Call) -> MergeOut:
    """At once the duplicate (`loser`) points at this customer: reads of it answer this one.
    Its orders, figures, notes and tags then move here in the background (the answer's
    `status` is `moving` until they have: `GET .../merges/{loser}`). The same merge asked
    again answers the one made; the audit log records it."""
    from chalicelib.customers.api.customer_models import MergeIn, MergeOut

    body: MergeIn = call.body
    merge = merges.merge_customers(
        call.ctx, call.path["customer_id"], body.loser, event_id=call.stable_id("evt_")
    )
    return MergeOut.of(merge)


@route(
    bp,
    "/v1/customers/{customer_id}/merges/{loser_id}",
    "GET",
    summary="How far a merge has got",
    tag="customers",
    roles=READ,
    response=f"{MODELS}:MergeOut",
)
def get_merge(call: Call) -> MergeOut:
    from chalicelib.customers.api.customer_models import MergeOut

    merge = merges.merge_state(call.ctx, call.path["customer_id"], call.path["loser_id"])
    return MergeOut.of(merge)
