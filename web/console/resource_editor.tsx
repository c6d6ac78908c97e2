/**
 * One resource (`#/catalog/resource/<id>`, or `new`): its name, kind (fixed once saved, as the
 * API has it, and so is a timed resource's slot grid), capacity, week, closures, skills and
 * tags, a room type's rooms, whether it is sold; then its date overrides. A save sends the
 * revision it read (If-Match): someone else's change since is said, with a reload; a change
 * that would strand what is sold is refused naming the orders, next to the form.
 */

import type { ComponentChildren } from "preact";
import { useId, useState } from "preact/hooks";
import { MAY } from "./api";
import { useDesk } from "./app";
import { CAPACITY_OF, type CatalogResource, GRID, type ResourceBody, catalog, labels, newResource, words } from "./catalog_api";
import { EditorFooter, NameAndKind, useEditor } from "./catalog_editor";
import { Check, NumberField, Section } from "./catalog_parts";
import { Problem, useLoaded } from "./lines";
import { Overrides } from "./overrides";
import { Closures, Schedule } from "./schedule_editor";

export function ResourceEditor({ id }: { id: string }) {
  const desk = useDesk();
  const { t, api } = desk;
  const fresh = id === "new";
  const loaded = useLoaded<CatalogResource | null>(() => (fresh ? Promise.resolve(null) : catalog.resource(api, id)), [id]);
  const editor = useEditor<CatalogResource, ResourceBody>({
    loaded: loaded.data,
    blank: () => newResource("timed"),
    page: "resource",
    write: (draft, current) => catalog.saveResource(api, draft, current?.id, current?.rev),
    halt: (current) => catalog.stopResource(api, current.id, current.rev),
  });
  const { current, draft, set } = editor;
  const manage = MAY.manage(desk.me.role);
  if (!fresh && !current) return loaded.error ? <Problem text={loaded.error} /> : <p role="status">{t("loading")}</p>;
  const roomType = draft.kind === "nightly";
  const title = fresh ? t("cat_new_resource") : current!.name;
  return (
    <section aria-labelledby="resource-title" class="catalog">
      <p>
        <a href="#/catalog">{t("cat_back")}</a>
      </p>
      <h1 id="resource-title">{title}</h1>
      <form class="cat-form" onSubmit={editor.submit} aria-labelledby="resource-title">
        <fieldset class="cat-sections" disabled={!manage} key={String(loaded.data?.rev ?? "new")}>
          <Section title={t("cat_about")}>
            <NameAndKind name={draft.name} kind={draft.kind} fresh={fresh} onName={(name) => set({ name })} onKind={(kind) => set({ kind, ...(draft.capacity === CAPACITY_OF[draft.kind] ? { capacity: CAPACITY_OF[kind] } : {}) })} />
            <Capacity draft={draft} onChange={(capacity) => set({ capacity })} />
            {draft.kind === "timed" && (
              <label>
                {t("cat_slot")}
                <select value={draft.slot_minutes} disabled={!fresh} onChange={(e) => set({ slot_minutes: Number((e.currentTarget as HTMLSelectElement).value) })}>
                  {GRID.map((m) => (
                    <option key={m} value={m}>
                      {t("cat_minutes", { n: m })}
                    </option>
                  ))}
                </select>
              </label>
            )}
            {draft.kind === "session" && (
              <>
                <NumberField label={t("cat_session_minutes")} value={draft.session_minutes} min={5} max={10080} onChange={(session_minutes) => set({ session_minutes })} />
                <Advanced title={t("cat_advanced")} open={draft.shards > 1}>
                  <NumberField label={t("cat_shards")} value={draft.shards} min={1} max={64} onChange={(shards) => set({ shards })} />
                  <small>{t("cat_shards_hint")}</small>
                </Advanced>
              </>
            )}
            {!fresh && <Check label={t("cat_sold")} checked={draft.active} onChange={(active) => set({ active })} />}
          </Section>
          <Section title={t("cat_labels")}>
            <ListField label={t("cat_skills")} hint={t("cat_labels_hint")} value={draft.skills} parse={labels} onChange={(skills) => set({ skills })} />
            <ListField label={t("cat_tags")} hint={t("cat_tags_hint")} value={draft.tags} parse={labels} onChange={(tags) => set({ tags })} />
            {roomType && <ListField label={t("cat_rooms")} hint={t("cat_rooms_hint")} value={draft.rooms} parse={words} onChange={(rooms) => set(withRooms(draft, rooms))} />}
          </Section>
          <Section title={t(roomType ? "cat_open_nights" : draft.kind === "timed" ? "cat_hours" : "cat_sessions")} wide>
            {!roomType && <p class="muted">{t("cat_zone_note", { zone: desk.tenant.timezone })}</p>}
            <Schedule draft={draft} set={set} />
          </Section>
          <Section title={t("cat_closures")} wide>
            <Closures closures={draft.closures} onChange={(closures) => set({ closures })} />
          </Section>
        </fieldset>
        <EditorFooter editor={editor} manage={manage} onReload={loaded.refresh} />
      </form>
      {current && <Overrides resource={current} manage={manage} onChanged={editor.setCurrent} onReload={loaded.refresh} />}
    </section>
  );
}

