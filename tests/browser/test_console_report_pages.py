"""The console's report pages draw what the reports contract (issue 16) answers: the browser is
handed `GET /v1/reports/figures` answers built here to the contract's shape, with numbers
chosen so every helper of the pages shows (days without a row, a second currency, more
offerings than the chart keeps, ISO weeks), and the test reads them back from the page's
tables. Everything else (sign-in, the business, its zone) is the real local stack. The real
figures, counted from real bookings, are test_console_reports.py's."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_console import SHOTS, sign_in, today

ZONE = "Europe/Berlin"  # the demo hotel's
OWNER = "owner@harbour-view.example"
OFFERINGS = [f"off_{n}" for n in range(7)]


def money(net: int, back: int = 1000) -> dict[str, Any]:
    """Net money with `back` given back: `net` was paid online and `back` in cash."""
    return {
        "gross": net + back,
        "discounts": 0,
        "refunds": back,
        "net": net,
        "tax": net // 10,
        "payments": {"online": net, "cash": back},
        "adr": 9000,
        "revpar": 5400,
    }


def figures(n: int, *, usd: bool = False) -> dict[str, Any]:
    """Day n's figures: n+1 bookings, (n % 5 + 2) of 10 rooms sold, n+1 hundred euros net."""
    sold = n % 5 + 2
    cash = {"EUR": money((n + 1) * 10_000)}
    if usd:
        cash["USD"] = money(2_500)
    return {
        "bookings": n + 1,
        "cancellations": n % 2,
        "no_shows": 0,
        "guests": 2 * (n + 1),
        "party_size_average": 2.0,
        "lead_days_average": 12.5,
        "new_customers": 1,
        "returning_customers": n,
        "units_sold": sold,
        "units_available": 10,
        "occupancy_bp": sold * 1000,
        "money": cash,
    }


def summed(rows: list[dict[str, Any]]) -> dict[str, Any]:
    total = figures(0)
    for key in ("bookings", "cancellations", "guests", "units_sold", "units_available"):
        total[key] = sum(r["figures"][key] for r in rows)
    total["occupancy_bp"] = total["units_sold"] * 10_000 // max(1, total["units_available"])
    cash = [(c, m) for r in rows for c, m in r["figures"]["money"].items()]
    total["money"] = {
        c: money(
            sum(m["net"] for k, m in cash if k == c), sum(m["refunds"] for k, m in cash if k == c)
        )
        for c in sorted({c for c, _ in cash})
    }
    return total


def paid(f: dict[str, Any]) -> dict[str, Any]:
    """Figures as the paid basis has them: money only, every count 0 and occupancy null."""
    counts = ("bookings", "cancellations", "guests", "new_customers", "returning_customers")
    zeros = dict.fromkeys((*counts, "units_sold", "units_available"), 0)
    nulls = dict.fromkeys(("occupancy_bp", "party_size_average", "lead_days_average"))
    cash = {c: {**m, "adr": None, "revpar": None} for c, m in f["money"].items()}
    return {**f, **zeros, **nulls, "money": cash}


NOTHING = paid({"no_shows": 0, "money": {}})


def periods(start: date, end: date, group: str) -> list[date]:
    """The first days of the periods of a range: days, ISO weeks from Monday, months."""
    at = {"day": start, "week": start - timedelta(days=start.weekday())}.get(
        group, start.replace(day=1)
    )
    found = []
    while at <= end:
        found.append(at)
        at = (
            at + timedelta(days=1 if group == "day" else 7)
            if group != "month"
            else (at.replace(day=28) + timedelta(days=4)).replace(day=1)
        )
    return found


