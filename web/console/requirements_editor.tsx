/**
 * What an offering needs to be served: one to five requirements, each a named resource or
 * any resource with a skill and/or tag (the least loaded wins), so many units per booking or
 * per person. The kinds the API allows at each place (a stay's room type; a session's
 * resource first, then timed staff or vehicles) narrow the resources offered. A session's
 * seats are said as seats: one per guest (the default), or one per booking, for a private
 * group that has the session to itself, said beside it since a party of 8 then takes 1 seat.
 */

import { useId } from "preact/hooks";
import { useDesk } from "./app";
import type { CatalogResource, Kind, Requirement } from "./catalog_api";
import { NumberField } from "./catalog_parts";

function fits(kind: Kind, index: number): Kind {
  if (kind === "nightly") return "nightly";
  return kind === "session" && index === 0 ? "session" : "timed";
}

export function Requirements(props: { kind: Kind; value: Requirement[]; resources: CatalogResource[]; onChange: (r: Requirement[]) => void }) {
  const { t } = useDesk();
  const { kind, value, resources, onChange } = props;
  const set = (i: number, patch: Partial<Requirement>) => onChange(value.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const skills = [...new Set(resources.flatMap((r) => r.skills))].sort();
  const tags = [...new Set(resources.flatMap((r) => r.tags))].sort();
  return (
    <div class="requirements">
      <datalist id="known-skills">
        {skills.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <datalist id="known-tags">
        {tags.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      {value.map((req, i) => {
        const byName = req.resource_id !== null;
        const n = i + 1;
        const choices = resources.filter((r) => r.kind === fits(kind, i) && (r.active || r.id === req.resource_id));
        return (
          <div class="row" key={i} role="group" aria-label={t("cat_requirement_n", { n })}>
            <label>
              {t("cat_req_how")}
              <select
                value={byName ? "resource" : "match"}
                onChange={(e) =>
                  set(i, (e.currentTarget as HTMLSelectElement).value === "resource" ? { resource_id: choices[0]?.id ?? "", skill: null, tag: null } : { resource_id: null })
                }
              >
                <option value="match">{t("cat_req_match")}</option>
                <option value="resource">{t("cat_req_resource")}</option>
              </select>
            </label>
            {byName ? (
              <label>
                {t("cat_req_which")}
                <select value={req.resource_id ?? ""} onChange={(e) => set(i, { resource_id: (e.currentTarget as HTMLSelectElement).value })}>
                  {choices.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}
                    </option>
                  ))}
                </select>
              </label>
            ) : (
              <>
                <label>
                  {t("cat_skill")}
                  <input list="known-skills" value={req.skill ?? ""} onInput={(e) => set(i, { skill: (e.currentTarget as HTMLInputElement).value.trim() || null })} />
                </label>
                <label>
                  {t("cat_tag")}
                  <input list="known-tags" value={req.tag ?? ""} onInput={(e) => set(i, { tag: (e.currentTarget as HTMLInputElement).value.trim() || null })} />
                </label>
              </>
            )}
            <NumberField label={t("cat_units")} value={req.units} min={1} max={1000} onChange={(units) => set(i, { units })} />
            <Per seats={kind === "session" && i === 0} req={req} onChange={(per) => set(i, { per })} />
            {value.length > 1 && (
              <button type="button" class="secondary" onClick={() => onChange(value.filter((_, j) => j !== i))}>
                {t("cat_remove_requirement", { n })}
              </button>
            )}
          </div>
        );
      })}
      {value.length < 5 && (
        <button type="button" class="secondary" onClick={() => onChange([...value, { resource_id: null, skill: null, tag: null, units: 1, per: "booking" }])}>
          {t("cat_add_requirement")}
        </button>
      )}
    </div>
  );
}

function Per({ seats, req, onChange }: { seats: boolean; req: Requirement; onChange: (per: Requirement["per"]) => void }) {
  const { t } = useDesk();
  const id = useId();
  return (
    <>
      <label>
        {t(seats ? "cat_seats" : "cat_per")}
        <select value={req.per} aria-describedby={seats ? id : undefined} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value as Requirement["per"])}>
          <option value="person">{t(seats ? "cat_seats_person" : "cat_per_person")}</option>
          <option value="booking">{t(seats ? "cat_seats_booking" : "cat_per_booking")}</option>
        </select>
      </label>
      {seats && (
        <small id={id} class="row-note">
          {t(req.per === "person" ? "cat_seats_person_note" : "cat_seats_booking_note")}
        </small>
      )}
    </>
  );
}
