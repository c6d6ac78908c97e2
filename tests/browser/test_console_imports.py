"""Importing another system's export in the console, in chromium against the whole local
stack (its worker loop runs the import): the hotel's manager chooses a CSV file, sees its
columns with the fields guessed and maps the one it could not guess, checks it, imports it and
reads the report (rows taken, refused with why); the same file again is all "already imported".
Screens are saved."""

from __future__ import annotations

import time
from datetime import timedelta

from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_console import SHOTS, sign_in, today


def export(day, run: str) -> bytes:
    """A forward-bookings export of another hotel system, as Excel saves it in Germany, with a
    blank line left in it (Pia's row is the file's fifth)."""
    later = (day + timedelta(days=3)).isoformat()
    rows = [
        "Buchungsnr;Guest Name;Email;Zimmerkategorie;Arrival;Nights;Guests",
        f"{run}-1;Nora Import;nora.{run}@example.com;Twin room, garden wing;{day.isoformat()};2;2",
        f"{run}-2;Otto Import;otto.{run}@example.com;twin room, garden wing;{later};1;1",
        "",  # a blank line: skipped, but counted in the rows' numbers
        f"{run}-3;Pia Import;pia.{run}@example.com;Penthouse;{day.isoformat()};1;2",
        f"{run}-4;Quirin Import;quirin.{run}@example.com;Family suite;2020-01-05;1;1",
    ]
    return ("\ufeff" + "\r\n".join(rows) + "\r\n").encode()


def choose_file(page, data: bytes) -> None:
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "forward-bookings.csv", "mimeType": "text/csv", "buffer": data}]
    )


def test_the_manager_maps_an_export_checks_it_imports_it_and_reads_the_report(
    browser, console, demo, live
):
    run = f"imp{time.time_ns() % 10**9}"
    day = today("Europe/Berlin") + timedelta(days=200)
    data = export(day, run)
    page = browser.page(width=1100)
    sign_in(page, console, "frontdesk@harbour-view.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Import").click()
    page.get_by_role("heading", name="Import customers or bookings").wait_for()
    page.get_by_label("Future bookings").check()
    choose_file(page, data)

    columns = page.get_by_role("table", name="Columns")
    assert page.get_by_label("Field of column Email").input_value() == "email"
    assert page.get_by_label("Field of column Arrival").input_value() == "date"
    assert page.get_by_label("Field of column Zimmerkategorie").input_value() == ""
    page.get_by_label("Field of column Zimmerkategorie").select_option(label="Offering")
    page.get_by_label("Field of column Buchungsnr").select_option(label="Booking reference")
    assert columns.is_visible()
    preview = page.get_by_role("table", name="The first rows")
    assert preview.get_by_text("Nora Import").is_visible()
    # Numbered as the report numbers them: the blank line counts (it said 4, the report 5).
    pia = preview.get_by_role("row").filter(has_text="Pia Import")
    assert pia.get_by_role("cell").first.inner_text() == "5"

    page.get_by_role("button", name="Check (nothing is imported)").click()
    page.get_by_text("Rows that would be taken: 2; refused: 2").wait_for()
    page.wait_for_function("() => document.activeElement?.id === 'import-checked'")  # not <body>
    assert axe_violations(page) == []

    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_text("Done: 2 taken, 2 refused, 0 already imported.").wait_for(timeout=30_000)
    page.wait_for_function("() => document.activeElement?.id === 'import-progress'")
    refused = page.get_by_role("table", name="Refused")
    refused.get_by_text("No offering of the business is called 'Penthouse'").wait_for()
    penthouse = refused.get_by_role("row").filter(has_text="Penthouse")
    assert penthouse.get_by_role("cell").first.inner_text() == "5"
    refused.get_by_text("only future bookings are imported").wait_for()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "import-report.png"), full_page=True)
    assert axe_violations(page) == []
    recent = page.get_by_role("region", name="Recent imports")
    recent.get_by_role("button", name="Show the report of forward-bookings.csv").first.wait_for()
    recent.get_by_role("cell", name="done").first.wait_for()  # the list read again at the end

    # The same file again: nothing is added, and the report says so.
    choose_file(page, data)
    page.get_by_label("Field of column Zimmerkategorie").select_option(label="Offering")
    page.get_by_label("Field of column Buchungsnr").select_option(label="Booking reference")
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_text("Done: 0 taken, 2 refused, 2 already imported.").wait_for(timeout=30_000)
    already = page.get_by_role("table", name="Already imported")
    assert already.get_by_role("link").count() == 2  # each to its order
    already.get_by_role("link").first.click()
    page.get_by_text("Nora Import").first.wait_for()


def test_the_report_reads_in_chinese(browser, console, demo, live):
    run = f"imz{time.time_ns() % 10**9}"
    day = today("Europe/Berlin") + timedelta(days=210)
    page = browser.page(width=1024, locale="zh-CN")
    sign_in(page, console, "frontdesk@harbour-view.example")
    page.get_by_role("navigation").get_by_role("link", name="导入", exact=True).click()
    page.get_by_role("heading", name="导入客户或预订").wait_for()
    page.get_by_label("将来的预订").check()
    page.get_by_label("CSV 文件").set_input_files(
        files=[{"name": "buchungen.csv", "mimeType": "text/csv", "buffer": export(day, run)}]
    )
    page.get_by_label("列 Zimmerkategorie 对应的字段").select_option(label="服务项目")
    page.get_by_role("button", name="导入", exact=True).click()
    page.get_by_text("完成：导入 2 行，拒绝 2 行，已导入过 0 行。").wait_for(timeout=30_000)
    refused = page.get_by_role("table", name="已拒绝")
    refused.get_by_text("商家目录中没有此名称或编号的服务项目").wait_for()
    refused.get_by_text("开始时间已过：只导入将来的预订。").wait_for()
    assert axe_violations(page) == []


def test_a_file_an_old_windows_program_saved_is_read_with_its_accents_and_said_so(
    browser, console, demo, live
):
    """An outside tester's Windows-1252 file was read as UTF-8: "J\ufffdrgen M\ufffdller"
    imported as such, without a word. It is read as Windows-1252, and the page says so."""
    data = "Name,Email\r\nJürgen Müller,juergen@example.de\r\nRenée Ståhl,renee@example.se\r\n"
    page = browser.page(width=1100)
    sign_in(page, console, "frontdesk@harbour-view.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Import").click()
    page.get_by_role("heading", name="Import customers or bookings").wait_for()
    choose_file(page, data.encode("cp1252"))
    page.get_by_text("it was read as Windows-1252").wait_for()
    preview = page.get_by_role("table", name="The first rows")
    assert preview.get_by_text("Jürgen Müller").is_visible()
    assert preview.get_by_text("Renée Ståhl").is_visible()
    assert "\ufffd" not in preview.inner_text()
    page.screenshot(path=str(SHOTS / "console-import-cp1252.png"), full_page=True)
