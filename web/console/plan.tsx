/**
 * The plan panel of `#/payments`: the plan, its use and limits (`GET /v1/billing`), every plan
 * side by side, and for the owner the card the plan is paid with and the plan's change.
 *
 * The card: `POST /v1/billing/card` answers a SetupIntent; Stripe.js (the widget's
 * `mountPayment`) takes the card in Stripe's own fields and confirms it, so the number never
 * reaches Reservoir; `PUT /v1/billing/card` then makes it the invoices' default. A plan is
 * bought only with a card on file, so its first invoice is paid at once. The plan itself moves
 * when Stripe reports the subscription (a webhook), so after a change the panel reads the plan
 * again for a few seconds until it shows.
 */

import { useEffect, useRef, useState } from "preact/hooks";
import { mountPayment, type PaymentForm } from "../widget/payment";
import { useDesk } from "./app";
import type { Config } from "./config";
import type { Key, T } from "./i18n";
import {
  type Billing,
  type Card,
  type CardSetup,
  ENDED,
  type Limits,
  mayOwn,
  type PlanName,
  type Subscription,
} from "./integrations_api";
import { Problem, useAction, useLoaded } from "./lines";

const STRIPE_JS = "https://js.stripe.com/v3/";

function limit(t: T, n: number | null): string {
  return n === null ? t("no_limit") : String(n);
}

export function PlanPanel({ stripe }: { stripe?: Config["stripe"] }) {
  const desk = useDesk();
  const { t, api } = desk;
  const { data: billing, error, refresh } = useLoaded(() => api.get<Billing>("/v1/billing"));
  const owner = mayOwn(desk.me.role);
  return (
    <section class="panel" aria-labelledby="plan-title">
      <h2 id="plan-title">{t("plan_title")}</h2>
      <Problem text={error} />
      {billing === null && !error && <p role="status">{t("loading")}</p>}
      {billing && <Facts billing={billing} />}
      {billing && <Plans billing={billing} />}
      {billing && owner && <CardOnFile billing={billing} stripe={stripe} onSaved={refresh} />}
      {billing && owner && <ChangePlan billing={billing} onChanged={refresh} />}
      {billing && !owner && <p class="muted">{t("owner_only_plan")}</p>}
    </section>
  );
}

function Facts({ billing }: { billing: Billing }) {
  const { t } = useDesk();
  return (
    <dl class="facts">
      <dt>{t("plan")}</dt>
      <dd>
        <strong>{t(`plan_${billing.plan}` as Key)}</strong>
      </dd>
      <dt>{t("subscription")}</dt>
      <dd>{billing.subscription_status ? t("subscription_is", { status: statusText(t, billing.subscription_status) }) : t("no_subscription")}</dd>
      <dt>{t("card_on_file")}</dt>
      <dd>{billing.card ? cardText(t, billing.card) : t("no_card")}</dd>
      <dt>{t("bookings_this_month")}</dt>
      <dd>{t("n_of_limit", { n: billing.bookings_this_month, limit: limit(t, billing.limits.bookings_per_month) })}</dd>
    </dl>
  );
}

const STATUSES = ["active", "trialing", "past_due", "incomplete", "incomplete_expired", "canceled", "unpaid", "paused"];

/** Stripe's word for a subscription's state, in the desk's words. */
function statusText(t: T, status: string): string {
  return STATUSES.includes(status) ? t(`sub_${status}` as Key) : status;
}

// Stripe's card networks as people write them; another is shown as Stripe names it.
const BRANDS: Record<string, string> = {
  visa: "Visa",
  mastercard: "Mastercard",
  amex: "American Express",
  discover: "Discover",
  diners: "Diners Club",
  jcb: "JCB",
  unionpay: "UnionPay",
  cartes_bancaires: "Cartes Bancaires",
  eftpos_au: "eftpos",
  interac: "Interac",
};

