"""The words and formats of the printouts (printouts.py): English and Simplified Chinese,
dates as people write them in each, money as minor units with the currency's decimals."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Literal

from chalicelib.kernel.domain.money import minor_units

if TYPE_CHECKING:
    from chalicelib.kernel.domain.tenant import Tenant

Lang = Literal["en", "zh-Hans"]
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "confirmation": "Booking confirmation",
        "reference": "Reference",
        "status": "Status",
        "payment": "Payment",
        "booked_on": "Booked on",
        "guest": "Guest",
        "what": "What",
        "when": "When",
        "people": "People",
        "price": "Price",
        "nights": "{n} nights",
        "night": "1 night",
        "room": "Room {room}",
        "with": "With",
        "room_type": "Room type",
        "party_1": "1 person",
        "party_n": "{n} people",
        "tax_included": "Tax included",
        "rooms": "Rooms",
        "subtotal": "Subtotal",
        "extras": "Extras and discounts",
        "discount": "Discount",
        "tax": "Tax",
        "total": "Total",
        "deposit": "Deposit due",
        "note": "Note",
        "answers": "Answers",
        "person": "Person {n}",
        "day": "Day sheet",
        "arrivals": "Arrivals",
        "departures": "Departures",
        "in_house": "Staying",
        "appointments": "Appointments",
        "reservations": "Reservations",  # a restaurant's (the console's Today page says so too)
        "session": "Departure {time}: {booked} of {capacity} booked",
        # Not "booked 0 / 30" as if it ran (a tester's sheet of a departure called off).
        "session_called_off": "Departure {time}: called off ({booked} of {capacity} booked)",
        "session_off_sale": "Departure {time}: not on sale ({booked} of {capacity} booked)",
        "nothing": "Nothing.",
        "page": "Page {n} of {of}",
        "incomplete": "More lines than one sheet holds: the first by start are listed.",
        "st_held": "held",
        "st_confirmed": "confirmed",
        "st_checked_in": "checked in",
        "st_completed": "completed",
        "st_cancelled": "cancelled",
        "st_expired": "expired",
        "st_no_show": "no-show",
        "st_unpaid": "unpaid",
        "st_authorised": "card authorised",
        "st_deposit_paid": "deposit paid",
        "st_partially_paid": "part paid",
        "st_paid": "paid",
        "st_partially_refunded": "partly refunded",
        "st_refund_due": "refund due",
        "st_refunded": "refunded",
    },
    "zh-Hans": {
        "confirmation": "预订确认",
        "reference": "订单号",
        "status": "状态",
        "payment": "付款",
        "booked_on": "预订时间",
        "guest": "客人",
        "what": "项目",
        "when": "时间",
        "people": "人数",
        "price": "价格",
        "nights": "{n} 晚",
        "night": "1 晚",
        "room": "{room} 号房",
        "with": "服务人员",
        "room_type": "房型",
        "party_1": "1 人",
        "party_n": "{n} 人",
        "tax_included": "其中税费",
        "rooms": "房间",
        "subtotal": "小计",
        "extras": "附加费用和折扣",
        "discount": "折扣",
        "tax": "税费",
        "total": "合计",
        "deposit": "应付订金",
        "note": "备注",
        "answers": "回答",
        "person": "第 {n} 位",
        "day": "当日安排",
        "arrivals": "今日入住",
        "departures": "今日退房",
        "in_house": "在住",
        "appointments": "预约",
        "reservations": "订座",
        "session": "{time} 班次：已订 {booked} / {capacity}",
        "session_called_off": "{time} 班次：已取消（已订 {booked} / {capacity}）",
        "session_off_sale": "{time} 班次：停售（已订 {booked} / {capacity}）",
        "nothing": "无。",
        "page": "第 {n} 页，共 {of} 页",
        "incomplete": "超过一页所能列出的数量：仅列出最早的部分。",
        "st_held": "保留中",
        "st_confirmed": "已确认",
        "st_checked_in": "已入住",
        "st_completed": "已完成",
        "st_cancelled": "已取消",
        "st_expired": "已过期",
        "st_no_show": "未到店",
        "st_unpaid": "未付款",
        "st_authorised": "已授权",
        "st_deposit_paid": "已付订金",
        "st_partially_paid": "已付部分",
        "st_paid": "已付款",
        "st_partially_refunded": "部分退款",
        "st_refund_due": "待退款",
        "st_refunded": "已退款",
    },
}
_DAYS = {
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "zh-Hans": ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
}
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def language(asked: str | None, tenant: Tenant) -> Lang:
    chosen = asked or tenant.locale
    return "zh-Hans" if chosen.lower().startswith("zh") else "en"


def when(local: str, lang: Lang, with_time: bool = True) -> str:
    """2026-12-10T09:00+01:00 as "Thu 10 Dec 2026, 09:00" or "2026年12月10日 周四 09:00"."""
    year, month, day = int(local[:4]), int(local[5:7]), int(local[8:10])
    weekday = _DAYS[lang][date(year, month, day).weekday()]
    clock = f" {local[11:16]}" if with_time and len(local) > 11 else ""
    if lang == "zh-Hans":
        return f"{year}年{month}月{day}日 {weekday}{clock}"
    return f"{weekday} {day} {_MONTHS[month - 1]} {year}{',' if clock else ''}{clock}"


def money(amount: int, currency: str) -> str:
    places = minor_units(currency)
    sign = "-" if amount < 0 else ""
    whole, part = divmod(abs(amount), 10**places) if places else (abs(amount), 0)
    text = f"{whole:,}" + (f".{part:0{places}d}" if places else "")
    return f"{sign}{currency} {text}"
