"""How a message says a moment: the tenant's wall clock, in the customer's language.

A date reads "Thursday 24 December 2026, 14:00" ("2026年12月24日 星期四 14:00"); a time the
clocks show twice (the autumn's repeated hour) says which by its offset; a deadline names the
zone and its offset then, for a traveller reading it on another clock.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.kernel.domain.calendar import parse_iso_utc, to_local
from chalicelib.kernel.domain.timefmt import parse

_WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "zh-Hans": ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"),
}
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def instant_of(text: str) -> datetime:
    return parse(text) if len(text) > 17 else parse_iso_utc(text)


def format_when(instant: str, tz: str, locale: str, *, with_time: bool = True) -> str:
    """An instant as the tenant's wall clock: "Thursday 24 December 2026, 14:00" or
    "2026年12月24日 星期四 14:00". A time the clocks show twice (the autumn's repeated hour)
    says which, by its offset: "01:30 (UTC-4)", as a tester read 01:30 either way."""
    local = to_local(instant_of(instant), tz)
    twice = local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()
    return _wall(local, locale, with_time, utc_text(local) if twice else "")


def format_day(day: str, locale: str) -> str:
    """A local date (`yyyy-mm-dd`) as the messages write one: "Sunday 5 December 2027",
    "2027年12月5日 星期日" (a gift card's last day read "2027-12-05", a tester found)."""
    return _wall(datetime.fromisoformat(day), locale, False)


def _wall(local: datetime, locale: str, with_time: bool, offset: str = "") -> str:
    weekday = _WEEKDAYS[locale][local.weekday()]
    clock = f"{local:%H:%M}"
    if offset:
        clock += f"（{offset}）" if locale == "zh-Hans" else f" ({offset})"
    if locale == "zh-Hans":
        day = f"{local.year}年{local.month}月{local.day}日 {weekday}"
        return f"{day} {clock}" if with_time else day
    day = f"{weekday} {local.day} {_MONTHS_EN[local.month - 1]} {local.year}"
    return f"{day}, {clock}" if with_time else day


def format_deadline(instant: str, tz: str, locale: str) -> str:
    """An instant the customer must act by, with the business's zone and its offset then:
    "Thursday 24 December 2026, 14:00 (Asia/Shanghai, UTC+8)". A traveller books from another
    zone, and a hold's end read as their own clock would be hours off."""
    local = to_local(instant_of(instant), tz)
    when, utc = _wall(local, locale, True), utc_text(local)  # its offset said once, here
    return f"{when}（{tz}，{utc}）" if locale == "zh-Hans" else f"{when} ({tz}, {utc})"


def utc_text(local: datetime) -> str:
    """A wall time's offset: "UTC+8", "UTC-3:30", "UTC"."""
    delta = local.utcoffset()
    offset = int(delta.total_seconds()) // 60 if delta is not None else 0
    hours, minutes = divmod(abs(offset), 60)
    return (
        f"UTC{'+-'[offset < 0]}{hours}{f':{minutes:02d}' if minutes else ''}" if offset else "UTC"
    )


def format_offset(minutes: int, locale: str) -> str:
    """How long before the start a reminder comes: "in 24 hours", "2 小时后", and an offset
    of hours and minutes as both ("in 29 hours and 9 minutes": an outside tester's reminder
    said "in 1749 minutes")."""
    if minutes > 60 and minutes % 60:
        hours, rest = divmod(minutes, 60)
        if locale == "zh-Hans":
            return f"{hours} 小时 {rest} 分钟后"
        return f"in {_count(hours, 'hour')} and {_count(rest, 'minute')}"
    if minutes % 1440 == 0:
        n, en_unit, zh_unit = minutes // 1440, "day", "天"
    elif minutes % 60 == 0:
        n, en_unit, zh_unit = minutes // 60, "hour", "小时"
    else:
        n, en_unit, zh_unit = minutes, "minute", "分钟"
    if locale == "zh-Hans":
        return f"{n} {zh_unit}后"
    return f"in {n} {en_unit}{'' if n == 1 else 's'}"


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}{'' if n == 1 else 's'}"
