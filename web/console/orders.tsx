/**
 * Finding orders: the search form (start dates, status, payment, channel, a name's start,
 * e-mail, phone, reference) kept in the address, so a search can be bookmarked and Back works;
 * results from `GET /v1/orders`, more on demand with its cursor; the orders selected there get
 * one action in bulk (bulk.tsx).
 */

import { useEffect, useRef, useState } from "preact/hooks";
import { MAY, type Order } from "./api";
import { BulkBar } from "./bulk";
import { message, useDesk } from "./app";
import { focusId } from "./focus";
import type { Key } from "./i18n";
import { LinesCell, Payment, Problem, Status } from "./lines";

const FIELDS = ["from", "to", "status", "payment_status", "channel", "name", "email", "phone", "reference"];
const STATUSES = ["held", "confirmed", "checked_in", "completed", "cancelled", "expired", "no_show"];
const PAYMENTS = [
  "unpaid",
  "authorised",
  "partially_paid",
  "deposit_paid",
  "paid",
  "refund_due",
  "partially_refunded",
  "refunded",
];
const CHANNELS = ["widget", "api", "staff", "import", "partner"];
const PAGE = 25; // orders a search shows at once, and each "Show more" adds
const MAX_READS = 4; // reads a page may take to fill (each looks at so many orders)

