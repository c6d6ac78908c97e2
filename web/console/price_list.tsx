/**
 * The price list (`#/price-list`, managers and owners): what staff charge to an order's folio
 * besides what was booked, each with its price and tax rate (`GET/POST /v1/price-list`,
 * `PUT/DELETE /v1/price-list/{id}`). A price of 0 is an open price (a tip), said when charged.
 * Orders already charged keep what they were charged.
 */

import { useState } from "preact/hooks";
import { useDesk } from "./app";
import { DecimalField } from "./catalog_parts";
import type { Key } from "./i18n";
import { Problem, useAction, useLoaded } from "./lines";
import { ratePercent } from "../shared/percent";

const CATEGORIES = ["product", "service", "fee", "tip"] as const;
interface Item {
  id: string;
  name: string;
  category: (typeof CATEGORIES)[number];
  unit_amount: number;
  tax_rate_bp: number;
  tax_inclusive: boolean;
  active: boolean;
  rev: number;
}
const BLANK: Omit<Item, "id"> = { name: "", category: "product", unit_amount: 0, tax_rate_bp: 0, tax_inclusive: true, active: true, rev: 0 };

export function PriceListPage() {
  const { t, api } = useDesk();
  const { data, error, refresh } = useLoaded(() => api.get<{ items: Item[] }>("/v1/price-list"), []);
  return (
    <section aria-labelledby="price-list-title">
      <h1 id="price-list-title">{t("price_list_title")}</h1>
      <p class="muted">{t("price_list_intro")}</p>
      <Problem text={error} />
      {data && data.items.length === 0 && <p>{t("price_list_empty")}</p>}
      {data && data.items.length > 0 && (
        <table class="records price-list">
          <thead>
            <tr>
              <th scope="col">{t("price_list_name")}</th>
              <th scope="col">{t("price_list_category")}</th>
              <th scope="col">{t("price_list_price")}</th>
              <th scope="col">{t("folio_rate")}</th>
              <th scope="col">{t("price_list_active")}</th>
              <th scope="col">
                <span class="sr-only">{t("actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((item) => (
              <Row key={`${item.id}`} item={item} onDone={refresh} />
            ))}
          </tbody>
        </table>
      )}
      <ItemForm key={data?.items.length ?? 0} onDone={refresh} />
    </section>
  );
}

function Row({ item, onDone }: { item: Item; onDone: () => void }) {
  const { t, api, fmt } = useDesk();
  const { busy, error, run } = useAction();
  const [editing, setEditing] = useState(false);
  const path = `/v1/price-list/${encodeURIComponent(item.id)}`;
  if (editing) {
    return (
      <tr>
        <td colSpan={6}>
          <ItemForm item={item} onDone={() => { setEditing(false); onDone(); }} onCancel={() => setEditing(false)} />
        </td>
      </tr>
    );
  }
  const remove = async () => {
    if (await run(() => api.delete(path))) onDone();
  };
  return (
    <tr>
      <td>
        <button type="button" class="link" onClick={() => setEditing(true)}>
          {item.name}
        </button>
      </td>
      <td>{t(`price_cat_${item.category}` as Key)}</td>
      <td class="num">{item.unit_amount === 0 ? t("price_list_open") : fmt.money(item.unit_amount)}</td>
      <td class="num">{ratePercent(fmt.locale, item.tax_rate_bp)}</td>
      <td>{item.active ? "✓" : "—"}</td>
      <td>
        <button type="button" class="secondary" disabled={busy} onClick={remove}>
          {t("price_list_remove")}
        </button>
        <Problem text={error} />
      </td>
    </tr>
  );
}

function ItemForm(props: { item?: Item; onDone: () => void; onCancel?: () => void }) {
  const { t, api } = useDesk();
  const { busy, error, run, refusedMarked } = useAction();
  const [value, setValue] = useState<Omit<Item, "id">>(props.item ?? BLANK);
  const set = (change: Partial<Item>) => setValue({ ...value, ...change });
  const submit = async (event: Event) => {
    event.preventDefault();
    if (refusedMarked(event)) return;
    const { category, unit_amount, tax_rate_bp, tax_inclusive, active } = value;
    const body = { name: value.name.trim(), category, unit_amount, tax_rate_bp, tax_inclusive, active };
    const saved = props.item
      ? run(() => api.put(`/v1/price-list/${encodeURIComponent(props.item!.id)}`, body, props.item!.rev))
      : run(() => api.post("/v1/price-list", body));
    if (await saved) props.onDone();
  };
  return (
    <form class="inline price-item" onSubmit={submit} aria-label={props.item ? props.item.name : t("price_list_add")}>
      {!props.item && <h2 class="wide">{t("price_list_add")}</h2>}
      <label>
        {t("price_list_name")}
        <input value={value.name} maxLength={120} required onInput={(e) => set({ name: (e.currentTarget as HTMLInputElement).value })} />
      </label>
      <label>
        {t("price_list_category")}
        <select value={value.category} onChange={(e) => set({ category: (e.currentTarget as HTMLSelectElement).value as Item["category"] })}>
          {CATEGORIES.map((c) => (
            <option value={c} key={c}>
              {t(`price_cat_${c}` as Key)}
            </option>
          ))}
        </select>
      </label>
      <DecimalField label={t("price_list_price")} value={value.unit_amount} onChange={(unit_amount) => set({ unit_amount })} money />
      <DecimalField label={t("folio_rate")} value={value.tax_rate_bp} places={2} suffix="%" onChange={(tax_rate_bp) => set({ tax_rate_bp })} />
      <label class="check">
        <input type="checkbox" checked={value.tax_inclusive} onChange={(e) => set({ tax_inclusive: (e.currentTarget as HTMLInputElement).checked })} />
        {t("folio_tax_included")}
      </label>
      <label class="check">
        <input type="checkbox" checked={value.active} onChange={(e) => set({ active: (e.currentTarget as HTMLInputElement).checked })} />
        {t("price_list_active")}
      </label>
      <button type="submit" disabled={busy || !value.name.trim()}>
        {props.item ? t("price_list_save") : t("price_list_add")}
      </button>
      {props.onCancel && (
        <button type="button" onClick={props.onCancel}>
          {t("keep")}
        </button>
      )}
      <Problem text={error} />
    </form>
  );
}
