/**
 * Payments and plan (`#/payments`, managers and owners): whether the business takes payments
 * online (`GET /v1/payments/connect`: not connected, onboarding, or charges enabled) and the
 * plan (plan.tsx). Only the owner starts or continues Stripe's onboarding
 * (`POST /v1/payments/connect`, then Stripe's pages, which bring them back here). Back here, or
 * back to this tab from Stripe's in another one, the account is read again: while it is
 * onboarding the API asks Stripe, so the page does not say "Onboarding" to an owner who has
 * just finished.
 */

import { useEffect } from "preact/hooks";
import { useDesk } from "./app";
import type { Config } from "./config";
import type { Key } from "./i18n";
import { type Connection, mayOwn } from "./integrations_api";
import { Problem, useAction, useLoaded } from "./lines";
import { PlanPanel } from "./plan";

export function PaymentsPage({ stripe }: { stripe?: Config["stripe"] }) {
  const { t } = useDesk();
  return (
    <section aria-labelledby="payments-title">
      <h1 id="payments-title">{t("payments_title")}</h1>
      <div class="columns even">
        <Stripe />
        <PlanPanel stripe={stripe} />
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
  const { data, error, refresh } = useLoaded(() => api.get<Connection>("/v1/payments/connect"));
  const waiting = !data?.charges_enabled;
  useEffect(() => {
    if (!waiting) return;
    const seen = () => document.visibilityState === "visible" && refresh();
    document.addEventListener("visibilitychange", seen);
    return () => document.removeEventListener("visibilitychange", seen);
  }, [waiting]);
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
