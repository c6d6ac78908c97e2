/**
 * What the resource and the offering editors share: the item as last read or saved, the draft
 * being edited, saving it (POST when new, then its own address; PUT with the revision read),
 * stopping its sale, and the footer with the API's refusal, what happened, and the buttons a
 * manager or owner gets.
 */

import { useState } from "preact/hooks";
import { useDesk } from "./app";
import { markedField, useOnChange } from "./lines";
import { KINDS, type Kind } from "./catalog_api";
import { Refusal, StopSelling, useSave } from "./catalog_parts";
import type { Key } from "./i18n";

interface Saved {
  id: string;
  rev: number;
  name: string;
  active: boolean;
}

export interface Editor<T extends Saved, B> {
  current: T | null;
  setCurrent: (item: T) => void;
  draft: B;
  set: (patch: Partial<B>) => void;
  replace: (draft: B) => void;
  notice: Key | "";
  save: ReturnType<typeof useSave>;
  submit: (event: Event) => Promise<void>;
  stop: () => Promise<boolean>;
}

export function useEditor<T extends Saved & B, B extends { active: boolean }>(opts: {
  loaded: T | null;
  blank: () => B;
  page: "resource" | "offering";
  write: (draft: B, current: T | null) => Promise<T>;
  halt: (current: T) => Promise<T>;
}): Editor<T, B> {
  const desk = useDesk();
  const [current, setCurrent] = useState<T | null>(opts.loaded);
  const [draft, setDraft] = useState<B>(() => opts.loaded ?? opts.blank());
  const [notice, setNotice] = useState<Key | "">("");
  const save = useSave();
  // The draft starts as what the first render shows; only another item read (a reload, the
  // next item's address) replaces it, never the first render's own (lines.tsx useOnChange).
  useOnChange(() => {
    setCurrent(opts.loaded);
    setDraft(opts.loaded ?? opts.blank());
    save.clear();
  }, [opts.loaded]);
  const done = (item: T, said: Key, next: B) => {
    setCurrent(item);
    setDraft(next);
    setNotice(said);
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    // A number the page could not read (a price "abc") is not sent as the last one it could.
    const wrong = markedField(event);
    if (wrong) {
      save.say(desk.t("cat_fix_fields"));
      wrong.focus();
      return;
    }
    await save.run(async () => {
      const item = await opts.write(draft, current);
      if (!current) desk.go(`#/catalog/${opts.page}/${encodeURIComponent(item.id)}`);
      done(item, "cat_saved", item);
    });
  };
  const stop = () =>
    save.run(async () => {
      const item = await opts.halt(current!);
      done(item, "cat_stopped", { ...draft, active: item.active });
    });
  const set = (patch: Partial<B>) => {
    setNotice("");
    setDraft({ ...draft, ...patch });
  };
  return { current, setCurrent, draft, set, replace: setDraft, notice, save, submit, stop };
}

export function EditorFooter<T extends Saved, B>({ editor, manage, onReload }: { editor: Editor<T, B>; manage: boolean; onReload: () => void }) {
  const { t } = useDesk();
  const { current, notice, save } = editor;
  return (
    <>
      <Refusal refusal={save.refusal} onReload={onReload} />
      {notice && (
        <p class="notice" role="status">
          {t(notice)}
        </p>
      )}
      {manage && (
        <div class="cat-actions">
          <button type="submit" disabled={save.busy}>
            {current ? t("cat_save") : t("cat_create")}
          </button>
          {current?.active && <StopSelling name={current.name} onStop={editor.stop} />}
        </div>
      )}
    </>
  );
}

/** The name, and the kind (chosen once: fixed after the first save, as the API has it). */
export function NameAndKind({ name, kind, fresh, onName, onKind }: { name: string; kind: Kind; fresh: boolean; onName: (s: string) => void; onKind: (k: Kind) => void }) {
  const { t } = useDesk();
  return (
    <>
      <label>
        {t("cat_name")}
        <input name="name" value={name} maxLength={120} required onInput={(e) => onName((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <label>
        {t("cat_kind")}
        <select value={kind} disabled={!fresh} onChange={(e) => onKind((e.currentTarget as HTMLSelectElement).value as Kind)}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`cat_kind_${k}` as Key)}
            </option>
          ))}
        </select>
        {!fresh && <small>{t("cat_kind_fixed")}</small>}
      </label>
    </>
  );
}
