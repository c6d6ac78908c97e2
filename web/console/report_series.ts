/**
 * Pure helpers of the report pages: a chosen range as dates, the grouping that suits it, every
 * period of a range (a period the API has no row for is zero, not missing), chart series from
 * the report API's answer, the mix of a dimension, the change against the previous period and
 * a period's label. No DOM, no fetching: the pages call these with what they have.
 */

import { addDays } from "../shared/format";
import type { Figures, Group, Report } from "./report_api";

export type Preset = "7d" | "30d" | "month" | "custom";
export const PRESETS: Preset[] = ["7d", "30d", "month", "custom"];

export interface Range {
  from: string;
  to: string;
}

/** The dates of a preset, `today` being the business's today: the last 7 or 30 days end
 * today; this month is the whole calendar month (later nights already booked count on the
 * service basis); custom is what was typed, put in order. */
export function rangeOf(preset: Preset, today: string, custom: Range): Range {
  if (preset === "7d") return { from: addDays(today, -6), to: today };
  if (preset === "30d") return { from: addDays(today, -29), to: today };
  if (preset === "month") {
    const first = `${today.slice(0, 8)}01`;
    return { from: first, to: addDays(nextMonth(first), -1) };
  }
  return custom.from <= custom.to ? custom : { from: custom.to, to: custom.from };
}

