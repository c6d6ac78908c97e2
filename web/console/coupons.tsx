/**
 * Coupons and promotion codes (`#/coupons`): the codes with their uses (`GET /v1/coupons`),
 * a manager's form for a new one (`POST /v1/coupons`) and the withdrawal of one
 * (`POST /v1/coupons/{code}/disable`). Amounts are typed in the business's currency and kept in
 * minor units; a percentage is kept in basis points; dates are the business's local dates.
 */

import { useEffect, useState } from "preact/hooks";
import { MAY, type Offering } from "./api";
import { useDesk } from "./app";
import { Check, DecimalField, NumberField } from "./catalog_parts";
import { Problem, useAction, useLoaded } from "./lines";

export interface Coupon {
  code: string;
  name: string;
  kind: "percent" | "amount";
  value: number;
  valid_from: string | null;
  valid_until: string | null;
  offering_ids: string[];
  min_spend: number;
  max_uses: number;
  per_customer: number;
  used: number;
  active: boolean;
}

export function CouponsPage() {
  const desk = useDesk();
  const { t, api } = desk;
  const { data, error, refresh } = useLoaded(() => api.get<{ data: Coupon[] }>("/v1/coupons", { limit: 200 }));
  const [offerings, setOfferings] = useState<Offering[]>([]);
  useEffect(() => {
    api.offerings().then(setOfferings).catch(() => setOfferings([]));
  }, []);
  return (
    <section aria-labelledby="coupons-title" class="coupons">
      <h1 id="coupons-title">{t("cpn_title")}</h1>
      <Problem text={error} />
      {MAY.manage(desk.me.role) && <NewCoupon offerings={offerings} onDone={refresh} />}
      {!data && !error && <p role="status">{t("loading")}</p>}
      {data && <CouponTable coupons={data.data} onDone={refresh} />}
    </section>
  );
}

