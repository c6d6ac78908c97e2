/**
 * The dashboard's charts, each a figure: its title, the chart, and a table of the same
 * numbers (a caption naming it, a header per column and per row, in a region the keyboard can
 * scroll), so nothing is only in a picture. Dates and money are written by Intl.
 */

import type { ComponentChildren } from "preact";
import { useDesk } from "./app";
import { Chart, type ChartProps } from "./dashboard_chart";
import type { Key } from "./i18n";
import type { Dimension, Group, Report } from "./report_api";
import { mixOf, moneyIn, occupancyKinds, OTHERS, percent, periodLabel, seriesOf } from "./report_series";

interface Props {
  report: Report;
  periods: string[];
}

function usePeriodWords(group: Group) {
  const { t, fmt } = useDesk();
  const label = (p: string) => periodLabel(fmt.locale, p, group, true); // on the axis
  const row = (p: string) => {
    const full = periodLabel(fmt.locale, p, group);
    return group === "week" ? t("week_of", { day: full }) : full;
  };
  return { label, row, axis: t(`group_${group}` as Key) };
}

function Figure(props: { id: string; title: string; chart: ChartProps; children: ComponentChildren }) {
  return (
    <figure class="report-chart" aria-labelledby={`${props.id}-title`} data-chart={props.id}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      <Chart {...props.chart} />
      <div class="chart-table" role="region" tabIndex={0} aria-label={props.title}>
        {props.children}
      </div>
    </figure>
  );
}

interface Column {
  head: string;
  cell: (i: number) => string;
}

