/**
 * An order's folio on its page, inside the Money panel: the booked lines' total, the extra
 * charges and discounts (voided ones struck through, with who voided them and why), tax per
 * rate and the total. Staff add a charge from the price list (an open-priced item, a tip, asks
 * for its amount) or one of their own (`POST /v1/orders/{id}/charges`); managers give a
 * discount with a reason (`POST .../discounts`) and void a charge (`POST .../charges/{id}/void`).
 */

import { useEffect, useRef, useState } from "preact/hooks";
import { MAY } from "./api";
import { useDesk } from "./app";
import { DecimalField } from "./catalog_parts";
import { Problem, useAction, useLoaded } from "./lines";
import { ratePercent } from "../shared/percent";
import { useWho } from "./who";
import { closeOnEscape, focusIfLost, useOpenedForm } from "./focus";

export interface Charge {
  id: string;
  kind: "charge" | "discount";
  label: string;
  quantity: number;
  unit_amount: number;
  tax_rate_bp: number;
  total: number;
  reason: string;
  by: string;
  voided: boolean;
  voided_by: string;
  void_reason: string;
}
export interface TaxBand {
  tax_rate_bp: number;
  net: number;
  tax: number;
  total: number;
}
export interface FolioMoney {
  lines_total: number;
  total: number;
  tax: number;
  tax_bands: TaxBand[];
  charges: Charge[];
}
interface PriceItem {
  id: string;
  name: string;
  unit_amount: number;
  tax_rate_bp: number;
  tax_inclusive: boolean;
  active: boolean;
  open_price: boolean;
}

/** What the customer pays for `amount` as priced: the API's rule (tax added half up when the
 * price does not include it). */
function gross(amount: number, rateBp: number, inclusive: boolean): number {
  return inclusive ? amount : amount + Math.floor((amount * rateBp + 5000) / 10000);
}

// The API's folio is open from confirmation until after check-out.
export const FOLIO_OPEN = new Set(["confirmed", "checked_in", "completed"]);

