/**
 * One customer: their figures (bookings, visits, spend, cancellations, no-shows, first and
 * last visit, what, with whom and when they usually book), profile, tags and marketing
 * consent (customer_profile.tsx: saved over the version read; a change made elsewhere meanwhile
 * is not overwritten, the record is read again with what was typed kept), their orders (each linking to its page), notes with who wrote them and when,
 * and the records flagged as possibly the same person, which a manager merges into this one.
 */

import { useEffect, useState } from "preact/hooks";
import { MAY, type Order } from "./api";
import { message, useDesk } from "./app";
import { type CountOf, type Customer, customersApi } from "./customers_api";
import type { Key } from "./i18n";
import { LinesCell, Problem, Status } from "./lines";
import { focusIfLost } from "./focus";
import { CustomerPoints } from "./loyalty";
import { type Editing, Profile } from "./customer_profile";
import { CustomerPrivacy } from "./privacy";
import { CustomerSuggestions } from "./suggestions";

export function CustomerPage({ id }: { id: string }) {
  const desk = useDesk();
  const { t, api } = desk;
  const calls = customersApi(api);
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [names, setNames] = useState<Record<string, string>>({});
  const [error, setError] = useState("");
  const [notice, setNotice] = useState("");
  const [round, setRound] = useState(0);
  // What to say once the record is read again ("Saved."): said only then, so a field typed
  // in after it is not reset by the re-read's new form.
  const [afterRead, setAfterRead] = useState("");

  useEffect(() => {
    setError("");
    calls
      .get(id)
      .then((read) => {
        setCustomer(read);
        setNotice(afterRead);
        setAfterRead("");
        // Read again after a save, a note, a merge: the form was drawn anew for the new
        // version, so the keyboard goes to the line that says what happened, not <body>.
        if (afterRead) focusIfLost(() => document.getElementById("customer-notice"));
      })
      .catch((e) => setError(message(t, e)));
  }, [id, round]);
  useEffect(() => {
    Promise.all([api.offerings(), api.resources()])
      .then(([offerings, resources]) =>
        setNames(Object.fromEntries([...offerings, ...resources].map((x) => [x.id, x.name]))),
      )
      .catch(() => undefined); // ids are shown instead
  }, []);

  if (!customer) return error ? <Problem text={error} /> : <p role="status">{t("loading")}</p>;
  const reload = (text: string) => {
    setNotice("");
    setAfterRead(text);
    setRound((n) => n + 1);
  };
  const fail = (text: string) => {
    setNotice(""); // a "Saved." from before is not about this
    setError(text);
  };
  return (
    <section aria-labelledby="customer-title">
      <div class="toolbar">
        <h1 id="customer-title">{customer.name}</h1>
        <span class="muted">{customer.id}</span>
        <a class="button" href={`#/new?customer=${encodeURIComponent(customer.id)}`}>
          {t("cus_book_for")}
        </a>
      </div>
      {notice && (
        <p class="notice" role="status" id="customer-notice">
          {notice}
        </p>
      )}
      <Problem text={error} />
      {customer.email_bounced && (
        <p class="notice" data-bounced>
          {t("cus_email_bounced", { email: customer.email_bounced.email, at: desk.fmt.dateTime(customer.email_bounced.at) })}
        </p>
      )}
      {customer.merged_from.length > 0 && (
        <p class="muted">{t("cus_merged_from", { ids: customer.merged_from.join(", ") })}</p>
      )}
      <div class="columns">
        <div>
          <Figures customer={customer} names={names} />
          {customer.email && <CustomerPoints email={customer.email} />}
          <CustomerSuggestions customerId={customer.id} usual={false} />
          <Profile
            customer={customer}
            onSaved={() => reload(t("cus_saved"))}
            onStale={() => reload(t("cus_changed_kept"))}
            onError={fail}
          />
        </div>
        <div>
          <Notes customer={customer} onAdded={() => reload(t("done"))} onError={fail} />
          <Duplicates customer={customer} onMerged={() => reload(t("cus_merged"))} onError={fail} />
        </div>
      </div>
      <History id={customer.id} round={round} />
      {MAY.manage(desk.me.role) && (customer.email || customer.phone) && (
        <section class="customer-privacy" aria-labelledby="privacy-title">
          <h2 id="privacy-title">{t("cus_privacy")}</h2>
          <CustomerPrivacy contact={customer.id} />
        </section>
      )}
    </section>
  );
}

function usual(list: CountOf[], label: (id: string) => string): string {
  return list.map((x) => `${label(x.id)} (${x.count})`).join(", ");
}

