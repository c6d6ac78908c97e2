/**
 * One connection (`#/channel/<id>`, managers and owners), its parts each a view of its own
 * under a row of links (`?view=`): its settings and credentials, the mappings from the
 * partner's ids to the catalog, the commission per offering, the inbound events, the outbound
 * deliveries, and the monthly statement (`?view=statement&month=YYYY-MM`). A change answers
 * the connection as it now is, which every view then shows; a change made elsewhere meanwhile
 * is refused (the version goes as If-Match) and said so.
 */

import { useEffect, useState } from "preact/hooks";
import { message, useDesk } from "./app";
import { channels, type Connection, type ConnectionChange, type Feed } from "./channel_api";
import { Credentials } from "./channel_credentials";
import { DeliveriesView, InboundView } from "./channel_logs";
import { CommissionsView, MappingsView } from "./channel_mappings";
import { StatementView } from "./channel_statement";
import { ConnectionStatus, FeedChoice, readTerms, Saved, TermsFields } from "./channels";
import type { Key } from "./i18n";
import { Problem, useAction } from "./lines";

const VIEWS: [string, Key][] = [
  ["settings", "channel_view_settings"],
  ["mappings", "channel_view_mappings"],
  ["commission", "channel_view_commission"],
  ["inbound", "channel_view_inbound"],
  ["deliveries", "channel_view_deliveries"],
  ["statement", "channel_view_statement"],
];

export function ChannelPage({ id, query }: { id: string; query: URLSearchParams }) {
  const { t, api } = useDesk();
  const [connection, setConnection] = useState<Connection | null>(null);
  const [error, setError] = useState("");
  const view = query.get("view") ?? "settings";
  useEffect(() => {
    setError("");
    channels
      .get(api, id)
      .then(setConnection)
      .catch((e) => setError(message(t, e)));
  }, [id]);
  if (!connection) return error ? <Problem text={error} /> : <p role="status">{t("loading")}</p>;
  const base = `#/channel/${encodeURIComponent(connection.id)}`;
  return (
    <section aria-labelledby="channel-title" class="chn-page">
      <p>
        <a href="#/channels">{t("channels_all")}</a>
      </p>
      <div class="toolbar">
        <h1 id="channel-title">{connection.name}</h1>
        <ConnectionStatus status={connection.status} />
        <span class="muted">{t(`channel_kind_${connection.kind}` as Key)}</span>
      </div>
      {query.get("made") && view === "settings" && (
        <p class="notice" role="status">
          {t("channel_made")}
        </p>
      )}
      <nav aria-label={t("channel_parts", { name: connection.name })} class="subnav">
        {VIEWS.map(([name, label]) => (
          <a key={name} href={name === "settings" ? base : `${base}?view=${name}`} aria-current={view === name ? "page" : undefined}>
            {t(label)}
          </a>
        ))}
      </nav>
      <View view={view} connection={connection} onChanged={setConnection} month={query.get("month") ?? ""} />
    </section>
  );
}

function View(props: { view: string; connection: Connection; onChanged: (c: Connection) => void; month: string }) {
  const { view, connection, onChanged } = props;
  if (view === "mappings") return <MappingsView connection={connection} onChanged={onChanged} />;
  if (view === "commission") return <CommissionsView connection={connection} onChanged={onChanged} />;
  if (view === "inbound") return <InboundView connection={connection} />;
  if (view === "deliveries") return <DeliveriesView connection={connection} />;
  if (view === "statement") return <StatementView connection={connection} month={props.month} />;
  return (
    <>
      <SettingsForm connection={connection} onChanged={onChanged} />
      <Credentials connection={connection} onChanged={onChanged} />
    </>
  );
}

function SettingsForm({ connection, onChanged }: { connection: Connection; onChanged: (c: Connection) => void }) {
  const { t, api } = useDesk();
  const { busy, error, run } = useAction();
  const [events, setEvents] = useState<Feed[]>(connection.events);
  const [invalid, setInvalid] = useState("");
  const [saved, setSaved] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const terms = readTerms(form, events);
    setInvalid(terms ? "" : t("channel_commission_invalid"));
    setSaved(false);
    if (!terms) return;
    const body: ConnectionChange = {
      name: String(form.get("name") ?? "").trim(),
      status: form.get("active") ? "active" : "disabled",
      ...terms,
    };
    await run(async () => {
      onChanged(await channels.change(api, connection, body));
      setSaved(true);
    });
  };
  return (
    <form class="panel inline channel-form" onSubmit={submit} aria-labelledby="channel-settings-title">
      <h2 id="channel-settings-title" class="wide">
        {t("channel_view_settings")}
      </h2>
      <label>
        {t("thing_name")}
        <input name="name" required maxLength={120} defaultValue={connection.name} autoComplete="off" />
      </label>
      <label class="check">
        <input type="checkbox" name="active" defaultChecked={connection.status === "active"} />
        {t("channel_active_check")}
      </label>
      <TermsFields id="channel-settings" settlement={connection.settlement} commissionBp={connection.commission_bp} outboundUrl={connection.outbound_url ?? ""} invalid={invalid !== ""} />
      <FeedChoice events={events} setEvents={setEvents} />
      <p class="muted wide">{t(`settlement_${connection.settlement}_help` as Key)}</p>
      <button type="submit" disabled={busy}>
        {t("save")}
      </button>
      <Saved shown={saved} />
      <Problem text={invalid || error} />
    </form>
  );
}
