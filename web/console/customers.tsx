/**
 * Customers: one search box (a name's start, an e-mail or a phone: the API picks its index
 * from what is typed) kept in the address so Back works, the customers found, each linking to
 * its profile (customer.tsx), and the records flagged as possible duplicates, in pairs side by
 * side with the merge of each pair (duplicate_pairs.tsx).
 */

import { useEffect, useState } from "preact/hooks";
import { message, useDesk } from "./app";
import { type Customer, customersApi } from "./customers_api";
import { DuplicatePairs } from "./duplicate_pairs";
import { Problem } from "./lines";
import { focusIfLost } from "./focus";

export function Customers({ q }: { q: string }) {
  const desk = useDesk();
  const { t, api } = desk;
  const calls = customersApi(api);
  const [found, setFound] = useState<Customer[] | null>(null);
  const [duplicates, setDuplicates] = useState<Customer[] | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    setError("");
    setFound(null);
    if (q.trim()) {
      calls
        .search(q)
        .then((page) => {
          setFound(page.data);
          // Searched (the form is drawn again for the new words): the keyboard on how many
          // were found, above them, not on <body>; opened with a search, it stays in the field.
          focusIfLost(() => document.getElementById("customers-found"));
        })
        .catch((e) => setError(message(t, e)));
    }
  }, [q]);
  const [round, setRound] = useState(0);
  useEffect(() => {
    calls
      .duplicates()
      .then((page) => setDuplicates(page.data))
      .catch(() => setDuplicates([]));
  }, [round]);

  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    desk.go(`#/customers?q=${encodeURIComponent(String(form.get("q") ?? "").trim())}`);
  };

  return (
    <section aria-labelledby="customers-title">
      <h1 id="customers-title">{t("cus_title")}</h1>
      <form class="search" role="search" onSubmit={submit} key={q}>
        <label>
          {t("cus_search")}
          {/* uncontrolled: what is typed stays while the duplicates load */}
          <input name="q" type="search" defaultValue={q} maxLength={254} aria-describedby="customers-help" autoFocus />
        </label>
        <button type="submit">{t("cus_search_button")}</button>
      </form>
      <p id="customers-help" class="muted">
        {t("cus_search_help")}
      </p>
      <Problem text={error} />
      {found !== null && (
        <>
          <p class="muted" role="status" id="customers-found">
            {t("cus_results", { n: found.length })}
          </p>
          {found.length === 0 ? <p>{t("cus_none")}</p> : <CustomerTable customers={found} />}
        </>
      )}
      <h2>{t("cus_duplicates")}</h2>
      {duplicates && <DuplicatePairs flagged={duplicates} onMerged={() => setRound((n) => n + 1)} />}
    </section>
  );
}

function CustomerTable({ customers }: { customers: Customer[] }) {
  const { t, fmt } = useDesk();
  return (
    <div class="scroll">
      <table class="results" aria-labelledby="customers-found">
        <thead>
          <tr>
            <th scope="col">{t("cus_name")}</th>
            <th scope="col">{t("cus_email")}</th>
            <th scope="col">{t("cus_phone")}</th>
            <th scope="col">{t("cus_bookings")}</th>
            <th scope="col">{t("cus_last_visit")}</th>
          </tr>
        </thead>
        <tbody>
          {customers.map((c) => (
            <tr key={c.id}>
              <td>
                <a href={`#/customer/${encodeURIComponent(c.id)}`}>{c.name}</a>
              </td>
              <td class="email">{c.email}</td>
              <td>{c.phone}</td>
              <td class="num">{c.figures.bookings}</td>
              <td>{c.figures.last_visit ? fmt.dayOf(c.figures.last_visit) : t("cus_never")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
