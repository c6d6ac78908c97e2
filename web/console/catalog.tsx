/**
 * The catalog (`#/catalog`): what the business has (resources: staff, rooms, tables,
 * departures) and what it sells (offerings), each with its kind, capacity or price, and
 * whether it is sold. Everyone reads it; managers and owners get the links to add one (the
 * API refuses the others' writes anyway). Each name opens its editor. A deposit an offering
 * asks that Stripe cannot take yet is said above the offerings (offering_editor.tsx).
 */

import { MAY } from "./api";
import { useDesk } from "./app";
import { catalog } from "./catalog_api";
import type { Key } from "./i18n";
import { Problem, useLoaded } from "./lines";
import { DepositReach, asksAhead } from "./offering_editor";

export function CatalogPage() {
  const { t, fmt, api, me } = useDesk();
  const { data, error } = useLoaded(() => Promise.all([catalog.resources(api), catalog.offerings(api)]));
  const manage = MAY.manage(me.role);
  const byName = <T extends { name: string }>(items: T[]) => [...items].sort((a, b) => a.name.localeCompare(b.name));
  const state = (active: boolean) => <span class={active ? "badge st-confirmed" : "badge"}>{active ? t("cat_active") : t("cat_inactive")}</span>;
  return (
    <section aria-labelledby="catalog-title" class="catalog">
      <div class="toolbar">
        <h1 id="catalog-title">{t("nav_catalog")}</h1>
      </div>
      <Problem text={error} />
      {!data && !error && <p role="status">{t("loading")}</p>}
      {data && (
        <>
          <section aria-labelledby="cat-resources">
            <div class="toolbar">
              <h2 id="cat-resources">{t("cat_resources")}</h2>
              {manage && (
                <a class="button" href="#/catalog/resource/new">
                  {t("cat_new_resource")}
                </a>
              )}
            </div>
            <table class="results">
              <thead>
                <tr>
                  <th scope="col">{t("cat_name")}</th>
                  <th scope="col">{t("cat_kind")}</th>
                  <th scope="col" class="num">{t("cat_capacity")}</th>
                  <th scope="col">{t("cat_skills_tags")}</th>
                  <th scope="col">{t("cat_state")}</th>
                </tr>
              </thead>
              <tbody>
                {byName(data[0]).map((r) => (
                  <tr key={r.id}>
                    <td>
                      <a href={`#/catalog/resource/${encodeURIComponent(r.id)}`}>{r.name}</a>
                    </td>
                    <td>{t(`cat_kind_${r.kind}` as Key)}</td>
                    <td class="num">{r.capacity}</td>
                    <td>{[...r.skills, ...r.tags].join(", ")}</td>
                    <td>{state(r.active)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="cat-offerings">
            <div class="toolbar">
              <h2 id="cat-offerings">{t("cat_offerings")}</h2>
              {manage && (
                <a class="button" href="#/catalog/offering/new">
                  {t("cat_new_offering")}
                </a>
              )}
            </div>
            {manage && <DepositReach asks={data[1].some((o) => o.active && asksAhead(o.deposit))} />}
            <table class="results">
              <thead>
                <tr>
                  <th scope="col">{t("cat_name")}</th>
                  <th scope="col">{t("cat_kind")}</th>
                  <th scope="col" class="num">{t("cat_price")}</th>
                  <th scope="col" class="num">{t("cat_party")}</th>
                  <th scope="col">{t("cat_state")}</th>
                </tr>
              </thead>
              <tbody>
                {byName(data[1]).map((o) => (
                  <tr key={o.id}>
                    <td>
                      <a href={`#/catalog/offering/${encodeURIComponent(o.id)}`}>{o.name}</a>
                    </td>
                    <td>{t(`cat_kind_${o.kind}` as Key)}</td>
                    <td class="num">
                      {fmt.money(o.pricing.amount)} <span class="muted">{t(`cat_basis_${o.pricing.basis}` as Key)}</span>
                    </td>
                    <td class="num">
                      {o.party_min}–{o.party_max}
                    </td>
                    <td>{state(o.active)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </section>
  );
}
