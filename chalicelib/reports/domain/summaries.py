"""The morning summary's rules: who gets it, at which local hour, and when it is due next.

A tenant asks for yesterday's figures by e-mail at an hour of its own wall clock (0 to 23).
The next time it is due is an instant (UTC) computed from the tenant's zone: the first
instant after `now` at which the local clock reads that hour. Across a daylight-saving change
the instant moves with the clock (07:00 in London is 07:00 UTC in winter, 06:00 UTC in
summer). An hour that does not exist on a spring-forward day (01:00 in London, 02:00 in New
York) is replaced by the first wall time after the gap; an hour that happens twice on an
autumn day takes the first. Zones with half- and quarter-hour offsets (Asia/Kolkata,
Asia/Kathmandu) are due at :30 or :45 past a UTC hour, so the run that sends them comes every
quarter of an hour.

A summary is of the local day before the one it is due on, and is sent at most once per
tenant and day (services/summaries.py keeps that with a claim keyed by the day).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from chalicelib.kernel.domain.calendar import local_date, local_instant
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.untrusted import EMAIL_ADDRESS
from chalicelib.kernel.domain.values import value

MAX_RECIPIENTS = 5  # besides the owner, who always gets it
DEFAULT_HOUR = 7
RUN_MINUTES = 15  # how often the run comes: every offset of a zone is a multiple of this
# A summary found due this long after its time is not sent (a morning e-mail that arrives in
# the evening is noise): the schedule moves on to the next morning.
STALE_SECONDS = 12 * 3600
# Deliberately plain: one @, no spaces, a dot in the domain; SES refuses the rest at send time.
_EMAIL = EMAIL_ADDRESS


@value
class SummarySettings:
    enabled: bool = False
    recipients: tuple[str, ...] = ()  # besides the owner; lower-case, each once
    hour: int = DEFAULT_HOUR  # local, 0..23


def validated(enabled: bool, recipients: list[str], hour: int, owner: str = "") -> SummarySettings:
    """The settings as asked, checked: an hour of the day, at most MAX_RECIPIENTS e-mail
    addresses besides the owner (the same address twice counts once; the owner's, who gets it
    anyway, not at all: an outside tester's five and the owner were refused as six)."""
    if not 0 <= hour <= 23:
        raise InvalidInput(
            "The hour is a whole hour of the day, 0 to 23, on the business's clock.",
            code="invalid_summary_hour",
            field="hour",
        )
    wanted: list[str] = []
    for n, text in enumerate(recipients):
        address = text.strip().lower()
        if len(address) > 254 or not _EMAIL.match(address):
            raise InvalidInput(
                "Each recipient is one e-mail address.",
                code="invalid_recipient",
                field=f"recipients.{n}",
            )
        if address not in wanted and address != owner.strip().lower():
            wanted.append(address)
    if len(wanted) > MAX_RECIPIENTS:
        raise InvalidInput(
            f"At most {MAX_RECIPIENTS} recipients besides the owner.",
            code="too_many_recipients",
            field="recipients",
            limit=MAX_RECIPIENTS,
        )
    return SummarySettings(enabled=enabled, recipients=tuple(wanted), hour=hour)


def due_on(day: date, hour: int, tz: str) -> datetime:
    """The instant (UTC) the summary is due on local `day`: `hour`:00 on the wall clock, or the
    first wall time after a spring-forward gap that swallows it (gaps are 30 minutes to 2
    hours); the first of the two when an autumn change repeats it."""
    for minutes in range(hour * 60, hour * 60 + 181, RUN_MINUTES):
        instant = local_instant(day, minutes, tz)
        if instant is not None:
            return instant
    raise ValueError(f"no wall time near {hour}:00 on {day} in {tz}")  # no zone has such a gap


def next_due(after: datetime, hour: int, tz: str) -> datetime:
    """The first instant strictly after `after` at which the summary is due."""
    today = local_date(after, tz)
    for offset in (-1, 0, 1, 2):  # a zone's offset is under a day: one of these is it
        instant = due_on(today + timedelta(days=offset), hour, tz)
        if instant > after:
            return instant
    raise ValueError(f"no due time after {after} in {tz}")  # unreachable for real zones


def summary_day(due: datetime, tz: str) -> date:
    """The local day a summary due at `due` tells of: the day before its own."""
    return local_date(due, tz) - timedelta(days=1)


def recipients_of(settings: SummarySettings, owner_email: str) -> tuple[str, ...]:
    """Who gets it: the owner first, then the others, each once."""
    owner = owner_email.strip().lower()
    return (owner, *(r for r in settings.recipients if r != owner))
