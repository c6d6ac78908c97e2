/**
 * An offering's price: its basis (per booking, person, night, person and night, or started
 * hour), the amount typed in the tenant's currency (its decimals from the API, sent as minor
 * units), the tax rate and whether prices include it. The advanced rules (weekday and season
 * changes, the rate calendar) are shown as they are and kept through a save: this page does
 * not edit them yet.
 */

import { useDesk } from "./app";
import { BASES, type Basis, type Pricing, WEEKDAYS, fromMinor } from "./catalog_api";
import { DecimalField } from "./catalog_parts";
import type { Key } from "./i18n";
import { weekdayName } from "./schedule_editor";

export function PricingEditor({ value, onChange }: { value: Pricing; onChange: (p: Pricing) => void }) {
  const { t } = useDesk();
  const set = (patch: Partial<Pricing>) => onChange({ ...value, ...patch });
  return (
    <>
      <label>
        {t("cat_basis")}
        <select value={value.basis} onChange={(e) => set({ basis: (e.currentTarget as HTMLSelectElement).value as Basis })}>
          {BASES.map((b) => (
            <option key={b} value={b}>
              {t(`cat_basis_${b}` as Key)}
            </option>
          ))}
        </select>
      </label>
      <DecimalField label={t("cat_amount")} value={value.amount} money onChange={(amount) => set({ amount })} />
      <DecimalField label={t("cat_tax")} value={value.tax_bp} places={2} suffix="%" onChange={(tax_bp) => set({ tax_bp })} />
      <label>
        {t("cat_tax_mode")}
        <select value={value.tax_inclusive ? "in" : "ex"} onChange={(e) => set({ tax_inclusive: (e.currentTarget as HTMLSelectElement).value === "in" })}>
          <option value="in">{t("cat_tax_inclusive")}</option>
          <option value="ex">{t("cat_tax_exclusive")}</option>
        </select>
      </label>
      <AdvancedRules value={value} />
    </>
  );
}

function change(t: ReturnType<typeof useDesk>["t"], money: (n: number) => string, a: { percent_bp: number; amount: number }): string {
  const parts = [];
  if (a.percent_bp) parts.push(`${a.percent_bp > 0 ? "+" : ""}${fromMinor(a.percent_bp, 2)} %`);
  if (a.amount) parts.push(`${a.amount > 0 ? "+" : "−"}${money(Math.abs(a.amount))}`);
  return parts.join(" ") || t("cat_no_change");
}

/** Weekday and season changes and the rate calendar, read only, kept through a save. */
function AdvancedRules({ value }: { value: Pricing }) {
  const { t, fmt } = useDesk();
  const days = WEEKDAYS.filter((d) => value.weekdays[d]);
  const dates = Object.keys(value.date_prices).sort();
  if (!days.length && !value.seasons.length && !dates.length) return <p class="muted wide">{t("cat_rules_none")}</p>;
  const money = (n: number) => fmt.money(n);
  return (
    <div class="wide rules">
      <p class="muted">{t("cat_rules_note")}</p>
      <ul>
        {days.map((d) => (
          <li key={d}>
            {weekdayName(fmt.locale, d)}: {change(t, money, value.weekdays[d]!)}
          </li>
        ))}
        {value.seasons.map((s) => (
          <li key={s.from}>
            {s.name || t("cat_season")} ({fmt.day(s.from)} – {fmt.day(s.to)}): {change(t, money, s)}
          </li>
        ))}
        {dates.length > 0 && (
          <li>
            {t("cat_rate_calendar", { n: dates.length, from: fmt.day(dates[0]!), to: fmt.day(dates[dates.length - 1]!) })}
          </li>
        )}
      </ul>
    </div>
  );
}