def report(query: dict[str, str]) -> dict[str, Any]:
    """An answer of the contract's shape for the query: a row for every other day (the days
    between have none, which the page shows as zero), per offering when asked."""
    start, end = date.fromisoformat(query["from"]), date.fromisoformat(query["to"])
    days = periods(start, end, query["group"])
    rows: list[dict[str, Any]] = []
    for i, day in enumerate(days):
        if i % 2:
            continue
        if query.get("by") == "offering":
            for k, key in enumerate(OFFERINGS):  # off_0 sells most, off_6 least
                f = figures(0)
                f["bookings"], f["money"] = 7 - k, {"EUR": money(1000 * (7 - k))}
                rows.append(
                    {"period": day.isoformat(), "key": key, "label": f"Room {k}", "figures": f}
                )
        elif query.get("by") == "channel":
            for key, count in (("widget", 3), ("staff", 1)):
                f = figures(0)
                f["bookings"] = count
                rows.append({"period": day.isoformat(), "key": key, "label": None, "figures": f})
        else:
            usd = i == 0
            rows.append(
                {
                    "period": day.isoformat(),
                    "key": None,
                    "label": None,
                    "figures": figures(i, usd=usd),
                }
            )
    if query["basis"] == "paid":
        rows = [{**r, "figures": paid(r["figures"])} for r in rows if r["key"] is None]
    length = (end - start).days + 1
    answer = {
        "basis": query["basis"],
        "from": query["from"],
        "to": query["to"],
        "group": query["group"],
        "by": query.get("by"),
        "zone": ZONE,
        "updated_at": "2026-11-30T10:00:00Z",
        "rows": rows,
        "totals": paid(summed(rows)) if query["basis"] == "paid" else summed(rows),
    }
    if query.get("compare") == "previous":
        before = answer["totals"] | {"bookings": max(1, summed(rows)["bookings"] // 2)}
        answer["previous"] = {
            "from": (start - timedelta(days=length)).isoformat(),
            "to": (start - timedelta(days=1)).isoformat(),
            "totals": before,
        }
    return answer


def empty(query: dict[str, str]) -> dict[str, Any]:
    """An answer of a range where nothing was counted: no rows, every total 0 or null."""
    answer = report(query) | {"rows": [], "totals": NOTHING, "updated_at": None}
    if "previous" in answer:
        answer["previous"]["totals"] = NOTHING
    return answer


def serve_reports(page: Any, asked: list[dict[str, str]], answers: Any = report) -> None:
    def answer(route: Any) -> None:
        query = {k: v[0] for k, v in parse_qs(urlparse(route.request.url).query).items()}
        asked.append(query)
        route.fulfill(
            status=200,
            content_type="application/json",
            body=json.dumps(answers(query)),
            headers={"Access-Control-Allow-Origin": "*"},
        )

    page.context.route(re.compile(r".*/v1/reports/figures\?.*"), answer)


def owner_with_figures(
    browser: Any, console: Any, width: int = 1280, locale: str = "en-US", answers: Any = report
) -> tuple[Any, list[dict[str, str]]]:
    """The hotel's owner signed in, on a page whose figures are this module's; the queries
    the page asked, as they come."""
    page = browser.page(width=width, locale=locale, zone=ZONE)
    asked: list[dict[str, str]] = []
    serve_reports(page, asked, answers)
    sign_in(page, console, OWNER)
    return page, asked


def test_the_dashboard_draws_the_contracts_figures_and_its_controls_work_by_keyboard(
    browser, console, demo
):
    page, asked = owner_with_figures(browser, console)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.get_by_role("heading", name="Dashboard", level=1).wait_for()
    day = today(ZONE)
    first = day - timedelta(days=6)

    # Last 7 days by the day served, unless told otherwise; the page says so.
    about = page.get_by_test_id("report-about")
    about.get_by_text(re.compile(r"by Day served\. Compared with .* Last updated ")).wait_for()
    assert page.get_by_role("radio", name="Last 7 days").is_checked()
    assert page.get_by_role("radio", name="Day served").is_checked()
    main = next(q for q in asked if q.get("compare") == "previous")
    assert (main["from"], main["to"], main["group"], main["basis"]) == (
        first.isoformat(),
        day.isoformat(),
        "day",
        "service",
    )

    # Occupancy: a row per day, the days without a row of the API's at zero.
    occupancy = page.get_by_role("table", name="Occupancy")
    rows = occupancy.locator("tbody tr")
    assert rows.count() == 7
    assert rows.nth(0).locator("td").all_inner_texts() == ["2", "10", "20%"]
    assert rows.nth(1).locator("td").all_inner_texts() == ["0", "0", "—"]
    assert rows.nth(6).locator("td").all_inner_texts() == ["3", "10", "30%"]  # day 6: 6 % 5 + 2
    assert page.locator("[data-chart=occupancy] canvas").count() >= 1  # uPlot drew it
    # Bookings: 1 + 3 + 5 + 7; the previous period half of it: +100%.
    bookings = page.locator("[data-figure=bookings]")
    assert bookings.locator(".now").inner_text() == "16"
    assert bookings.locator(".change").inner_text() == "+100% against 8"
    # Money in a second currency has a chart of its own.
    page.get_by_role("table", name="Revenue in USD").wait_for()
    eur = page.get_by_role("table", name="Revenue in EUR")
    assert eur.locator("tbody tr").nth(0).locator("td").last.inner_text() == "€100.00"
    # The offering mix keeps five and sums the rest as Others; channels in the desk's words.
    mix = page.get_by_role("table", name="Bookings by offering")
    assert mix.locator("tbody th").all_inner_texts() == [
        "Room 0",
        "Room 1",
        "Room 2",
        "Room 3",
        "Room 4",
        "Others",
    ]
    assert (
        mix.locator("tbody tr").last.locator("td").nth(0).inner_text() == "12"
    )  # (2 + 1) x 4 days
    channels = page.get_by_role("table", name="Bookings by channel")
    assert channels.locator("tbody th").all_inner_texts() == ["Website", "Desk"]
    assert channels.locator("tbody tr").first.locator("td").nth(1).inner_text() == "75%"
    assert axe_violations(page) == []

    # The keyboard: Tab reaches the range, the arrows choose in it, and the basis likewise.
    page.get_by_role("radio", name="Last 7 days").focus()
    # The page draws the range's 30 rows before its answer comes: wait for the question.
    thirty = re.compile(rf".*/v1/reports/figures\?.*from={day - timedelta(days=29)}.*")
    with page.expect_request(thirty):
        page.keyboard.press("ArrowRight")
    page.get_by_role("table", name="Occupancy").locator("tbody tr").nth(29).wait_for()
    assert page.get_by_role("radio", name="Last 30 days").is_checked()
    assert (day - timedelta(days=29)).isoformat() in {q["from"] for q in asked}, asked
    assert page.get_by_role("radio", name="Last 30 days").evaluate(
        "e => e === document.activeElement"
    )
    page.keyboard.press("Tab")  # on to the basis
    assert page.get_by_role("radio", name="Day served").evaluate(
        "e => e === document.activeElement"
    )
    page.keyboard.press("ArrowRight")
    page.get_by_text(re.compile(r"by Day paid\.")).wait_for()
    assert asked[-1]["basis"] == "paid"
    page.get_by_text("Money counts on the day it moved").wait_for()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.get_by_text(re.compile(r"by Day booked\.")).wait_for()
    # The table is a stop for the keyboard (it scrolls), after the chart it tells.
    region = page.get_by_role("region", name="Occupancy")
    region.focus()
    assert region.evaluate("e => e === document.activeElement")

    # A custom range: the dates typed are what is asked.
    page.get_by_role("radio", name="Custom").check()
    page.get_by_label("From", exact=True).fill("2026-10-26")
    page.get_by_label("To", exact=True).fill("2026-11-08")
    # Filling "From" asks once with the old "To" (a longer range, whose rows also reach 14):
    # wait for the table of the range typed, 14 days exactly.
    rows = page.get_by_role("table", name="Occupancy").locator("tbody tr")
    for _ in range(100):
        if rows.count() == 14 and asked[-1]["to"] == "2026-11-08":
            break
        page.wait_for_timeout(100)
    assert (asked[-1]["from"], asked[-1]["to"]) == ("2026-10-26", "2026-11-08")
    assert rows.count() == 14


def test_the_report_tables_group_by_week_and_offering_and_the_pages_speak_chinese(
    browser, console, demo
):
    page, asked = owner_with_figures(browser, console)
    page.goto(f"{console.endpoint}/#/reports?range=custom&from=2026-10-26&to=2026-11-08")
    page.get_by_label("Group by").select_option("week")
    page.get_by_label("And by").select_option("offering")
    table = page.get_by_test_id("figures-table")
    table.get_by_role("rowheader", name="Week of Oct 26").first.wait_for()
    table.get_by_role("cell", name="Room 0").first.wait_for()  # by offering too, not only weeks
    assert (asked[-1]["group"], asked[-1]["by"]) == ("week", "offering")
    assert table.locator("tbody tr").first.locator("td").first.inner_text() == "Room 0"
    assert table.locator("tfoot th").inner_text() == "Total"
    assert axe_violations(page) == []

    # A phone, in Chinese: the same dashboard, its words and its dates.
    zh, _ = owner_with_figures(browser, console, width=390, locale="zh-CN")
    zh.get_by_role("navigation").get_by_role("link", name="报表").click()
    zh.get_by_role("heading", name="经营概览").wait_for()
    zh.get_by_role("radio", name="最近 7 天").wait_for()
    zh.get_by_role("table", name="入住率").locator("tbody tr").nth(6).wait_for()
    zh.get_by_text(re.compile(r"按服务日统计。\s*对比 ")).wait_for()
    assert zh.get_by_role("table", name="各渠道预订").locator("tbody th").all_inner_texts() == [
        "网站",
        "前台",
    ]
    assert axe_violations(zh) == []


def test_on_the_day_paid_the_dashboard_shows_the_money_received_by_method(browser, console, demo):
    """Money counts on the day it moved: no counts and no occupancy (they are not counted on
    that basis), but the money received and given back, and each method's takings."""
    page, asked = owner_with_figures(browser, console)
    page.goto(f"{console.endpoint}/#/dashboard?range=7d&basis=paid")
    methods = page.get_by_role("table", name="Payments by method in EUR")
    methods.locator("tfoot").wait_for()
    # Days 0, 2, 4 and 6 have rows: 100 + 300 + 500 + 700 euros online, 10 in cash each day.
    assert methods.locator("tbody th").all_inner_texts() == ["Online (card)", "Cash"]
    assert methods.locator("tbody td").all_inner_texts() == ["€1,600.00", "€40.00"]
    assert methods.locator("tfoot td").inner_text() == "€1,640.00"
    page.get_by_role("table", name="Payments by method in USD").wait_for()
    tiles = page.locator("[data-figure]")
    assert [tiles.nth(i).get_attribute("data-figure") for i in range(tiles.count())] == [
        "net-EUR",
        "refunds-EUR",
        "net-USD",
        "refunds-USD",
    ]
    assert tiles.nth(0).locator("dt").inner_text() == "Net received (EUR)"
    assert tiles.nth(1).locator(".now").inner_text() == "€40.00"
    for counted in ("Bookings", "Occupancy", "Bookings by channel", "Bookings by offering"):
        assert page.get_by_role("table", name=counted, exact=True).count() == 0, counted
    assert page.get_by_role("table", name="Revenue in EUR").count() == 1
    assert {q.get("by") for q in asked} == {None}  # no mix asked for: it is not counted
    assert page.locator("[data-chart=payments-EUR] canvas").count() >= 1
    assert axe_violations(page) == []

    zh, _ = owner_with_figures(browser, console, width=390, locale="zh-CN")
    zh.goto(f"{console.endpoint}/#/dashboard?range=7d&basis=paid")
    table = zh.get_by_role("table", name="EUR 各付款方式收款")
    table.locator("tfoot").wait_for()
    assert table.locator("tbody th").all_inner_texts() == ["线上（银行卡）", "现金"]
    zh.get_by_text("退款（EUR）").wait_for()
    SHOTS.mkdir(parents=True, exist_ok=True)
    zh.locator("[data-chart=revenue-EUR]").screenshot(path=str(SHOTS / "dashboard-paid-390.png"))
    assert axe_violations(zh) == []


def test_a_range_with_nothing_counted_has_axes_with_a_range_and_dates_are_put_in_order(
    browser, console, demo
):
    """All zero or missing, occupancy's axis runs 0 to 100 % and the counts' 0 to 1 (not
    0..1 basis points, five labels of "0%"); dates typed the wrong way round are shown, and
    asked, in order."""
    page, asked = owner_with_figures(browser, console, answers=empty)
    page.goto(f"{console.endpoint}/#/dashboard?range=custom&from=2026-11-07&to=2026-11-01")
    page.get_by_role("table", name="Occupancy").locator("tbody tr").nth(6).wait_for()
    assert page.get_by_label("From", exact=True).input_value() == "2026-11-01"
    assert page.get_by_label("To", exact=True).input_value() == "2026-11-07"
    assert {(q["from"], q["to"]) for q in asked} == {("2026-11-01", "2026-11-07")}
    page.get_by_role("status").filter(has_text="The last day was before the first").wait_for()
    axis = {}
    for chart in ("occupancy", "bookings", "mix-channel"):
        drawn = page.locator(f"[data-chart={chart}] .chart[data-y-range]")
        drawn.wait_for()
        axis[chart] = drawn.get_attribute("data-y-range")
    assert axis == {"occupancy": "0 10000", "bookings": "0 1", "mix-channel": "0 1"}
    # Changing one date keeps the other as shown. The request is awaited as it is sent: the
    # table's rows (the days asked) can be drawn before it goes, and a run read the list of
    # queries before this one was in it.
    with page.expect_request(re.compile(r".*/v1/reports/figures\?.*")) as sent:
        page.get_by_label("To", exact=True).fill("2026-11-03")
    query = {k: v[0] for k, v in parse_qs(urlparse(sent.value.url).query).items()}
    assert (query["from"], query["to"]) == ("2026-11-01", "2026-11-03")
    page.wait_for_function(
        # the figure's table, not the chart's legend (uPlot draws it as a table too)
        "document.querySelectorAll('[data-chart=occupancy] table.report tbody tr').length == 3"
    )
    assert page.get_by_text("The last day was before the first").count() == 0  # in order now


def test_a_staff_member_is_not_offered_the_reports(browser, console, demo):
    """Reports are managers' and owners': a stylist's bar has no Reports, and the dashboard's
    address says it is not for their role (the API refuses the figures anyway)."""
    page = browser.page(width=1280, zone="America/New_York")
    sign_in(page, console, "alex@shear-studio.example")
    bar = page.get_by_role("navigation", name="Main")
    bar.get_by_role("link", name="Today").wait_for()
    assert bar.get_by_role("link", name="Reports").count() == 0
    page.goto(f"{console.endpoint}/#/dashboard")
    page.get_by_role("heading", name="Not for your role").wait_for()
    assert page.get_by_role("heading", name="Dashboard").count() == 0
