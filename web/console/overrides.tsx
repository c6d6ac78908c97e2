/**
 * A resource's date overrides: one local date closed, or with other hours (timed), other
 * session times (session) or another capacity. Each is set or removed on its own
 * (`PUT/DELETE /v1/resources/{id}/overrides/{date}`, with the resource's revision), so a
 * refusal (bookings that would not fit, a time the day does not have) names that date.
 */

import { useState } from "preact/hooks";
import { todayIn } from "../shared/format";
import { useDesk } from "./app";
import { type CatalogResource, type DateOverride, catalog } from "./catalog_api";
import { Check, Refusal, useSave } from "./catalog_parts";
import { SpanList, TimeList } from "./schedule_editor";

const PLAIN: DateOverride = { closed: false, hours: null, session_times: null, capacity: null, called_off: [] };

export function Overrides(props: { resource: CatalogResource; manage: boolean; onChanged: (r: CatalogResource) => void; onReload: () => void }) {
  const { resource, manage, onChanged } = props;
  const { t, fmt, api, tenant } = useDesk();
  const [day, setDay] = useState(todayIn(tenant.timezone));
  const [draft, setDraft] = useState<DateOverride>(PLAIN);
  const [capacityText, setCapacityText] = useState("");
  const save = useSave();
  const dates = Object.keys(resource.overrides).sort();
  const edit = (d: string) => {
    const o = resource.overrides[d]!;
    setDay(d);
    setDraft(o);
    setCapacityText(o.capacity === null ? "" : String(o.capacity));
    save.clear();
  };
  const set = (patch: Partial<DateOverride>) => setDraft({ ...draft, ...patch });
  // A date that has an override already opens it, so a save keeps what it says (a session
  // called off stays off unless unticked) rather than replacing it with a blank one.
  const pick = (d: string) => (resource.overrides[d] ? edit(d) : setDay(d));
  const submit = async (event: Event) => {
    event.preventDefault();
    const capacity = capacityText.trim() === "" ? null : Number(capacityText);
    // A time field writes the end of the day as "00:00"; the API's is "24:00".
    const hours = draft.hours && draft.hours.map(([a, b]) => [a, b === "00:00" ? "24:00" : b] as [string, string]);
    const body = { ...draft, hours, capacity };
    // Everything unticked (a session called off, sold again): the date follows the week again.
    const nothing = !body.closed && body.hours === null && body.session_times === null && capacity === null && !body.called_off.length;
    if (nothing && resource.overrides[day]) return remove(day);
    await save.run(async () => onChanged(await catalog.setOverride(api, resource.id, resource.rev, day, body)));
  };
  const remove = (d: string) => save.run(async () => onChanged(await catalog.clearOverride(api, resource.id, resource.rev, d)));
  const said = (o: DateOverride) =>
    [
      o.closed && t("cat_ovr_closed"),
      o.hours && (o.hours.length ? o.hours.map(([a, b]) => `${a}–${b}`).join(", ") : t("cat_closed_day")),
      o.session_times && (o.session_times.length ? o.session_times.join(", ") : t("cat_no_sessions")),
      o.capacity !== null && t("cat_ovr_capacity", { n: o.capacity }),
      o.called_off.length > 0 && t("cat_ovr_called_off", { times: o.called_off.join(", ") }),
    ]
      .filter(Boolean)
      .join(" · ");
  return (
    <section aria-labelledby="overrides-title" class="cat-section wide overrides">
      <h2 id="overrides-title">{t("cat_overrides")}</h2>
      {dates.length === 0 ? (
        <p class="muted">{t("cat_no_overrides")}</p>
      ) : (
        <ul class="lines" aria-labelledby="overrides-title">
          {dates.map((d) => (
            <li key={d}>
              <span class="when">{fmt.day(d)}</span>
              <span>{said(resource.overrides[d]!)}</span>
              {manage && (
                <span class="actions">
                  <button type="button" class="secondary" onClick={() => edit(d)} aria-label={t("cat_edit_override", { date: fmt.day(d) })}>
                    {t("cat_edit")}
                  </button>
                  <button type="button" class="danger" onClick={() => remove(d)} aria-label={t("cat_remove_override", { date: fmt.day(d) })}>
                    {t("cat_remove")}
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {manage && (
        <form class="override-form" onSubmit={submit} aria-labelledby="override-form-title">
          <strong id="override-form-title">{t("cat_override_form")}</strong>
          <label>
            {t("date")}
            <input type="date" required value={day} min={todayIn(tenant.timezone)} onInput={(e) => pick((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <Check label={t("cat_ovr_close")} checked={draft.closed} onChange={(closed) => set({ closed })} />
          <label>
            {t("cat_ovr_capacity_label")}
            <input type="number" inputMode="numeric" min={0} max={100000} value={capacityText} placeholder={String(resource.capacity)} onInput={(e) => setCapacityText((e.currentTarget as HTMLInputElement).value)} />
          </label>
          {resource.kind === "timed" && (
            <div class="wide">
              <Check label={t("cat_ovr_hours")} checked={draft.hours !== null} onChange={(on) => set({ hours: on ? [["09:00", "17:00"]] : null })} />
              {draft.hours && <SpanList spans={draft.hours} step={resource.slot_minutes} what={t("cat_that_day")} onChange={(hours) => set({ hours })} />}
            </div>
          )}
          {resource.kind === "session" && (
            <div class="wide">
              <Check label={t("cat_ovr_sessions")} checked={draft.session_times !== null} onChange={(on) => set({ session_times: on ? [] : null })} />
              {draft.session_times && <TimeList times={draft.session_times} what={t("cat_that_day")} onChange={(session_times) => set({ session_times })} />}
              {[...new Set([...(resource.overrides[day]?.called_off ?? []), ...draft.called_off])].sort().map((time) => (
                <Check
                  key={time}
                  label={t("cat_ovr_called_off_one", { time })}
                  checked={draft.called_off.includes(time)}
                  onChange={(off) => set({ called_off: off ? [...draft.called_off, time].sort() : draft.called_off.filter((x) => x !== time) })}
                />
              ))}
            </div>
          )}
          <button type="submit" disabled={save.busy}>
            {t("cat_set_override")}
          </button>
        </form>
      )}
      <Refusal refusal={save.refusal} onReload={props.onReload} />
    </section>
  );
}
