"""The printouts as PDF files: an order's confirmation (for the guest, or a file to attach)
and a resource's day (the desk's sheet; a departure's manifest with every person's answers).

They are drawn from the API's own answers (`OrderOut`, `DaySheetOut`), so a file says what the
JSON says, in the business's time zone, in English or Simplified Chinese (`lang`, else the
business's locale). Money is the minor units shown with the currency's decimals.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from chalicelib.booking.api.print_format import WORDS, Lang, money, when
from chalicelib.kernel.domain.calendar import to_local
from chalicelib.kernel.domain.tenant import BusinessType
from chalicelib.web.pdf import A4, MARGIN, Document, wrap

if TYPE_CHECKING:
    from chalicelib.booking.api.booking_models import OrderOut
    from chalicelib.booking.api.line_out_models import LineOut
    from chalicelib.booking.api.search_models import DayLineOut, DaySheetOut, SessionOut
    from chalicelib.catalog.api.question_models import AnswersOut
    from chalicelib.kernel.domain.tenant import Tenant

Labels = dict[str, dict[str, str]]  # offering -> question id -> label
RIGHT = A4[0] - MARGIN
BOTTOM = A4[1] - MARGIN - 20  # room for the page number


class Flow:
    """Text laid down the pages from the top, a new page when the next block does not fit."""

    def __init__(self, title: str, lang: Lang) -> None:
        self.doc = Document(title)
        self.lang = lang
        self.top = MARGIN

    def say(self, key: str, **values: object) -> str:
        return WORDS[self.lang][key].format(**values)

    def room_for(self, height: float) -> None:
        if self.top + height > BOTTOM:
            self.doc.new_page()
            self.top = MARGIN

    def line(self, text: str, size: float = 10, bold: bool = False, left: float = MARGIN) -> None:
        for part in wrap(text, size, RIGHT - left, bold):
            self.room_for(size * 1.4)
            self.doc.text(left, self.top, part, size, bold)
            self.top += size * 1.4

    def gap(self, points: float = 6) -> None:
        self.top += points

    def rule(self) -> None:
        self.room_for(8)
        self.doc.rule(self.top + 3)
        self.top += 8

    def row(self, cells: list[tuple[float, str]], size: float = 10, bold: bool = False) -> None:
        """Cells at their left edges (points), each wrapped to the next cell's edge."""
        edges = [left for left, _ in cells[1:]] + [RIGHT]
        wrapped = [
            wrap(text, size, edge - left - 6, bold)
            for (left, text), edge in zip(cells, edges, strict=True)
        ]
        height = max(len(w) for w in wrapped) * size * 1.4
        self.room_for(height)
        for (left, _), lines in zip(cells, wrapped, strict=True):
            for n, text in enumerate(lines):
                self.doc.text(left, self.top + n * size * 1.4, text, size, bold)
        self.top += height

    def status(self, status: str) -> str:
        return WORDS[self.lang].get(f"st_{status}", status.replace("_", " "))

    def finish(self) -> bytes:
        count = len(self.doc.pages)
        for n in range(count):
            self.doc.text(MARGIN, A4[1] - MARGIN, self.say("page", n=n + 1, of=count), 8, page=n)
        return self.doc.render()


ENDS_ITSELF = ("?", ":", "!", "？", "：", "！")


def answers_lines(answers: AnswersOut | None, flow: Flow, labels: dict[str, str]) -> list[str]:
    """The booking's answers, then each person's, under the questions' labels."""
    if answers is None:
        return []
    out = [answered(labels.get(k, k), v) for k, v in answers.booking.items()]
    for n, person in enumerate(answers.people, 1):
        said = ", ".join(answered(labels.get(k, k), v) for k, v in person.items())
        out.append(f"{flow.say('person', n=n)} — {said}")
    return out


def answered(label: str, value: object) -> str:
    """ "Diet: none", but "Any dietary needs? none": a label ending in its own mark takes no
    colon after it (the console's order page says them alike, web/console/lines.tsx)."""
    return f"{label} {value}" if label.endswith(ENDS_ITSELF) else f"{label}: {value}"


def confirmation(order: OrderOut, tenant: Tenant, lang: Lang, labels: Labels) -> bytes:
    flow = Flow(f"{tenant.name} {order.id}", lang)
    flow.line(tenant.name, 18, bold=True)
    flow.line(flow.say("confirmation"), 13)
    flow.rule()
    for key, value in (
        ("reference", order.id),
        ("status", flow.status(order.status)),
        ("payment", flow.status(order.payment_status)),
        ("booked_on", when(_local(order.created_at, tenant.timezone), lang)),
        ("guest", _contact(order.customer.name, order.customer.email, order.customer.phone)),
    ):
        flow.row([(MARGIN, flow.say(key)), (MARGIN + 110, value)])
    flow.gap()
    for line in order.lines:
        _order_line(flow, line, order.currency, labels.get(line.offering_id, {}))
    if order.charges:
        flow.rule()
        flow.line(flow.say("extras"), 12, bold=True)
    for charge in order.charges:  # the folio's extras and discounts, counted in the totals
        label = charge.label or flow.say("discount")
        if charge.quantity > 1:
            label = f"{label} × {charge.quantity}"
        cells = [(MARGIN, label), (RIGHT - 110, money(charge.total, order.currency))]
        flow.row(cells)
    flow.rule()
    for key, amount in _totals(order):
        cells = [(RIGHT - 220, flow.say(key)), (RIGHT - 110, money(amount, order.currency))]
        flow.row(cells, bold=key == "total")
    if order.note:
        flow.gap()
        flow.line(f"{flow.say('note')}: {order.note}", 9)
    return flow.finish()


