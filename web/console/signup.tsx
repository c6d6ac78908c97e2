/**
 * A new business signs itself up (`POST /v1/signup`, no login needed), gets its two keys once,
 * and is sent to set the owner's password: Cognito e-mails the owner a temporary one on AWS,
 * or a code to choose one ("Set or reset my password"). Then it signs in.
 */

import { useState } from "preact/hooks";
import { refusalOf } from "../shared/refusal";
import type { Config } from "./config";
import type { T } from "./i18n";

const TYPES = ["hotel", "restaurant", "appointments", "tours", "events"] as const;
const CURRENCIES = ["EUR", "USD", "GBP", "CNY", "JPY", "CHF", "AUD", "CAD", "SGD", "HKD"];
// The currency a new business most likely charges in, from the browser's country.
const REGION_CURRENCY: Record<string, string> = {
  US: "USD", GB: "GBP", CN: "CNY", JP: "JPY", CH: "CHF", LI: "CHF", AU: "AUD", CA: "CAD", SG: "SGD", HK: "HKD",
};

function likelyCurrency(): string {
  const region = new Intl.Locale(navigator.language).maximize().region ?? "";
  return REGION_CURRENCY[region] ?? "EUR";
}

interface Created {
  tenant_id: string;
  secret_key: string;
  publishable_key: string;
  owner_email: string;
}

export function SignUp({ config, t, onDone }: { config: Config; t: T; onDone: (email: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [created, setCreated] = useState<Created | null>(null);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const listed = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.("timeZone") ?? [];
  // The browser's own zone is the likely one, and chosen; it is listed even where the list
  // leaves it out (UTC), rather than the list's first (Africa/Abidjan) being chosen instead.
  const zones = listed.includes(zone) ? listed : [zone, ...listed];
  const currency = likelyCurrency();

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const body = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v).trim()]));
    setBusy(true);
    setError("");
    try {
      const response = await fetch(`${config.api}/v1/signup`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) {
        // Status first: a throttled sign-up (1 a second at the gateway) has the gateway's body.
        const problem = refusalOf(response.status, data, response.statusText, "error");
        const fields = (problem.details.fields ?? []) as { field: string; message: string }[];
        if (problem.code === "rate_limited") setError(t("signup_rate"));
        else setError(fields.length ? fields.map((f) => `${f.field}: ${f.message}`).join("; ") : problem.message);
      } else setCreated(data as Created);
    } catch {
      setError(t("network"));
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    return (
      <main class="signin">
        <section class="card" aria-labelledby="signed-up">
          <h1 id="signed-up">{t("signup_done")}</h1>
          <p>{t("signup_keys")}</p>
          <dl class="keys">
            <dt>{t("secret_key")}</dt>
            <dd>
              <code>{created.secret_key}</code>
            </dd>
            <dt>{t("publishable_key")}</dt>
            <dd>
              <code>{created.publishable_key}</code>
            </dd>
          </dl>
          <p>{t("signup_password", { email: created.owner_email })}</p>
          <a class="button" href="#/">
            {t("sign_in")}
          </a>{" "}
          <button type="button" class="link" onClick={() => onDone(created.owner_email)}>
            {t("set_password")}
          </button>
        </section>
      </main>
    );
  }
  return (
    <main class="signin">
      <form onSubmit={submit} aria-labelledby="signup-title">
        <h1 id="signup-title">{t("signup_title")}</h1>
        <label>
          {t("business_name")}
          <input name="business_name" required maxLength={120} autofocus />
        </label>
        <label>
          {t("slug")}
          <input name="slug" required pattern="[a-z0-9\-]{3,40}" maxLength={40} />
          <small>{t("slug_help")}</small>
        </label>
        <label>
          {t("owner_name")}
          <input name="owner_name" required maxLength={120} />
        </label>
        <label>
          {t("email")}
          <input name="owner_email" type="email" required autocomplete="email" />
        </label>
        <label>
          {t("business_type")}
          <select name="business_type">
            {TYPES.map((k) => (
              <option value={k} key={k}>
                {t(`type_${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("time_zone")}
          <select name="timezone">
            {zones.map((z) => (
              <option value={z} key={z} selected={z === zone}>
                {z}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("currency")}
          <select name="currency">
            {CURRENCIES.map((c) => (
              <option value={c} key={c} selected={c === currency}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("language")}
          {/* The language the console is read in is the likely one for the business too. */}
          <select name="locale">
            <option value="en" selected={t.lang !== "zh-Hans"}>
              English
            </option>
            <option value="zh-Hans-CN" selected={t.lang === "zh-Hans"}>
              简体中文
            </option>
          </select>
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t("signup")}
        </button>
        <a href="#/">{t("have_login")}</a>
      </form>
    </main>
  );
}
