/**
 * Where things go on a timeline of one local day: minutes from the day's local midnight by
 * the wall clock (what staff read on the clock, so on a day the clocks change a two-hour
 * appointment across the change is drawn as the wall clock shows it), the hours the rows
 * share, and the lanes that keep overlapping bookings of one resource side by side.
 */

export interface Span {
  from: number; // minutes after local midnight (past 1440: the next day's small hours)
  to: number;
}

/** Minutes after the start of `day` of a local time with offset (2026-12-10T09:30+01:00):
 * 0 for one before the day; the next day's run on past 1440 (an evening's booking of the
 * small hours, at 00:30, is at 1470), and 2880 for one after that. */
export function minuteOf(local: string, day: string): number {
  const date = local.slice(0, 10);
  const clock = Number(local.slice(11, 13)) * 60 + Number(local.slice(14, 16));
  if (date < day) return 0;
  if (date === day) return clock;
  return date === nextDay(day) ? 1440 + clock : 2880;
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** A timed row's open spans: the day's hours and those of the small hours after it that they
 * run on into (`late_until`), past 1440. */
export function openSpans(sheet: { hours: { start: string; end: string }[]; late_until?: string | null }): Span[] {
  const open = sheet.hours.map((h) => ({ from: clockMinutes(h.start), to: clockMinutes(h.end) || 1440 }));
  return sheet.late_until ? [...open, { from: 1440, to: 1440 + clockMinutes(sheet.late_until) }] : open;
}

/** Where a booking sits by the wall clock. On the night the clocks go back, one that ends in
 * the repeated hour reads as ending before it began, or (an hour long, from the first 02:30
 * to the second) as ending when it began: it is drawn for its real length (a time-zone
 * tester's hour-long booking was a 12 px sliver under the next one). */
export function spanOf(start: string, end: string, day: string): Span {
  const from = minuteOf(start, day);
  const to = minuteOf(end, day);
  if (to > from) return { from, to };
  const real = Math.round((Date.parse(end) - Date.parse(start)) / 60000);
  const outside = from === 0 || from >= 2880; // wholly before or after the days drawn
  if (to === from && (real <= 0 || outside)) return { from, to };
  return { from, to: Math.min(from >= 1440 ? 2880 : 1440, from + Math.max(real, 0)) };
}

export function clockMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** The whole hours that hold every span (at least `least`, 08:00 to 18:00 when empty). */
export function hoursRange(spans: Span[], least: Span = { from: 8 * 60, to: 18 * 60 }): Span {
  const from = Math.min(least.from, ...spans.map((s) => s.from));
  const to = Math.max(least.to, ...spans.map((s) => s.to));
  return { from: Math.floor(from / 60) * 60, to: Math.min(2880, Math.ceil(to / 60) * 60) };
}

/** Each span's lane (the first lane whose last span ended by its start, spans taken in
 * start order), in the order given, and how many lanes there are. */
export function assign(spans: Span[]): { lanes: number[]; count: number } {
  const order = spans.map((_, i) => i).sort((a, b) => spans[a]!.from - spans[b]!.from || spans[a]!.to - spans[b]!.to);
  const ends: number[] = [];
  const out = new Array<number>(spans.length).fill(0);
  for (const i of order) {
    const span = spans[i]!;
    let lane = ends.findIndex((end) => end <= span.from);
    if (lane < 0) lane = ends.push(span.to) - 1;
    else ends[lane] = span.to;
    out[i] = lane;
  }
  return { lanes: out, count: Math.max(1, ends.length) };
}

/** The closed parts of `range` when the resource works `open` (spans in order). */
export function closedParts(range: Span, open: Span[]): Span[] {
  const out: Span[] = [];
  let at = range.from;
  for (const span of open) {
    if (span.from > at) out.push({ from: at, to: Math.min(span.from, range.to) });
    at = Math.max(at, span.to);
  }
  if (at < range.to) out.push({ from: at, to: range.to });
  return out.filter((s) => s.to > s.from);
}

/** Left and width in percent of `range`. */
export function place(span: Span, range: Span): { left: string; width: string } {
  const length = range.to - range.from;
  const from = Math.max(span.from, range.from);
  const to = Math.min(span.to, range.to);
  return { left: `${((from - range.from) / length) * 100}%`, width: `${(Math.max(to - from, 0) / length) * 100}%` };
}

/** Where the day's view opens (P7A 7: it opened at 08:00, a restaurant's evening out of
 * sight): the earlier of the first opening hour and the first booking, on its whole hour;
 * null when the day has neither. */
export function openingMinute(open: Span[], booked: Span[]): number | null {
  const starts = [...open, ...booked].map((s) => s.from);
  return starts.length ? Math.floor(Math.min(...starts) / 60) * 60 : null;
}

/** The business's public hours (`opening_hours` of `GET /v1/public/tenant`). */
export interface WeekHours {
  weekly: Record<string, [string, string][]>;
  closed_dates: string[];
}

const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** Where the business opens on `day` (YYYY-MM-DD) by its public hours: its first range's
 * start, passing over a range from 00:00 that carries on the evening before past midnight (a
 * bar open 18:00-02:00 opens on Tuesday at 18:00, not at midnight: an outside tester's day
 * opened on the small hours); null on a closed date or a day without hours. */
export function businessOpening(hours: WeekHours | undefined, day: string): number | null {
  if (!hours || hours.closed_dates.includes(day)) return null;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  const ranges = hours.weekly[WEEKDAYS[weekday]!] ?? [];
  const before = hours.weekly[WEEKDAYS[(weekday + 6) % 7]!] ?? [];
  const runsOn = before.length > 0 && ["24:00", "00:00"].includes(before[before.length - 1]![1]);
  const own = ranges.filter(([start]) => !(runsOn && start === "00:00"));
  return own.length ? clockMinutes(own[0]![0]) : null;
}

/** Where the view of the day opens: on today the present hour; else the business's opening
 * that day, or (no hours given) the first opening hour or booking, past a span from 00:00
 * that is the evening before's (a resource open 00:00-02:00 and again from 18:00). */
export function openedAt(now: number | null, business: number | null, open: Span[], booked: Span[]): number | null {
  if (now !== null) return Math.floor(now / 60) * 60;
  if (business !== null) return business;
  const late = open.length > 1 ? open.find((s) => s.from === 0) : undefined;
  const after = (s: Span) => !late || s.from >= late.to;
  return openingMinute(open.filter(after), booked.filter(after));
}

/** How many bookings lie wholly before and wholly after the minutes a view shows. */
export function outside(booked: Span[], view: Span): { before: number; after: number } {
  return {
    before: booked.filter((s) => s.to <= view.from).length,
    after: booked.filter((s) => s.from >= view.to).length,
  };
}