/** The table beside a chart over time: a row per period, a column per figure. */
function PeriodTable(props: { caption: string; periods: string[]; group: Group; columns: Column[] }) {
  const words = usePeriodWords(props.group);
  return (
    <table class="records report">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{words.axis}</th>
          {props.columns.map((c) => (
            <th scope="col" key={c.head}>
              {c.head}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.periods.map((p, i) => (
          <tr key={p} data-period={p}>
            <th scope="row">{words.row(p)}</th>
            {props.columns.map((c) => (
              <td class="num" key={c.head}>
                {c.cell(i)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function BookingsChart({ report, periods }: Props) {
  const { t, fmt } = useDesk();
  const words = usePeriodWords(report.group);
  const count = (n: number) => new Intl.NumberFormat(fmt.locale, { maximumFractionDigits: 0 }).format(n);
  const bookings = seriesOf(report, periods, (f) => f.bookings);
  const cancellations = seriesOf(report, periods, (f) => f.cancellations);
  const chart = {
    labels: periods.map(words.label),
    lines: [{ label: t("fig_bookings"), values: bookings }],
    xLabel: words.axis,
    yLabel: t("fig_bookings"),
    bars: true,
    counts: true,
    format: count,
  };
  return (
    <Figure id="bookings" title={t("chart_bookings")} chart={chart}>
      <PeriodTable
        caption={t("chart_bookings")}
        periods={periods}
        group={report.group}
        columns={[
          { head: t("fig_bookings"), cell: (i) => count(bookings[i] ?? 0) },
          { head: t("fig_cancellations"), cell: (i) => count(cancellations[i] ?? 0) },
        ]}
      />
    </Figure>
  );
}

export function RevenueChart({ report, periods, currency }: Props & { currency: string }) {
  const { t, fmt } = useDesk();
  const words = usePeriodWords(report.group);
  const decimals = currency === fmt.currency ? fmt.decimals : undefined;
  const money = (n: number) => moneyIn(fmt.locale, currency, n, decimals);
  const gross = seriesOf(report, periods, (f) => f.money[currency]?.gross ?? 0);
  const net = seriesOf(report, periods, (f) => f.money[currency]?.net ?? 0);
  const discounts = seriesOf(report, periods, (f) => f.money[currency]?.discounts ?? 0);
  const refunds = seriesOf(report, periods, (f) => f.money[currency]?.refunds ?? 0);
  const title = t("chart_revenue", { currency });
  const chart = {
    labels: periods.map(words.label),
    lines: [{ label: t("fig_net"), values: net }],
    xLabel: words.axis,
    yLabel: t("fig_net_in", { currency }),
    format: money,
    axis: (n: number) => moneyIn(fmt.locale, currency, n, decimals, true),
    emptyTop: 100 * 10 ** (decimals ?? 2), // a hundred of the currency's units
  };
  return (
    <Figure id={`revenue-${currency}`} title={title} chart={chart}>
      <PeriodTable
        caption={title}
        periods={periods}
        group={report.group}
        columns={[
          { head: t("fig_gross"), cell: (i) => money(gross[i] ?? 0) },
          // Net is gross less discounts and refunds: each column shown, so the row adds up
          // (an outside bookkeeper's coupon made gross less refunds differ from net unexplained).
          { head: t("fig_discounts"), cell: (i) => money(discounts[i] ?? 0) },
          { head: t("fig_refunds"), cell: (i) => money(refunds[i] ?? 0) },
          { head: t("fig_net"), cell: (i) => money(net[i] ?? 0) },
        ]}
      />
    </Figure>
  );
}

export function OccupancyChart({ report, periods }: Props) {
  const { t, fmt } = useDesk();
  const words = usePeriodWords(report.group);
  const count = (n: number) => new Intl.NumberFormat(fmt.locale).format(n);
  const sold = seriesOf(report, periods, (f) => f.units_sold);
  const available = seriesOf(report, periods, (f) => f.units_available);
  // Rooms, seats and staff time each on a line of their own when the business has several.
  const kinds = occupancyKinds(report);
  const lines = kinds.length
    ? kinds.map((kind) => ({
        label: t(`fig_occupancy_${kind}` as Key),
        values: seriesOf(report, periods, (f) => f.occupancy_by_kind?.[kind] ?? null),
      }))
    : [{ label: t("fig_occupancy"), values: seriesOf(report, periods, (f) => f.occupancy_bp) }];
  const chart = {
    labels: periods.map(words.label),
    lines,
    xLabel: words.axis,
    yLabel: t("fig_occupancy"),
    format: (bp: number) => percent(fmt.locale, bp),
    emptyTop: 10_000, // 100 %
  };
  return (
    <Figure id="occupancy" title={t("chart_occupancy")} chart={chart}>
      <PeriodTable
        caption={t("chart_occupancy")}
        periods={periods}
        group={report.group}
        columns={[
          { head: t("fig_units_sold"), cell: (i) => count(sold[i] ?? 0) },
          { head: t("fig_units_available"), cell: (i) => count(available[i] ?? 0) },
          ...lines.map((line) => ({ head: line.label, cell: (i: number) => percent(fmt.locale, line.values[i] ?? null) })),
        ]}
      />
      <p class="muted">{t("fig_units_note")}</p>
    </Figure>
  );
}

/** A dimension's mix: bookings per key over the range (the biggest five, the rest as one),
 * and in the table each key's bookings, share and net money. */
export function MixChart({ report, periods, dimension }: Props & { dimension: Dimension }) {
  const { t, fmt } = useDesk();
  const words = usePeriodWords(report.group);
  const parts = mixOf(report, periods);
  const count = (n: number) => new Intl.NumberFormat(fmt.locale).format(n);
  const all = parts.reduce((sum, p) => sum + p.bookings, 0);
  const share = new Intl.NumberFormat(fmt.locale, { style: "percent", maximumFractionDigits: 1 });
  const name = (key: string, label: string) => keyName(t, dimension, key, label);
  const currencies = [...new Set(parts.flatMap((p) => Object.keys(p.net)))].sort();
  const title = t(`chart_mix_${dimension}` as Key);
  const chart = {
    labels: periods.map(words.label),
    lines: parts.map((p) => ({ label: name(p.key, p.label), values: p.series })),
    xLabel: words.axis,
    yLabel: t("fig_bookings"),
    counts: true,
    format: count,
  };
  return (
    <Figure id={`mix-${dimension}`} title={title} chart={chart}>
      {parts.length === 0 ? (
        <p class="muted">{t("report_nothing")}</p>
      ) : (
        <table class="records report">
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t(`dim_${dimension}` as Key)}</th>
              <th scope="col">{t("fig_bookings")}</th>
              <th scope="col">{t("fig_share")}</th>
              {currencies.map((c) => (
                <th scope="col" key={c}>
                  {t("fig_net_in", { currency: c })}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {parts.map((p) => (
              <tr key={p.key} data-key={p.key}>
                <th scope="row">{name(p.key, p.label)}</th>
                <td class="num">{count(p.bookings)}</td>
                <td class="num">{all ? share.format(p.bookings / all) : "—"}</td>
                {currencies.map((c) => (
                  <td class="num" key={c}>
                    {moneyIn(fmt.locale, c, p.net[c] ?? 0, c === fmt.currency ? fmt.decimals : undefined)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Figure>
  );
}

/** A key of a dimension in the desk's words: a channel by its name, the rest by the label the
 * API gives (its id when it has none), the folded rest as "Others". */
export function keyName(t: ReturnType<typeof useDesk>["t"], dimension: Dimension, key: string, label: string): string {
  if (key === OTHERS) return t("report_others");
  if (dimension === "channel" && ["widget", "api", "staff", "import", "partner"].includes(key)) return t(`ch_${key}` as Key);
  return label || key || t("report_none");
}
