/**
 * One offering (`#/catalog/offering/<id>`, or `new`): what customers book, in sections: about
 * it, what it needs, its times, the party, its price, deposit, cancellation and booking
 * questions. The kind is fixed once saved (the API's rule). A save sends the revision it read;
 * someone else's change since is said plainly, with a reload. A deposit the business cannot
 * collect yet (Stripe not connected: the widget then confirms bookings to be paid at the venue;
 * or not yet able to charge) is said next to it, not left for the widget to drop silently.
 */

import { MAY } from "./api";
import { useDesk } from "./app";
import { useState } from "preact/hooks";
import { type CatalogOffering, type CatalogResource, type Deposit, type OfferingBody, catalog, newOffering } from "./catalog_api";
import { EditorFooter, NameAndKind, useEditor } from "./catalog_editor";
import { Check, NumberField, Section } from "./catalog_parts";
import type { Key } from "./i18n";
import type { Connection } from "./integrations_api";
import { Problem, useLoaded } from "./lines";
import { CancellationEditor, DepositEditor } from "./policies_editor";
import { PriceRules } from "./price_rules_editor";
import { PricingEditor } from "./pricing_editor";
import { QuestionsEditor } from "./questions_editor";
import { Requirements } from "./requirements_editor";

export function OfferingEditor({ id }: { id: string }) {
  const desk = useDesk();
  const { t, api } = desk;
  const fresh = id === "new";
  const loaded = useLoaded<[CatalogOffering | null, CatalogResource[]]>(
    () => Promise.all([fresh ? Promise.resolve(null) : catalog.offering(api, id), catalog.resources(api)]),
    [id],
  );
  const editor = useEditor<CatalogOffering, OfferingBody>({
    loaded: loaded.data?.[0] ?? null,
    blank: () => newOffering("timed"),
    page: "offering",
    write: (draft, current) => catalog.saveOffering(api, draft, current?.id, current?.rev),
    halt: (current) => catalog.stopOffering(api, current.id, current.rev),
  });
  const { current, draft, set } = editor;
  const manage = MAY.manage(desk.me.role);
  if (!loaded.data || (!fresh && !current)) return loaded.error ? <Problem text={loaded.error} /> : <p role="status">{t("loading")}</p>;
  const resources = loaded.data[1];
  const minutes = (key: "duration_minutes" | "buffer_before" | "buffer_after" | "min_notice_minutes", label: Key, min: number, max: number) => (
    <NumberField label={t(label)} value={draft[key]} min={min} max={max} onChange={(n) => set({ [key]: n })} />
  );
  const title = fresh ? t("cat_new_offering") : current!.name;
  return (
    <section aria-labelledby="offering-title" class="catalog">
      <p>
        <a href="#/catalog">{t("cat_back")}</a>
      </p>
      <h1 id="offering-title">{title}</h1>
      <form class="cat-form" onSubmit={editor.submit} aria-labelledby="offering-title">
        <fieldset class="cat-sections" disabled={!manage} key={String(current?.id ?? "new") + String(loaded.data[0]?.rev ?? "")}>
          <Section title={t("cat_about")}>
            <NameAndKind name={draft.name} kind={draft.kind} fresh={fresh} onName={(name) => set({ name })} onKind={(kind) => editor.replace(ofKind(kind, draft))} />
            <label class="wide">
              {t("cat_description")}
              <textarea rows={3} maxLength={2000} value={draft.description} onInput={(e) => set({ description: (e.currentTarget as HTMLTextAreaElement).value })} />
            </label>
            {!fresh && <Check label={t("cat_sold")} checked={draft.active} onChange={(active) => set({ active })} />}
          </Section>
          <Section title={t("cat_needs")} wide>
            <Requirements kind={draft.kind} value={draft.requirements} resources={resources} onChange={(requirements) => set({ requirements })} />
          </Section>
          <Section title={t("cat_times")}>
            {draft.kind === "timed" && minutes("duration_minutes", "cat_duration", 5, 1440)}
            {draft.kind === "timed" && <StartsEvery value={draft.interval_minutes} onChange={(interval_minutes) => set({ interval_minutes })} />}
            {draft.kind !== "nightly" && minutes("buffer_before", "cat_buffer_before", 0, 240)}
            {draft.kind !== "nightly" && minutes("buffer_after", "cat_buffer_after", 0, 240)}
            {minutes("min_notice_minutes", "cat_notice", 0, 365 * 1440)}
            <NumberField label={t("cat_advance")} value={draft.max_advance_days} min={1} max={1100} onChange={(max_advance_days) => set({ max_advance_days })} />
            {draft.kind === "nightly" && <NumberField label={t("cat_max_nights")} value={draft.max_nights} min={1} max={30} onChange={(max_nights) => set({ max_nights })} />}
          </Section>
          <Section title={t("cat_party")}>
            <NumberField label={t("cat_party_min")} value={draft.party_min} min={1} max={1000} onChange={(party_min) => set({ party_min })} />
            <NumberField label={t("cat_party_max")} value={draft.party_max} min={1} max={1000} onChange={(party_max) => set({ party_max })} />
          </Section>
          <Section title={t("cat_price")}>
            <PricingEditor kind={draft.kind} value={draft.pricing} onChange={(pricing) => set({ pricing })} />
          </Section>
          <Section title={t("cat_deposit_section")}>
            <DepositEditor value={draft.deposit} onChange={(deposit) => set({ deposit })} />
            <DepositReach asks={asksAhead(draft.deposit)} />
          </Section>
          <Section title={t("cat_price_rules")} wide>
            <PriceRules value={draft.pricing} onChange={(pricing) => set({ pricing })} />
          </Section>
          <Section title={t("cat_cancellation")} wide>
            <CancellationEditor value={draft.cancellation} onChange={(cancellation) => set({ cancellation })} />
          </Section>
          <Section title={t("cat_questions")} wide>
            <QuestionsEditor value={draft.questions} saved={current?.questions.map((q) => q.id) ?? []} onChange={(questions) => set({ questions })} />
          </Section>
        </fieldset>
        <EditorFooter editor={editor} manage={manage} onReload={loaded.refresh} />
      </form>
    </section>
  );
}

