/**
 * An order's invoices and credit notes, in its Money panel (`GET /v1/orders/{id}/invoices`).
 * Staff issue the invoice (`POST /v1/orders/{id}/invoices`: the bill as it stands, numbered,
 * never changed after) and e-mail it; managers credit the live one in full
 * (`POST /v1/invoices/{id}/credit-note`), after which the order can be invoiced again. Each
 * document's PDF, English or Chinese, comes through a link that works for five minutes
 * (`GET /v1/invoices/{id}/pdf`): the link is fetched on a click and offered to download.
 */

import { useRef, useState } from "preact/hooks";
import { MAY } from "./api";
import { useDesk } from "./app";
import { focusSoon } from "./focus";
import type { Key } from "./i18n";
import { Problem, useAction, useLoaded } from "./lines";

export interface DocSummary {
  id: string;
  kind: "invoice" | "credit_note" | "receipt";
  number: string;
  total: number;
  issued_at: string;
}
interface OrderInvoices {
  order_id: string;
  live_invoice: string | null;
  creditable: number;
  documents: DocSummary[];
}
interface Download {
  url: string;
  expires_at: string;
  language: string;
  filename: string;
}

// The statuses an order is invoiced in (the API refuses the others: order_not_invoiceable).
const INVOICEABLE = new Set(["confirmed", "checked_in", "completed", "no_show"]);

