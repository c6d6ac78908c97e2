/**
 * Pieces the catalog's editors share: a save that keeps the API's refusal (not just its
 * words), the refusal said plainly next to the form (the orders a capacity change would
 * strand, the times a day does not have, the fields at fault, or that someone else changed
 * the item: reload), and inputs for numbers, money and percentages that send integers.
 */

import type { ComponentChildren } from "preact";
import { useEffect, useId, useLayoutEffect, useState } from "preact/hooks";
import { ApiError } from "./api";
import { fieldMessage, fieldWords } from "./field_words";
import { message, useDesk } from "./app";
import { fromMinor, toMinor } from "./catalog_api";
import { focusIfLost } from "./focus";

export function useSave(): {
  busy: boolean;
  refusal: unknown;
  run: (action: () => Promise<unknown>) => Promise<boolean>;
  clear: () => void;
  say: (text: string) => void; // a refusal of the page's own, in the desk's words
} {
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<unknown>(null);
  const run = async (action: () => Promise<unknown>) => {
    // The button pressed is disabled while the request runs, which dropped the keyboard on
    // <body> (an outside tester's Save, saved or refused): done, it goes to what says so
    // ("Saved."); refused, to the refusal's Reload when someone else changed the item, else
    // back to the button pressed.
    const pressed = document.activeElement;
    setBusy(true);
    setRefusal(null);
    try {
      await action();
      focusIfLost(() => document.querySelector('p.notice[role="status"]') ?? pressed);
      return true;
    } catch (e) {
      setRefusal(e);
      focusIfLost(() => document.querySelector(".refusal button") ?? pressed);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, refusal, run, clear: () => setRefusal(null), say: setRefusal };
}

// Refusals whose sentence here says all the API's message would (P7A 16: the skipped hour was
// said twice, in the console's words and again in the API's).
const SAID_WHOLE = new Set(["version_mismatch", "nonexistent_time"]);

export function Refusal({ refusal, onReload }: { refusal: unknown; onReload?: () => void }) {
  const { t, fmt } = useDesk();
  if (!refusal) return null;
  if (typeof refusal === "string")
    return (
      <p class="error" role="alert">
        {refusal}
      </p>
    );
  if (!(refusal instanceof ApiError)) return <p class="error" role="alert">{message(t, refusal)}</p>;
  const details = refusal.details ?? {};
  const orders = (details.orders as string[] | undefined) ?? [];
  const fields = (details.fields as { field: string; message: string }[] | undefined) ?? [];
  let said = message(t, refusal);
  if (refusal.code === "version_mismatch") said = t("cat_conflict");
  else if (refusal.code === "capacity_below_sold") said = t("cat_below_sold");
  else if (refusal.code === "room_assigned") said = t("cat_room_assigned");
  else if (refusal.code === "plan_limit_reached") said = t("cat_plan_limit");
  else if (refusal.code === "nonexistent_time")
    said = t("cat_nonexistent", {
      day: typeof details.date === "string" ? fmt.day(details.date) : "",
      times: ((details.times as string[]) ?? []).join(", "),
    });
  else if (refusal.code === "not_for_kind") said = t("cat_not_for_kind");
  return (
    <div class="refusal" role="alert">
      <p class="error">{said}</p>
      {!SAID_WHOLE.has(refusal.code) && said !== message(t, refusal) && <p class="muted">{refusal.message}</p>}
      {orders.length > 0 && (
        <ul class="refused-orders" aria-label={t("cat_orders_in_way")}>
          {orders.map((id) => (
            <li key={id}>
              <a href={`#/order/${encodeURIComponent(id)}`}>{id}</a>
            </li>
          ))}
        </ul>
      )}
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={f.field}>
              {fieldWords(f.field, t.lang)}: {fieldMessage(f.field, f.message, t.lang)}
            </li>
          ))}
        </ul>
      )}
      {refusal.code === "version_mismatch" && onReload && (
        <button type="button" onClick={onReload}>
          {t("cat_reload")}
        </button>
      )}
    </div>
  );
}

