/**
 * Loyalty points (`#/loyalty`): the programme (`GET/PUT /v1/loyalty/programme`: managers change
 * it) and a customer's balance and ledger found by their e-mail (`GET /v1/loyalty/balance`).
 * Points past their date expire when the balance is read; the ledger says so.
 */

import { useState } from "preact/hooks";
import { MAY } from "./api";
import { useDesk } from "./app";
import { Check, DecimalField, NumberField } from "./catalog_parts";
import { count } from "./coupons";
import type { Key } from "./i18n";
import { Problem, useAction, useLoaded } from "./lines";

interface Programme {
  enabled: boolean;
  points_per_unit: number;
  point_value: number;
  expiry_months: number;
  updated_at?: string | null; // read only: the API stamps them on every save
  updated_by?: string | null;
}
interface Balance {
  customer_id: string;
  points: number;
  value: number;
  ledger: {
    id: string;
    at: string;
    movement: string;
    points: number;
    order_id: string | null;
    not_taken_back?: number | null; // taken_back: what the balance no longer held
  }[];
}

export function LoyaltyPage() {
  const { t, api } = useDesk();
  const { data, error } = useLoaded(() => api.get<Programme>("/v1/loyalty/programme"));
  return (
    <section aria-labelledby="loyalty-title" class="loyalty">
      <h1 id="loyalty-title">{t("loy_title")}</h1>
      <Problem text={error} />
      {data && <ProgrammeForm saved={data} />}
      <Lookup />
    </section>
  );
}

function ProgrammeForm({ saved }: { saved: Programme }) {
  const desk = useDesk();
  const { t, api } = desk;
  const [p, setP] = useState(saved);
  const [done, setDone] = useState(false);
  const { busy, error, run, refusedMarked } = useAction();
  const may = MAY.manage(desk.me.role);
  const save = async (event: Event) => {
    event.preventDefault();
    if (refusedMarked(event)) return;
    setDone(false);
    // Only what the form sets: the programme read back also says who saved it and when
    // (`updated_at`, `updated_by`), which the API refuses in a PUT.
    const { enabled, points_per_unit, point_value, expiry_months } = p;
    const body = { enabled, points_per_unit, point_value, expiry_months };
    // The form keeps what was saved (not read again: a new form would drop "saved").
    if (await run(async () => setP(await api.put<Programme>("/v1/loyalty/programme", body)))) setDone(true);
  };
  return (
    <form onSubmit={save} aria-labelledby="programme-title">
      <h2 id="programme-title">{t("loy_programme")}</h2>
      <fieldset disabled={!may}>
        <Check label={t("loy_enabled")} checked={p.enabled} onChange={(enabled) => setP({ ...p, enabled })} />
        <NumberField label={t("loy_per_unit")} value={p.points_per_unit} min={0} max={1000} onChange={(n) => setP({ ...p, points_per_unit: n })} name="points_per_unit" />
        <DecimalField label={t("loy_point_value")} value={p.point_value} onChange={(n) => setP({ ...p, point_value: n })} money />
        <NumberField label={t("loy_expiry")} value={p.expiry_months} min={0} max={120} onChange={(n) => setP({ ...p, expiry_months: n })} name="expiry_months" />
        {may && (
          <button type="submit" disabled={busy}>
            {t("loy_save")}
          </button>
        )}
      </fieldset>
      <Problem text={error} />
      {done && <p role="status">{t("loy_saved")}</p>}
    </form>
  );
}

function Lookup() {
  const { t, fmt, api } = useDesk();
  const [found, setFound] = useState<Balance | null>(null);
  const { busy, error, run } = useAction();
  const find = async (event: Event) => {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget as HTMLFormElement).get("email") ?? "").trim();
    setFound(null);
    await run(async () => setFound(await api.get<Balance>("/v1/loyalty/balance", { email })));
  };
  return (
    <section aria-labelledby="lookup-title">
      <h2 id="lookup-title">{t("loy_lookup")}</h2>
      <form class="search" onSubmit={find}>
        <label>
          {t("email")}
          <input name="email" type="email" required />
        </label>
        <button type="submit" disabled={busy}>
          {t("loy_find")}
        </button>
      </form>
      <Problem text={error} />
      {found && (
        <>
          <p role="status" data-points={found.points}>
            {t("loy_balance", { points: count(fmt.locale, found.points), value: fmt.money(found.value) })}
          </p>
          {found.ledger.length === 0 ? (
            <p>{t("loy_none")}</p>
          ) : (
            <table class="records">
              <caption>{t("loy_ledger")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("loy_when")}</th>
                  <th scope="col">{t("loy_movement")}</th>
                  <th scope="col">{t("loy_points")}</th>
                  <th scope="col">{t("loy_order")}</th>
                </tr>
              </thead>
              <tbody>
                {found.ledger.map((e) => (
                  <tr key={e.id}>
                    <td>{fmt.dateTime(e.at)}</td>
                    <td>
                      {t(`loy_${e.movement}` as Key)}
                      {e.not_taken_back ? ` (${t("loy_not_taken_back", { points: count(fmt.locale, e.not_taken_back) })})` : ""}
                    </td>
                    <td class="num">{count(fmt.locale, ["earned", "returned", "merged_in"].includes(e.movement) ? e.points : -e.points)}</td>
                    <td>{e.order_id ? <a href={`#/order/${encodeURIComponent(e.order_id)}`}>{e.order_id}</a> : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

/** A customer's points on their page (the customer page, customer.tsx): the balance and what
 * it is worth, or nothing when the tenant runs no programme. */
export function CustomerPoints({ email }: { email: string }) {
  const { t, fmt, api } = useDesk();
  const { data } = useLoaded(() => api.get<Balance>("/v1/loyalty/balance", { email }), [email]);
  if (!data) return null;
  return (
    <p data-points={data.points}>
      {t("loy_balance", { points: count(fmt.locale, data.points), value: fmt.money(data.value) })}
    </p>
  );
}
