"""An erase withdraws the business's report exports made before it that can name a customer
(orders, payments, customers): the file deleted, the job `withdrawn` with why; figures and
exports made after it stay. A run that dies before the withdrawal leaves the erase's mark, and
the next run (which finds no data of theirs any more) withdraws still; a second erase, with
nothing of theirs found and no mark, withdraws nothing. A worker still writing a withdrawn
export deletes what it wrote."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.services.privacy_erase import erase_customer
from chalicelib.reports.domain.exports import (
    ExportFormat,
    ExportJob,
    ExportKind,
    ExportStatus,
    file_key,
)
from chalicelib.reports.services.export_runs import run_export
from chalicelib.reports.services.export_sources import sources
from chalicelib.reports.services.export_withdrawals import ReportWithdrawals
from tests.unit.test_privacy import ADA, PrivateShop, _past_and_cancelled


def _made(shop: PrivateShop, export_id: str, kind: ExportKind, status: ExportStatus) -> str:
    """A job as the worker left it, and (done or running) its file naming Ada."""
    job = ExportJob(
        id=export_id,
        kind=kind,
        format=ExportFormat.CSV,
        first="2026-11-01" if kind is not ExportKind.CUSTOMERS else None,
        last="2026-12-31" if kind is not ExportKind.CUSTOMERS else None,
        created_at=shop.clock(),
        created_by="owner@shop.example",
        status=status,
    )
    shop.data.exports.create(job)
    key = file_key(shop.tenant.id, job)
    if status in (ExportStatus.DONE, ExportStatus.RUNNING):
        shop.report_files.files[key] = f"{ADA.name},{ADA.email},{ADA.phone}".encode()
    return key


def _status(shop: PrivateShop, export_id: str) -> ExportStatus:
    job = shop.data.exports.get(export_id)
    assert job is not None
    return job.status


def _erase(shop: PrivateShop):
    return erase_customer(shop.ctx, shop.files, ADA.email, ADA.email, reports=shop.reports)


def test_the_exports_made_before_that_can_name_her_are_withdrawn_and_the_rest_stay():
    shop = PrivateShop()
    _past_and_cancelled(shop)
    orders = _made(shop, "exp_o", ExportKind.ORDERS, ExportStatus.DONE)
    payments = _made(shop, "exp_p", ExportKind.PAYMENTS, ExportStatus.RUNNING)
    customers = _made(shop, "exp_c", ExportKind.CUSTOMERS, ExportStatus.DONE)
    figures = _made(shop, "exp_f", ExportKind.FIGURES, ExportStatus.DONE)
    queued = _made(shop, "exp_q", ExportKind.ORDERS, ExportStatus.QUEUED)  # runs after the erase
    shop.clock.advance(60)

    erased = _erase(shop)

    assert (erased.done, erased.reports) == (True, 3)
    assert [_status(shop, i) for i in ("exp_o", "exp_p", "exp_c", "exp_f", "exp_q")] == [
        ExportStatus.WITHDRAWN,
        ExportStatus.WITHDRAWN,
        ExportStatus.WITHDRAWN,
        ExportStatus.DONE,
        ExportStatus.QUEUED,
    ]
    withdrawn = shop.data.exports.get("exp_o")
    assert withdrawn is not None and withdrawn.reason_code == "export_withdrawn"
    assert "erased" in withdrawn.reason
    assert set(shop.report_files.files) == {figures}
    assert not {orders, payments, customers} & set(shop.report_files.files)
    assert shop.data.privacy.erasing == {}  # the mark goes with the withdrawal
    # The queued one runs now: the orders it reads are anonymised.
    assert run_export(shop.ctx, shop.report_files, sources(shop.cache), "exp_q") == "done"
    text = shop.report_files.files[queued].decode("utf-8-sig")
    assert "Erased customer" in text and "Lovelace" not in text


def test_a_second_erase_withdraws_nothing_made_since_the_first():
    shop = PrivateShop()
    _past_and_cancelled(shop)
    _made(shop, "exp_before", ExportKind.ORDERS, ExportStatus.DONE)
    shop.clock.advance(60)
    assert _erase(shop).reports == 1
    shop.clock.advance(60)
    after = _made(shop, "exp_after", ExportKind.ORDERS, ExportStatus.DONE)
    shop.clock.advance(60)

    again = _erase(shop)

    assert (again.done, again.orders, again.reports) == (True, 0, 0)
    assert _status(shop, "exp_after") is ExportStatus.DONE and after in shop.report_files.files


def test_a_run_that_dies_before_the_withdrawal_leaves_it_owed_to_the_next():
    """Ada has orders and no record: once they are anonymised the next run finds nothing of
    hers, yet the exports made before still named her."""
    shop = PrivateShop()
    _past_and_cancelled(shop)
    key = _made(shop, "exp_o", ExportKind.ORDERS, ExportStatus.DONE)
    shop.clock.advance(60)
    real = ReportWithdrawals.withdraw_made_until

    def dies(self, ctx, at):
        raise RuntimeError("the Lambda timed out")

    ReportWithdrawals.withdraw_made_until = dies  # type: ignore[method-assign]
    try:
        with pytest.raises(RuntimeError):
            _erase(shop)
    finally:
        ReportWithdrawals.withdraw_made_until = real  # type: ignore[method-assign]
    assert all(o.customer.erased for o in shop.data.orders.orders.values())
    assert _status(shop, "exp_o") is ExportStatus.DONE and key in shop.report_files.files

    resumed = _erase(shop)

    assert (resumed.orders, resumed.reports) == (0, 1)
    assert _status(shop, "exp_o") is ExportStatus.WITHDRAWN
    assert key not in shop.report_files.files
    assert shop.data.customers.erased_at(customer_id_for(ADA.email)) is not None


def test_a_worker_writing_an_export_withdrawn_meanwhile_deletes_its_file():
    shop = PrivateShop()
    shop.hold("ord_a", date(2026, 11, 25))
    _made(shop, "exp_w", ExportKind.ORDERS, ExportStatus.QUEUED)
    source = sources(shop.cache)[ExportKind.ORDERS]

    class ErasedWhileWriting:
        columns = source.columns

        def rows(self, ctx, first, last):
            yield from source.rows(ctx, first, last)
            # An erase's withdrawal reaches the job while its file is being written.
            ReportWithdrawals(shop.factory, shop.report_files).withdraw_made_until(
                shop.ctx, shop.clock()
            )

    outcome = run_export(
        shop.ctx, shop.report_files, {ExportKind.ORDERS: ErasedWhileWriting()}, "exp_w"
    )

    assert outcome == "withdrawn" and shop.report_files.files == {}
    assert _status(shop, "exp_w") is ExportStatus.WITHDRAWN
    again = run_export(shop.ctx, shop.report_files, sources(shop.cache), "exp_w")
    assert again == "withdrawn" and shop.report_files.files == {}
