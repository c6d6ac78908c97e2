/**
 * A customer's profile on their page (customer.tsx): name, language, birthday, tags and the
 * marketing consent, saved over the version read (`PATCH /v1/customers/{id}` with If-Match).
 * A save refused as out of date keeps what was typed over the record read again.
 */

import { useRef, useState } from "preact/hooks";
import { ApiError, MAY } from "./api";
import { message, useDesk } from "./app";
import { type Customer, customersApi } from "./customers_api";
import { focusIfLost, focusSoon } from "./focus";
import type { Key, T } from "./i18n";

const PROFILE_FIELDS: string[] = ["birthday", "name", "language", "tags"] satisfies Text[];

/** A refused profile in words: a field the API's validation named gets a sentence of its own
 * (its path inside the validator, "birthday.function-after[...]", means nothing to staff),
 * said under that field (`fields`: an outside tester found the birthday's sentence at the top
 * of the page, far from the field); anything else is said for the page (`page`). */
function profileProblem(t: T, e: unknown): { fields: Partial<Record<Text, string>>; page: string } {
  if (!(e instanceof ApiError) || e.code !== "validation_failed") return { fields: {}, page: message(t, e) };
  const named = ((e.details?.fields as { field: string }[] | undefined) ?? []).map((f) => f.field.split(/[.[]/)[0]);
  const ours = [...new Set(named)].filter((f): f is Text => PROFILE_FIELDS.includes(f));
  const others = [...new Set(named)].filter((f) => !PROFILE_FIELDS.includes(f));
  const fields = Object.fromEntries(ours.map((f) => [f, t(`cus_bad_${f}` as Key)]));
  const page = others.map((f) => t("cus_bad_other", { field: f })).join(" ");
  return { fields, page: page || (ours.length ? "" : message(t, e)) };
}

export interface Editing {
  customer: Customer;
  onError: (text: string) => void;
}

type Text = "name" | "language" | "birthday" | "tags";

/** What was changed in the profile when its save was refused as out of date, shown over the
 * record read again (an outside tester's second tab was refused on every save, its typing
 * kept only until a reload threw it away). Only what differs from the record as that tab read
 * it: a field left alone shows the other tab's change, not this tab's old value (which Save
 * would have written back, consent included, as a review found); and only for the customer it
 * was typed for. */
interface ProfileDraft {
  of: string; // the customer's id
  texts: Partial<Record<Text, string>>;
  marketing?: boolean; // only when ticked or unticked here
}

export function Profile({ customer, onSaved, onStale, onError }: Editing & { onSaved: () => void; onStale: () => void }) {
  const { t, fmt, api, me } = useDesk();
  const [busy, setBusy] = useState(false);
  const [draft, setDraft] = useState<ProfileDraft | null>(null);
  const [bad, setBad] = useState<{ of: string; fields: Partial<Record<Text, string>> }>({ of: "", fields: {} });
  const formEl = useRef<HTMLFormElement>(null);
  const saveButton = useRef<HTMLButtonElement>(null);
  const consent = customer.consent;
  const save = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const tags = text("tags")
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean);
    const marketing = form.get("marketing") === "on";
    setBusy(true);
    try {
      await customersApi(api).patch(customer, {
        name: text("name"),
        language: text("language"),
        birthday: text("birthday"),
        tags,
        ...(marketing !== (consent?.granted ?? false) ? { marketing } : {}),
      });
      setDraft(null);
      setBad({ of: "", fields: {} });
      onSaved();
    } catch (e) {
      if (e instanceof ApiError && e.code === "customer_changed") {
        const read: Record<Text, string> = {
          name: customer.name,
          language: customer.language,
          birthday: customer.birthday,
          tags: customer.tags.join(", "),
        };
        const texts = Object.fromEntries((Object.keys(read) as Text[]).filter((k) => text(k) !== read[k]).map((k) => [k, text(k)]));
        const ticked = marketing !== (consent?.granted ?? false) ? { marketing } : {};
        setDraft({ of: customer.id, texts, ...ticked });
        onStale();
      } else {
        const said = profileProblem(t, e);
        setBad({ of: customer.id, fields: said.fields });
        onError(said.page);
        const first = PROFILE_FIELDS.find((f) => f in said.fields);
        // On the first field said to be wrong, else back on Save (disabled while it ran).
        if (first) focusSoon(() => formEl.current?.querySelector(`[name="${first}"]`));
        else focusIfLost(() => saveButton.current);
      }
    } finally {
      setBusy(false);
    }
  };
  const mine = draft?.of === customer.id ? draft : null;
  const shown = (name: Text, value: string) => mine?.texts[name] ?? value;
  const wrong = bad.of === customer.id ? bad.fields : {};
  const field = (name: Text, label: Key, value: string, help?: Key) => {
    const said = wrong[name];
    const helpId = `cus-${name}-help`;
    const badId = `cus-${name}-bad`;
    return (
      <label>
        {t(label)}
        <input
          name={name}
          defaultValue={value}
          disabled={!MAY.operate(me.role)}
          aria-invalid={said ? "true" : undefined}
          aria-describedby={[said ? badId : "", help ? helpId : ""].filter(Boolean).join(" ") || undefined}
        />
        {said && (
          <small class="error" id={badId}>
            {said}
          </small>
        )}
        {help && (
          <small class="muted" id={helpId}>
            {t(help)}
          </small>
        )}
      </label>
    );
  };
  return (
    <section aria-labelledby="profile-title">
      <h2 id="profile-title">{t("cus_profile")}</h2>
      <p>
        {t("cus_email")}: {customer.email || "—"} · {t("cus_phone")}: {customer.phone || "—"}
      </p>
      <form class="cus-form" ref={formEl} onSubmit={save} key={`${customer.id}:${customer.version}`}>
        {field("name", "cus_name", shown("name", customer.name))}
        {field("language", "cus_language", shown("language", customer.language))}
        {field("birthday", "cus_birthday", shown("birthday", customer.birthday), "cus_birthday_help")}
        {field("tags", "cus_tags", shown("tags", customer.tags.join(", ")), "cus_tags_help")}
        <fieldset>
          <legend>{t("cus_consent")}</legend>
          <label class="check">
            <input
              type="checkbox"
              name="marketing"
              defaultChecked={mine?.marketing ?? consent?.granted ?? false}
              disabled={!MAY.operate(me.role)}
            />
            {t("cus_consent_yes")}
          </label>
          <p class="muted">
            {consent
              ? t("cus_consent_state", {
                  state: t(consent.granted ? "cus_consent_granted" : "cus_consent_withdrawn"),
                  source: t(`cus_src_${consent.source}` as Key),
                  when: fmt.dateTime(consent.at),
                })
              : t("cus_consent_none")}
          </p>
        </fieldset>
        {MAY.operate(me.role) && (
          <button type="submit" ref={saveButton} disabled={busy}>
            {t("cus_save")}
          </button>
        )}
      </form>
    </section>
  );
}