export function OrderInvoices(props: { orderId: string; status: string; version: number; bills?: number }) {
  const { orderId, status, version, bills } = props;
  const desk = useDesk();
  const { t, api, fmt } = desk;
  const path = `/v1/orders/${encodeURIComponent(orderId)}/invoices`;
  const { data, error, refresh } = useLoaded(() => api.get<OrderInvoices>(path), [orderId, version]);
  return (
    <section class="invoices-panel" aria-labelledby="invoices-title">
      <h3 id="invoices-title">{t("inv_title")}</h3>
      <Problem text={error} />
      {data && data.documents.length === 0 && <p class="muted">{t("inv_none")}</p>}
      {data && data.documents.length > 0 && (
        <table class="records invoices">
          <thead>
            <tr>
              <th scope="col">{t("inv_number")}</th>
              <th scope="col">{t("inv_date")}</th>
              <th scope="col">{t("inv_total")}</th>
              <th scope="col">PDF</th>
            </tr>
          </thead>
          <tbody>
            {data.documents.map((d) => (
              <tr key={d.id}>
                <td>
                  {t(`inv_kind_${d.kind}` as Key)} {d.number}
                </td>
                <td>{fmt.dateTime(d.issued_at)}</td>
                <td class="num">{fmt.money(d.total)}</td>
                <td>
                  <DocumentFiles doc={d} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && data.live_invoice && bills !== undefined && status !== "cancelled" && data.creditable !== bills && (
        <p class="warning" role="status">
          {t("inv_out_of_date", { invoiced: fmt.money(data.creditable), bills: fmt.money(bills) })}
        </p>
      )}
      {data && data.live_invoice && MAY.manage(desk.me.role) && data.creditable > 0 && (
        <CreditNote key={data.live_invoice} invoiceId={data.live_invoice} onDone={refresh} />
      )}
      {data && !data.live_invoice && MAY.operate(desk.me.role) && INVOICEABLE.has(status) && (
        <IssueInvoice key={version} path={path} onDone={refresh} />
      )}
      {data && MAY.operate(desk.me.role) && (
        <IssueReceipt key={version} orderId={orderId} issued={data.documents.map((d) => d.id)} onDone={refresh} />
      )}
    </section>
  );
}

/** A document's PDF in each language, and an e-mail of it to the buyer. */
export function DocumentFiles({ doc, mail = true }: { doc: DocSummary; mail?: boolean }) {
  const desk = useDesk();
  const { t, api, fmt } = desk;
  const { busy, error, run } = useAction();
  const [link, setLink] = useState<Download | null>(null);
  const [sent, setSent] = useState("");
  const base = `/v1/invoices/${encodeURIComponent(doc.id)}`;
  const fetchLink = (lang: string) => run(async () => setLink(await api.get<Download>(`${base}/pdf`, { lang })));
  const email = () =>
    run(async () => {
      const answer = await api.post<{ sent_to: string }>(`${base}/email`, {});
      setSent(answer.sent_to);
    });
  return (
    <div class="doc-files">
      <button type="button" class="secondary" disabled={busy} onClick={() => fetchLink("en")}>
        {t("inv_pdf_en")}
      </button>
      <button type="button" class="secondary" disabled={busy} onClick={() => fetchLink("zh-Hans")}>
        {t("inv_pdf_zh")}
      </button>
      {mail && MAY.operate(desk.me.role) && (
        <button type="button" class="secondary" disabled={busy} onClick={email}>
          {t("inv_email")}
        </button>
      )}
      {link && (
        <p>
          <a class="pdf-link" href={link.url} download={link.filename} data-language={link.language}>
            {t("inv_download", { name: `${link.filename} (${link.language === "zh-Hans" ? t("lang_zh") : t("lang_en")})` })}
          </a>{" "}
          <span class="muted">{t("inv_link_expires", { time: fmt.dateTime(link.expires_at) })}</span>
        </p>
      )}
      {sent && <p role="status">{t("inv_emailed", { to: sent })}</p>}
      <Problem text={error} />
    </div>
  );
}

function IssueInvoice({ path, onDone }: { path: string; onDone: () => void }) {
  const { t, api } = useDesk();
  const { busy, error, run } = useAction();
  const [lang, setLang] = useState("");
  const [company, setCompany] = useState("");
  const [taxId, setTaxId] = useState("");
  const [address, setAddress] = useState("");
  const submit = async (event: Event) => {
    event.preventDefault();
    // A company's invoice names where it is (a tester's had no field for it): a line each.
    const lines = address.split("\n").map((l) => l.trim()).filter(Boolean);
    const given = company.trim() || taxId.trim() || lines.length > 0;
    const buyer = given ? { buyer: { company: company.trim(), tax_id: taxId.trim(), address: lines } } : {};
    if (await run(() => api.post(path, { ...(lang ? { lang } : {}), ...buyer }))) onDone();
  };
  const text = (set: (v: string) => void) => (e: Event) => set((e.currentTarget as HTMLInputElement).value);
  return (
    <form class="inline issue-invoice" onSubmit={submit}>
      <label>
        {t("inv_lang")}
        <select value={lang} onChange={text(setLang)}>
          <option value="">—</option>
          <option value="en">{t("lang_en")}</option>
          <option value="zh-Hans">{t("lang_zh")}</option>
        </select>
      </label>
      <label>
        {t("inv_company")}
        <input value={company} maxLength={120} onInput={text(setCompany)} />
      </label>
      <label>
        {t("inv_tax_id")}
        <input value={taxId} maxLength={40} onInput={text(setTaxId)} />
      </label>
      <label>
        {t("inv_address")}
        <textarea value={address} rows={3} maxLength={600} onInput={(e) => setAddress((e.currentTarget as HTMLTextAreaElement).value)} />
      </label>
      <button type="submit" disabled={busy}>
        {t("inv_issue")}
      </button>
      <Problem text={error} />
    </form>
  );
}

interface Paid {
  id: string;
  status: string;
  received: number;
  method: string;
  created_at: string;
}

/** A receipt for one payment the order received (one per payment: asking again answers it).
 * Issued, the keyboard is on the line that names it, drawn before its words so they are
 * announced; asked again, the same line says it was already issued (a keyboard and
 * screen-reader tester's press dropped the keyboard on <body> and said nothing, twice). */
function IssueReceipt({ orderId, issued, onDone }: { orderId: string; issued: string[]; onDone: () => void }) {
  const { t, api, fmt } = useDesk();
  const { busy, error, run } = useAction();
  const base = `/v1/orders/${encodeURIComponent(orderId)}`;
  const { data } = useLoaded(() => api.get<{ payments: Paid[] }>(`${base}/payments`), [orderId]);
  const [chosen, setChosen] = useState("");
  const [said, setSaid] = useState("");
  const line = useRef<HTMLParagraphElement>(null);
  const mine = useRef(new Set<string>()); // issued here, before the list read again has them
  const paid = (data?.payments ?? []).filter((p) => p.status === "succeeded" && p.received > 0);
  if (paid.length === 0) return null;
  const payment = chosen || paid[0]!.id;
  const submit = async (event: Event) => {
    event.preventDefault();
    setSaid("");
    const made = await run(async () => {
      const doc = await api.post<DocSummary>(`${base}/receipts`, { payment_id: payment });
      const known = issued.includes(doc.id) || mine.current.has(doc.id);
      mine.current.add(doc.id);
      setSaid(t(known ? "inv_receipt_again" : "inv_receipt_issued", { number: doc.number }));
    });
    if (made) {
      onDone();
      focusSoon(() => line.current);
    }
  };
  return (
    <form class="inline issue-receipt" onSubmit={submit}>
      <label>
        {t("inv_receipt_for")}
        <select value={payment} onChange={(e) => setChosen((e.currentTarget as HTMLSelectElement).value)}>
          {paid.map((p) => (
            <option value={p.id} key={p.id}>
              {`${fmt.money(p.received)} · ${t(`tender_${p.method}` as Key)}${p.created_at ? ` · ${fmt.dateTime(p.created_at)}` : ""}`}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" class="secondary" disabled={busy}>
        {t("inv_receipt_do")}
      </button>
      <p role="status" class={said ? "notice" : undefined} ref={line}>
        {said}
      </p>
      <Problem text={error} />
    </form>
  );
}

function CreditNote({ invoiceId, onDone }: { invoiceId: string; onDone: () => void }) {
  const { t, api } = useDesk();
  const { busy, error, run } = useAction();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  if (!open) {
    return (
      <button type="button" class="secondary" onClick={() => setOpen(true)}>
        {t("inv_credit")}
      </button>
    );
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    const path = `/v1/invoices/${encodeURIComponent(invoiceId)}/credit-note`;
    if (await run(() => api.post(path, { reason: reason.trim() }))) {
      setOpen(false);
      onDone();
    }
  };
  return (
    <form class="inline credit-note" onSubmit={submit}>
      <label>
        {t("inv_credit_reason")}
        <input value={reason} maxLength={300} required onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <button type="submit" class="danger" disabled={busy || !reason.trim()}>
        {t("inv_credit_do")}
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        {t("keep")}
      </button>
      <Problem text={error} />
    </form>
  );
}
