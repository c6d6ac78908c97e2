/**
 * A resource's week as its kind has it: a timed resource's hours per weekday (several ranges
 * a day, on its slot grid), a session resource's start times per weekday, a nightly one's
 * open nights; and the closures of any kind. Times are the tenant's wall clock ("HH:MM"),
 * whatever zone the browser is in; weekday names come from Intl in the desk's language.
 */

import { useDesk } from "./app";
import { type Closure, type ResourceBody, type Span, WEEKDAYS, type Weekday } from "./catalog_api";
import { Check } from "./catalog_parts";

export function weekdayName(locale: string, day: Weekday): string {
  const monday = Date.UTC(2024, 0, 1); // a Monday
  const at = new Date(monday + WEEKDAYS.indexOf(day) * 86_400_000);
  return new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: "UTC" }).format(at);
}

/** Ranges of one day ("09:00"–"12:00", "13:00"–"17:00"), added and removed by buttons. */
export function SpanList({ spans, step, what, onChange }: { spans: Span[]; step: number; what: string; onChange: (s: Span[]) => void }) {
  const { t } = useDesk();
  const set = (i: number, at: 0 | 1, value: string) => onChange(spans.map((s, j) => (j === i ? ((at ? [s[0], value] : [value, s[1]]) as Span) : s)));
  const last = spans[spans.length - 1];
  const next: Span = last ? [last[1], last[1] < "20:00" ? "20:00" : "24:00"] : ["09:00", "17:00"];
  return (
    <div class="spans">
      {spans.length === 0 && <span class="muted">{t("cat_closed_day")}</span>}
      {spans.map((span, i) => (
        <span class="span" key={i}>
          <label>
            <span class="sr-only">{t("cat_span_from", { what, n: i + 1 })}</span>
            <input type="time" step={step * 60} value={span[0]} onInput={(e) => set(i, 0, (e.currentTarget as HTMLInputElement).value)} />
          </label>
          –
          <label>
            <span class="sr-only">{t("cat_span_to", { what, n: i + 1 })}</span>
            <input type="time" step={step * 60} value={span[1] === "24:00" ? "00:00" : span[1]} onInput={(e) => set(i, 1, (e.currentTarget as HTMLInputElement).value)} />
          </label>
          <button type="button" class="secondary" aria-label={t("cat_remove_span", { what, n: i + 1 })} onClick={() => onChange(spans.filter((_, j) => j !== i))}>
            ×
          </button>
        </span>
      ))}
      <button type="button" class="secondary" onClick={() => onChange([...spans, next])}>
        {t("cat_add_span", { what })}
      </button>
    </div>
  );
}

/** Start times of one day's sessions. */
export function TimeList({ times, what, onChange }: { times: string[]; what: string; onChange: (s: string[]) => void }) {
  const { t } = useDesk();
  return (
    <div class="spans">
      {times.length === 0 && <span class="muted">{t("cat_no_sessions")}</span>}
      {times.map((time, i) => (
        <span class="span" key={i}>
          <label>
            <span class="sr-only">{t("cat_session_n", { what, n: i + 1 })}</span>
            <input type="time" value={time} onInput={(e) => onChange(times.map((x, j) => (j === i ? (e.currentTarget as HTMLInputElement).value : x)))} />
          </label>
          <button type="button" class="secondary" aria-label={t("cat_remove_session", { what, n: i + 1 })} onClick={() => onChange(times.filter((_, j) => j !== i))}>
            ×
          </button>
        </span>
      ))}
      <button type="button" class="secondary" onClick={() => onChange([...times, times[times.length - 1] ?? "10:00"])}>
        {t("cat_add_session", { what })}
      </button>
    </div>
  );
}

export function Schedule({ draft, set }: { draft: ResourceBody; set: (patch: Partial<ResourceBody>) => void }) {
  const { t, fmt } = useDesk();
  const name = (d: Weekday) => weekdayName(fmt.locale, d);
  if (draft.kind === "nightly") {
    const toggle = (d: Weekday, on: boolean) => set({ open_nights: WEEKDAYS.filter((w) => (w === d ? on : draft.open_nights.includes(w))) });
    return (
      <div class="nights" role="group" aria-label={t("cat_open_nights")}>
        {WEEKDAYS.map((d) => (
          <Check key={d} label={name(d)} checked={draft.open_nights.includes(d)} onChange={(on) => toggle(d, on)} />
        ))}
      </div>
    );
  }
  const timed = draft.kind === "timed";
  const week = timed ? draft.hours : draft.session_times;
  const copy = () => {
    const monday = week.mon ?? [];
    const copied = Object.fromEntries(["tue", "wed", "thu", "fri"].map((d) => [d, [...monday]]));
    set(timed ? { hours: { ...draft.hours, ...copied } } : { session_times: { ...draft.session_times, ...copied } });
  };
  return (
    <div class="week-edit">
      {WEEKDAYS.map((d) => (
        <div class="day-row" key={d} role="group" aria-label={name(d)}>
          <span class="day-name">{name(d)}</span>
          {timed ? (
            <SpanList spans={draft.hours[d] ?? []} step={draft.slot_minutes} what={name(d)} onChange={(s) => set({ hours: { ...draft.hours, [d]: s } })} />
          ) : (
            <TimeList times={draft.session_times[d] ?? []} what={name(d)} onChange={(s) => set({ session_times: { ...draft.session_times, [d]: s } })} />
          )}
        </div>
      ))}
      <button type="button" class="secondary" onClick={copy}>
        {t("cat_copy_monday")}
      </button>
    </div>
  );
}

export function Closures({ closures, onChange }: { closures: Closure[]; onChange: (c: Closure[]) => void }) {
  const { t } = useDesk();
  const set = (i: number, patch: Partial<Closure>) => onChange(closures.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  const value = (e: Event) => (e.currentTarget as HTMLInputElement).value;
  return (
    <div class="closures">
      {closures.length === 0 && <p class="muted">{t("cat_no_closures")}</p>}
      {closures.map((c, i) => (
        <div class="row" key={i} role="group" aria-label={t("cat_closure_n", { n: i + 1 })}>
          <label>
            {t("cat_from")}
            <input type="date" value={c.from} onInput={(e) => set(i, { from: value(e) })} />
          </label>
          <label>
            {t("cat_to")}
            <input type="date" value={c.to} onInput={(e) => set(i, { to: value(e) })} />
          </label>
          <label>
            {t("cat_reason")}
            <input value={c.reason} maxLength={200} onInput={(e) => set(i, { reason: value(e) })} />
          </label>
          <button type="button" class="secondary" onClick={() => onChange(closures.filter((_, j) => j !== i))}>
            {t("cat_remove_closure", { n: i + 1 })}
          </button>
        </div>
      ))}
      <button type="button" class="secondary" onClick={() => onChange([...closures, { from: "", to: "", reason: "" }])}>
        {t("cat_add_closure")}
      </button>
    </div>
  );
}
