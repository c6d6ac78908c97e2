/**
 * Holding a new room block on the Groups page (`POST /v1/blocks`), a manager's form drawn in
 * place of its button. A keyboard and screen-reader tester found it opened with the keyboard
 * on <body> and "Keep it" dropped it there again: opened, the keyboard is on Group; kept (or
 * Escape), back on "Hold a room block"; held, on the page's line that says so (`onHeld`).
 * A date it cannot send (a year typed with five digits, which a date field takes) or the API
 * refuses is said with the field's own label in words, and the field is marked (aria-invalid,
 * described by the sentence), not "Not right: from (A date is written YYYY-MM-DD)".
 */

import { useState } from "preact/hooks";
import type { Offering, Resource } from "./api";
import { ApiError } from "./api";
import { useDesk } from "./app";
import { closeOnEscape, focusSoon, useOpenedForm } from "./focus";
import type { Key, T } from "./i18n";
import { Problem, useAction } from "./lines";

type DateField = "from" | "release_on";
const LABELS: Record<DateField, Key> = { from: "first_night", release_on: "release_on" };
// The API's refusals that are about one of the dates, and how each is said.
const REFUSED: Readonly<Record<string, [DateField, Key]>> = {
  date_in_past: ["from", "block_first_past"],
  release_too_late: ["release_on", "block_release_late"],
  release_in_past: ["release_on", "block_release_past"],
};
const PROBLEM_ID = "new-block-problem";

/** A date field's value as the API reads it: a four-digit year (a date field takes 22026). */
const readable = (day: string) => /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(day);

/** The last night a block from `from` of `nights` nights holds, as YYYY-MM-DD. */
function lastNight(from: string, nights: number): string {
  const day = new Date(`${from}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + Math.max(1, nights) - 1);
  return day.toISOString().slice(0, 10);
}

/** What is wrong with the dates before sending: field -> the word for it. */
function datesWrong(from: string, nights: number, releaseOn: string): Partial<Record<DateField, Key>> {
  const wrong: Partial<Record<DateField, Key>> = {};
  if (!readable(from)) wrong.from = "block_date_unread";
  if (!readable(releaseOn)) wrong.release_on = "block_date_unread";
  else if (readable(from) && releaseOn > lastNight(from, nights)) wrong.release_on = "block_release_late";
  return wrong;
}

/** The API's refusal, when it is about a date: which, and its word. */
function refusedDates(e: unknown): Partial<Record<DateField, Key>> {
  if (!(e instanceof ApiError)) return {};
  if (e.code === "validation_failed") {
    const fields = (e.details?.fields as { field: string }[] | undefined) ?? [];
    const named = fields.map((f) => f.field.split(".").pop() ?? "").filter((f): f is DateField => f in LABELS);
    return Object.fromEntries(named.map((f) => [f, "block_date_unread" as Key]));
  }
  const found = REFUSED[e.code];
  return found ? { [found[0]]: found[1] } : {};
}

function said(t: T, wrong: Partial<Record<DateField, Key>>): string {
  const problems = (Object.keys(wrong) as DateField[]).map((f) => t(wrong[f]!, { field: t(LABELS[f]) }));
  return problems.length ? t("block_not_done", { problems: problems.join(t.lang === "zh-Hans" ? "；" : "; ") }) : "";
}

export function NewBlock(props: { types: Resource[]; offerings: Offering[]; onHeld: (name: string) => void }) {
  const { t, api } = useDesk();
  const [open, setOpen] = useState(false);
  const [wrong, setWrong] = useState<Partial<Record<DateField, Key>>>({});
  const { busy, error, run } = useAction();
  const { opener, form, answered } = useOpenedForm(open);
  const close = () => {
    setWrong({});
    setOpen(false);
  };
  if (!open) {
    return (
      <button type="button" ref={opener} onClick={() => setOpen(true)}>
        {t("new_block")}
      </button>
    );
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(data.get(name) ?? "").trim();
    const body = {
      name: text("name"),
      resource_id: text("resource_id"),
      offering_id: text("offering_id"),
      from: text("from"),
      nights: Number(text("nights")),
      rooms: Number(text("rooms")),
      release_on: text("release_on"),
    };
    const before = datesWrong(body.from, body.nights, body.release_on);
    setWrong(before);
    const first = Object.keys(before)[0];
    if (first) return focusSoon(() => form.current?.querySelector(`[name=${first}]`));
    let refused: Partial<Record<DateField, Key>> = {};
    const held = await run(async () => {
      try {
        await api.post("/v1/blocks", body);
      } catch (e) {
        refused = refusedDates(e);
        if (Object.keys(refused).length === 0) throw e;
      }
    });
    if (!held) return;
    if (Object.keys(refused).length > 0) {
      setWrong(refused);
      return focusSoon(() => form.current?.querySelector(`[name=${Object.keys(refused)[0]}]`));
    }
    answered(); // the page's line says the rooms are held, and has the keyboard
    close();
    props.onHeld(body.name);
  };
  const choice = (name: string, label: Key, all: { id: string; name: string }[]) => (
    <label>
      {t(label)}
      <select name={name} required>
        {all.map((one) => (
          <option value={one.id} key={one.id}>
            {one.name}
          </option>
        ))}
      </select>
    </label>
  );
  const dateField = (name: DateField) => (
    <label>
      {t(LABELS[name])}
      <input
        type="date"
        name={name}
        required
        aria-invalid={wrong[name] ? "true" : undefined}
        aria-describedby={wrong[name] ? PROBLEM_ID : undefined}
      />
    </label>
  );
  return (
    <form class="customer" ref={form} onSubmit={submit} onKeyDown={closeOnEscape(busy, close)} aria-labelledby="new-block-title">
      <strong id="new-block-title" class="wide">
        {t("new_block")}
      </strong>
      <label>
        {t("group_name")}
        <input name="name" maxLength={120} required />
      </label>
      {choice("resource_id", "other_type", props.types)}
      {choice("offering_id", "rate_of", props.offerings)}
      {dateField("from")}
      <label>
        {t("nights")}
        <input type="number" name="nights" min={1} max={30} defaultValue="2" required />
      </label>
      <label>
        {t("rooms_each_night")}
        <input type="number" name="rooms" min={1} max={200} defaultValue="2" required />
      </label>
      {dateField("release_on")}
      <button type="submit" disabled={busy}>
        {t("hold_block")}
      </button>
      <button type="button" onClick={close}>
        {t("keep")}
      </button>
      <Problem text={said(t, wrong) || error} id={PROBLEM_ID} />
    </form>
  );
}
