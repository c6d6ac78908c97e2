/**
 * An offering's price rules, edited: a change per weekday and per season (a percentage and an
 * amount, either may be negative: a weekend surcharge, a low-season discount), and the rate
 * calendar (a price of its own on a date, set for one date or a run of dates). The API applies
 * them in that order, the calendar's price replacing the rest on its date; amounts are typed in
 * the business's currency and kept in minor units.
 */

import { useState } from "preact/hooks";
import { addDays, todayIn } from "../shared/format";
import { useDesk } from "./app";
import { type Pricing, WEEKDAYS, type Weekday } from "./catalog_api";
import { DecimalField } from "./catalog_parts";
import { weekdayName } from "./schedule_editor";

type Change = { percent_bp: number; amount: number };
const MAX_DATES = 1100; // the API's bound on the rate calendar
const MAX_RUN = 366;

export function PriceRules({ value, onChange }: { value: Pricing; onChange: (p: Pricing) => void }) {
  const { t } = useDesk();
  const set = (patch: Partial<Pricing>) => onChange({ ...value, ...patch });
  return (
    <div class="rules">
      <fieldset>
        <legend>{t("cat_by_weekday")}</legend>
        <p class="muted">{t("cat_change_help")}</p>
        <div class="rule-row rule-head" aria-hidden="true">
          <strong />
          <span>{t("cat_change_percent_head")}</span>
          <span>{t("cat_change_amount_head")}</span>
        </div>
        {WEEKDAYS.map((day) => (
          <WeekdayChange
            key={day}
            day={day}
            value={value.weekdays[day] ?? { percent_bp: 0, amount: 0 }}
            onChange={(c) => {
              const weekdays = { ...value.weekdays };
              if (c.percent_bp || c.amount) weekdays[day] = c;
              else delete weekdays[day];
              set({ weekdays });
            }}
          />
        ))}
      </fieldset>
      <Seasons value={value.seasons} onChange={(seasons) => set({ seasons })} />
      <RateCalendar value={value.date_prices} onChange={(date_prices) => set({ date_prices })} />
    </div>
  );
}

function ChangeFields(props: { label: string; value: Change; onChange: (c: Change) => void; quiet?: boolean }) {
  const { label, value, onChange, quiet } = props;
  const { t } = useDesk();
  return (
    <>
      <DecimalField
        label={t("cat_change_percent", { what: label })}
        value={value.percent_bp}
        places={2}
        suffix="%"
        signed
        quiet={quiet}
        onChange={(percent_bp) => onChange({ ...value, percent_bp })}
      />
      <DecimalField
        label={t("cat_change_amount", { what: label })}
        value={value.amount}
        money
        signed
        quiet={quiet}
        onChange={(amount) => onChange({ ...value, amount })}
      />
    </>
  );
}

function WeekdayChange({ day, value, onChange }: { day: Weekday; value: Change; onChange: (c: Change) => void }) {
  const { fmt } = useDesk();
  const name = weekdayName(fmt.locale, day);
  return (
    <div class="rule-row">
      <strong>{name}</strong>
      <ChangeFields label={name} value={value} onChange={onChange} quiet />
    </div>
  );
}

function Seasons({ value, onChange }: { value: Pricing["seasons"]; onChange: (s: Pricing["seasons"]) => void }) {
  const desk = useDesk();
  const { t } = desk;
  const put = (i: number, patch: Partial<Pricing["seasons"][number]>) =>
    onChange(value.map((s, n) => (n === i ? { ...s, ...patch } : s)));
  return (
    <fieldset>
      <legend>{t("cat_seasons")}</legend>
      {value.map((season, i) => {
        const name = season.name || t("cat_season_n", { n: i + 1 });
        return (
          <div class="rule-row" key={i}>
            <label>
              {t("cat_season_name")}
              <input value={season.name} maxLength={80} onInput={(e) => put(i, { name: (e.currentTarget as HTMLInputElement).value })} />
            </label>
            <label>
              {t("cat_from")}
              <input type="date" value={season.from} onInput={(e) => put(i, { from: (e.currentTarget as HTMLInputElement).value })} />
            </label>
            <label>
              {t("cat_to")}
              <input type="date" value={season.to} min={season.from} onInput={(e) => put(i, { to: (e.currentTarget as HTMLInputElement).value })} />
            </label>
            <ChangeFields label={name} value={season} onChange={(c) => put(i, c)} />
            <button type="button" class="secondary" onClick={() => onChange(value.filter((_, n) => n !== i))}>
              {t("cat_remove_named", { name })}
            </button>
          </div>
        );
      })}
      {value.length < 50 && (
        <button
          type="button"
          class="secondary"
          onClick={() => {
            const today = todayIn(desk.tenant.timezone); // the business's today, not UTC's
            onChange([...value, { from: today, to: addDays(today, 30), percent_bp: 0, amount: 0, name: "" }]);
          }}
        >
          {t("cat_add_season")}
        </button>
      )}
    </fieldset>
  );
}

function RateCalendar({ value, onChange }: { value: Record<string, number>; onChange: (d: Record<string, number>) => void }) {
  const { t, fmt } = useDesk();
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [price, setPrice] = useState<number | null>(null); // typed, never a silent 0
  const [problem, setProblem] = useState("");
  const dates = Object.keys(value).sort();
  const setRun = () => {
    const last = to || from;
    if (!from || last < from) return setProblem(t("cat_dates_order"));
    if (price === null) return setProblem(t("cat_dates_price"));
    const run: string[] = [];
    for (let d = from; d <= last && run.length <= MAX_RUN; d = addDays(d, 1)) run.push(d);
    if (run.length > MAX_RUN) return setProblem(t("cat_dates_too_many", { n: MAX_RUN }));
    const next = { ...value };
    for (const d of run) next[d] = price;
    if (Object.keys(next).length > MAX_DATES) return setProblem(t("cat_dates_too_many", { n: MAX_DATES }));
    setProblem("");
    onChange(next);
  };
  return (
    <fieldset>
      <legend>{t("cat_rate_calendar_title")}</legend>
      <p class="muted">{t("cat_rate_calendar_help")}</p>
      <div class="rule-row">
        <label>
          {t("cat_from")}
          <input type="date" value={from} onInput={(e) => setFrom((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label>
          {t("cat_to")}
          <input type="date" value={to} min={from} onInput={(e) => setTo((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <DecimalField label={t("cat_date_price")} value={price ?? 0} money onChange={setPrice} />
        <button type="button" class="secondary" onClick={setRun}>
          {t("cat_set_dates")}
        </button>
      </div>
      {problem && (
        <p class="field-error" role="alert">
          {problem}
        </p>
      )}
      {dates.length > 0 && (
        <ul class="date-prices">
          {dates.map((d) => (
            <li key={d}>
              {fmt.day(d)}: {fmt.money(value[d]!)}{" "}
              <button
                type="button"
                class="secondary"
                onClick={() => {
                  const next = { ...value };
                  delete next[d];
                  onChange(next);
                }}
              >
                {t("cat_remove_named", { name: fmt.day(d) })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