/** Settings most never change, folded away: open at first if one of them is set (more shards
 * than 1), then as the user leaves it. Not `open={value > 1}`: that closed the section under
 * the keyboard when a number typed over passed through 1, hiding the field and losing keys. */
function Advanced(props: { title: string; open: boolean; children: ComponentChildren }) {
  const [open, setOpen] = useState(props.open);
  return (
    <details class="wide" open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>{props.title}</summary>
      {props.children}
    </details>
  );
}

/** A list typed as text (skills "cut, colour"; rooms "101 102"): the text is kept as typed. */
function ListField(props: { label: string; hint: string; value: string[]; parse: (s: string) => string[]; onChange: (v: string[]) => void }) {
  const [text, setText] = useState(props.value.join(", "));
  const id = useId();
  return (
    <label>
      {props.label}
      <input
        value={text}
        aria-describedby={id}
        onInput={(e) => {
          const next = (e.currentTarget as HTMLInputElement).value;
          setText(next);
          props.onChange(props.parse(next));
        }}
      />
      <small id={id}>{props.hint}</small>
    </label>
  );
}

/** Rooms listed: their number is the capacity (the API's rule). The capacity follows the list
 * while the two agree (or nothing but the default 1 was there); a capacity the owner typed
 * that the list does not match is said next to it, in words, and the form is not sent
 * (it was once replaced by the list's count without a word). */
export function withRooms(draft: ResourceBody, rooms: string[]): Partial<ResourceBody> {
  const agreed = draft.rooms.length ? draft.capacity === draft.rooms.length : draft.capacity <= 1;
  return agreed && rooms.length ? { rooms, capacity: rooms.length } : { rooms };
}

function Capacity({ draft, onChange }: { draft: ResourceBody; onChange: (n: number) => void }) {
  const { t } = useDesk();
  const id = useId();
  const rooms = draft.kind === "nightly" ? draft.rooms.length : 0;
  const wrong = rooms > 0 && draft.capacity !== rooms;
  return (
    <span class="field">
      <label>
        {t("cat_capacity")}
        <input
          type="number"
          inputMode="numeric"
          value={draft.capacity}
          min={0}
          max={100000}
          aria-invalid={wrong ? "true" : undefined}
          aria-describedby={rooms ? id : undefined}
          onInput={(e) => {
            const n = (e.currentTarget as HTMLInputElement).valueAsNumber;
            if (Number.isFinite(n)) onChange(Math.round(n));
          }}
        />
      </label>
      {rooms > 0 && (
        <small id={id} class={wrong ? "field-error" : undefined}>
          {wrong ? t("cat_rooms_mismatch", { capacity: draft.capacity, rooms }) : t("cat_capacity_rooms", { n: rooms })}
        </small>
      )}
    </span>
  );
}