function cardText(t: T, card: Card): string {
  const brand = card.brand === "unknown" ? t("card_brand_unknown") : (BRANDS[card.brand] ?? card.brand);
  const expiry = `${String(card.exp_month).padStart(2, "0")}/${card.exp_year}`;
  return t("card_is", { brand, last4: card.last4, expiry });
}

function Plans({ billing }: { billing: Billing }) {
  const desk = useDesk();
  const { t } = desk;
  const percent = new Intl.NumberFormat(desk.fmt.locale, { style: "percent", maximumFractionDigits: 2 });
  const cells = (l: Limits) => [limit(t, l.bookings_per_month), limit(t, l.staff), limit(t, l.resources), percent.format(l.fee_bp / 10000)];
  return (
    <table class="plans">
      <caption>{t("plans_compared")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("plan")}</th>
          <th scope="col">{t("limit_bookings")}</th>
          <th scope="col">{t("limit_staff")}</th>
          <th scope="col">{t("limit_resources")}</th>
          <th scope="col">{t("platform_fee")}</th>
        </tr>
      </thead>
      <tbody>
        {billing.plans.map((p) => (
          <tr key={p.plan} aria-current={p.plan === billing.plan ? "true" : undefined} class={p.plan === billing.plan ? "current" : ""}>
            <th scope="row">
              {t(`plan_${p.plan}` as Key)}
              {p.plan === billing.plan && (
                <>
                  {" "}
                  <span class="badge">{t("current_plan")}</span>
                </>
              )}
            </th>
            {cells(p.limits).map((c, i) => (
              <td key={i}>{c}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CardOnFile({ billing, stripe, onSaved }: { billing: Billing; stripe?: Config["stripe"]; onSaved: () => void }) {
  const desk = useDesk();
  const { t, api } = desk;
  const { busy, error, run } = useAction();
  const [setup, setSetup] = useState<CardSetup | null>(null);
  const [form, setForm] = useState<PaymentForm | null>(null);
  const [failed, setFailed] = useState("");
  const [saved, setSaved] = useState(false);
  // Stripe confirms a SetupIntent once: after that, a retry sends only the saving request.
  const confirmed = useRef(false);
  const target = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const into = target.current;
    if (!setup || !into) return;
    let live = true;
    let mounted: PaymentForm | null = null;
    const start = { kind: "card_on_file", client_secret: setup.client_secret, publishable_key: setup.publishable_key };
    mountPayment(start, { src: stripe?.js ?? STRIPE_JS, mounting: stripe?.mounting ?? "payment", target: into, locale: desk.fmt.locale })
      .then((f) => {
        if (!live) return f.destroy();
        mounted = f;
        setForm(f);
      })
      .catch(() => live && setFailed(t("stripe_unavailable")));
    return () => {
      live = false;
      mounted?.destroy();
      setForm(null);
    };
  }, [setup]);
  const begin = () => {
    setSaved(false);
    setFailed("");
    confirmed.current = false;
    void run(async () => setSetup(await api.post<CardSetup>("/v1/billing/card", {})));
  };
  const save = (event: Event) => {
    event.preventDefault();
    if (!form || !setup) return;
    setFailed("");
    void run(async () => {
      if (!confirmed.current) {
        const answer = await form.pay(location.href);
        if (!answer.ok) {
          setFailed(answer.message || t("card_refused"));
          return;
        }
        confirmed.current = true;
      }
      await api.put<Card>("/v1/billing/card", { setup_intent_id: setup.setup_intent_id });
      setSetup(null);
      setSaved(true);
      onSaved();
    });
  };
  return (
    <section aria-labelledby="card-title">
      <h3 id="card-title">{t("card_title")}</h3>
      {!setup && (
        <button type="button" disabled={busy} onClick={begin}>
          {t(billing.card ? "card_replace" : "card_add")}
        </button>
      )}
      {setup && (
        <form onSubmit={save} aria-labelledby="card-title">
          <div class="card-fields" ref={target} />
          {!form && !failed && <p role="status">{t("loading")}</p>}
          <div class="actions">
            <button type="submit" disabled={busy || !form}>
              {t("card_save")}
            </button>
            <button type="button" class="secondary" disabled={busy} onClick={() => setSetup(null)}>
              {t("card_cancel")}
            </button>
          </div>
        </form>
      )}
      <Problem text={failed || error} />
      {saved && billing.card && (
        <p class="notice" role="status">
          {t("card_saved", { card: cardText(t, billing.card) })}
        </p>
      )}
    </section>
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function ChangePlan({ billing, onChanged }: { billing: Billing; onChanged: () => void }) {
  const desk = useDesk();
  const { t, api } = desk;
  const { busy, error, run } = useAction();
  const choices = billing.plans.filter((p) => p.available && p.plan !== "free" && p.plan !== billing.plan);
  const [plan, setPlan] = useState<PlanName | "">("");
  const [said, setSaid] = useState("");
  const [stopping, setStopping] = useState(false);
  const chosen = choices.some((p) => p.plan === plan) ? plan : (choices[0]?.plan ?? "");
  const status = billing.subscription_status ?? "";
  const running = billing.subscription_id !== null && !ENDED.includes(status) && status !== "incomplete";
  // Stripe's webhook moves the plan a moment after the answer: read it until it shows.
  const until = async (wanted: PlanName) => {
    for (let i = 0; i < 15; i++) {
      if ((await api.get<Billing>("/v1/billing")).plan === wanted) return true;
      await sleep(1000);
    }
    return false;
  };
  const subscribe = (event: Event) => {
    event.preventDefault();
    if (!chosen) return;
    setSaid("");
    void run(async () => {
      const answer = await api.post<Subscription>("/v1/billing/subscription", { plan: chosen });
      if (answer.status === "incomplete") {
        // The first payment did not go through (Stripe may still be charging it, locally).
        setSaid(t("plan_unpaid"));
        onChanged();
        return;
      }
      const moved = await until(chosen);
      setSaid(moved ? t("plan_now", { plan: t(`plan_${chosen}` as Key) }) : t("subscribed", { id: answer.subscription_id, status: statusText(t, answer.status) }));
      onChanged();
    });
  };
  const stop = () =>
    void run(async () => {
      setSaid("");
      await api.delete<Subscription>("/v1/billing/subscription");
      setStopping(false);
      const moved = await until("free");
      setSaid(moved ? t("plan_now", { plan: t("plan_free") }) : t("plan_stop_pending"));
      onChanged();
    });
  return (
    <section aria-labelledby="subscribe-title">
      <h3 id="subscribe-title">{t("change_plan")}</h3>
      {choices.length === 0 && <p class="muted">{t("no_plan_to_buy")}</p>}
      {choices.length > 0 && !billing.card && <p class="muted">{t("card_first")}</p>}
      {choices.length > 0 && billing.card && (
        <form class="inline" onSubmit={subscribe} aria-labelledby="subscribe-title">
          <label>
            {t("plan")}
            <select value={chosen} onChange={(e) => setPlan((e.currentTarget as HTMLSelectElement).value as PlanName)}>
              {choices.map((p) => (
                <option value={p.plan} key={p.plan}>
                  {t(`plan_${p.plan}` as Key)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={busy}>
            {t("subscribe")}
          </button>
        </form>
      )}
      {running && !stopping && (
        <button type="button" class="secondary" disabled={busy} onClick={() => setStopping(true)}>
          {t("plan_stop")}
        </button>
      )}
      {running && stopping && (
        <div class="confirm" role="group" aria-label={t("plan_stop")}>
          <p>{t("plan_stop_confirm")}</p>
          <button type="button" class="danger" disabled={busy} onClick={stop}>
            {t("plan_stop_yes")}
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={() => setStopping(false)}>
            {t("plan_stop_no")}
          </button>
        </div>
      )}
      {busy && <p role="status">{t("plan_waiting")}</p>}
      <Problem text={error} />
      {said && (
        <p class="notice" role="status">
          {said}
        </p>
      )}
    </section>
  );
}
