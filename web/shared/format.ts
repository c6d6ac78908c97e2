/**
 * Dates, times and money for the widget's locale with Intl: times in the business's zone
 * (where the booking happens), with the visitor's own time beside them when their zone
 * differs; money from integer minor units in the tenant's currency.
 */

/** How `locale` writes an hour beside its minutes: two digits where its clock runs 0-23
 * (en-GB, Chinese, German: "00:31", "09:05"), as those clocks are written; Intl's "numeric"
 * wrote "0:31" there (an outside tester's British desk read "Made Sun, 6 Dec 2026, 0:31").
 * A 12-hour clock keeps "numeric": "12:31 AM", "9:05 AM", never "09:05 AM". */
export function hourDigits(locale: string): "numeric" | "2-digit" {
  let said = HOUR_DIGITS.get(locale);
  if (!said) {
    const cycle = new Intl.DateTimeFormat(locale, { hour: "numeric" }).resolvedOptions().hourCycle;
    said = cycle === "h23" || cycle === "h24" ? "2-digit" : "numeric";
    HOUR_DIGITS.set(locale, said);
  }
  return said;
}
const HOUR_DIGITS = new Map<string, "numeric" | "2-digit">();

const OFFSET_FORMATS = new Map<string, Intl.DateTimeFormat>();

