"""The morning summary's e-mail: yesterday's figures as booked (the bookings made that day) and
as served (the stays and visits of that day), text and HTML, in English or Simplified Chinese
(the business's locale), money with its currency (each currency on its own line: figures are
never added across currencies), and a link to the console's dashboard.

Built from the report API's `F` (reports/services/summary_ports.SummaryFigures): a field the
basis does not use is 0 or None there and is left out here (no occupancy for booked).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from html import escape
from typing import Any

from chalicelib.kernel.domain.calendar import iso_utc
from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.kernel.services.messaging_ports import Email
from chalicelib.notifications.services.content import format_money
from chalicelib.notifications.services.content_times import format_when
from chalicelib.notifications.services.templates import pick_locale
from chalicelib.reports.domain.summaries import due_on

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "colon": ": ",
        "subject": "{business}: yesterday's figures ({day})",
        "title": "{business}, {day}",
        "booked": "Booked that day (bookings made)",
        "service": "Served that day (stays and visits of the day)",
        "bookings": "Bookings",
        "cancellations": "Cancellations",
        "no_shows": "No-shows",
        "guests": "Guests",
        "new_customers": "New customers",
        "returning_customers": "Returning customers",
        "occupancy": "Occupancy",
        "occupancy_nightly": "Rooms occupied",
        "occupancy_session": "Seats filled",
        "occupancy_timed": "Time booked",
        "of": " ({sold} of {available})",
        "gross": "Gross",
        "net": "Net",
        "refunds": "Refunds",
        "adr": "Average daily rate",
        "revpar": "Revenue per available room",
        "no_money": "Revenue: none",
        "dashboard": "The dashboard: {link}",
        "why": "You get this e-mail because {business} asked for a summary each morning at "
        "{hour}:00. A manager or the owner can change or stop it in the morning summary's "
        "settings.",
    },
    "zh-Hans": {
        "colon": "：",
        "subject": "{business}：昨日数据（{day}）",
        "title": "{business}，{day}",
        "booked": "当日预订（当天新建的预订）",
        "service": "当日服务（当天的入住和到店）",
        "bookings": "预订",
        "cancellations": "取消",
        "no_shows": "未到店",
        "guests": "客人",
        "new_customers": "新客户",
        "returning_customers": "回头客",
        "occupancy": "入住率",
        "occupancy_nightly": "客房入住率",
        "occupancy_session": "座位上座率",
        "occupancy_timed": "时间预订率",
        "of": "（已售 {sold}，共 {available}）",
        "gross": "总额",
        "net": "净额",
        "refunds": "退款",
        "adr": "平均房价",
        "revpar": "每间可售房收入",
        "no_money": "收入：无",
        "dashboard": "数据看板：{link}",
        "why": "{business} 设置了每天 {hour}:00 发送前一天的数据摘要，因此您收到此邮件。"
        "经理或店主可在每日摘要设置中更改或停止。",
    },
}
COUNTS = {
    "booked": ("bookings", "cancellations", "guests", "new_customers", "returning_customers"),
    "service": ("bookings", "no_shows", "guests"),
}


def _percent(bp: int) -> str:
    """Basis points as a percentage with one decimal, rounded half up without floats as the
    console rounds them (report_series.ts `percent`): 7525 -> 75.3%, 869 -> 8.7% (cut down,
    an outside tester's e-mail said 8.6% where the dashboard said 8.7%)."""
    tenths = (bp + 5) // 10
    return f"{tenths // 10}.{tenths % 10}%"


def _money_lines(money: Mapping[str, Any], basis: str, w: dict[str, str], locale: str) -> list[str]:
    lines = []
    for currency in sorted(money):
        m = money[currency]
        parts = [
            f"{w['gross']} {format_money(int(m.get('gross', 0)), currency, locale)}",
            f"{w['net']} {format_money(int(m.get('net', 0)), currency, locale)}",
        ]
        if m.get("refunds"):
            parts.append(f"{w['refunds']} {format_money(int(m['refunds']), currency, locale)}")
        for key in ("adr", "revpar") if basis == "service" else ():
            if m.get(key) is not None:
                parts.append(f"{w[key]} {format_money(int(m[key]), currency, locale)}")
        lines.append(f"{currency}{w['colon']}" + " · ".join(parts))
    return lines or [w["no_money"]]


def basis_lines(figures: Mapping[str, Any], basis: str, locale: str) -> list[str]:
    """The lines of one basis: its counts, its occupancy (served), its money per currency."""
    w = WORDS[locale]
    c = w["colon"]
    counts = " · ".join(f"{w[k]}{c}{int(figures.get(k) or 0)}" for k in COUNTS[basis])
    lines = [counts]
    bp = figures.get("occupancy_bp")
    if basis == "service" and bp is not None:
        of = w["of"].format(
            sold=int(figures.get("units_sold") or 0),
            available=int(figures.get("units_available") or 0),
        )
        kinds = figures.get("occupancy_by_kind") or {}
        if len(kinds) > 1:  # rooms, seats and staff time each said on its own: not one measure
            lines += [f"{w['occupancy_' + k]}{c}{_percent(int(kinds[k]))}" for k in sorted(kinds)]
        else:
            lines.append(f"{w['occupancy']}{c}{_percent(int(bp))}{of}")
    return lines + _money_lines(figures.get("money") or {}, basis, w, locale)


def day_name(day: date, tz: str, locale: str) -> str:
    """ "Monday 30 November 2026" or "2026年11月30日 星期一": noon of that day on the business's
    clock, named there (a zone far from UTC keeps its own date)."""
    return format_when(iso_utc(due_on(day, 12, tz)), tz, locale, with_time=False)


def summary_email(
    tenant: Tenant,
    day: date,
    figures: Mapping[str, Mapping[str, Any]],
    *,
    to: str,
    hour: int,
    sender: str,
    console_origin: str,
) -> Email:
    """The e-mail to one recipient; `figures` by basis (`booked`, `service`)."""
    locale = pick_locale(tenant.locale)
    w = WORDS[locale]
    when = day_name(day, tenant.timezone, locale)
    sections = [(w[basis], basis_lines(figures[basis], basis, locale)) for basis in COUNTS]
    link = f"{console_origin.rstrip('/')}/#/dashboard" if console_origin else ""
    footer = [w["dashboard"].format(link=link)] if link else []
    footer.append(w["why"].format(business=tenant.name, hour=f"{hour:02d}"))
    title = w["title"].format(business=tenant.name, day=when)
    text = "\n\n".join(
        [title, *("\n".join([head, *(f"  {line}" for line in lines)]) for head, lines in sections)]
        + footer
    )
    return Email(
        to=to,
        subject=w["subject"].format(business=tenant.name, day=when)[:200],
        text=text + "\n",
        html=_html(title, sections, link, footer[-1], w),
        sender=sender,
        sender_name="Reservoir",
        tags={"tenant": tenant.id, "kind": "morning_summary"},
    )


def _html(
    title: str, sections: list[tuple[str, list[str]]], link: str, why: str, w: dict[str, str]
) -> str:
    body = [f"<h1>{escape(title)}</h1>"]
    for head, lines in sections:
        items = "".join(f"<li>{escape(line)}</li>" for line in lines)
        body.append(f"<h2>{escape(head)}</h2><ul>{items}</ul>")
    if link:
        label = escape(w["dashboard"].format(link="").rstrip("：: "))
        body.append(f'<p><a href="{escape(link, quote=True)}">{label}</a></p>')
    body.append(f"<p><small>{escape(why)}</small></p>")
    return f"<html><body>{''.join(body)}</body></html>"
