"""Request and response models of imports (customers/domain/imports.py)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from chalicelib.customers.domain.import_cells import DateOrder
from chalicelib.customers.domain.import_csv import MAX_BYTES, MAX_COLUMNS
from chalicelib.customers.domain.import_rows import ImportKind
from chalicelib.customers.domain.imports import ImportJob, RowOutcome, RowResult, counts
from chalicelib.customers.services.imports import ImportAsk
from chalicelib.web.models import Body, OneLine, Out

Column = Annotated[str, Field(min_length=1, max_length=200)]
FieldName = Annotated[str, Field(min_length=1, max_length=40)]


class ImportIn(Body):
    kind: ImportKind = Field(description="customers, or bookings (future ones only).")
    csv: Annotated[str, Field(min_length=1, max_length=MAX_BYTES + 1)] = Field(
        description="The file's text (UTF-8; a byte-order mark, semicolons or tabs are fine): "
        f"up to {MAX_BYTES // 1_000_000} MB and 5,000 rows (413 `file_too_large` past them)."
    )
    mapping: Annotated[dict[Column, FieldName], Field(min_length=1, max_length=MAX_COLUMNS)] = (
        Field(
            description="A column of the header -> the field it holds. Customers: name, "
            "first_name, last_name, email, phone, tags, notes, birthday, marketing_consent "
            "(e-mail or phone needed). Bookings: name, first_name, last_name, email, phone, "
            "notes, offering (its name or id), start (date and time), or date with time, "
            "nights, party, quantity, reference (the other system's booking number)."
        )
    )
    file_name: Annotated[str, Field(max_length=200), OneLine] = ""
    date_order: DateOrder | None = Field(
        default=None,
        description="How 03/04/2026 reads: dmy (3 April) or mdy (March 4). Default: as the "
        "business's country writes dates (the tenant's `date_order`). ISO dates always read "
        "one way.",
    )

    def ask(self) -> ImportAsk:
        return ImportAsk(
            kind=self.kind,
            text=self.csv,
            mapping=tuple(self.mapping.items()),
            file_name=self.file_name,
            date_order=self.date_order,
        )


class RowResultOut(Out):
    row: int = Field(description="The row of the file (its header is row 1).")
    outcome: str = Field(description="taken, refused or already_imported.")
    code: str = Field(description="Why it was refused: a code such as invalid_phone.")
    message: str
    customer_id: str
    order_id: str

    @classmethod
    def of(cls, r: RowResult) -> RowResultOut:
        return cls(
            row=r.row,
            outcome=r.outcome.value,
            code=r.code,
            message=r.message,
            customer_id=r.customer_id,
            order_id=r.order_id,
        )


class ImportSummaryOut(Out):
    id: str
    kind: str
    file_name: str
    status: str = Field(description="queued, running or done.")
    rows: int = Field(description="Data rows in the file.")
    created_at: str
    created_by: str
    finished_at: str | None

    @classmethod
    def fields_of(cls, job: ImportJob) -> dict[str, object]:
        return {
            "id": job.id,
            "kind": job.kind.value,
            "file_name": job.file_name,
            "status": job.status.value,
            "rows": job.rows,
            "created_at": job.created_at,
            "created_by": job.created_by,
            "finished_at": job.finished_at,
        }


class ImportOut(ImportSummaryOut):
    done: int = Field(description="Rows with a result so far.")
    taken: int
    refused: int
    already_imported: int
    results: list[RowResultOut] = Field(
        description="The rows not taken (refused or already imported), by row."
    )

    @classmethod
    def of(cls, job: ImportJob, results: list[RowResult]) -> ImportOut:
        tally = counts(results)
        return cls.model_validate(
            {
                **ImportSummaryOut.fields_of(job),
                "done": len(results),
                "taken": tally[RowOutcome.TAKEN.value],
                "refused": tally[RowOutcome.REFUSED.value],
                "already_imported": tally[RowOutcome.ALREADY.value],
                "results": [
                    RowResultOut.of(r) for r in results if r.outcome is not RowOutcome.TAKEN
                ],
            }
        )


class ImportListOut(Out):
    imports: list[ImportSummaryOut] = Field(description="The latest 20, newest first.")

    @classmethod
    def of(cls, jobs: list[ImportJob]) -> ImportListOut:
        return cls(
            imports=[ImportSummaryOut.model_validate(ImportSummaryOut.fields_of(j)) for j in jobs]
        )


class ImportCheckOut(Out):
    rows: int
    taken: int = Field(description="Rows the import would take (inventory aside).")
    refused: int
    already_imported: int = Field(
        description="Rows an earlier import of the file (or, for bookings, of the same "
        "reference) took: the import would add nothing for them."
    )
    results: list[RowResultOut] = Field(
        description="The rows not taken (refused, or imported already), by row, with why."
    )

    @classmethod
    def of(cls, results: list[RowResult]) -> ImportCheckOut:
        tally = counts(results)
        return cls(
            rows=len(results),
            taken=tally[RowOutcome.TAKEN.value],
            refused=tally[RowOutcome.REFUSED.value],
            already_imported=tally[RowOutcome.ALREADY.value],
            results=[RowResultOut.of(r) for r in results if r.outcome is not RowOutcome.TAKEN],
        )