/** A new offering of another kind keeps what was typed that every kind has: its name, its
 * description and its price (the basis and the rest are the kind's own). */
function ofKind(kind: OfferingBody["kind"], typed: OfferingBody): OfferingBody {
  const fresh = newOffering(kind);
  const { amount, tax_bp, tax_inclusive } = typed.pricing;
  return { ...fresh, name: typed.name, description: typed.description, pricing: { ...fresh.pricing, amount, tax_bp, tax_inclusive } };
}

/** Whether an offering's deposit policy collects something online: at booking (a deposit, a
 * no-show fee's saved card, an authorisation) or later (an instalment plan, the balance before
 * the start), none of which is taken without Stripe (payments/services/collection.py). An
 * offering read from before instalments and balance dates has neither field: none. */
export const asksAhead = (deposit: Deposit) =>
  deposit.kind !== "none" || deposit.no_show_fee > 0 || deposit.manual_capture || (deposit.instalments ?? 1) > 1 || (deposit.balance_due_days_before ?? null) !== null;

/** What becomes of a deposit while the business's Stripe account cannot take it (the editor,
 * and the catalog's list when an offering sold asks for one). */
export function DepositReach({ asks }: { asks: boolean }) {
  const { t, api } = useDesk();
  const { data } = useLoaded(() => api.get<Connection>("/v1/payments/connect"));
  if (!data || !asks || data.charges_enabled) return null;
  return (
    <p class="notice wide" role="note">
      {t(data.account_id ? "cat_deposit_onboarding" : "cat_deposit_no_stripe")} <a href="#/payments">{t("cat_connect_stripe")}</a>
    </p>
  );
}

// Starts every N minutes, up to once a day (P7A 9: a restaurant's 18:00 and 20:30 sittings are
// 150 minutes apart; the choice stopped at 60), or any whole 5 minutes under "Other".
const STARTS = [5, 10, 15, 20, 30, 45, 60, 90, 120, 150, 180, 240, 300, 360, 480, 720, 1440];

function StartsEvery({ value, onChange }: { value: number; onChange: (n: number) => void }) {
  const { t } = useDesk();
  const [other, setOther] = useState(!STARTS.includes(value));
  const label = (m: number) => (m < 60 || m % 60 ? t("cat_minutes", { n: m }) : t("cat_hours_n", { n: m / 60 }));
  return (
    <>
      <label>
        {t("cat_interval")}
        <select
          value={other ? "other" : String(value)}
          onChange={(e) => {
            const chosen = (e.currentTarget as HTMLSelectElement).value;
            setOther(chosen === "other");
            if (chosen !== "other") onChange(Number(chosen));
          }}
        >
          {STARTS.map((m) => (
            <option key={m} value={m}>
              {label(m)}
            </option>
          ))}
          <option value="other">{t("cat_interval_other")}</option>
        </select>
      </label>
      {other && <NumberField label={t("cat_interval_minutes")} value={value} min={5} max={1440} step={5} onChange={onChange} />}
    </>
  );
}