export function Folio(props: { orderId: string; status: string; data: FolioMoney; onDone: () => void }) {
  const { orderId, status, data, onDone } = props;
  const desk = useDesk();
  const who = useWho();
  const { t, fmt } = desk;
  const rate = (bp: number) => ratePercent(fmt.locale, bp);
  const open = FOLIO_OPEN.has(status);
  // Where the keyboard goes once the folio is read again after a change: the form it was in
  // (a void's "Why", sent with Enter) or its button (a discount to nothing left to discount)
  // is gone only then, not when the request answers (a review found both left on <body>).
  const after = useRef<string | null>(null);
  useEffect(() => {
    const id = after.current;
    after.current = null;
    if (id) focusIfLost(() => document.getElementById(id) ?? document.getElementById("folio-title"));
  }, [data]);
  const changed = (focusId: string) => {
    after.current = focusId;
    onDone();
  };
  return (
    <section class="folio" aria-labelledby="folio-title">
      <h3 id="folio-title">{t("folio_title")}</h3>
      <table class="records">
        <thead>
          <tr>
            <th scope="col">{t("folio_item")}</th>
            <th scope="col">{t("folio_qty")}</th>
            <th scope="col">{t("folio_rate")}</th>
            <th scope="col">{t("money_amount")}</th>
            <th scope="col">{t("folio_by")}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>{t("folio_lines")}</td>
            <td />
            <td />
            <td class="num">{fmt.money(data.lines_total)}</td>
            <td />
          </tr>
          {data.charges.map((c) => (
            <tr key={c.id} class={c.voided ? "voided" : ""}>
              <td id={`charge-${c.id}`}>
                {c.voided ? <s>{c.label || t("folio_discount_label")}</s> : c.label || t("folio_discount_label")}
                {c.reason && c.reason !== c.label && <span class="muted"> · {c.reason}</span>}
                {c.voided && <div class="muted">{t("folio_voided", { by: who(c.voided_by), why: c.void_reason })}</div>}
              </td>
              <td class="num">{c.quantity}</td>
              <td class="num">{rate(c.tax_rate_bp)}</td>
              <td class="num">{c.voided ? <s>{fmt.money(c.total)}</s> : fmt.money(c.total)}</td>
              <td>
                {who(c.by)}{" "}
                {!c.voided && open && MAY.manage(desk.me.role) && <VoidCharge orderId={orderId} charge={c} onDone={() => changed(`charge-${c.id}`)} />}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          {data.tax_bands
            .filter((b) => b.tax !== 0)
            .map((b) => (
              <tr key={b.tax_rate_bp} class="muted">
                <td colSpan={3}>{t("folio_tax_at", { rate: rate(b.tax_rate_bp) })}</td>
                <td class="num">{fmt.money(b.tax)}</td>
                <td />
              </tr>
            ))}
          <tr>
            <th scope="row" colSpan={3}>
              {t("folio_total")}
            </th>
            <td class="num">
              <strong>{fmt.money(data.total)}</strong>
            </td>
            <td />
          </tr>
        </tfoot>
      </table>
      {open && MAY.operate(desk.me.role) && <AddCharge orderId={orderId} onDone={onDone} />}
      {open && MAY.manage(desk.me.role) && data.total > 0 && <GiveDiscount orderId={orderId} data={data} onDone={() => changed("folio-discount")} />}
    </section>
  );
}

function AddCharge({ orderId, onDone }: { orderId: string; onDone: () => void }) {
  const { t, api, fmt } = useDesk();
  const { data: list } = useLoaded(() => api.get<{ items: PriceItem[] }>("/v1/price-list"), []);
  const items = (list?.items ?? []).filter((i) => i.active);
  const { busy, error, run, refusedMarked } = useAction();
  const [picked, setItemId] = useState<string | null>(null);
  const itemId = picked ?? items[0]?.id ?? ""; // the list's first item until one is picked
  const [quantity, setQuantity] = useState(1);
  const [label, setLabel] = useState("");
  const [amount, setAmount] = useState(0);
  const [taxBp, setTaxBp] = useState(0);
  const [inclusive, setInclusive] = useState(true);
  const item = items.find((i) => i.id === itemId);
  const own = itemId === "";
  const each = item && !item.open_price ? item.unit_amount : amount;
  const charged = own ? gross(each * quantity, taxBp, inclusive) : gross(each * quantity, item?.tax_rate_bp ?? 0, item?.tax_inclusive ?? true);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (refusedMarked(event)) return;
    const body = own
      ? { label: label.trim(), unit_amount: amount, tax_rate_bp: taxBp, tax_inclusive: inclusive, quantity }
      : { item_id: itemId, quantity, ...(item?.open_price ? { unit_amount: amount } : {}) };
    if (await run(() => api.post(`/v1/orders/${encodeURIComponent(orderId)}/charges`, body))) {
      setQuantity(1);
      setLabel("");
      onDone();
    }
  };
  return (
    <form class="inline add-charge" onSubmit={submit} aria-labelledby="charge-title">
      <h4 id="charge-title" class="wide">
        {t("folio_add")}
      </h4>
      <label>
        {t("folio_item")}
        <select value={itemId} onChange={(e) => setItemId((e.currentTarget as HTMLSelectElement).value)}>
          {items.map((i) => (
            <option value={i.id} key={i.id}>
              {/* What the customer pays for one, as the button says for them all (tax added). */}
              {i.open_price ? i.name : `${i.name} · ${fmt.money(gross(i.unit_amount, i.tax_rate_bp, i.tax_inclusive))}`}
            </option>
          ))}
          <option value="">{t("folio_own")}</option>
        </select>
      </label>
      {own && (
        <label>
          {t("folio_label")}
          <input value={label} maxLength={100} required onInput={(e) => setLabel((e.currentTarget as HTMLInputElement).value)} />
        </label>
      )}
      {(own || item?.open_price) && <DecimalField label={t("folio_unit")} value={amount} onChange={setAmount} money />}
      {own && <DecimalField label={t("folio_rate")} value={taxBp} places={2} suffix="%" onChange={setTaxBp} />}
      {own && (
        <label class="check">
          <input type="checkbox" checked={inclusive} onChange={(e) => setInclusive((e.currentTarget as HTMLInputElement).checked)} />
          {t("folio_tax_included")}
        </label>
      )}
      <label>
        {t("folio_qty")}
        <input
          type="number"
          min={1}
          max={999}
          value={quantity}
          onInput={(e) => setQuantity(Number((e.currentTarget as HTMLInputElement).value) || 1)}
        />
      </label>
      <button type="submit" disabled={busy || each <= 0 || (own && !label.trim())}>
        {t("folio_charge", { amount: fmt.money(charged) })}
      </button>
      <Problem text={error} />
    </form>
  );
}

function GiveDiscount({ orderId, data, onDone }: { orderId: string; data: FolioMoney; onDone: () => void }) {
  const { t, api, fmt } = useDesk();
  const { busy, error, run, refusedMarked } = useAction();
  const [said, setSaid] = useState(""); // a discount of nothing or over 100 %: said, not sent
  const [open, setOpen] = useState(false);
  const [percent, setPercent] = useState(false);
  const [value, setValue] = useState(0);
  const [reason, setReason] = useState("");
  const rates = [...new Set(data.tax_bands.map((b) => b.tax_rate_bp))];
  const [rate, setRate] = useState(rates[0] ?? 0);
  const { opener, form } = useOpenedForm(open);
  if (!open) {
    // Each opening starts as new, by amount: the last one's "10" and Percent, kept, made
    // an outside tester's 99 (meant as money) a 99 % discount.
    const start = () => {
      setPercent(false);
      setValue(0);
      setReason("");
      setSaid("");
      setOpen(true);
    };
    return (
      <button type="button" class="secondary" id="folio-discount" ref={opener} onClick={start}>
        {t("folio_discount")}
      </button>
    );
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    if (refusedMarked(event)) return;
    // Said here, where the button used to be disabled without a word (an outside tester's 0 %
    // discount: Enter did nothing and nothing said why).
    const wrong = value <= 0 ? "folio_discount_zero" : percent && value > 10000 ? "folio_discount_too_much" : "";
    setSaid(wrong ? t(wrong) : "");
    if (wrong) return;
    const body = {
      ...(percent ? { percent_bp: value } : { amount: value }),
      reason: reason.trim(),
      ...(rates.length > 1 ? { tax_rate_bp: rate } : {}),
    };
    if (await run(() => api.post(`/v1/orders/${encodeURIComponent(orderId)}/discounts`, body))) {
      setOpen(false); // the keyboard back on the button; gone (nothing left to discount): the folio
      setReason("");
      onDone();
    }
  };
  return (
    <form class="inline give-discount" ref={form} onSubmit={submit} aria-labelledby="discount-title" onKeyDown={closeOnEscape(busy, () => setOpen(false))}>
      <h4 id="discount-title" class="wide">
        {t("folio_discount")}
      </h4>
      <label>
        <input type="radio" name="discount-kind" checked={!percent} onChange={() => setPercent(false)} />
        {t("folio_discount_amount")}
      </label>
      <label>
        <input type="radio" name="discount-kind" checked={percent} onChange={() => setPercent(true)} />
        {t("folio_discount_percent")}
      </label>
      {percent ? (
        <DecimalField label={t("folio_discount_percent")} value={value} places={2} suffix="%" onChange={setValue} />
      ) : (
        <DecimalField label={t("folio_discount_amount")} value={value} onChange={setValue} money />
      )}
      {rates.length > 1 && (
        <label>
          {t("folio_rate")}
          <select value={rate} onChange={(e) => setRate(Number((e.currentTarget as HTMLSelectElement).value))}>
            {rates.map((r) => (
              <option value={r} key={r}>
                {ratePercent(fmt.locale, r)}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        {t("folio_reason")}
        <input value={reason} maxLength={300} required onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <button type="submit" disabled={busy || !reason.trim()}>
        {t("folio_discount_give")}
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        {t("keep")}
      </button>
      <Problem text={said || error} />
    </form>
  );
}

function VoidCharge({ orderId, charge, onDone }: { orderId: string; charge: Charge; onDone: () => void }) {
  const { t, api } = useDesk();
  const { busy, error, run } = useAction();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState("");
  const { opener, form } = useOpenedForm(asking);
  if (!asking) {
    return (
      <button type="button" class="link" ref={opener} onClick={() => setAsking(true)}>
        {t("folio_void")}
      </button>
    );
  }
  const label = charge.label || t("folio_discount_label");
  const submit = async (event: Event) => {
    event.preventDefault();
    const path = `/v1/orders/${encodeURIComponent(orderId)}/charges/${encodeURIComponent(charge.id)}/void`;
    if (await run(() => api.post(path, { reason: reason.trim() }))) {
      onDone(); // read again, the keyboard on its row, now struck through
    }
  };
  return (
    <form class="inline" ref={form} onSubmit={submit} onKeyDown={closeOnEscape(busy, () => setAsking(false))}>
      <label>
        {t("folio_void_why", { label })}
        <input value={reason} maxLength={300} required onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <button type="submit" class="danger" disabled={busy || !reason.trim()}>
        {t("folio_void")}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        {t("keep")}
      </button>
      <Problem text={error} />
    </form>
  );
}
