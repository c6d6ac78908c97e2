/**
 * Webhooks (`#/webhooks`, managers and owners): the business's endpoints (URL and the
 * description its owner gave it, events, enabled or not, how its deliveries go: webhook_health.tsx,
 * since when), adding one with the events the API lists as subscribable
 * (`known_event_types`, or all of them: `*`), its signing secret shown once when it is made or
 * rotated (never again: the API keeps no way to read it), enabling and disabling, deleting
 * after a confirmation, and each endpoint's delivery log (webhook_log.tsx).
 */

import { useState } from "preact/hooks";
import { useDesk } from "./app";
import type { Endpoint, EndpointList } from "./integrations_api";
import { Problem, useAction, useLoaded } from "./lines";
import { Health } from "./webhook_health";
import { DeliveryLog } from "./webhook_log";

const ALL = "*";
type Secret = { url: string; secret: string };

export function WebhooksPage() {
  const { t, fmt, api, tenant } = useDesk();
  const { data: list, error, refresh } = useLoaded(() => api.get<EndpointList>("/v1/webhooks/endpoints"));
  const [secret, setSecret] = useState<Secret | null>(null);
  const [log, setLog] = useState<string | null>(null);
  const made = (shown: Secret) => {
    setSecret(shown);
    refresh();
  };
  const shownLog = list?.data.find((e) => e.id === log);
  return (
    <section aria-labelledby="webhooks-title">
      <h1 id="webhooks-title">{t("nav_webhooks")}</h1>
      <p class="muted">{t("webhooks_help")}</p>
      {/* The API's times are UTC; these are the business's (an outside integrator could not
          tell which zone "Failing since 3:14 AM" was in). */}
      <p class="muted">{t("times_in_zone", { zone: fmt.zoneName(tenant.timezone) })}</p>
      <Problem text={error} />
      {list && <NewEndpoint known={list.known_event_types} onMade={made} />}
      {secret && (
        <div class="settings" role="status">
          <label>
            {t("secret_once", { url: secret.url })}
            <input readOnly value={secret.secret} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
          </label>
        </div>
      )}
      {list === null && !error && <p role="status">{t("loading")}</p>}
      {list && list.data.length === 0 && <p>{t("no_endpoints")}</p>}
      {list && list.data.length > 0 && (
        <div class="scroll">
          <table class="results">
            <thead>
              <tr>
                <th scope="col">{t("endpoint_url")}</th>
                <th scope="col">{t("events")}</th>
                <th scope="col">{t("status")}</th>
                <th scope="col">{t("health")}</th>
                <th scope="col">{t("created")}</th>
                <th scope="col">{t("actions")}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((e) => (
                <EndpointRow key={e.id} endpoint={e} onSecret={made} onDone={refresh} showLog={() => setLog(e.id)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {shownLog && <DeliveryLog key={shownLog.id} endpoint={shownLog} onClose={() => setLog(null)} />}
    </section>
  );
}

function NewEndpoint({ known, onMade }: { known: string[]; onMade: (s: Secret) => void }) {
  const { t, api } = useDesk();
  const { busy, error, run } = useAction();
  const [events, setEvents] = useState<string[]>([]);
  const flip = (name: string, on: boolean) => setEvents(on ? [...events, name] : events.filter((n) => n !== name));
  const submit = async (event: Event) => {
    event.preventDefault();
    const formEl = event.currentTarget as HTMLFormElement;
    const fields = new FormData(formEl);
    const url = String(fields.get("url") ?? "").trim();
    const description = String(fields.get("description") ?? "").trim();
    const event_types = events.includes(ALL) ? [ALL] : known.filter((n) => events.includes(n));
    await run(async () => {
      const made = await api.post<Endpoint & { secret: string }>("/v1/webhooks/endpoints", { url, description, event_types });
      formEl.reset();
      setEvents([]);
      onMade({ url: made.url, secret: made.secret });
    });
  };
  const all = events.includes(ALL);
  return (
    <form class="panel" onSubmit={submit} aria-labelledby="new-endpoint-title">
      <h2 id="new-endpoint-title">{t("new_endpoint")}</h2>
      <label class="field">
        {t("endpoint_url")}
        <input name="url" type="url" required maxLength={2048} placeholder="https://" />
      </label>
      <label class="field">
        {t("endpoint_description")}
        <input name="description" maxLength={500} placeholder={t("endpoint_description_hint")} />
      </label>
      <fieldset class="events">
        <legend>{t("events")}</legend>
        <label class="check">
          <input type="checkbox" checked={all} onChange={(e) => flip(ALL, (e.currentTarget as HTMLInputElement).checked)} />
          {t("all_events")}
        </label>
        {known.map((name) => (
          <label class="check" key={name}>
            <input
              type="checkbox"
              disabled={all}
              checked={all || events.includes(name)}
              onChange={(e) => flip(name, (e.currentTarget as HTMLInputElement).checked)}
            />
            <code>{name}</code>
          </label>
        ))}
      </fieldset>
      <Problem text={error} />
      {/* Nothing is ticked at first (an endpoint gets only what its owner asked for): the
          button says why it waits. */}
      <p class="actions wrap waits">
        <button type="submit" disabled={busy || events.length === 0} aria-describedby={events.length === 0 ? "endpoint-events-first" : undefined}>
          {t("add_endpoint")}
        </button>
        {events.length === 0 && (
          <span id="endpoint-events-first" class="muted">
            {t("endpoint_events_first")}
          </span>
        )}
      </p>
    </form>
  );
}

function EndpointRow(props: { endpoint: Endpoint; onSecret: (s: Secret) => void; onDone: () => void; showLog: () => void }) {
  const { t, fmt, api } = useDesk();
  const { endpoint } = props;
  const { busy, error, run } = useAction();
  const [confirming, setConfirming] = useState(false);
  const path = `/v1/webhooks/endpoints/${encodeURIComponent(endpoint.id)}`;
  const enabled = endpoint.status === "enabled";
  const toggle = async () => {
    if (await run(() => api.patch(path, { status: enabled ? "disabled" : "enabled" }))) props.onDone();
  };
  const rotate = async () => {
    await run(async () => {
      const made = await api.post<{ secret: string }>(`${path}/rotate-secret`, {});
      props.onSecret({ url: endpoint.url, secret: made.secret });
    });
  };
  const remove = async () => {
    if (await run(() => api.delete(path))) props.onDone();
  };
  return (
    <tr>
      <td class="url">
        <code>{endpoint.url}</code>
        {endpoint.description && <span class="description">{endpoint.description}</span>}
      </td>
      <td>{endpoint.event_types.includes(ALL) ? t("all_events") : endpoint.event_types.join(", ")}</td>
      <td>
        <span class={enabled ? "badge st-confirmed" : "badge st-cancelled"}>{t(enabled ? "endpoint_enabled" : "endpoint_disabled")}</span>
        {endpoint.disabled_reason && <small class="muted"> {endpoint.disabled_reason}</small>}
      </td>
      <td>
        <Health health={endpoint.health} />
      </td>
      <td>{fmt.dateTime(endpoint.created_at)}</td>
      <td>
        <span class="actions wrap">
          <button type="button" onClick={props.showLog} aria-label={t("deliveries_of", { url: endpoint.url })}>
            {t("deliveries")}
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={toggle} aria-label={t(enabled ? "disable_endpoint" : "enable_endpoint", { url: endpoint.url })}>
            {t(enabled ? "disable" : "enable")}
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={rotate} aria-label={t("rotate_secret_of", { url: endpoint.url })}>
            {t("rotate_secret")}
          </button>
          {confirming ? (
            <span role="group" aria-label={t("delete_endpoint_q", { url: endpoint.url })} class="confirm">
              {t("delete_endpoint_q", { url: endpoint.url })}
              <button type="button" class="danger" disabled={busy} onClick={remove}>
                {t("yes_delete")}
              </button>
              <button type="button" class="secondary" onClick={() => setConfirming(false)}>
                {t("keep")}
              </button>
            </span>
          ) : (
            <button type="button" class="danger" onClick={() => setConfirming(true)} aria-label={t("delete_endpoint", { url: endpoint.url })}>
              {t("delete")}
            </button>
          )}
        </span>
        <Problem text={error} />
      </td>
    </tr>
  );
}
