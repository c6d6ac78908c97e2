"""An invoice says a stay's nights and dates (probe5, item 12): the 2-night stay of 24 to 26
December reads "2026-12-24 – 2026-12-26, 2 nights" on its line (Chinese: "至 … 2 晚"), in the
JSON and in the PDF, with its amount the bill's; a line that is not a stay keeps its own
label. A hotel in Berlin paid at the venue: 2 nights at 120.00 with 7 % tax included."""

from __future__ import annotations

from tests.api.test_desk_payments_api import booked
from tests.api.test_invoices_api import _no_server_errors, issue, pdf_text, shop

__all__ = ["_no_server_errors", "shop"]  # the fixtures, used by name


def test_a_stays_invoice_line_names_its_nights_and_dates(api, shop):
    order = booked(api, shop)
    inv = issue(api, shop, order["id"]).data
    [stay] = inv["lines"]
    assert stay["label"].endswith(" · 2026-12-24 – 2026-12-26, 2 nights"), stay["label"]
    assert (stay["quantity"], stay["total"]) == (1, 24000)
    _, text = pdf_text(api, shop, inv["id"])
    assert "2026-12-24 – 2026-12-26, 2 nights" in " ".join(text.split())
    assert "(2026-12-24)" not in text  # the first date is not said a second time


def test_the_chinese_invoice_says_them_in_chinese(api, shop):
    order = booked(api, shop)
    inv = issue(api, shop, order["id"], lang="zh-Hans").data
    [stay] = inv["lines"]
    assert stay["label"].endswith(" · 2026-12-24 至 2026-12-26，2 晚"), stay["label"]