function CouponTable({ coupons, onDone }: { coupons: Coupon[]; onDone: () => void }) {
  const desk = useDesk();
  const { t, fmt, api } = desk;
  const { busy, error, run } = useAction();
  if (!coupons.length) return <p>{t("cpn_none")}</p>;
  const off = (c: Coupon) => (c.kind === "percent" ? percent(fmt.locale, c.value) : fmt.money(c.value));
  const valid = (c: Coupon) =>
    c.valid_from || c.valid_until
      ? t("cpn_from_to", { from: c.valid_from ? fmt.day(c.valid_from) : "…", to: c.valid_until ? fmt.day(c.valid_until) : "…" })
      : t("cpn_always");
  const disable = (code: string) =>
    confirm(t("cpn_disable_confirm", { code })) &&
    run(() => api.post(`/v1/coupons/${encodeURIComponent(code)}/disable`)).then((ok) => ok && onDone());
  return (
    <>
      <Problem text={error} />
      <table class="records">
        <caption>{t("cpn_list")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("cpn_code")}</th>
            <th scope="col">{t("cpn_off")}</th>
            <th scope="col">{t("cpn_valid")}</th>
            <th scope="col">{t("cpn_used")}</th>
            <th scope="col">{t("cpn_state")}</th>
          </tr>
        </thead>
        <tbody>
          {coupons.map((c) => (
            <tr key={c.code} data-code={c.code}>
              <th scope="row">
                {c.code}
                {c.name && <small class="muted"> {c.name}</small>}
              </th>
              <td class="num">{off(c)}</td>
              <td>{valid(c)}</td>
              <td class="num" data-used={c.used}>
                {c.max_uses ? t("cpn_of", { used: count(fmt.locale, c.used), max: count(fmt.locale, c.max_uses) }) : count(fmt.locale, c.used)}
              </td>
              <td>
                {c.active ? t("cpn_active") : t("cpn_disabled")}{" "}
                {c.active && MAY.manage(desk.me.role) && (
                  <button type="button" disabled={busy} onClick={() => disable(c.code)}>
                    {t("cpn_disable", { code: c.code })}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function NewCoupon({ offerings, onDone }: { offerings: Offering[]; onDone: () => void }) {
  const { t, api } = useDesk();
  const { busy, error, run, refusedMarked } = useAction();
  const [kind, setKind] = useState<"percent" | "amount">("percent");
  const [value, setValue] = useState(1000);
  const [minSpend, setMinSpend] = useState(0);
  const [maxUses, setMaxUses] = useState(0);
  const [perCustomer, setPerCustomer] = useState(0);
  const [only, setOnly] = useState<string[]>([]);
  const [made, setMade] = useState("");
  const submit = async (event: Event) => {
    event.preventDefault();
    if (refusedMarked(event)) return;
    const form = event.currentTarget as HTMLFormElement;
    const fields = new FormData(form);
    const text = (name: string) => String(fields.get(name) ?? "").trim();
    const body = {
      code: text("code"),
      name: text("name"),
      kind,
      value,
      ...(text("valid_from") ? { valid_from: text("valid_from") } : {}),
      ...(text("valid_until") ? { valid_until: text("valid_until") } : {}),
      offering_ids: only,
      min_spend: minSpend,
      max_uses: maxUses,
      per_customer: perCustomer,
    };
    setMade("");
    if (await run(() => api.post<Coupon>("/v1/coupons", body))) {
      setMade(body.code.toUpperCase());
      form.reset();
      setOnly([]);
      onDone();
    }
  };
  return (
    <form class="coupon-form" onSubmit={submit} aria-labelledby="coupon-new">
      <h2 id="coupon-new">{t("cpn_new")}</h2>
      <label>
        {t("cpn_code")}
        <input name="code" required minLength={3} maxLength={32} pattern="[A-Za-z0-9][A-Za-z0-9\-]{2,31}" autoComplete="off" />
      </label>
      <label>
        {t("cpn_name")}
        <input name="name" maxLength={120} />
      </label>
      <fieldset>
        <legend>{t("cpn_kind")}</legend>
        <label class="check">
          <input type="radio" name="kind" checked={kind === "percent"} onChange={() => setKind("percent")} />
          {t("cpn_percent")}
        </label>
        <label class="check">
          <input type="radio" name="kind" checked={kind === "amount"} onChange={() => setKind("amount")} />
          {t("cpn_amount")}
        </label>
      </fieldset>
      {kind === "percent" ? (
        <DecimalField key="p" label={t("cpn_value_percent")} value={value} onChange={setValue} places={2} suffix="%" />
      ) : (
        <DecimalField key="a" label={t("cpn_value_amount")} value={value} onChange={setValue} money />
      )}
      <label>
        {t("cpn_valid_from")}
        <input name="valid_from" type="date" />
      </label>
      <label>
        {t("cpn_valid_until")}
        <input name="valid_until" type="date" />
      </label>
      {offerings.length > 0 && (
        <fieldset>
          <legend>{t("cpn_offerings")}</legend>
          {offerings.map((o) => (
            <Check
              key={o.id}
              label={o.name}
              checked={only.includes(o.id)}
              onChange={(on) => setOnly(on ? [...only, o.id] : only.filter((id) => id !== o.id))}
            />
          ))}
        </fieldset>
      )}
      <DecimalField label={t("cpn_min_spend")} value={minSpend} onChange={setMinSpend} money />
      <NumberField label={t("cpn_max_uses")} value={maxUses} min={0} max={1000000} onChange={setMaxUses} name="max_uses" />
      <NumberField label={t("cpn_per_customer")} value={perCustomer} min={0} max={1000000} onChange={setPerCustomer} name="per_customer" />
      <button type="submit" disabled={busy}>
        {t("cpn_create")}
      </button>
      <Problem text={error} />
      {made && <p role="status">{t("cpn_created", { code: made })}</p>}
    </form>
  );
}

/** A percentage kept in basis points, as the locale writes it (1250: 12.5 %). */
export function percent(locale: string, bp: number): string {
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 }).format(bp / 10000);
}

export function count(locale: string, n: number): string {
  return new Intl.NumberFormat(locale).format(n);
}
