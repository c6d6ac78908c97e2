"""Imports: customers or future bookings from another system's CSV export, checked row by row
(a dry run writes nothing), taken in the background (customers/services/import_runs.py),
read back with their report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.customers.domain.import_csv import FileTooLarge
from chalicelib.customers.services import imports
from chalicelib.kernel.domain.errors import NotFound
from chalicelib.tenancy.domain.staff import MANAGE
from chalicelib.web.routing import Call, Reply, route

if TYPE_CHECKING:
    from chalicelib.customers.api.import_models import (
        ImportCheckOut,
        ImportListOut,
        ImportOut,
    )

bp = Blueprint(__name__)
MODELS = "chalicelib.customers.api.import_models"


@route(
    bp,
    "/v1/imports",
    "POST",
    summary="Import customers or future bookings from a CSV export",
    tag="customers",
    roles=MANAGE,
    body=f"{MODELS}:ImportIn",
    response=f"{MODELS}:ImportOut",
    status=202,
    raises=(FileTooLarge,),
)
def start_import(call: Call) -> Reply:
    """The file is read and its mapping checked now (422 naming what is wrong with the file
    as a whole); its rows are then taken in the background: read the report with
    `GET /v1/imports/{id}`. A row's refusal is its own result. Running the same file again
    adds nothing: its rows come back `already_imported`."""
    from chalicelib.customers.api.import_models import ImportIn, ImportOut

    body: ImportIn = call.body
    job = imports.start_import(call.ctx, call.stable_id("imp_"), body.ask(), bus=call.container.bus)
    reply = Reply(ImportOut.of(job, []), 202)
    reply.headers["Location"] = f"/v1/imports/{job.id}"
    return reply


@route(
    bp,
    "/v1/imports/check",
    "POST",
    summary="Check an import without taking anything (a dry run)",
    tag="customers",
    roles=MANAGE,
    body=f"{MODELS}:ImportIn",
    response=f"{MODELS}:ImportCheckOut",
    raises=(FileTooLarge, NotFound),
    # It writes nothing, so a retry is simply asked again; and its answer (a reason for each
    # of up to 5,000 rows) could outgrow an idempotency record's item.
    idempotent=False,
)
def check_import(call: Call) -> ImportCheckOut:
    """Each row as the import would read it: taken, or refused with why (a bad date or
    phone, an unknown offering, a past start, a duplicate inside the file, a rule of the
    offering). Nothing is written; whether a booking finds room left is only known when it
    is placed."""
    from chalicelib.customers.api.import_models import ImportCheckOut, ImportIn

    body: ImportIn = call.body
    return ImportCheckOut.of(imports.dry_run(call.ctx, call.container.catalog_cache, body.ask()))


@route(
    bp,
    "/v1/imports",
    "GET",
    summary="The latest imports",
    tag="customers",
    roles=MANAGE,
    response=f"{MODELS}:ImportListOut",
)
def list_imports(call: Call) -> ImportListOut:
    from chalicelib.customers.api.import_models import ImportListOut

    return ImportListOut.of(imports.recent_imports(call.ctx))


@route(
    bp,
    "/v1/imports/{import_id}",
    "GET",
    summary="An import's progress and report",
    tag="customers",
    roles=MANAGE,
    response=f"{MODELS}:ImportOut",
)
def get_import(call: Call) -> ImportOut:
    from chalicelib.customers.api.import_models import ImportOut

    job, results = imports.get_import(call.ctx, call.path["import_id"], bus=call.container.bus)
    return ImportOut.of(job, results)
