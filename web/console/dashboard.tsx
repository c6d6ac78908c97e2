/**
 * The dashboard (`#/dashboard`, managers and owners): the business's figures for a range (the
 * last 7 or 30 days, this month, or dates of one's own) on a basis named on the page (the day
 * booked, served or paid), against the period before, with when they were last updated. The
 * totals first, then charts over the range: bookings, net revenue per currency, occupancy,
 * and the channel and offering mix. Every chart has its numbers in a table beside it. Three
 * reads of `GET /v1/reports/figures`: the range with the previous period, by channel, by
 * offering. On the basis "Day paid" only money counts: the tiles are the money received and
 * given back, the charts the revenue and the payments per method (no counts, no mix).
 */

import { useDesk } from "./app";
import type { Key } from "./i18n";
import { Problem, useLoaded } from "./lines";
import { ChoiceControls, choiceOf, ReportsNav } from "./report_controls";
import { type Figures, figures, type Report } from "./report_api";
import { change, currenciesOf, groupFor, moneyIn, occupancyKinds, periodsOf, percent } from "./report_series";
import { BookingsChart, MixChart, OccupancyChart, RevenueChart } from "./dashboard_figures";
import { PaymentsChart } from "./dashboard_payments";

export function Dashboard({ query }: { query: URLSearchParams }) {
  const desk = useDesk();
  const { t, api, fmt } = desk;
  const choice = choiceOf(query, desk.tenant.timezone);
  const { range, basis } = choice;
  const group = groupFor(range);
  const paid = basis === "paid"; // money only: bookings, guests and occupancy are not counted on it
  const { data, error } = useLoaded(
    () =>
      Promise.all([
        figures(api, { basis, ...range, group, compare: true }),
        paid ? null : figures(api, { basis, ...range, group, by: "channel" }),
        paid ? null : figures(api, { basis, ...range, group, by: "offering" }),
      ]),
    [basis, range.from, range.to],
  );
  const periods = periodsOf(range, group);
  return (
    <section aria-labelledby="dashboard-title" class="reports dashboard">
      <ReportsNav current="#/dashboard" />
      <h1 id="dashboard-title">{t("dashboard_title")}</h1>
      <ChoiceControls page="#/dashboard" query={query} choice={choice} />
      <Problem text={error} />
      {!data && !error && <p role="status">{t("loading")}</p>}
      {data && (
        <>
          <About report={data[0]} />
          <Totals report={data[0]} />
          <div class="charts">
            {!paid && <BookingsChart report={data[0]} periods={periods} />}
            {paid &&
              currenciesOf(data[0], fmt.currency).map((c) => (
                <PaymentsChart key={`payments-${c}`} report={data[0]} periods={periods} currency={c} />
              ))}
            {currenciesOf(data[0], fmt.currency).map((c) => (
              <RevenueChart key={c} report={data[0]} periods={periods} currency={c} />
            ))}
            {paid && currenciesOf(data[0], fmt.currency).length === 0 && <p class="muted">{t("report_no_payments")}</p>}
            {!paid && <OccupancyChart report={data[0]} periods={periods} />}
            {data[1] && <MixChart report={data[1]} periods={periods} dimension="channel" />}
            {data[2] && <MixChart report={data[2]} periods={periods} dimension="offering" />}
          </div>
        </>
      )}
    </section>
  );
}

/** What the figures are: the dates, the basis, the period compared, when last updated. */
function About({ report }: { report: Report }) {
  const { t, fmt } = useDesk();
  return (
    <p class="report-about" data-testid="report-about">
      {t("report_span", { from: fmt.day(report.from), to: fmt.day(report.to), basis: t(`basis_${report.basis}` as Key) })}{" "}
      {report.previous && t("report_compared", { from: fmt.day(report.previous.from), to: fmt.day(report.previous.to) })}{" "}
      <span class="updated">
        {report.updated_at ? t("report_updated", { when: fmt.dateTime(report.updated_at) }) : t("report_never_updated")}
      </span>
    </p>
  );
}

interface Tile {
  id: string;
  label: string;
  now: string;
  change: number | null;
  before: string;
}

/** The range's totals, each with its change against the previous period. */
function Totals({ report }: { report: Report }) {
  const { t, fmt } = useDesk();
  const now = report.totals;
  const before: Figures | null = report.previous?.totals ?? null;
  const locale = fmt.locale;
  const count = (n: number) => new Intl.NumberFormat(locale).format(n);
  const paid = report.basis === "paid"; // counts do not apply: the money received and given back
  const tiles: Tile[] = paid
    ? []
    : [
        tile("bookings", t("fig_bookings"), now.bookings, before?.bookings ?? null, count),
        tile("cancellations", t("fig_cancellations"), now.cancellations, before?.cancellations ?? null, count),
        tile("guests", t("fig_guests"), now.guests, before?.guests ?? null, count),
        ...occupancyTiles(report, t, locale),
      ];
  for (const c of currenciesOf(report, fmt.currency)) {
    const decimals = c === fmt.currency ? fmt.decimals : undefined;
    const money = (n: number) => moneyIn(locale, c, n, decimals);
    const m = now.money[c];
    const p = before?.money[c];
    const net = t(paid ? "fig_net_received_in" : "fig_net_in", { currency: c });
    tiles.push(tile(`net-${c}`, net, m?.net ?? 0, before ? (p?.net ?? 0) : null, money));
    if (paid) {
      tiles.push(tile(`refunds-${c}`, t("fig_refunds_in", { currency: c }), m?.refunds ?? 0, before ? (p?.refunds ?? 0) : null, money));
      continue;
    }
    if (m?.adr != null) tiles.push(tile(`adr-${c}`, t("fig_adr_in", { currency: c }), m.adr, p?.adr ?? null, money));
    if (m?.revpar != null) tiles.push(tile(`revpar-${c}`, t("fig_revpar_in", { currency: c }), m.revpar, p?.revpar ?? null, money));
  }
  const signed = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1, signDisplay: "exceptZero" });
  return (
    <dl class="tiles" aria-label={t("report_totals")}>
      {tiles.map((x) => (
        <div class="tile" key={x.id} data-figure={x.id}>
          <dt>{x.label}</dt>
          <dd class="now">{x.now}</dd>
          <dd class="change">
            {x.change === null
              ? t("report_no_change", { before: x.before })
              : t("report_change", { change: signed.format(x.change), before: x.before })}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Occupancy: one tile, or one per kind of resource when the business has several. */
function occupancyTiles(report: Report, t: ReturnType<typeof useDesk>["t"], locale: string): Tile[] {
  const now = report.totals;
  const before = report.previous?.totals ?? null;
  const write = (bp: number) => percent(locale, bp);
  const kinds = occupancyKinds(report);
  if (!kinds.length) return [tile("occupancy", t("fig_occupancy"), now.occupancy_bp, before?.occupancy_bp ?? null, write)];
  return kinds.map((kind) =>
    tile(
      `occupancy-${kind}`,
      t(`fig_occupancy_${kind}` as Key),
      now.occupancy_by_kind?.[kind] ?? null,
      before?.occupancy_by_kind?.[kind] ?? null,
      write,
    ),
  );
}

function tile(
  id: string,
  label: string,
  now: number | null,
  before: number | null,
  write: (n: number) => string,
): Tile {
  return {
    id,
    label,
    now: now === null ? "—" : write(now),
    change: change(now, before),
    before: before === null ? "—" : write(before),
  };
}
