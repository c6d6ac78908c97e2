/**
 * Staff alerts in the console: the bell in the bar, which reads `GET /v1/alerts` every 30
 * seconds while the console is open and announces what is new (a live region), and the page
 * where each staff member chooses their alerts (`#/alerts`: `PUT /v1/staff/{me}/alerts`),
 * which are e-mailed too.
 */

import { useEffect, useRef, useState } from "preact/hooks";
import type { Resource } from "./api";
import { message, useDesk } from "./app";
import type { Key } from "./i18n";
import { Problem, useAction } from "./lines";

interface Alert {
  event_id: string;
  kind: "booked" | "changed" | "cancelled" | "payment" | "overbooked";
  order_id: string;
  at: string;
  customer: string;
  what: string;
  when: string;
}

interface Prefs {
  kinds: string[];
  scope: "all" | "mine";
  resource_ids: string[];
  chosen: boolean;
}

const KINDS = ["booked", "changed", "cancelled", "payment", "overbooked"] as const;
const POLL_MS = 30_000;

export function AlertsBell() {
  const { t, api } = useDesk();
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [open, setOpen] = useState(false);
  const [unseen, setUnseen] = useState(0);
  const cursor = useRef<string | undefined>(undefined);
  const [said, setSaid] = useState("");

  useEffect(() => {
    let live = true;
    let timer = 0;
    const poll = () => {
      api
        .get<{ data: Alert[]; next: string; more: boolean }>("/v1/alerts", { after: cursor.current })
        .then((r) => {
          if (!live) return;
          cursor.current = r.next;
          if (r.data.length) {
            setAlerts((before) => [...r.data, ...before].slice(0, 50));
            setUnseen((n) => n + r.data.length);
            const latest = r.data[0];
            // A new sentence each time, so a screen reader says it even when it repeats.
            if (latest) setSaid(`${t("new_alerts", { n: r.data.length })} ${t(`alert_${latest.kind}` as Key)}: ${latest.customer}`);
          }
          // More events are waiting: look again at once; else in 30 seconds.
          timer = window.setTimeout(poll, r.more ? 0 : POLL_MS);
        })
        .catch(() => live && (timer = window.setTimeout(poll, POLL_MS * 2)));
    };
    poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, []);

  return (
    <div class="bell">
      <button
        type="button"
        aria-expanded={open}
        aria-controls="alert-list"
        onClick={() => {
          setOpen(!open);
          setUnseen(0);
        }}
      >
        {t("alerts")} {unseen > 0 && <span class="count">{unseen}</span>}
      </button>
      <p class="sr-only" role="status" aria-live="polite">
        {said}
      </p>
      {
        <ul id="alert-list" class="alert-list" hidden={!open}>
          {alerts.length === 0 && <li class="muted">{t("no_alerts")}</li>}
          {alerts.map((a) => (
            <li key={a.event_id}>
              <strong>{t(`alert_${a.kind}` as Key)}</strong>{" "}
              <a href={`#/order/${encodeURIComponent(a.order_id)}`} onClick={() => setOpen(false)}>
                {a.customer}
              </a>{" "}
              · {a.what} · {a.when}
            </li>
          ))}
          <li>
            <a href="#/alerts" onClick={() => setOpen(false)}>
              {t("choose_alerts")}
            </a>
          </li>
        </ul>
      }
    </div>
  );
}

export function AlertChoices() {
  const desk = useDesk();
  const { t, api } = desk;
  const [prefs, setPrefs] = useState<Prefs | null>(null);
  const [resources, setResources] = useState<Resource[]>([]);
  const [error, setError] = useState("");
  const [saved, setSaved] = useState(false);
  const { busy, error: saveError, run } = useAction();
  const path = `/v1/staff/${encodeURIComponent(desk.me.id)}/alerts`;

  useEffect(() => {
    api
      .get<Prefs>(path)
      .then(setPrefs)
      .catch((e) => setError(message(t, e)));
    api.resources().then(setResources).catch(() => undefined);
  }, []);
  if (!prefs) return <>{error ? <Problem text={error} /> : <p role="status">{t("loading")}</p>}</>;

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    // Resources not listed (gone, or the list failed to load) stay chosen as they were.
    const listed = new Set(resources.map((r) => r.id));
    const kept = prefs.resource_ids.filter((id) => !listed.has(id));
    const body = {
      kinds: KINDS.filter((k) => form.get(`kind_${k}`) === "on"),
      scope: form.get("scope") === "mine" ? "mine" : "all",
      resource_ids: [...kept, ...form.getAll("resource_ids").map(String)],
    };
    setSaved(false);
    if (await run(async () => setPrefs(await api.put<Prefs>(path, body)))) setSaved(true);
  };
  return (
    <section aria-labelledby="alerts-title">
      <h1 id="alerts-title">{t("choose_alerts")}</h1>
      <p class="muted">{t("alerts_help", { email: desk.me.email })}</p>
      <form class="settings" onSubmit={submit}>
        <fieldset>
          <legend>{t("alert_kinds")}</legend>
          {KINDS.map((k) => (
            <label class="check" key={k}>
              <input type="checkbox" name={`kind_${k}`} defaultChecked={prefs.kinds.includes(k)} /> {t(`alert_${k}` as Key)}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t("alert_scope")}</legend>
          <label class="check">
            <input type="radio" name="scope" value="all" defaultChecked={prefs.scope === "all"} /> {t("scope_all")}
          </label>
          <label class="check">
            <input type="radio" name="scope" value="mine" defaultChecked={prefs.scope === "mine"} /> {t("scope_mine")}
          </label>
          <label>
            {t("my_resources")}
            <select name="resource_ids" multiple size={Math.min(6, Math.max(2, resources.length))}>
              {resources.map((r) => (
                <option value={r.id} key={r.id} selected={prefs.resource_ids.includes(r.id)}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
        <button type="submit" disabled={busy}>
          {t("save")}
        </button>
        {saved && (
          <p class="notice" role="status">
            {t("saved")}
          </p>
        )}
        <Problem text={saveError} />
      </form>
    </section>
  );
}
