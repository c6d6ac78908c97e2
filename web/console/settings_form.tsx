/**
 * What the settings forms share: saving a change to `PATCH /v1/tenant` while keeping the
 * refusal whole (a zone change blocked by bookings ahead names the orders, which the form
 * links), and saying that refusal plainly in the staff member's words.
 */

import type { ComponentChildren } from "preact";
import { useId, useState } from "preact/hooks";
import { message, useDesk } from "./app";
import { focusIfLost } from "./focus";
import type { Key } from "./i18n";
import { namedOrders, refusalText, type TenantProfile } from "./settings_api";

const SHOWN_ORDERS = 10;

/** One save of the tenant: busy while it runs, then done or refused (the error kept whole). */
export function useSave(): {
  busy: boolean;
  saved: boolean;
  refusal: unknown;
  run: (body: Record<string, unknown>) => Promise<TenantProfile | null>;
} {
  const { api } = useDesk();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [refusal, setRefusal] = useState<unknown>(null);
  const run = async (body: Record<string, unknown>) => {
    // The Save button is disabled while the save runs, which drops the keyboard on <body>:
    // refused, it goes back to the button (an outside tester's Tab restarted at the top).
    const pressed = document.activeElement;
    setBusy(true);
    setSaved(false);
    setRefusal(null);
    try {
      const tenant = await api.patch<TenantProfile>("/v1/tenant", body);
      setSaved(true);
      return tenant;
    } catch (e) {
      setRefusal(e);
      if (pressed && pressed !== document.body) focusIfLost(() => pressed);
      return null;
    } finally {
      setBusy(false);
    }
  };
  return { busy, saved, refusal, run };
}

/** The refusal of a save, said plainly (with the orders that block a zone change, linked). */
export function Refusal({ error }: { error: unknown }) {
  const { t } = useDesk();
  if (!error) return null;
  const orders = namedOrders(error);
  return (
    <div class="error refusal" role="alert">
      <p>{refusalText(t, error) ?? message(t, error)}</p>
      {orders.length > 0 && (
        <ul>
          {orders.slice(0, SHOWN_ORDERS).map((id) => (
            <li key={id}>
              <a href={`#/order/${encodeURIComponent(id)}`}>{id}</a>
            </li>
          ))}
          {orders.length > SHOWN_ORDERS && <li>{t("refusal_more", { n: orders.length - SHOWN_ORDERS })}</li>}
        </ul>
      )}
    </div>
  );
}

export function Saved({ shown }: { shown: boolean }) {
  const { t } = useDesk();
  return (
    <p class="notice" role="status">
      {shown ? t("saved") : ""}
    </p>
  );
}

/** A control with its label and, below it, its help (the control's description, kept out of
 * its name so that "Country" is the country's field and nothing else). */
export function Labelled(props: { label: Key; help?: Key; children: (describedBy?: string) => ComponentChildren }) {
  const { t } = useDesk();
  const helpId = useId();
  return (
    <div class="field">
      <label>
        {t(props.label)}
        {props.children(props.help ? helpId : undefined)}
      </label>
      {props.help && <small id={helpId}>{t(props.help)}</small>}
    </div>
  );
}

/** A labelled text field of a settings form. */
export function Field(props: {
  label: Key;
  value: string;
  onInput: (value: string) => void;
  type?: "text" | "email" | "tel" | "url";
  help?: Key;
}) {
  return (
    <Labelled label={props.label} help={props.help}>
      {(describedBy) => (
        <input
          type={(props.type ?? "text") as "text"}
          value={props.value}
          autoComplete="off"
          aria-describedby={describedBy}
          onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)}
        />
      )}
    </Labelled>
  );
}
