/**
 * What a partner's ids mean here: each mapping takes the partner's product or room-type id
 * (and, when the partner sells several rate plans, one rate plan's id) to one of the
 * business's offerings and, for a room type, the resource it is sold from, chosen from the
 * catalog (`PUT .../mappings` replaces them all; the API refuses an unknown offering or
 * resource). And the commission per offering, over the connection's own rate
 * (`PATCH` with `offering_commissions`).
 */

import { useState } from "preact/hooks";
import type { Offering, Resource } from "./api";
import { useDesk } from "./app";
import { bpToPercent, channels, commission, type Connection, type Mapping, percentToBp, type Sold } from "./channel_api";
import { Saved } from "./channels";
import { Problem, useAction, useLoaded } from "./lines";

interface Catalog {
  offerings: Sold[];
  resources: Resource[];
}

function useCatalog() {
  const { api } = useDesk();
  return useLoaded<Catalog>(async () => {
    const [offerings, resources] = await Promise.all([api.offerings() as Promise<Sold[]>, api.resources()]);
    return { offerings, resources };
  });
}

/** The resources an offering is sold from, else every resource of its kind. */
function resourcesOf(catalog: Catalog, offeringId: string): Resource[] {
  const offering = catalog.offerings.find((o) => o.id === offeringId);
  if (!offering) return [];
  const named = new Set((offering.requirements ?? []).map((r) => r.resource_id).filter(Boolean));
  const sold = catalog.resources.filter((r) => named.has(r.id));
  return sold.length ? sold : catalog.resources.filter((r) => r.kind === offering.kind);
}

export function MappingsView({ connection, onChanged }: { connection: Connection; onChanged: (c: Connection) => void }) {
  const { t } = useDesk();
  const catalog = useCatalog();
  return (
    <section class="panel" aria-labelledby="mappings-title">
      <h2 id="mappings-title">{t("channel_view_mappings")}</h2>
      <p class="muted">{t("channel_mappings_help")}</p>
      <Problem text={catalog.error} />
      {catalog.data === null && !catalog.error && <p role="status">{t("loading")}</p>}
      {catalog.data && <MappingsForm catalog={catalog.data} connection={connection} onChanged={onChanged} />}
    </section>
  );
}

