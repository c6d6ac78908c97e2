/**
 * The business's website and the booking widget (managers and owners): the web origins the
 * widget may run on and the booking page its messages' manage links lead to
 * (`PATCH /v1/tenant`; the list sent replaces the list), then the embed snippet: a new
 * publishable key made for it (`POST /v1/keys`; shown once, as the API shows every key) in
 * the one tag a page adds, beside the widget's script. Between them, the widget's branding
 * (branding.tsx): its colour, the business's logo and its language. The tag names Stripe.js
 * and its form as this stack has them, so a card can be taken on the business's page.
 */

import { useEffect, useState } from "preact/hooks";
import { message, useDesk } from "./app";
import { BrandingForm } from "./branding";
import { Problem, useAction } from "./lines";
import type { Config } from "./config";
import { PLACEHOLDER } from "../shared/embed";
import type { TenantProfile as TenantSettings } from "./settings_api";

const STRIPE_JS = "https://js.stripe.com/v3/";

/** What a page adds: the widget's script, and its tag, holding the placeholder shown until
 * the script has loaded (../shared/embed.ts), with all a booking needs to take a card: the key, the API, and Stripe.js as this stack serves it (the console's config:
 * Stripe's own script and its Payment Element on AWS; localstripe's, with the Card Element
 * it has, locally), so a pasted snippet pays as the demo pages do. */
export function embedSnippet(script: string, key: string, api: string, stripe?: Config["stripe"]): string {
  const attributes = { key, api, "stripe-js": stripe?.js ?? STRIPE_JS, "payment-form": stripe?.mounting ?? "payment" };
  const written = Object.entries(attributes)
    .map(([name, value]) => `${name}="${value.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}"`)
    .join(" ");
  return `<script src="${script}" defer></script>\n<reservoir-booking ${written}>\n  ${PLACEHOLDER}\n</reservoir-booking>`;
}

export function Website({ widgetScript, stripe }: { widgetScript: string; stripe?: Config["stripe"] }) {
  const desk = useDesk();
  const { t, api } = desk;
  const [tenant, setTenant] = useState<TenantSettings | null>(null);
  const [error, setError] = useState("");
  const [saved, setSaved] = useState(false);
  const [key, setKey] = useState("");
  const save = useAction();
  const make = useAction();

  const load = () =>
    api
      .get<TenantSettings>("/v1/tenant")
      .then(setTenant)
      .catch((e) => setError(message(t, e)));
  useEffect(() => {
    load();
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!tenant) return;
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const origins = String(form.get("origins") ?? "")
      .split(/\s+/)
      .filter(Boolean);
    const body = { widget_origins: origins, booking_page: String(form.get("booking_page") ?? "").trim() };
    setSaved(false);
    if (await save.run(() => api.patch("/v1/tenant", body))) {
      setSaved(true);
      await load();
    }
  };
  const newKey = async () => {
    await make.run(async () => {
      const made = await api.post<{ key: string }>("/v1/keys", { kind: "publishable", name: "Website widget" });
      setKey(made.key);
    });
  };
  const snippet = key ? embedSnippet(widgetScript, key, api.base, stripe) : "";

  if (!tenant) return error ? <Problem text={error} /> : <p role="status">{t("loading")}</p>;
  return (
    <section aria-labelledby="website-title">
      <h1 id="website-title">{t("website_title")}</h1>
      <form class="settings" onSubmit={submit}>
        <label>
          {t("widget_origins")}
          <textarea name="origins" rows={4} defaultValue={tenant.settings.widget_origins.join("\n")} />
          <small>{t("widget_origins_help")}</small>
        </label>
        <label>
          {t("booking_page")}
          <input name="booking_page" type="url" defaultValue={tenant.settings.booking_page} />
          <small>{t("booking_page_help")}</small>
        </label>
        <Problem text={save.error} />
        {saved && (
          <p class="notice" role="status">
            {t("saved")}
          </p>
        )}
        <button type="submit" disabled={save.busy}>
          {t("save")}
        </button>
      </form>
      <BrandingForm tenant={tenant} onSaved={load} />
      <h2>{t("embed_title")}</h2>
      <p>{t("embed_help")}</p>
      {snippet ? (
        <>
          <label class="snippet">
            {t("embed_snippet")}
            <textarea readOnly rows={4} value={snippet} onFocus={(e) => (e.currentTarget as HTMLTextAreaElement).select()} />
          </label>
          <p class="muted">{t("key_once")}</p>
        </>
      ) : (
        <button type="button" onClick={newKey} disabled={make.busy}>
          {t("make_key")}
        </button>
      )}
      <Problem text={make.error} />
    </section>
  );
}
