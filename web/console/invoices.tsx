/**
 * The Invoices page (`#/invoices?month=YYYY-MM`): the invoices and credit notes issued in a
 * month of the business's calendar (`GET /v1/invoices?month=`), oldest first, a page at a
 * time, each with its order and its PDF in English or Chinese through a link that expires.
 */

import { todayIn } from "../shared/format";
import { useState } from "preact/hooks";
import { MAY } from "./api";
import { useDesk } from "./app";
import type { Key } from "./i18n";
import { Problem, useAction, useLoaded } from "./lines";
import { DocumentFiles, type DocSummary } from "./order_invoices";

interface InvoiceRow extends DocSummary {
  order_id: string;
  issue_date: string;
  buyer: { name: string; company: string };
}
interface InvoicePage {
  month: string;
  invoices: InvoiceRow[];
  next_cursor: string | null;
}

/** The business's month now (its zone, not the browser's: invoices are dated in it). */
function thisMonth(zone: string): string {
  return todayIn(zone).slice(0, 7);
}

export function InvoicesPage({ month }: { month: string }) {
  const desk = useDesk();
  const { t, api, fmt } = desk;
  const shown = /^\d{4}-\d{2}$/.test(month) ? month : thisMonth(desk.tenant.timezone);
  const [more, setMore] = useState<InvoiceRow[]>([]); // the pages read after the first
  const [next, setNext] = useState<string | null>(null);
  const { data, error } = useLoaded(async () => {
    setMore([]);
    const page = await api.get<InvoicePage>("/v1/invoices", { month: shown, limit: 50 });
    setNext(page.next_cursor);
    return page;
  }, [shown]);
  const readMore = async () => {
    if (!next) return;
    const page = await api.get<InvoicePage>("/v1/invoices", { month: shown, limit: 50, cursor: next });
    setMore([...more, ...page.invoices]);
    setNext(page.next_cursor);
  };
  const rows = data ? [...data.invoices, ...more] : [];
  return (
    <section aria-labelledby="invoices-page-title">
      <h1 id="invoices-page-title">{t("inv_title")}</h1>
      <label>
        {t("inv_month")}
        <input
          type="month"
          value={shown}
          onChange={(e) => desk.go(`#/invoices?month=${(e.currentTarget as HTMLInputElement).value}`)}
        />
      </label>
      <Problem text={error} />
      {data && rows.length === 0 && <p class="muted">{t("inv_month_none")}</p>}
      {rows.length > 0 && (
        <table class="records invoices">
          <thead>
            <tr>
              <th scope="col">{t("inv_number")}</th>
              <th scope="col">{t("inv_date")}</th>
              <th scope="col">{t("inv_buyer")}</th>
              <th scope="col">{t("inv_order")}</th>
              <th scope="col">{t("inv_total")}</th>
              <th scope="col">PDF</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id}>
                <td>
                  {t(`inv_kind_${d.kind}` as Key)} {d.number}
                </td>
                <td>{fmt.day(d.issue_date)}</td>
                <td>{d.buyer.company || d.buyer.name}</td>
                <td>
                  <a href={`#/order/${encodeURIComponent(d.order_id)}`}>{d.order_id}</a>
                </td>
                <td class="num">{fmt.money(d.total)}</td>
                <td>
                  <DocumentFiles doc={d} mail={false} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <button type="button" class="secondary" onClick={readMore}>
          {t("inv_more")}
        </button>
      )}
      {MAY.manage(desk.me.role) && <AtCompletion />}
    </section>
  );
}

/** The business's choice (`invoice_at_completion`, managers and owners): an order's check-out
 * issues its invoice and e-mails it to the customer. */
function AtCompletion() {
  const { t, api } = useDesk();
  const { busy, error, run } = useAction();
  const { data } = useLoaded(() => api.get<{ settings: { invoice_at_completion: boolean } }>("/v1/tenant"), []);
  const [chosen, setChosen] = useState<boolean | null>(null); // as ticked, until the answer says
  if (!data) return null;
  const shown = chosen ?? data.settings.invoice_at_completion;
  const change = async (on: boolean) => {
    setChosen(on);
    if (!(await run(() => api.patch("/v1/tenant", { invoice_at_completion: on })))) setChosen(!on);
  };
  return (
    <p>
      <label>
        <input
          type="checkbox"
          checked={shown}
          disabled={busy}
          onChange={(e) => change((e.currentTarget as HTMLInputElement).checked)}
        />{" "}
        {t("inv_at_completion")}
      </label>
      <Problem text={error} />
    </p>
  );
}
