/**
 * The opening hours editor: per weekday zero or more ranges (opens, closes) in the business's
 * zone, added and removed by button, and the dates the business is closed. A close of 00:00
 * means midnight (the API's "24:00"), since a time field cannot say 24:00. The API checks the
 * ranges (in order, none overlapping, each closing after it opens) and the page says why.
 */

import { useState } from "preact/hooks";
import { useDesk } from "./app";
import type { Key } from "./i18n";
import { type OpeningHours, type Range, WEEKDAYS, type Weekday } from "./settings_api";

/** The hours as a time field shows them ("24:00" is written 00:00). */
export function hoursForFields(hours: OpeningHours): OpeningHours {
  const weekly = {} as Record<Weekday, Range[]>;
  for (const day of WEEKDAYS) weekly[day] = (hours.weekly[day] ?? []).map(([a, b]) => [a, b === "24:00" ? "00:00" : b]);
  return { weekly, closed_dates: [...hours.closed_dates] };
}

/** The hours as the API takes them: a close of 00:00 is the midnight ending the day (an
 * all-day range is 00:00 to 00:00 in the fields, 00:00 to 24:00 for the API). */
export function hoursForApi(hours: OpeningHours): OpeningHours {
  const weekly = {} as Record<Weekday, Range[]>;
  for (const day of WEEKDAYS) weekly[day] = hours.weekly[day].map(([a, b]) => [a, b === "00:00" ? "24:00" : b]);
  return { weekly, closed_dates: hours.closed_dates };
}

export function HoursEditor({ hours, onChange }: { hours: OpeningHours; onChange: (h: OpeningHours) => void }) {
  const { t, fmt } = useDesk();
  const [newDate, setNewDate] = useState("");
  const setDay = (day: Weekday, ranges: Range[]) => onChange({ ...hours, weekly: { ...hours.weekly, [day]: ranges } });
  const addDate = () => {
    if (!newDate || hours.closed_dates.includes(newDate)) return;
    onChange({ ...hours, closed_dates: [...hours.closed_dates, newDate].sort() });
    setNewDate("");
  };
  return (
    <fieldset class="hours">
      <legend>{t("opening_hours")}</legend>
      <small>{t("opening_hours_help", { zone: fmt.zone })}</small>
      {WEEKDAYS.map((day) => (
        <Day key={day} day={day} ranges={hours.weekly[day]} onChange={(r) => setDay(day, r)} />
      ))}
      <div class="closed-dates">
        <strong id="closed-dates-title">{t("closed_dates")}</strong>
        {hours.closed_dates.length === 0 ? (
          <p class="muted">{t("no_closed_dates")}</p>
        ) : (
          <ul aria-labelledby="closed-dates-title">
            {hours.closed_dates.map((d) => (
              <li key={d}>
                {fmt.day(d)}
                <button
                  type="button"
                  class="secondary"
                  aria-label={t("remove_closed_date", { date: fmt.day(d) })}
                  onClick={() => onChange({ ...hours, closed_dates: hours.closed_dates.filter((x) => x !== d) })}
                >
                  {t("hours_remove")}
                </button>
              </li>
            ))}
          </ul>
        )}
        <div class="range">
          <label>
            {t("closed_date")}
            <input type="date" value={newDate} onInput={(e) => setNewDate((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <button type="button" class="secondary" onClick={addDate} disabled={!newDate}>
            {t("add_closed_date")}
          </button>
        </div>
      </div>
    </fieldset>
  );
}

function Day({ day, ranges, onChange }: { day: Weekday; ranges: Range[]; onChange: (r: Range[]) => void }) {
  const { t } = useDesk();
  const name = t(`hours_${day}` as Key);
  const set = (i: number, which: 0 | 1, value: string) =>
    onChange(ranges.map((r, j) => (j === i ? ((which === 0 ? [value, r[1]] : [r[0], value]) as Range) : r)));
  const last = ranges[ranges.length - 1];
  // A next range after the last (none fits after one that closes at midnight: 09:00-17:00
  // then, which the API refuses with words if it overlaps).
  const next: Range = last && last[1] !== "00:00" ? [last[1], "00:00"] : ["09:00", "17:00"];
  return (
    <div class="day" role="group" aria-label={name}>
      <strong class="day-name">{name}</strong>
      <div class="ranges">
        {ranges.length === 0 && <span class="muted">{t("hours_closed")}</span>}
        {ranges.map(([opens, closes], i) => (
          <div class="range" key={i}>
            {([0, 1] as const).map((end) => (
              <label key={end}>
                {t(end === 0 ? "opens" : "closes")}
                <input
                  type="time"
                  value={end === 0 ? opens : closes}
                  required
                  aria-label={t(end === 0 ? "opens_on" : "closes_on", { day: name, n: i + 1 })}
                  onInput={(e) => set(i, end, (e.currentTarget as HTMLInputElement).value)}
                />
              </label>
            ))}
            <button
              type="button"
              class="secondary"
              aria-label={t("remove_range", { day: name, n: i + 1 })}
              onClick={() => onChange(ranges.filter((_, j) => j !== i))}
            >
              {t("hours_remove")}
            </button>
          </div>
        ))}
        <button type="button" class="secondary" aria-label={t("add_range_on", { day: name })} onClick={() => onChange([...ranges, next])}>
          {t("add_range")}
        </button>
      </div>
    </div>
  );
}