/** The minutes `zone`'s wall clock is ahead of UTC at `at`. */
export function offsetIn(zone: string, at: Date): number {
  let format = OFFSET_FORMATS.get(zone);
  if (!format) {
    const options = { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" } as const;
    format = new Intl.DateTimeFormat("en-US", options);
    OFFSET_FORMATS.set(zone, format);
  }
  const parts = format.formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const local = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour") % 24, get("minute"));
  return Math.round((local - Math.floor(at.getTime() / 60_000) * 60_000) / 60000);
}

/** Whether the wall clock reads at `at` what it reads at another instant too: the hour the
 * clocks go back repeats (Sydney's 02:30 on 4 April 2027 is 02:30+11:00 and, an hour later,
 * 02:30+10:00). Such a time is written with its offset, as the e-mails write it ("(UTC+10)"):
 * a time-zone tester's console showed two bookings "2:30 AM–2:30 AM" and "2:30 AM–3:30 AM",
 * and two one-seat appointments at "2:00 AM" that looked like one chair sold twice. */
export function repeatedWallTime(at: Date, zone: string): boolean {
  const own = offsetIn(zone, at);
  for (const hours of [-3, 3]) {
    const other = offsetIn(zone, new Date(at.getTime() + hours * 3_600_000));
    if (other !== own && offsetIn(zone, new Date(at.getTime() + (own - other) * 60_000)) === other) return true;
  }
  return false;
}

/** The offset beside a time the clock reads twice (repeatedWallTime), else nothing. */
function offsetIfRepeated(at: Date, zone: string): Intl.DateTimeFormatOptions {
  return repeatedWallTime(at, zone) ? { timeZoneName: "shortOffset" } : {};
}

export class Formats {
  readonly visitorZone: string;

  constructor(
    readonly locale: string,
    readonly zone: string,
    readonly currency: string,
    readonly decimals: number, // the API's (ISO 4217's) minor unit exponent, not the browser's
  ) {
    this.visitorZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  }

  get differentZone(): boolean {
    const at = new Date();
    return offsetIn(this.zone, at) !== offsetIn(this.visitorZone, at);
  }

  money(minor: number): string {
    return new Intl.NumberFormat(this.locale, {
      style: "currency",
      currency: this.currency,
      minimumFractionDigits: this.decimals,
      maximumFractionDigits: this.decimals,
    }).format(minor / 10 ** this.decimals);
  }

  /** A local date (YYYY-MM-DD) as the locale writes it, with its weekday. */
  day(isoDate: string): string {
    const [y, m, d] = isoDate.split("-").map(Number);
    return new Intl.DateTimeFormat(this.locale, {
      timeZone: "UTC",
      weekday: "short",
      year: "numeric",
      month: "short",
      day: "numeric",
    }).format(new Date(Date.UTC(y!, m! - 1, d!)));
  }

  /** A local date's weekday and its day of the month, apart and without the year, for a
   * column of a week the title dates ("Mon" "30 Nov", "周一" "11月30日"): with the year, as
   * one text, it broke inside the date on a tablet. */
  dayParts(isoDate: string): { weekday: string; date: string } {
    const [y, m, d] = isoDate.split("-").map(Number);
    const at = new Date(Date.UTC(y!, m! - 1, d!));
    const part = (options: Intl.DateTimeFormatOptions) =>
      new Intl.DateTimeFormat(this.locale, { timeZone: "UTC", ...options }).format(at);
    return { weekday: part({ weekday: "short" }), date: part({ month: "short", day: "numeric" }) };
  }

  /** The time of an instant with offset (2026-12-24T10:00+01:00) in `zone`. */
  time(instant: string, zone = this.zone): string {
    const at = new Date(instant);
    const options = { timeZone: zone, hour: hourDigits(this.locale), minute: "2-digit", ...offsetIfRepeated(at, zone) } as const;
    return new Intl.DateTimeFormat(this.locale, options).format(at);
  }

  /** The visitor's own time of an instant: the time alone when the visitor's day is the
   * business's, else with the visitor's weekday and date (7:30 on Sat 5 Dec in Beijing is
   * "Fri, Dec 4, 3:30 PM" in Los Angeles), so nobody reads the wrong day. */
  visitorTime(instant: string): string {
    const at = new Date(instant);
    const dayIn = (zone: string) => todayIn(zone, at);
    if (dayIn(this.zone) === dayIn(this.visitorZone)) return this.time(instant, this.visitorZone);
    return new Intl.DateTimeFormat(this.locale, {
      timeZone: this.visitorZone,
      weekday: "short",
      month: "short",
      day: "numeric",
      hour: hourDigits(this.locale),
      minute: "2-digit",
    }).format(at);
  }

  /** The local date of an instant in `zone`, with its weekday (a visit, a stay: no clock). */
  dayOf(instant: string, zone = this.zone): string {
    return this.day(todayIn(zone, new Date(instant)));
  }

  /** An hour of the day (0-23) as the locale's clock writes it ("3:00 PM", "15:00"). */
  hour(h: number): string {
    return new Intl.DateTimeFormat(this.locale, { timeZone: "UTC", hour: hourDigits(this.locale), minute: "2-digit" }).format(
      new Date(Date.UTC(2000, 0, 1, h)),
    );
  }

  /** Date and time of an instant in `zone`. */
  dateTime(instant: string, zone = this.zone): string {
    const at = new Date(instant);
    return new Intl.DateTimeFormat(this.locale, {
      timeZone: zone,
      weekday: "short",
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: hourDigits(this.locale),
      minute: "2-digit",
      ...offsetIfRepeated(at, zone),
    }).format(at);
  }

  /** An instant's date and time in `zone`, short as a status line says it ("3 Dec, 14:02",
   * "12月3日 14:02"): no weekday, and the year only when it is not this year there. */
  moment(instant: string, zone = this.zone): string {
    const at = new Date(instant);
    const thisYear = todayIn(zone).slice(0, 4) === todayIn(zone, at).slice(0, 4);
    return new Intl.DateTimeFormat(this.locale, {
      timeZone: zone,
      ...(thisYear ? {} : { year: "numeric" }),
      month: "short",
      day: "numeric",
      hour: hourDigits(this.locale),
      minute: "2-digit",
    }).format(at);
  }

  /** The zone's name as the locale says it, on `day` (YYYY-MM-DD) when given: London's 1 July
   * is in British Summer Time, whatever today is. Its midday UTC: clocks change at night, so a
   * changeover day is named by the clock its day runs on; with no day, today's. `allYear`:
   * the name that holds all year ("Central European Time"), for times that recur (a stay's
   * check-out, weekly hours): today's said "Standard Time" of a check-out after the clocks
   * went forward (an outside tester's). */
  zoneName(zone = this.zone, day?: string, allYear = false): string {
    const at = day ? new Date(`${day}T12:00:00Z`) : new Date();
    const timeZoneName = allYear ? "longGeneric" : "long";
    const parts = new Intl.DateTimeFormat(this.locale, { timeZone: zone, timeZoneName }).formatToParts(
      Number.isNaN(at.getTime()) ? new Date() : at,
    );
    return parts.find((p) => p.type === "timeZoneName")?.value ?? zone;
  }

  /** Words set aside after others, as the language brackets them: " (Central European
   * Time)", "（中欧时间）" (full width, no space: an outside tester read "(中欧时间)"). */
  aside(text: string): string {
    return /^zh/i.test(this.locale) ? `（${text}）` : ` (${text})`;
  }

  /** Minutes and seconds left, as a countdown reads. */
  countdown(ms: number): string {
    const total = Math.max(0, Math.floor(ms / 1000));
    const minutes = Math.floor(total / 60);
    const seconds = total % 60;
    return `${minutes}:${String(seconds).padStart(2, "0")}`;
  }
}

/** Today's date in `zone` (or the date of `at` there), as YYYY-MM-DD. */
export function todayIn(zone: string, at: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    at,
  );
}

/** `isoDate` plus `days`, as YYYY-MM-DD. */
export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split("-").map(Number);
  const next = new Date(Date.UTC(y!, m! - 1, d! + days));
  return next.toISOString().slice(0, 10);
}

/** The wall-clock start the API takes (YYYY-MM-DDTHH:MM) from an option's local start. */
export function wallClock(localStart: string): string {
  return localStart.slice(0, 16);
}

/** The instant (ms) of the wall clock `hhmm` on `isoDate` in `zone`: the offset read at a
 * first guess, then again at the instant it gives (right on both sides of a clock change; a
 * time the day skips lands near the change, as the API's counting does: stay_times.py). */
export function wallInstant(isoDate: string, hhmm: string, zone: string): number {
  const wall = Date.parse(`${isoDate}T${hhmm}:00Z`);
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
  });
  const offset = (at: number): number => {
    const p = Object.fromEntries(parts.formatToParts(at).map((x) => [x.type, Number(x.value)]));
    return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!) - Math.floor(at / 60_000) * 60_000;
  };
  const guess = wall - offset(wall);
  return wall - offset(guess);
}
