/**
 * The dashboard on the basis "Day paid": money counts on the day it moved, so bookings,
 * guests and occupancy are not counted on it. What it shows instead is the money received
 * per method (online, cash, card terminal, bank transfer, gift card, other) from each
 * currency's `payments`: a chart of each method over the range and a table of each method's
 * total, the range's sum in its foot.
 */

import { useDesk } from "./app";
import { Chart } from "./dashboard_chart";
import type { Key } from "./i18n";
import type { Group, Report } from "./report_api";
import { moneyIn, periodLabel, seriesOf } from "./report_series";

/** The methods the API names, in the order the desk lists tenders; others after them. */
export const METHODS = ["online", "cash", "card_terminal", "bank_transfer", "gift_card", "other"];

/** The methods a currency's money came in by over the report (the known ones in their order). */
export function methodsOf(report: Report, currency: string): string[] {
  const found = new Set(Object.keys(report.totals.money[currency]?.payments ?? {}));
  for (const row of report.rows) for (const m of Object.keys(row.figures.money[currency]?.payments ?? {})) found.add(m);
  const known = METHODS.filter((m) => found.has(m));
  return [...known, ...[...found].filter((m) => !METHODS.includes(m)).sort()];
}

export function PaymentsChart({ report, periods, currency }: { report: Report; periods: string[]; currency: string }) {
  const { t, fmt } = useDesk();
  const decimals = currency === fmt.currency ? fmt.decimals : undefined;
  const money = (n: number) => moneyIn(fmt.locale, currency, n, decimals);
  const group: Group = report.group;
  const methods = methodsOf(report, currency);
  const method = (m: string) => (METHODS.includes(m) ? t(`tender_${m}` as Key) : m);
  const totals = report.totals.money[currency]?.payments ?? {};
  const sum = methods.reduce((s, m) => s + (totals[m] ?? 0), 0);
  const title = t("chart_payments", { currency });
  const id = `payments-${currency}`;
  const chart = {
    labels: periods.map((p) => periodLabel(fmt.locale, p, group, true)),
    lines: methods.map((m) => ({ label: method(m), values: seriesOf(report, periods, (f) => f.money[currency]?.payments[m] ?? 0) })),
    xLabel: t(`group_${group}` as Key),
    yLabel: t("fig_received_in", { currency }),
    format: money,
    axis: (n: number) => moneyIn(fmt.locale, currency, n, decimals, true),
    emptyTop: 100 * 10 ** (decimals ?? 2),
  };
  return (
    <figure class="report-chart" aria-labelledby={`${id}-title`} data-chart={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      {methods.length > 0 && <Chart {...chart} />}
      <div class="chart-table" role="region" tabIndex={0} aria-label={title}>
        {methods.length === 0 ? (
          <p class="muted">{t("report_no_payments")}</p>
        ) : (
          <table class="records report">
            <caption>{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t("fig_method")}</th>
                <th scope="col">{t("fig_received_in", { currency })}</th>
              </tr>
            </thead>
            <tbody>
              {methods.map((m) => (
                <tr key={m} data-method={m}>
                  <th scope="row">{method(m)}</th>
                  <td class="num">{money(totals[m] ?? 0)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t("report_total")}</th>
                <td class="num">{money(sum)}</td>
              </tr>
            </tfoot>
          </table>
        )}
      </div>
    </figure>
  );
}
