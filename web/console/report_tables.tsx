/**
 * The report tables (`#/reports`, managers and owners): the dashboard's figures as one table,
 * grouped by day, ISO week or month, and optionally by channel, offering, resource or staff
 * member, with the range's totals in its foot. Money has its columns per currency. The choice
 * is in the address like the dashboard's (`&group=week&by=channel`).
 */

import { useDesk } from "./app";
import type { Key } from "./i18n";
import { Problem, useLoaded } from "./lines";
import { keyName } from "./dashboard_figures";
import { ChoiceControls, choiceOf, ReportsNav, withChoice } from "./report_controls";
import { type Dimension, type Figures, figures, type Group, type Report } from "./report_api";
import { currenciesOf, moneyIn, percent, periodLabel } from "./report_series";

const GROUPS: Group[] = ["day", "week", "month"];
const DIMENSIONS: Dimension[] = ["channel", "offering", "resource", "staff"];
const COUNTS = ["bookings", "cancellations", "no_shows", "guests", "new_customers", "returning_customers", "units_sold", "units_available"] as const;
const MONEY = ["gross", "discounts", "refunds", "net", "tax"] as const;

export function ReportTables({ query }: { query: URLSearchParams }) {
  const desk = useDesk();
  const { t, api, go } = desk;
  const choice = choiceOf(query, desk.tenant.timezone);
  const group = (GROUPS as string[]).includes(query.get("group") ?? "") ? (query.get("group") as Group) : "day";
  const by = (DIMENSIONS as string[]).includes(query.get("by") ?? "") ? (query.get("by") as Dimension) : undefined;
  const { range, basis } = choice;
  const { data, error } = useLoaded(() => figures(api, { basis, ...range, group, by }), [basis, range.from, range.to, group, by]);
  const set = (change: Record<string, string>) => go(withChoice("#/reports", query, change));
  return (
    <section aria-labelledby="report-tables-title" class="reports report-tables">
      <ReportsNav current="#/reports" />
      <h1 id="report-tables-title">{t("report_tables_title")}</h1>
      <ChoiceControls page="#/reports" query={query} choice={choice} />
      <div class="toolbar">
        <label>
          {t("report_group")}{" "}
          <select value={group} onChange={(e) => set({ group: (e.currentTarget as HTMLSelectElement).value })}>
            {GROUPS.map((g) => (
              <option key={g} value={g}>
                {t(`group_${g}` as Key)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("report_by")}{" "}
          <select value={by ?? ""} onChange={(e) => set({ by: (e.currentTarget as HTMLSelectElement).value })}>
            <option value="">{t("report_by_nothing")}</option>
            {DIMENSIONS.map((d) => (
              <option key={d} value={d}>
                {t(`dim_${d}` as Key)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Problem text={error} />
      {!data && !error && <p role="status">{t("loading")}</p>}
      {data && <FiguresTable report={data} />}
    </section>
  );
}

function FiguresTable({ report }: { report: Report }) {
  const { t, fmt } = useDesk();
  const currencies = currenciesOf(report, fmt.currency);
  const count = (n: number) => new Intl.NumberFormat(fmt.locale).format(n);
  const period = (p: string) => {
    const label = periodLabel(fmt.locale, p, report.group);
    return report.group === "week" ? t("week_of", { day: label }) : label;
  };
  const cells = (f: Figures) => [
    ...COUNTS.map((k) => <td class="num" key={k}>{count(f[k])}</td>),
    <td class="num" key="occupancy">{percent(fmt.locale, f.occupancy_bp)}</td>,
    ...currencies.flatMap((c) => {
      const m = f.money[c];
      const money = (n: number | null | undefined) =>
        n == null ? "—" : moneyIn(fmt.locale, c, n, c === fmt.currency ? fmt.decimals : undefined);
      return [...MONEY.map((k) => <td class="num" key={`${c}-${k}`}>{money(m?.[k] ?? 0)}</td>), <td class="num" key={`${c}-adr`}>{money(m?.adr)}</td>];
    }),
  ];
  const caption = t("report_table_caption", {
    from: fmt.day(report.from),
    to: fmt.day(report.to),
    basis: t(`basis_${report.basis}` as Key),
  });
  return (
    <div class="chart-table wide-table" role="region" tabIndex={0} aria-label={caption}>
      <table class="records report" data-testid="figures-table">
        <caption>
          {caption}{" "}
          <span class="updated">
            {report.updated_at ? t("report_updated", { when: fmt.dateTime(report.updated_at) }) : t("report_never_updated")}
          </span>
        </caption>
        <thead>
          <tr>
            <th scope="col">{t(`group_${report.group}` as Key)}</th>
            {report.by && <th scope="col">{t(`dim_${report.by}` as Key)}</th>}
            {COUNTS.map((k) => (
              <th scope="col" key={k}>
                {t(`fig_${k}` as Key)}
              </th>
            ))}
            <th scope="col">{t("fig_occupancy")}</th>
            {currencies.flatMap((c) => [
              ...MONEY.map((k) => (
                <th scope="col" key={`${c}-${k}`}>
                  {t(`fig_${k}` as Key)} ({c})
                </th>
              )),
              <th scope="col" key={`${c}-adr`}>
                {t("fig_adr_in", { currency: c })}
              </th>,
            ])}
          </tr>
        </thead>
        <tbody>
          {report.rows.length === 0 && (
            <tr>
              <td colSpan={99}>{t("report_nothing")}</td>
            </tr>
          )}
          {report.rows.map((row) => (
            <tr key={`${row.period}-${row.key ?? ""}`} data-period={row.period} data-key={row.key ?? ""}>
              <th scope="row">{period(row.period)}</th>
              {report.by && <td>{keyName(t, report.by, row.key ?? "", row.label ?? "")}</td>}
              {cells(row.figures)}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t("report_total")}</th>
            {report.by && <td />}
            {cells(report.totals)}
          </tr>
        </tfoot>
      </table>
      <p class="muted">{t("fig_units_note")}</p>
    </div>
  );
}
