"""Report exports withdrawn by a customer's erase (customers/services/privacy_erase.py asks,
through its port `ReportExports`; the composition root hands this in).

Why: an export's file is kept `KEEP_DAYS` days and each read of it signs a fresh link, so a
file written before an erase kept handing out the erased person's name, e-mail and phone.
Which: every job of a kind that can name a customer (`NAMING`: orders, payments, customers)
asked for at or before the moment the erase's data was gone, and running or done then: a
running one may have read the customer before the erase reached them. A queued one reads the
data as it is when it runs (no longer theirs); a failed one has no file; figures name nobody.
A withdrawn job says so in its status and reason (the console lists it so), its file deleted.

Again (a retried erase) changes nothing more: a withdrawn job is withdrawn already, and its
file is deleted again only in case a run died between the two (deleting nothing is nothing).
A worker still writing a withdrawn job's file finds it withdrawn when it finishes and deletes
what it wrote (export_runs.py).
"""

from __future__ import annotations

from chalicelib.customers.services.privacy_ports import PrivacyContext
from chalicelib.kernel.services.context import widened
from chalicelib.kernel.services.tenant_data_ports import DataFactory
from chalicelib.reports.domain.exports import (
    NAMING,
    WITHDRAWN,
    ExportStatus,
    file_key,
)
from chalicelib.reports.services.export_ports import ExportsContext, ExportsData, ReportFiles


def withdraw_naming(ctx: ExportsContext, files: ReportFiles, until: str) -> int:
    """Withdraw the exports that may name a customer made at or before `until` (module
    docstring); how many this call withdrew."""
    store = ctx.data.exports
    withdrawn = 0
    for job in store.made_until(until):
        if job.kind not in NAMING or job.status is ExportStatus.FAILED:
            continue
        if job.status is not ExportStatus.WITHDRAWN:
            # The listing may show queued a job its own item holds running: the write's
            # condition decides. Refused: queued (it reads the data as it is when it runs),
            # or withdrawn just now by another erase, which deletes the file.
            if not store.withdraw(job.id, code="export_withdrawn", reason=WITHDRAWN, at=ctx.now()):
                continue
            withdrawn += 1
            ctx.audit("export.withdrawn", f"export:{job.id}", kind=job.kind.value)
        files.delete(file_key(ctx.tenant.id, job))
    return withdrawn


class ReportWithdrawals:
    """customers' `ReportExports`, over the exports' store and files."""

    def __init__(self, data: DataFactory[ExportsData], files: ReportFiles) -> None:
        self._data = data
        self._files = files

    def withdraw_made_until(self, ctx: PrivacyContext, at: str) -> int:
        wide: ExportsContext = widened(ctx, self._data)
        return withdraw_naming(wide, self._files, at)