function Figures({ customer, names }: { customer: Customer; names: Record<string, string> }) {
  const { t, fmt } = useDesk();
  const f = customer.figures;
  // A visit's day: a stay starts at midnight, and its clock time says nothing.
  const at = (instant: string | null) => (instant ? fmt.dayOf(instant) : t("cus_never"));
  const rows: [Key, string][] = [
    ["cus_bookings", String(f.bookings)],
    ["cus_visits", String(f.visits)],
    ["cus_spend", fmt.money(f.spend)],
    ["cus_cancellations", String(f.cancellations)],
    ["cus_no_shows", String(f.no_shows)],
    ["cus_first_visit", at(f.first_visit)],
    ["cus_last_visit", at(f.last_visit)],
    ["cus_usual_offerings", usual(f.usual_offerings, (x) => names[x] ?? x)],
    ["cus_usual_staff", usual(f.usual_staff, (x) => names[x] ?? x)],
    ["cus_usual_hours", usual(f.usual_hours, (h) => fmt.hour(Number(h)))],
  ];
  // Stays have no hour (the API counts none for them): a hotel guest's record leaves it out.
  if (!f.usual_hours.length) rows.pop();
  return (
    <section aria-labelledby="figures-title">
      <h2 id="figures-title">{t("cus_figures")}</h2>
      <dl class="facts">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{t(k)}</dt>
            <dd>{v || "—"}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Notes({ customer, onAdded, onError }: Editing & { onAdded: () => void }) {
  const { t, fmt, api, me } = useDesk();
  const [text, setText] = useState("");
  const add = async (event: Event) => {
    event.preventDefault();
    try {
      await customersApi(api).note(customer.id, text);
      setText("");
      onAdded();
    } catch (e) {
      onError(message(t, e));
    }
  };
  const notes = customer.notes ?? [];
  return (
    <section aria-labelledby="notes-title">
      <h2 id="notes-title">{t("cus_notes")}</h2>
      {notes.length === 0 && <p class="muted">{t("cus_notes_none")}</p>}
      <ul class="cus-notes">
        {notes.map((n) => (
          <li key={n.id}>
            <p>{n.text}</p>
            <small class="muted">{t("cus_note_by", { who: n.by_name || n.by, when: fmt.dateTime(n.at) })}</small>
          </li>
        ))}
      </ul>
      {MAY.operate(me.role) && (
        <form class="cus-form" onSubmit={add}>
          <label>
            {t("cus_note_new")}
            <textarea
              name="note"
              required
              maxLength={4000}
              value={text}
              onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
            />
          </label>
          <button type="submit" disabled={!text.trim()}>
            {t("cus_note_add")}
          </button>
        </form>
      )}
    </section>
  );
}

function Duplicates({ customer, onMerged, onError }: Editing & { onMerged: () => void }) {
  const { t, api, me } = useDesk();
  if (customer.possible_duplicates.length === 0) return null;
  const merge = async (other: string) => {
    if (!window.confirm(t("cus_merge_confirm", { other, name: customer.name }))) return;
    try {
      await customersApi(api).merge(customer.id, other);
      onMerged();
    } catch (e) {
      onError(message(t, e));
    }
  };
  return (
    <section aria-labelledby="dups-title">
      <h2 id="dups-title">{t("cus_duplicates")}</h2>
      <p class="muted">{t("cus_duplicate_of")}</p>
      <ul>
        {customer.possible_duplicates.map((other) => (
          <li key={other}>
            <a href={`#/customer/${encodeURIComponent(other)}`}>{other}</a>{" "}
            {MAY.manage(me.role) && (
              <button type="button" onClick={() => merge(other)}>
                {t("cus_merge")}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function History({ id, round }: { id: string; round: number }) {
  const { t, fmt, api } = useDesk();
  const [orders, setOrders] = useState<Order[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState("");
  const load = (after?: string) =>
    customersApi(api)
      .orders(id, after)
      .then((page) => {
        setOrders((before) => [...(after ? (before ?? []) : []), ...page.data]);
        setCursor(page.next_cursor);
      })
      .catch((e) => setError(message(t, e)));
  useEffect(() => {
    load();
  }, [id, round]);
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{t("cus_history")}</h2>
      <Problem text={error} />
      {orders?.length === 0 && <p class="muted">{t("cus_history_none")}</p>}
      {orders && orders.length > 0 && (
        <div class="scroll">
          <table class="results">
            <thead>
              <tr>
                <th scope="col">{t("reference")}</th>
                <th scope="col">{t("lines")}</th>
                <th scope="col">{t("status")}</th>
                <th scope="col">{t("total")}</th>
              </tr>
            </thead>
            <tbody>
              {orders.map((o) => (
                <tr key={o.id}>
                  <td>
                    <a href={`#/order/${encodeURIComponent(o.id)}`}>{o.id}</a>
                  </td>
                  <LinesCell t={t} fmt={fmt} order={o} />
                  <td>
                    <Status status={o.status} />
                  </td>
                  <td class="num">{fmt.money(o.totals.total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <button type="button" onClick={() => load(cursor)}>
          {t("more")}
        </button>
      )}
    </section>
  );
}
