/**
 * What the report pages share: their sub-navigation (dashboard, tables, exports, the morning
 * e-mail), and the choice of range and basis as two groups of radio buttons (the arrow keys
 * move within a group, Tab between them), the basis explained in a sentence under it. The
 * choice lives in the address (`?range=7d&basis=service&from=&to=`), so a reload or a link
 * shows the same figures.
 */

import { todayIn } from "../shared/format";
import { MAY } from "./api";
import { useDesk } from "./app";
import type { Key } from "./i18n";
import type { Basis } from "./report_api";
import { PRESETS, type Preset, type Range, rangeOf } from "./report_series";

const PAGES: [string, Key][] = [
  ["#/dashboard", "nav_dashboard"],
  ["#/reports", "nav_report_tables"],
  ["#/exports", "nav_exports"],
  ["#/report-summary", "nav_report_summary"],
];

export const REPORT_PATHS = PAGES.map(([to]) => to.slice(1));

export function ReportsNav({ current }: { current: string }) {
  const { t, me } = useDesk();
  // The morning e-mail's settings are the managers' (a viewer reads the figures only).
  const pages = PAGES.filter(([to]) => to !== "#/report-summary" || MAY.manage(me.role));
  return (
    <nav aria-label={t("nav_reports")} class="subnav">
      {pages.map(([to, key]) => (
        <a key={to} href={to} aria-current={to === current ? "page" : undefined}>
          {t(key)}
        </a>
      ))}
    </nav>
  );
}

export const BASES: Basis[] = ["booked", "service", "paid"];

export interface Choice {
  preset: Preset;
  basis: Basis;
  custom: Range;
  range: Range; // the dates the choice means
  swapped: boolean; // typed the wrong way round: shown and asked in order, and said so
}

/** The choice a page's address names (the last 7 days on the service basis when it names none). */
export function choiceOf(query: URLSearchParams, zone: string): Choice {
  const today = todayIn(zone);
  const preset = (PRESETS as string[]).includes(query.get("range") ?? "") ? (query.get("range") as Preset) : "7d";
  const basis = (BASES as string[]).includes(query.get("basis") ?? "") ? (query.get("basis") as Basis) : "service";
  const date = (name: string, fallback: string) => {
    const value = query.get(name) ?? "";
    return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : fallback;
  };
  const typed = { from: date("from", rangeOf("7d", today, { from: today, to: today }).from), to: date("to", today) };
  const custom = rangeOf("custom", today, typed); // dates typed the wrong way round are shown (and asked) in order
  return { preset, basis, custom, range: rangeOf(preset, today, custom), swapped: typed.from > typed.to };
}

/** The address of `page` with the choice changed by `change` (the other parameters kept). */
export function withChoice(page: string, query: URLSearchParams, change: Record<string, string>): string {
  const next = new URLSearchParams(query);
  for (const [k, v] of Object.entries(change)) next.set(k, v);
  return `${page}?${next}`;
}

export function ChoiceControls({ page, query, choice }: { page: string; query: URLSearchParams; choice: Choice }) {
  const { t, go, fmt } = useDesk();
  const set = (change: Record<string, string>) => go(withChoice(page, query, change));
  return (
    <div class="report-choice">
      <fieldset class="choices">
        <legend>{t("report_range")}</legend>
        {PRESETS.map((p) => (
          <label key={p}>
            <input type="radio" name="report-range" value={p} checked={choice.preset === p} onChange={() => set({ range: p })} />
            {t(`report_range_${p}` as Key)}
          </label>
        ))}
      </fieldset>
      {choice.preset === "custom" && (
        <fieldset class="choices">
          <legend>{t("report_dates")}</legend>
          <label>
            {t("from")}
            <input type="date" value={choice.custom.from} onChange={(e) => set({ from: (e.currentTarget as HTMLInputElement).value, to: choice.custom.to })} />
          </label>
          <label>
            {t("to")}
            <input type="date" value={choice.custom.to} onChange={(e) => set({ from: choice.custom.from, to: (e.currentTarget as HTMLInputElement).value })} />
          </label>
          {/* Put in order without a word, the dates typed seemed to change by themselves (an
              outside tester's 10 to 1 December became 1 to 4 December). */}
          {choice.swapped && (
            <p class="notice" role="status">
              {t("report_dates_swapped", { from: fmt.day(choice.custom.from), to: fmt.day(choice.custom.to) })}
            </p>
          )}
        </fieldset>
      )}
      <fieldset class="choices" aria-describedby="basis-help">
        <legend>{t("report_basis")}</legend>
        {BASES.map((b) => (
          <label key={b}>
            <input type="radio" name="report-basis" value={b} checked={choice.basis === b} onChange={() => set({ basis: b })} />
            {t(`basis_${b}` as Key)}
          </label>
        ))}
      </fieldset>
      <p class="muted basis-help" id="basis-help">
        {t(`basis_${choice.basis}_help` as Key)}
      </p>
    </div>
  );
}
