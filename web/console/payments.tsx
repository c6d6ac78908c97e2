/**
 * Payments and plan (`#/payments`, managers and owners): whether the business takes payments
 * online (`GET /v1/payments/connect`: not connected, onboarding, or charges enabled) and the
 * plan with its limits (`GET /v1/billing`). Only the owner starts or continues Stripe's
 * onboarding (`POST /v1/payments/connect`, then Stripe's pages, which bring them back here)
 * and changes the plan (`POST /v1/billing/subscription`: the plan moves when Stripe reports
 * the subscription active, so the page shows the API's answer and reads the plan again).
 */

import { useState } from "preact/hooks";
import { useDesk } from "./app";
import type { Key, T } from "./i18n";
import { type Billing, type Connection, mayOwn, PAID_PLANS, type Subscription } from "./integrations_api";
import { Problem, useAction, useLoaded } from "./lines";

export function PaymentsPage() {
  const { t } = useDesk();
  return (
    <section aria-labelledby="payments-title">
      <h1 id="payments-title">{t("payments_title")}</h1>
      <div class="columns even">
        <Stripe />
        <Plan />
      </div>
    </section>
  );
}

function connectState(c: Connection): "none" | "onboarding" | "enabled" {
  if (!c.account_id) return "none";
  return c.charges_enabled ? "enabled" : "onboarding";
}

function Stripe() {
  const desk = useDesk();
  const { t, api } = desk;
  const { data, error } = useLoaded(() => api.get<Connection>("/v1/payments/connect"));
  const { busy, error: failed, run } = useAction();
  const onboard = () =>
    run(async () => {
      const back = `${location.origin}${location.pathname}#/payments`;
      const link = await api.post<Connection>("/v1/payments/connect", { return_url: back });
      if (link.onboarding_url) location.assign(link.onboarding_url);
    });
  const state = data && connectState(data);
  return (
    <section class="panel" aria-labelledby="stripe-title">
      <h2 id="stripe-title">{t("stripe_title")}</h2>
      <Problem text={error} />
      {data === null && !error && <p role="status">{t("loading")}</p>}
      {state && data && (
        <>
          <p>
            <span class={`badge connect-${state}`}>{t(`connect_${state}` as Key)}</span>
          </p>
          <p>{t(`connect_${state}_help` as Key)}</p>
          {data.account_id && (
            <p class="muted">
              {t("stripe_account")} <code>{data.account_id}</code>
            </p>
          )}
          {mayOwn(desk.me.role) ? (
            <button type="button" disabled={busy} onClick={onboard}>
              {t(state === "none" ? "connect_start" : state === "onboarding" ? "connect_continue" : "connect_review")}
            </button>
          ) : (
            <p class="muted">{t("owner_only")}</p>
          )}
          <Problem text={failed} />
        </>
      )}
    </section>
  );
}

function limit(t: T, n: number | null): string {
  return n === null ? t("no_limit") : String(n);
}

function Plan() {
  const desk = useDesk();
  const { t, api } = desk;
  const { data: billing, error, refresh } = useLoaded(() => api.get<Billing>("/v1/billing"));
  const { busy, error: failed, run } = useAction();
  const [answer, setAnswer] = useState<Subscription | null>(null);
  const [plan, setPlan] = useState<string>(PAID_PLANS[0]);
  const subscribe = async (event: Event) => {
    event.preventDefault();
    setAnswer(null);
    await run(async () => {
      setAnswer(await api.post<Subscription>("/v1/billing/subscription", { plan }));
      refresh();
    });
  };
  return (
    <section class="panel" aria-labelledby="plan-title">
      <h2 id="plan-title">{t("plan_title")}</h2>
      <Problem text={error} />
      {billing === null && !error && <p role="status">{t("loading")}</p>}
      {billing && (
        <dl class="facts">
          <dt>{t("plan")}</dt>
          <dd>
            <strong>{t(`plan_${billing.plan}` as Key)}</strong>
          </dd>
          <dt>{t("subscription")}</dt>
          <dd>{billing.subscription_status ? t("subscription_is", { status: billing.subscription_status }) : t("no_subscription")}</dd>
          <dt>{t("bookings_this_month")}</dt>
          <dd>
            {t("n_of_limit", { n: billing.bookings_this_month, limit: limit(t, billing.limits.bookings_per_month) })}
          </dd>
          <dt>{t("limit_staff")}</dt>
          <dd>{limit(t, billing.limits.staff)}</dd>
          <dt>{t("limit_resources")}</dt>
          <dd>{limit(t, billing.limits.resources)}</dd>
          <dt>{t("platform_fee")}</dt>
          <dd>{new Intl.NumberFormat(desk.fmt.locale, { style: "percent", maximumFractionDigits: 2 }).format(billing.limits.fee_bp / 10000)}</dd>
        </dl>
      )}
      {billing && mayOwn(desk.me.role) && (
        <form class="inline" onSubmit={subscribe} aria-labelledby="subscribe-title">
          <strong id="subscribe-title" class="wide">
            {t("change_plan")}
          </strong>
          <label>
            {t("plan")}
            <select value={plan} onChange={(e) => setPlan((e.currentTarget as HTMLSelectElement).value)}>
              {PAID_PLANS.map((p) => (
                <option value={p} key={p}>
                  {t(`plan_${p}` as Key)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={busy}>
            {t("subscribe")}
          </button>
        </form>
      )}
      {billing && !mayOwn(desk.me.role) && <p class="muted">{t("owner_only_plan")}</p>}
      <Problem text={failed} />
      {answer && (
        <p class="notice" role="status">
          {t("subscribed", { id: answer.subscription_id, status: answer.status })}
        </p>
      )}
    </section>
  );
}
