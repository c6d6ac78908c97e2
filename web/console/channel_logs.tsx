/**
 * A connection's two logs. Inbound: the partner's recent events as received (newest first),
 * with what became of each (applied, a duplicate, parked until its reservation arrives, an
 * overbooking conflict, rejected with its reason) and the order it made. Outbound: the
 * availability and rate updates sent to the partner (pending, delivered, failed and retried,
 * given up), their resources and dates, and "Send a full update now" (a sync the worker sends;
 * it shows in the log once queued).
 */

import { useState } from "preact/hooks";
import { useDesk } from "./app";
import { channels, type Connection, type Delivery, type InboundEvent } from "./channel_api";
import type { Key } from "./i18n";
import { Problem, useAction, useLoaded } from "./lines";

const BADGE: Record<string, string> = {
  applied: "st-confirmed",
  delivered: "st-confirmed",
  duplicate: "",
  pending: "st-held",
  parked: "st-held",
  failed: "st-held",
  conflict: "st-cancelled",
  rejected: "st-cancelled",
  dead: "st-cancelled",
};

function Badge({ status }: { status: string }) {
  const { t } = useDesk();
  return <span class={`badge ${BADGE[status] ?? ""}`}>{t(`channel_status_${status}` as Key)}</span>;
}

function LogFrame(props: { id: string; title: string; help: string; refresh: () => void; error: string; children: preact.ComponentChildren }) {
  const { t } = useDesk();
  return (
    <section class="panel log" aria-labelledby={props.id}>
      <div class="toolbar">
        <h2 id={props.id}>{props.title}</h2>
        <button type="button" class="secondary" onClick={props.refresh}>
          {t("refresh")}
        </button>
      </div>
      <p class="muted">{props.help}</p>
      <Problem text={props.error} />
      {props.children}
    </section>
  );
}

export function InboundView({ connection }: { connection: Connection }) {
  const { t, fmt, api } = useDesk();
  const { data, error, refresh } = useLoaded(() => channels.inbound(api, connection.id), [connection.id]);
  const title = t("channel_view_inbound");
  return (
    <LogFrame id="inbound-title" title={title} help={t("channel_inbound_help")} refresh={refresh} error={error}>
      {data === null && !error && <p role="status">{t("loading")}</p>}
      {data && data.length === 0 && <p>{t("channel_no_inbound")}</p>}
      {data && data.length > 0 && (
        <div class="chart-table wide-table" role="region" tabIndex={0} aria-label={title}>
          <table class="results">
            <caption class="sr-only">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t("channel_received")}</th>
                <th scope="col">{t("channel_event_type")}</th>
                <th scope="col">{t("channel_external_id")}</th>
                <th scope="col">{t("status")}</th>
                <th scope="col">{t("channel_order")}</th>
              </tr>
            </thead>
            <tbody>
              {data.map((e: InboundEvent) => (
                <tr key={e.event_id}>
                  <td class="nowrap">{fmt.dateTime(e.received_at)}</td>
                  <td>
                    <code>{e.type}</code>
                    <br />
                    <small class="muted">{e.event_id}</small>
                  </td>
                  <td>
                    <code>{e.external_id}</code>
                  </td>
                  <td>
                    <Badge status={e.status} />
                    {e.reason && <small class="muted"> {e.reason}</small>}
                  </td>
                  <td>{e.order_id ? <a href={`#/order/${encodeURIComponent(e.order_id)}`}>{e.order_id}</a> : "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </LogFrame>
  );
}

export function DeliveriesView({ connection }: { connection: Connection }) {
  const { t, api } = useDesk();
  const { data, error, refresh } = useLoaded(() => channels.deliveries(api, connection.id), [connection.id]);
  // The resources by name (an id stays as it is when the catalog cannot be read).
  const names = useLoaded(async () => Object.fromEntries((await api.resources()).map((r) => [r.id, r.name])));
  const title = t("channel_view_deliveries");
  return (
    <LogFrame id="deliveries-title" title={title} help={t("channel_deliveries_help")} refresh={refresh} error={error}>
      <SyncNow connection={connection} onQueued={refresh} />
      {data === null && !error && <p role="status">{t("loading")}</p>}
      {data && data.length === 0 && <p>{t("channel_no_deliveries")}</p>}
      {data && data.length > 0 && <DeliveryTable title={title} lines={data} names={names.data ?? {}} />}
    </LogFrame>
  );
}

function SyncNow({ connection, onQueued }: { connection: Connection; onQueued: () => void }) {
  const { t, api } = useDesk();
  const { busy, error, run } = useAction();
  const [queued, setQueued] = useState(false);
  // What the API asks of a connection it sends updates to (else 403 or 422, said anyway).
  const ready = Boolean(connection.outbound_url) && connection.events.length > 0 && connection.mappings.length > 0 && connection.status === "active";
  const sync = async () => {
    setQueued(false);
    if (await run(() => channels.sync(api, connection.id))) {
      setQueued(true);
      onQueued();
    }
  };
  return (
    <div class="inline">
      <button type="button" disabled={busy || !ready} onClick={sync} aria-describedby={ready ? undefined : "sync-why"}>
        {t("channel_sync_now")}
      </button>
      {!ready && (
        <small id="sync-why" class="muted">
          {t("channel_sync_not_ready")}
        </small>
      )}
      {queued && (
        <span class="notice" role="status">
          {t("channel_sync_queued")}
        </span>
      )}
      <Problem text={error} />
    </div>
  );
}

function DeliveryTable({ title, lines, names }: { title: string; lines: Delivery[]; names: Record<string, string> }) {
  const { t, fmt } = useDesk();
  const dates = (d: Delivery) => (d.from === d.to ? fmt.day(d.from) : t("channel_dates", { from: fmt.day(d.from), to: fmt.day(d.to) }));
  return (
    <div class="chart-table wide-table" role="region" tabIndex={0} aria-label={title}>
      <table class="results">
        <caption class="sr-only">{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t("time")}</th>
            <th scope="col">{t("channel_update_kind")}</th>
            <th scope="col">{t("status")}</th>
            <th scope="col" class="num">
              {t("channel_attempts")}
            </th>
            <th scope="col">{t("channel_resources")}</th>
            <th scope="col">{t("channel_dates_heading")}</th>
            <th scope="col" class="num">
              {t("response_code")}
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((d) => (
            <tr key={d.id}>
              <td class="nowrap">{fmt.dateTime(d.created_at)}</td>
              <td>{t(d.reason === "sync" ? "channel_update_sync" : "channel_update_changes")}</td>
              <td>
                <Badge status={d.status} />
                {d.last_error && <small class="muted"> {d.last_error}</small>}
                {d.next_attempt_at && d.status === "failed" && <small class="muted"> {t("next_attempt", { when: fmt.dateTime(d.next_attempt_at) })}</small>}
              </td>
              <td class="num">{d.attempts}</td>
              <td>{d.resources.length ? d.resources.map((id) => names[id] ?? id).join(", ") : t("channel_all_resources")}</td>
              <td class="nowrap">{d.from && d.to ? dates(d) : "–"}</td>
              <td class="num">{d.last_status_code ?? "–"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
