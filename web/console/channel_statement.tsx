/**
 * A partner's monthly statement (`?view=statement&month=YYYY-MM`): the month's bookings made
 * through the connection (by the month each was booked, in the business's zone), each with
 * its total, commission rate and commission (and the partner's own price, when a channel
 * manager said one), and the totals per currency (orders, total,
 * commission, what is left after it). The month is chosen with a month field or the month
 * before and after; this month is the first shown. Money by Intl in each line's currency.
 */

import { todayIn } from "../shared/format";
import { useDesk } from "./app";
import { addMonths, channels, commission, type Connection, type Statement } from "./channel_api";
import { Problem, Status, useLoaded } from "./lines";
import { moneyIn } from "./report_series";

export function StatementView({ connection, month: asked }: { connection: Connection; month: string }) {
  const desk = useDesk();
  const { t, fmt, api } = desk;
  const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(asked) ? asked : todayIn(desk.tenant.timezone).slice(0, 7);
  const { data, error } = useLoaded(() => channels.statement(api, connection.id, month), [connection.id, month]);
  const goTo = (m: string) => /^\d{4}-\d{2}$/.test(m) && desk.go(`#/channel/${encodeURIComponent(connection.id)}?view=statement&month=${m}`);
  const monthName = (m: string) => {
    const [y, n] = m.split("-").map(Number);
    return new Intl.DateTimeFormat(fmt.locale, { timeZone: "UTC", year: "numeric", month: "long" }).format(new Date(Date.UTC(y!, n! - 1, 1)));
  };
  return (
    <section class="panel statement" aria-labelledby="statement-title">
      <div class="toolbar">
        <h2 id="statement-title">{t("channel_statement_of", { month: monthName(month) })}</h2>
        <div class="month-pick">
          <button type="button" class="secondary" onClick={() => goTo(addMonths(month, -1))} aria-label={t("channel_month_before")}>
            ‹
          </button>
          <label>
            <span class="sr-only">{t("channel_month")}</span>
            <input type="month" value={month} onChange={(e) => goTo((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <button type="button" class="secondary" onClick={() => goTo(addMonths(month, 1))} aria-label={t("channel_month_after")}>
            ›
          </button>
        </div>
      </div>
      <p class="muted">{t("channel_statement_help")}</p>
      <Problem text={error} />
      {data === null && !error && <p role="status">{t("loading")}</p>}
      {data && <StatementTables statement={data} />}
    </section>
  );
}

function StatementTables({ statement }: { statement: Statement }) {
  const { t, fmt } = useDesk();
  const money = (currency: string, minor: number) =>
    moneyIn(fmt.locale, currency, minor, currency === fmt.currency ? fmt.decimals : undefined);
  const currencies = Object.keys(statement.totals).sort();
  // The partner's own price: a column only when a line has one (a channel manager's).
  const priced = statement.lines.some((l) => l.price != null && l.price_currency);
  const linesTitle = t("channel_statement_lines");
  const totalsTitle = t("channel_statement_totals");
  return (
    <>
      {statement.lines.length === 0 && <p>{t("channel_statement_empty")}</p>}
      {statement.lines.length > 0 && (
        <div class="chart-table wide-table" role="region" tabIndex={0} aria-label={linesTitle}>
          <table class="results">
            <caption class="sr-only">{linesTitle}</caption>
            <thead>
              <tr>
                <th scope="col">{t("channel_booked_at")}</th>
                <th scope="col">{t("channel_reference")}</th>
                <th scope="col">{t("channel_order")}</th>
                <th scope="col">{t("status")}</th>
                <th scope="col" class="num">
                  {t("total")}
                </th>
                {priced && (
                  <th scope="col" class="num">
                    {t("channel_partner_price")}
                  </th>
                )}
                <th scope="col" class="num">
                  {t("channel_rate")}
                </th>
                <th scope="col" class="num">
                  {t("channel_commission")}
                </th>
              </tr>
            </thead>
            <tbody>
              {statement.lines.map((l) => (
                <tr key={l.order_id}>
                  <td class="nowrap">{fmt.dateTime(l.booked_at, statement.zone)}</td>
                  <td>
                    <code>{l.reference}</code>
                  </td>
                  <td>
                    <a href={`#/order/${encodeURIComponent(l.order_id)}`}>{l.order_id}</a>
                  </td>
                  <td>
                    <Status status={l.status} />
                  </td>
                  <td class="num">{money(l.currency, l.total)}</td>
                  {priced && (
                    <td class="num">{l.price != null && l.price_currency ? money(l.price_currency, l.price) : "—"}</td>
                  )}
                  <td class="num">{commission(fmt.locale, l.commission_bp)}</td>
                  <td class="num">{money(l.currency, l.commission)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {currencies.length > 0 && (
        <div class="chart-table wide-table" role="region" tabIndex={0} aria-label={totalsTitle}>
          <table class="results statement-totals">
            <caption>{totalsTitle}</caption>
            <thead>
              <tr>
                <th scope="col">{t("currency")}</th>
                <th scope="col" class="num">
                  {t("channel_orders")}
                </th>
                <th scope="col" class="num">
                  {t("total")}
                </th>
                <th scope="col" class="num">
                  {t("channel_commission")}
                </th>
                <th scope="col" class="num">
                  {t("channel_net")}
                </th>
              </tr>
            </thead>
            <tbody>
              {currencies.map((c) => {
                const sum = statement.totals[c]!;
                return (
                  <tr key={c} data-currency={c}>
                    <th scope="row">{c}</th>
                    <td class="num">{new Intl.NumberFormat(fmt.locale).format(sum.orders)}</td>
                    <td class="num">{money(c, sum.total)}</td>
                    <td class="num">{money(c, sum.commission)}</td>
                    <td class="num">{money(c, sum.net)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p class="muted">{t("channel_statement_zone", { zone: fmt.zoneName(statement.zone) })}</p>
    </>
  );
}
