/**
 * Channels (`#/channels`, managers and owners): the business's connections to partners
 * (channel managers, OCTO resellers, agents) with their kind, status, settlement, commission
 * and whether they have their credentials yet, and a form for a new one. Each connection's
 * own page (channel.tsx) has its credentials, mappings, logs and statement.
 */

import { useState } from "preact/hooks";
import { useDesk } from "./app";
import {
  bpToPercent,
  channels,
  commission,
  CONNECTION_KINDS,
  type Connection,
  type ConnectionKind,
  type Feed,
  FEEDS,
  percentToBp,
  type Settlement,
  SETTLEMENTS,
} from "./channel_api";
import type { Key } from "./i18n";
import { Problem, useAction, useLoaded } from "./lines";

export function ChannelsPage() {
  const { t, api } = useDesk();
  const { data: list, error } = useLoaded(() => channels.list(api));
  return (
    <section aria-labelledby="channel-list-title" class="chn-page">
      <div class="toolbar">
        <h1 id="channel-list-title">{t("channels_page_title")}</h1>
        <a href="#/overbookings">{t("nav_overbookings")}</a>
      </div>
      <p class="muted">{t("channels_help")}</p>
      <Problem text={error} />
      {list === null && !error && <p role="status">{t("loading")}</p>}
      {list && list.length === 0 && <p>{t("channels_none")}</p>}
      {list && list.length > 0 && <ConnectionTable list={list} />}
      <NewConnection />
    </section>
  );
}

function ConnectionTable({ list }: { list: Connection[] }) {
  const { t, fmt } = useDesk();
  return (
    <div class="chart-table wide-table" role="region" tabIndex={0} aria-label={t("channels_list")}>
      <table class="results">
        <caption class="sr-only">{t("channels_list")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("thing_name")}</th>
            <th scope="col">{t("channel_kind")}</th>
            <th scope="col">{t("status")}</th>
            <th scope="col">{t("channel_settlement")}</th>
            <th scope="col" class="num">
              {t("channel_commission")}
            </th>
            <th scope="col">{t("channel_credentials")}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((c) => (
            <tr key={c.id}>
              <th scope="row">
                <a href={`#/channel/${encodeURIComponent(c.id)}`}>{c.name}</a>
              </th>
              <td>{t(`channel_kind_${c.kind}` as Key)}</td>
              <td>
                <ConnectionStatus status={c.status} />
              </td>
              <td>{t(`settlement_${c.settlement}` as Key)}</td>
              <td class="num">{commission(fmt.locale, c.commission_bp)}</td>
              <td>
                {c.key_prefix ? <code>{c.key_prefix}…</code> : t("channel_no_key")}
                {" · "}
                {t(c.secret_set ? "channel_secret_set" : "channel_no_secret")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ConnectionStatus({ status }: { status: Connection["status"] }) {
  const { t } = useDesk();
  return <span class={status === "active" ? "badge st-confirmed" : "badge st-cancelled"}>{t(`channel_${status}` as Key)}</span>;
}

/** The terms a new connection and a connection's settings both have: who pays, the
 * commission (a percentage typed, basis points sent) and the address updates go to. */
export function TermsFields(props: { id: string; settlement: Settlement; commissionBp: number; outboundUrl: string; invalid: boolean }) {
  const { t } = useDesk();
  return (
    <>
      <label>
        {t("channel_settlement")}
        <select name="settlement">
          {SETTLEMENTS.map((s) => (
            <option key={s} value={s} selected={s === props.settlement}>
              {t(`settlement_${s}` as Key)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("channel_commission_percent")}
        <input name="commission" inputMode="decimal" size={6} defaultValue={bpToPercent(props.commissionBp)} aria-invalid={props.invalid ? "true" : undefined} />
      </label>
      <div class="wide field">
        <label>
          {t("channel_outbound_url")}
          <input name="outbound_url" type="url" maxLength={2048} placeholder="https://" defaultValue={props.outboundUrl} aria-describedby={`${props.id}-url-help`} />
        </label>
        <small id={`${props.id}-url-help`}>{t("channel_outbound_url_help")}</small>
      </div>
    </>
  );
}

/** TermsFields' values as the API takes them; null when the commission is no percentage.
 * No address for updates: no updates. */
export function readTerms(form: FormData, events: Feed[]) {
  const commission_bp = percentToBp(String(form.get("commission") ?? "").trim() || "0");
  if (commission_bp === null) return null;
  const url = String(form.get("outbound_url") ?? "").trim();
  const settlement = String(form.get("settlement")) as Settlement;
  return { settlement, outbound_url: url || null, events: url ? events : [], commission_bp };
}

/** "Saved." after a form's change was answered. */
export function Saved({ shown }: { shown: boolean }) {
  const { t } = useDesk();
  return shown ? (
    <span class="notice" role="status">
      {t("saved")}
    </span>
  ) : null;
}

/** The events a connection gets, as checkboxes (its outbound updates). */
export function FeedChoice({ events, setEvents }: { events: Feed[]; setEvents: (next: Feed[]) => void }) {
  const { t } = useDesk();
  const flip = (feed: Feed, on: boolean) => setEvents(FEEDS.filter((f) => (f === feed ? on : events.includes(f))));
  return (
    <fieldset class="choices">
      <legend>{t("channel_events")}</legend>
      {FEEDS.map((feed) => (
        <label class="check" key={feed}>
          <input type="checkbox" checked={events.includes(feed)} onChange={(e) => flip(feed, (e.currentTarget as HTMLInputElement).checked)} />
          {t(`channel_feed_${feed}` as Key)}
        </label>
      ))}
    </fieldset>
  );
}

function NewConnection() {
  const desk = useDesk();
  const { t, api } = desk;
  const { busy, error, run } = useAction();
  const [kind, setKind] = useState<ConnectionKind>("channel_manager");
  const [events, setEvents] = useState<Feed[]>(["availability", "rates"]);
  const [invalid, setInvalid] = useState("");
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const terms = readTerms(form, events);
    setInvalid(terms ? "" : t("channel_commission_invalid"));
    if (!terms) return;
    const body = { name: String(form.get("name") ?? "").trim(), kind, ...terms };
    await run(async () => {
      const made = await channels.create(api, body);
      desk.go(`#/channel/${encodeURIComponent(made.id)}?made=1`);
    });
  };
  return (
    <form class="panel inline channel-form" onSubmit={submit} aria-labelledby="new-channel-title">
      <h2 id="new-channel-title" class="wide">
        {t("channel_new")}
      </h2>
      <label>
        {t("thing_name")}
        <input name="name" required maxLength={120} autoComplete="off" />
      </label>
      <label>
        {t("channel_kind")}
        <select value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as ConnectionKind)}>
          {CONNECTION_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`channel_kind_${k}` as Key)}
            </option>
          ))}
        </select>
      </label>
      <TermsFields id="new-channel" settlement="partner" commissionBp={0} outboundUrl="" invalid={invalid !== ""} />
      <FeedChoice events={events} setEvents={setEvents} />
      <button type="submit" disabled={busy}>
        {t("channel_create")}
      </button>
      <Problem text={invalid || error} />
    </form>
  );
}