def _totals(order: OrderOut) -> list[tuple[str, int]]:
    """Subtotal, the tax added to it, the tax it includes, total, deposit: an order may mix
    lines priced with tax and without, so what is added is what the total adds, and the rest
    of the tax was in the prices. Zero parts are left out."""
    sums = order.totals
    added = sums.total - sums.subtotal
    parts = [("subtotal", sums.subtotal), ("tax", added), ("tax_included", sums.tax - added)]
    parts = [parts[0]] + [(key, amount) for key, amount in parts[1:] if amount]
    parts.append(("total", sums.total))
    if sums.deposit_due:
        parts.append(("deposit", sums.deposit_due))
    return parts


def _order_line(flow: Flow, line: LineOut, currency: str, labels: dict[str, str]) -> None:
    flow.rule()
    flow.line(line.offering_name, 12, bold=True)
    span = when(line.start, flow.lang, not line.nights)
    if line.nights:
        nights = flow.say("night") if line.nights == 1 else flow.say("nights", n=line.nights)
        span = f"{span} – {when(line.end, flow.lang, False)} ({nights})"
    else:
        span = f"{span} – {line.end[11:16]}"
    details = [("when", span), ("people", str(line.party))]
    servers = ", ".join(r.name for r in line.resources if r.name)
    if servers:
        details.append(("room_type" if line.nights else "with", servers))
    rooms = ", ".join(flow.say("room", room=r.room) for r in line.rooms)
    if rooms:
        details.append(("rooms", rooms))
    details.append(("price", money(line.price.total, currency)))
    for key, value in details:
        flow.row([(MARGIN, flow.say(key)), (MARGIN + 110, value)])
    for text in answers_lines(line.answers, flow, labels):
        flow.line(text, 9, left=MARGIN + 110)


def day_sheet(sheet: DaySheetOut, tenant: Tenant, lang: Lang, labels: Labels) -> bytes:
    flow = Flow(f"{sheet.resource_name} {sheet.date}", lang)
    flow.line(f"{tenant.name} · {flow.say('day')}", 10)
    flow.line(f"{sheet.resource_name} — {when(sheet.date, lang, False)}", 16, bold=True)
    flow.rule()
    parts: list[tuple[str, list[DayLineOut]]]
    if sheet.kind == "nightly":
        parts = [(flow.say(k), getattr(sheet, k)) for k in ("arrivals", "departures", "in_house")]
    elif sheet.kind == "timed":
        said = "reservations" if tenant.business_type is BusinessType.RESTAURANT else "appointments"
        parts = [(flow.say(said), sheet.appointments)]
    else:
        parts = [
            (
                flow.say(
                    _session_word(s), time=s.start[11:16], booked=s.booked, capacity=s.capacity
                ),
                s.lines,
            )
            for s in sheet.sessions
        ]
    for title, lines in parts:
        flow.gap()
        flow.line(f"{title} ({len(lines)})", 12, bold=True)
        if not lines:
            flow.line(flow.say("nothing"), 9)
        for day_line in lines:
            _sheet_line(flow, day_line, sheet.kind, labels.get(day_line.offering_id, {}))
    if not sheet.complete:
        flow.gap()
        flow.line(flow.say("incomplete"), 9, bold=True)
    return flow.finish()


def _session_word(session: SessionOut) -> str:
    """A departure called off says so (its JSON's `called_off`), one otherwise off sale too:
    the sheet printed "booked 0 / 30" for one called off, as if it ran (a tester's)."""
    if session.called_off:
        return "session_called_off"
    return "session" if session.on_sale else "session_off_sale"


def _sheet_line(flow: Flow, line: DayLineOut, kind: str, labels: dict[str, str]) -> None:
    if kind == "nightly":
        time = flow.say("night") if line.nights == 1 else flow.say("nights", n=line.nights)
    else:
        time = f"{line.start[11:16]}–{line.end[11:16]}"
    who = line.customer.name + (f" · {line.customer.phone}" if line.customer.phone else "")
    people = flow.say("party_1") if line.party == 1 else flow.say("party_n", n=line.party)
    what = f"{line.offering_name} · {people}"
    if line.room:
        what += f" · {flow.say('room', room=line.room)}"
    cells = [(MARGIN, time), (MARGIN + 80, who), (MARGIN + 250, what)]
    flow.row([*cells, (RIGHT - 70, flow.status(line.status))], 9)
    note = [f"{flow.say('note')}: {line.note}"] if line.note else []
    for text in answers_lines(line.answers, flow, labels) + note:
        flow.line(text, 8, left=MARGIN + 80)


def _local(instant: str, tz: str) -> str:
    moment = datetime.fromisoformat(instant.replace("Z", "+00:00"))  # created_at has microseconds
    return to_local(moment, tz).isoformat(timespec="minutes")


def _contact(*parts: str | None) -> str:
    return " · ".join(p for p in parts if p)