export function Orders({ query }: { query: URLSearchParams }) {
  const desk = useDesk();
  const { t, fmt, api } = desk;
  const filters: Record<string, string> = {};
  for (const name of FIELDS) {
    const v = query.get(name);
    if (v) filters[name] = v;
  }
  const key = JSON.stringify(filters);
  const [orders, setOrders] = useState<Order[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [sortedBy, setSortedBy] = useState("start");
  const [searched, setSearched] = useState<{ from: string; to: string } | null>(null);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const operate = MAY.operate(desk.me.role);
  // Search was pressed: the form is drawn anew for the new address (its `key`), which drops
  // the focus, so the count of what was found takes it once the results are in.
  const searching = useRef(false);
  const generation = useRef(0); // the search whose pages are shown (`load`)
  const toggle = (id: string) =>
    setSelected((before) => {
      const next = new Set(before);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const load = async (after: string | null) => {
    // A new search (or a reload) supersedes whatever is still being read: an older search's
    // pages, slower now that a page may take several reads, are dropped, never shown under the
    // new filters nor appended to their results (a reviewer's).
    const mine = after ? generation.current : ++generation.current;
    const current = () => generation.current === mine;
    setBusy(true);
    setError("");
    try {
      // A filtered search over a long range answers fewer than asked per read (the API looks at
      // so many orders a request): read on, a few times, until the page is full, rather than
      // showing a dozen more per "Show more" (a busy hotel's tester pressed it 32 times).
      let page = await api.search({ ...filters, limit: String(PAGE), ...(after ? { cursor: after } : {}) });
      const rows = [...page.data];
      for (let reads = 1; reads < MAX_READS && rows.length < PAGE && page.next_cursor; reads++) {
        page = { ...page, ...(await api.search({ ...filters, limit: String(PAGE - rows.length), cursor: page.next_cursor })) };
        rows.push(...page.data);
      }
      if (!current()) return;
      setOrders((before) => [...(after ? (before ?? []) : []), ...rows]);
      // Only orders on the page stay selected: the next bulk action acts on what is shown.
      if (!after) setSelected((was) => new Set(rows.map((o) => o.id).filter((id) => was.has(id))));
      setCursor(page.next_cursor);
      setSortedBy(page.sorted_by);
      setSearched(page.start_window ?? null);
      if (searching.current) focusId("orders-found");
    } catch (e) {
      if (!current()) return;
      setError(message(t, e));
      if (searching.current) focusId("orders-problem");
    } finally {
      if (current()) {
        searching.current = false;
        setBusy(false);
      }
    }
  };
  useEffect(() => {
    setOrders(null);
    setSelected(new Set());
    load(null);
  }, [key]);
  const reload = () => load(null); // a bulk job finished: show the orders as they are now

  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const params = new URLSearchParams();
    for (const name of FIELDS) {
      const v = String(form.get(name) ?? "").trim();
      if (v) params.set(name, v);
    }
    const next = `#/orders?${params.toString()}`;
    // The same search again reads nothing anew and keeps the form (and the focus on Search).
    if (JSON.stringify(Object.fromEntries(params)) !== key) searching.current = true;
    desk.go(next);
  };

  const choice = (name: string, label: Key, values: string[], prefix: string) => (
    <label>
      {t(label)}
      <select name={name}>
        <option value="" selected={!filters[name]}>
          {t("any")}
        </option>
        {values.map((v) => (
          <option value={v} key={v} selected={filters[name] === v}>
            {t(`${prefix}${v}` as Key)}
          </option>
        ))}
      </select>
    </label>
  );
  const text = (name: string, label: Key, type: "text" | "date" | "email" | "tel" = "text") => (
    <label>
      {t(label)}
      {/* one union is more than Preact's per-type input attributes accept. Not `value`:
          Preact puts a controlled value back on every draw, so a name typed while the first
          page of orders came was wiped when it came (a CI run's search sent nothing); the
          form is drawn anew, with these defaults, for each search's address. */}
      <input name={name} type={type as "text"} defaultValue={filters[name] ?? ""} />
    </label>
  );

  return (
    <section aria-labelledby="orders-title">
      <h1 id="orders-title">{t("search_title")}</h1>
      <form class="search" onSubmit={submit} key={key}>
        {text("from", "from", "date")}
        {text("to", "to", "date")}
        {choice("status", "status", STATUSES, "st_")}
        {choice("payment_status", "payment", PAYMENTS, "pay_")}
        {choice("channel", "channel", CHANNELS, "ch_")}
        {text("name", "name")}
        {text("email", "customer_email", "email")}
        {text("phone", "phone", "tel")}
        {text("reference", "reference")}
        <button type="submit">{t("search")}</button>
      </form>
      <Problem text={error} id="orders-problem" />
      {/* Said while the first page is read (a busy hotel's took seconds of a blank page). */}
      {orders === null && busy && <p role="status">{t("loading")}</p>}
      {orders !== null && (
        <p class="muted" role="status" id="orders-found" tabIndex={-1}>
          {t("results_n", { n: orders.length })} · {t(`sorted_by_${sortedBy}` as Key)}
        </p>
      )}
      {orders !== null && searched && !filters.from && !filters.to && (
        // P7A 8: with no dates the API searches its default window; say which, and how to see others.
        <p class="muted" role="note">
          {t("search_window", { from: fmt.day(searched.from), to: fmt.day(searched.to) })}
        </p>
      )}
      {orders?.length === 0 && !cursor && <p>{t("no_orders")}</p>}
      {orders && orders.length > 0 && (
        <div class="scroll">
        <table class="results">
          <thead>
            <tr>
              {operate && (
                <th scope="col">
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={orders.every((o) => selected.has(o.id))}
                      onChange={(e) =>
                        setSelected(new Set((e.currentTarget as HTMLInputElement).checked ? orders.map((o) => o.id) : []))
                      }
                    />
                    <span class="sr-only">{t("select_all")}</span>
                  </label>
                </th>
              )}
              <th scope="col">{t("reference")}</th>
              <th scope="col">{t("customer")}</th>
              <th scope="col">{t("lines")}</th>
              <th scope="col">{t("status")}</th>
              <th scope="col">{t("payment")}</th>
              <th scope="col">{t("total")}</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={o.id}>
                {operate && (
                  <td>
                    <label class="check">
                      <input type="checkbox" checked={selected.has(o.id)} onChange={() => toggle(o.id)} />
                      <span class="sr-only">{t("select_order", { id: o.id })}</span>
                    </label>
                  </td>
                )}
                <td>
                  <a href={`#/order/${encodeURIComponent(o.id)}`}>{o.id}</a>
                </td>
                <td>{o.customer.name}</td>
                <LinesCell t={t} fmt={fmt} order={o} />
                <td>
                  <Status status={o.status} />
                </td>
                <td>
                  <Payment status={o.payment_status} />
                </td>
                <td class="num">{fmt.money(o.totals.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      {cursor && (
        <button type="button" disabled={busy} onClick={() => load(cursor)}>
          {t("more")}
        </button>
      )}
      {operate && selected.size > 0 && <BulkBar orderIds={[...selected]} onDone={reload} />}
    </section>
  );
}