function MappingsForm({ catalog, connection, onChanged }: { catalog: Catalog; connection: Connection; onChanged: (c: Connection) => void }) {
  const { t, api } = useDesk();
  const { busy, error, run } = useAction();
  const [rows, setRows] = useState<Mapping[]>(connection.mappings);
  const [saved, setSaved] = useState(false);
  const first = catalog.offerings[0]?.id ?? "";
  const set = (i: number, change: Partial<Mapping>) => {
    setSaved(false);
    setRows(rows.map((row, j) => (j === i ? { ...row, ...change } : row)));
  };
  const add = () => setRows([...rows, { partner_id: "", offering_id: first, resource_id: null, rate_id: "" }]);
  const remove = (i: number) => setRows(rows.filter((_, j) => j !== i));
  const submit = async (event: Event) => {
    event.preventDefault();
    const mappings = rows.map((r) => ({ ...r, partner_id: r.partner_id.trim(), rate_id: r.rate_id.trim() }));
    await run(async () => {
      const next = await channels.map(api, connection.id, mappings);
      onChanged(next);
      setRows(next.mappings);
      setSaved(true);
    });
  };
  return (
    <form class="mappings" onSubmit={submit} aria-label={t("channel_view_mappings")}>
      {rows.length === 0 && <p>{t("channel_no_mappings")}</p>}
      {rows.map((row, i) => (
        <fieldset key={i} class="mapping">
          <legend>{t("channel_mapping_n", { n: i + 1 })}</legend>
          <label>
            {t("channel_partner_id")}
            <input value={row.partner_id} required maxLength={100} autoComplete="off" onInput={(e) => set(i, { partner_id: (e.currentTarget as HTMLInputElement).value })} />
          </label>
          <label>
            {t("channel_rate_id")}
            <input value={row.rate_id} maxLength={100} autoComplete="off" placeholder={t("channel_rate_any")} onInput={(e) => set(i, { rate_id: (e.currentTarget as HTMLInputElement).value })} />
          </label>
          <label>
            {t("channel_offering")}
            <select value={row.offering_id} onChange={(e) => set(i, { offering_id: (e.currentTarget as HTMLSelectElement).value, resource_id: null })}>
              {!catalog.offerings.some((o) => o.id === row.offering_id) && <option value={row.offering_id}>{row.offering_id}</option>}
              {catalog.offerings.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("channel_resource")}
            <select value={row.resource_id ?? ""} onChange={(e) => set(i, { resource_id: (e.currentTarget as HTMLSelectElement).value || null })}>
              <option value="">{t("channel_resource_any")}</option>
              {resourcesOf(catalog, row.offering_id).map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
          <button type="button" class="secondary" onClick={() => remove(i)} aria-label={t("channel_mapping_remove", { n: i + 1 })}>
            {t("channel_remove")}
          </button>
        </fieldset>
      ))}
      <div class="inline">
        <button type="button" class="secondary" onClick={add} disabled={!first}>
          {t("channel_mapping_add")}
        </button>
        <button type="submit" disabled={busy}>
          {t("channel_mappings_save")}
        </button>
        <Saved shown={saved} />
      </div>
      <Problem text={error} />
    </form>
  );
}

export function CommissionsView({ connection, onChanged }: { connection: Connection; onChanged: (c: Connection) => void }) {
  const { t, fmt } = useDesk();
  const catalog = useCatalog();
  return (
    <section class="panel" aria-labelledby="commission-title">
      <h2 id="commission-title">{t("channel_view_commission")}</h2>
      <p class="muted">{t("channel_commission_help", { rate: commission(fmt.locale, connection.commission_bp) })}</p>
      <Problem text={catalog.error} />
      {catalog.data === null && !catalog.error && <p role="status">{t("loading")}</p>}
      {catalog.data && <CommissionsForm offerings={catalog.data.offerings} connection={connection} onChanged={onChanged} />}
    </section>
  );
}

function CommissionsForm({ offerings, connection, onChanged }: { offerings: Offering[]; connection: Connection; onChanged: (c: Connection) => void }) {
  const { t, api } = useDesk();
  const { busy, error, run } = useAction();
  const [invalid, setInvalid] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const rates: Record<string, number> = {};
    const wrong: string[] = [];
    for (const o of offerings) {
      const text = String(form.get(o.id) ?? "").trim();
      if (!text) continue;
      const bp = percentToBp(text);
      if (bp === null) wrong.push(o.name);
      else rates[o.id] = bp;
    }
    setInvalid(wrong);
    setSaved(false);
    if (wrong.length) return;
    await run(async () => {
      onChanged(await channels.change(api, connection, { offering_commissions: rates }));
      setSaved(true);
    });
  };
  return (
    <form class="inline commissions" onSubmit={submit} aria-label={t("channel_view_commission")}>
      {offerings.map((o) => {
        const own = connection.offering_commissions[o.id];
        return (
          <label key={o.id}>
            {t("channel_commission_of", { offering: o.name })}
            <input
              name={o.id}
              inputMode="decimal"
              size={6}
              defaultValue={own === undefined ? "" : bpToPercent(own)}
              placeholder={bpToPercent(connection.commission_bp)}
              aria-invalid={invalid.includes(o.name) ? "true" : undefined}
            />
          </label>
        );
      })}
      <button type="submit" disabled={busy}>
        {t("save")}
      </button>
      <Saved shown={saved} />
      <Problem text={invalid.length ? t("channel_commission_invalid_of", { offerings: invalid.join(", ") }) : error} />
    </form>
  );
}