export function daysIn(range: Range): number {
  const ms = Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`);
  return Math.round(ms / 86_400_000) + 1;
}

/** Days for two months at most, ISO weeks up to about half a year, months beyond. */
export function groupFor(range: Range): Group {
  const days = daysIn(range);
  return days <= 62 ? "day" : days <= 190 ? "week" : "month";
}

function nextMonth(first: string): string {
  const [y, m] = first.split("-").map(Number);
  return m === 12 ? `${y! + 1}-01-01` : `${y}-${String(m! + 1).padStart(2, "0")}-01`;
}

/** The period (its first day) a date falls in: itself, its ISO week's Monday, its month's 1st. */
export function periodOf(date: string, group: Group): string {
  if (group === "day") return date;
  if (group === "month") return `${date.slice(0, 8)}01`;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 Sunday
  return addDays(date, -((weekday + 6) % 7));
}

/** Every period of a range, in order, each named by its first day. */
export function periodsOf(range: Range, group: Group): string[] {
  const periods: string[] = [];
  let at = periodOf(range.from, group);
  while (at <= range.to) {
    periods.push(at);
    at = group === "day" ? addDays(at, 1) : group === "week" ? addDays(at, 7) : nextMonth(at);
  }
  return periods;
}

/** Figures of nothing: what a period without a row has. */
export const NOTHING: Figures = {
  bookings: 0,
  cancellations: 0,
  no_shows: 0,
  guests: 0,
  party_size_average: null,
  lead_days_average: null,
  new_customers: 0,
  returning_customers: 0,
  units_sold: 0,
  units_available: 0,
  occupancy_bp: null,
  occupancy_by_kind: {},
  money: {},
};

/** One value per period from the report's rows without a key (rows of one dimension are
 * summed per period when the report is by something). */
export function seriesOf(report: Report, periods: string[], pick: (f: Figures) => number | null): (number | null)[] {
  const byPeriod = new Map<string, Figures[]>();
  for (const row of report.rows) byPeriod.set(row.period, [...(byPeriod.get(row.period) ?? []), row.figures]);
  return periods.map((p) => {
    const rows = byPeriod.get(p);
    if (!rows) return pick(NOTHING);
    const values = rows.map(pick);
    return values.every((v) => v === null) ? null : values.reduce<number>((sum, v) => sum + (v ?? 0), 0);
  });
}

/** The currencies a report has money in, the business's own first. */
export function currenciesOf(report: Report, own: string): string[] {
  const found = new Set(Object.keys(report.totals.money));
  for (const row of report.rows) for (const c of Object.keys(row.figures.money)) found.add(c);
  return [...found].sort((a, b) => (a === own ? -1 : b === own ? 1 : a.localeCompare(b)));
}

export interface MixPart {
  key: string;
  label: string;
  bookings: number;
  net: Record<string, number>;
  series: number[]; // bookings per period
}

export const OTHERS = "__others";

/** A dimension's mix: each key's bookings and net money over the range and per period, the
 * biggest `top` by bookings, the rest summed as one part under OTHERS. */
export function mixOf(report: Report, periods: string[], top = 5): MixPart[] {
  const parts = new Map<string, MixPart>();
  const index = new Map(periods.map((p, i) => [p, i]));
  for (const row of report.rows) {
    const key = row.key ?? "";
    const part = parts.get(key) ?? { key, label: row.label ?? key, bookings: 0, net: {}, series: periods.map(() => 0) };
    part.bookings += row.figures.bookings;
    for (const [c, m] of Object.entries(row.figures.money)) part.net[c] = (part.net[c] ?? 0) + m.net;
    const i = index.get(row.period);
    if (i !== undefined) part.series[i]! += row.figures.bookings;
    parts.set(key, part);
  }
  const sorted = [...parts.values()].sort((a, b) => b.bookings - a.bookings || a.label.localeCompare(b.label));
  if (sorted.length <= top + 1) return sorted;
  const rest = sorted.slice(top);
  const others: MixPart = { key: OTHERS, label: "", bookings: 0, net: {}, series: periods.map(() => 0) };
  for (const part of rest) {
    others.bookings += part.bookings;
    for (const [c, n] of Object.entries(part.net)) others.net[c] = (others.net[c] ?? 0) + n;
    part.series.forEach((n, i) => (others.series[i]! += n));
  }
  return [...sorted.slice(0, top), others];
}

/** The change from `before` to `now` as a fraction (0.25 is 25% up); null when there is
 * nothing to compare with. */
export function change(now: number | null, before: number | null): number | null {
  if (now === null || before === null || before === 0) return null;
  return (now - before) / before;
}

/** A period as the locale writes it: a day with its weekday, a week by its Monday, a month
 * with its year (`short`: a chart's axis, without the weekday). Dates are local dates: formatted as UTC so no zone moves them. */
export function periodLabel(locale: string, period: string, group: Group, short = false): string {
  const [y, m, d] = period.split("-").map(Number);
  const at = new Date(Date.UTC(y!, m! - 1, d!));
  const options: Intl.DateTimeFormatOptions =
    group === "month"
      ? { timeZone: "UTC", month: "short", year: short ? "2-digit" : "numeric" }
      : group === "week" || short
        ? { timeZone: "UTC", day: "numeric", month: "short" }
        : { timeZone: "UTC", weekday: "short", day: "numeric", month: "short" };
  return new Intl.DateTimeFormat(locale, options).format(at);
}

/** Money of any currency in minor units: the business's own with its decimals (the API's),
 * another with the decimals Intl knows for it. */
export function moneyIn(locale: string, currency: string, minor: number, decimals?: number, compact = false): string {
  const digits = decimals ?? new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const options: Intl.NumberFormatOptions = compact
    ? { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 }
    : { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits };
  return new Intl.NumberFormat(locale, options).format(minor / 10 ** digits);
}

/** Occupancy in basis points as a percentage the locale writes ("63.5%"). */
export function percent(locale: string, bp: number | null): string {
  if (bp === null) return "—";
  // Rounded to tenths of a percent in integers first (7525 -> 75.3 %), as the morning e-mail
  // rounds them (reports/services/summary_mail.py): 0.7525 is no exact float.
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(Math.round(bp / 10) / 1_000);
}

/** The kinds of resource a report measures occupancy of, when more than one: rooms, seats and
 * staff time are not one measure (a tour operator's single figure mixed its departures' seats
 * with its guides' hours), so each is said on its own. Empty: the one figure says it. */
export function occupancyKinds(report: Report): string[] {
  const kinds = Object.keys(report.totals.occupancy_by_kind ?? {}).sort();
  return kinds.length > 1 ? kinds : [];
}