/** A titled part of an editor: the form stays a few short sections, not one wall of fields. */
export function Section({ title, children, wide }: { title: string; children: ComponentChildren; wide?: boolean }) {
  return (
    <fieldset class={wide ? "cat-section wide" : "cat-section"}>
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}

export function NumberField(props: { label: string; value: number; min?: number; max?: number; step?: number; onChange: (n: number) => void; name?: string }) {
  const { label, value, min, max, step, onChange, name } = props;
  return (
    <label>
      {label}
      <input
        type="number"
        inputMode="numeric"
        name={name}
        value={value}
        min={min}
        max={max}
        step={step ?? 1}
        onInput={(e) => {
          const n = (e.currentTarget as HTMLInputElement).valueAsNumber;
          if (Number.isFinite(n)) onChange(Math.round(n));
        }}
      />
    </label>
  );
}

/** An amount typed in the tenant's currency (its decimals from the API), kept as minor units;
 * beside it, the amount as Intl writes it. `places`: 2 for a percentage kept in basis points. */
export function DecimalField(props: {
  label: string;
  value: number;
  onChange: (n: number) => void;
  places?: number;
  money?: boolean;
  suffix?: string;
  signed?: boolean; // a change, which may be negative
  quiet?: boolean; // the label for screen readers only: a table's column says it
  /** Told whether the text typed is an amount: the value kept is the last one that was, so a
   * form showing or sending it must know when the field no longer says it. */
  onValidity?: (ok: boolean) => void;
  /** Left empty is 0 (a tip): the field starts empty rather than saying 0.00. */
  optional?: boolean;
  /** Refused as it is (more than is owed): marked, and described by the refusal's `refusal` id. */
  refused?: string;
}) {
  const { t, fmt } = useDesk();
  const places = props.places ?? fmt.decimals;
  const read = (s: string) => (props.optional && s.trim() === "" ? 0 : toMinor(s, places, props.signed));
  const shown = (n: number) => (props.optional && n === 0 ? "" : fromMinor(n, places));
  const [text, setText] = useState(shown(props.value));
  // A value changed from outside (a row above removed, a reload) is shown, not the old text.
  useEffect(() => {
    if (read(text) !== props.value) setText(shown(props.value));
  }, [props.value]);
  const parsed = read(text);
  const id = useId();
  const hint = parsed === null ? t("cat_decimal_hint", { places }) : "";
  // A form that sends the value at once (a payment) refuses while the field says no amount,
  // not sending the last valid one (PROBE 43: "abc" recorded the 50.00 typed before); the
  // catalog's forms say which fields are not right when saved (aria-invalid).
  // A layout effect: told in the draw that marks the field, not a paint later, when an Enter
  // pressed at once had already sent the last amount (the forms also check the field itself).
  useLayoutEffect(() => props.onValidity?.(parsed !== null), [parsed !== null]);
  return (
    <span class="field">
      <label for={`${id}-in`} class={props.quiet ? "sr-only" : undefined}>
        {props.label}
      </label>
      <span class="with-suffix">
        <input
          id={`${id}-in`}
          inputMode="decimal"
          value={text}
          aria-invalid={parsed === null || props.refused ? "true" : undefined}
          aria-describedby={props.refused ? `${id} ${props.refused}` : id}
          onInput={(e) => {
            const next = (e.currentTarget as HTMLInputElement).value;
            setText(next);
            const minor = read(next);
            if (minor !== null) props.onChange(minor);
          }}
        />
        {props.suffix && <span aria-hidden="true">{props.suffix}</span>}
      </span>
      <small id={id} class={parsed === null ? "field-error" : undefined}>
        {parsed === null ? hint : props.money ? fmt.money(parsed) : ""}
      </small>
    </span>
  );
}

export function Check({ label, checked, onChange }: { label: string; checked: boolean; onChange: (b: boolean) => void }) {
  return (
    <label class="check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)} />
      {label}
    </label>
  );
}

/** Stopping a resource or an offering asks first; the API's refusal (it is in use) is shown. */
export function StopSelling({ name, onStop }: { name: string; onStop: () => Promise<boolean> }) {
  const { t } = useDesk();
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" class="danger" onClick={() => setAsking(true)}>
        {t("cat_stop")}
      </button>
    );
  return (
    <span class="confirm" role="group" aria-label={t("cat_stop_sure", { name })}>
      <span>{t("cat_stop_sure", { name })}</span>
      <button type="button" class="danger" onClick={async () => (await onStop()) && setAsking(false)}>
        {t("cat_stop_yes")}
      </button>
      <button type="button" class="secondary" onClick={() => setAsking(false)}>
        {t("cat_keep")}
      </button>
    </span>
  );
}
