/**
 * An endpoint's delivery log (on the Webhooks page): one line per POST the API made, newest
 * first (`GET .../deliveries`, 20 at a time, "Show more" while the API gives a cursor), with
 * its time in the business's zone, and a replay of the line's event (`POST .../replay`: a new
 * delivery of the same event, which shows in the log once it is sent).
 */

import { useEffect, useRef, useState } from "preact/hooks";
import { message, useDesk } from "./app";
import type { Attempt, AttemptPage, Endpoint } from "./integrations_api";
import { Problem, useAction } from "./lines";

const PAGE = 20;

export function DeliveryLog({ endpoint, onClose }: { endpoint: Endpoint; onClose: () => void }) {
  const { t, api } = useDesk();
  const [lines, setLines] = useState<Attempt[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState("");
  const heading = useRef<HTMLHeadingElement>(null);
  const path = `/v1/webhooks/endpoints/${encodeURIComponent(endpoint.id)}`;

  const read = async (after?: string) => {
    setError("");
    try {
      const page = await api.get<AttemptPage>(`${path}/deliveries`, { limit: PAGE, after });
      setLines((had) => (after && had ? [...had, ...page.data] : page.data));
      setNext(page.next_after);
    } catch (e) {
      setError(message(t, e));
    }
  };
  useEffect(() => {
    read();
    heading.current?.focus();
  }, []);

  return (
    <section class="panel log" aria-labelledby="log-title">
      <div class="toolbar">
        <h2 id="log-title" tabIndex={-1} ref={heading}>
          {t("deliveries_title", { url: endpoint.url })}
        </h2>
        <button type="button" class="secondary" onClick={() => read()}>
          {t("refresh")}
        </button>
        <button type="button" class="secondary" onClick={onClose}>
          {t("close")}
        </button>
      </div>
      <Problem text={error} />
      {lines === null && !error && <p role="status">{t("loading")}</p>}
      {lines && lines.length === 0 && <p>{t("no_deliveries")}</p>}
      {lines && lines.length > 0 && (
        <div class="scroll">
          <table class="results">
            <thead>
              <tr>
                <th scope="col">{t("time")}</th>
                <th scope="col">{t("event")}</th>
                <th scope="col">{t("status")}</th>
                <th scope="col" class="num">
                  {t("attempt")}
                </th>
                <th scope="col" class="num">
                  {t("response_code")}
                </th>
                <th scope="col">{t("actions")}</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => (
                <Line key={line.cursor} line={line} path={path} onReplayed={() => read()} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <button type="button" class="secondary" onClick={() => read(next)}>
          {t("more")}
        </button>
      )}
    </section>
  );
}

function Line({ line, path, onReplayed }: { line: Attempt; path: string; onReplayed: () => void }) {
  const { t, fmt, api } = useDesk();
  const { busy, error, run } = useAction();
  const [queued, setQueued] = useState(false);
  const ok = line.status === "succeeded";
  const replay = async () => {
    if (await run(() => api.post(`${path}/replay`, { event_id: line.event_id }))) {
      setQueued(true);
      onReplayed();
    }
  };
  return (
    <tr>
      <td>{fmt.dateTime(line.at)}</td>
      <td>
        <code>{line.event_type}</code>
        <br />
        <small class="muted">{line.event_id}</small>
      </td>
      <td>
        <span class={ok ? "badge st-confirmed" : "badge st-cancelled"}>{t(ok ? "delivery_ok" : "delivery_failed")}</span>
        {line.error && <small class="muted"> {line.error}</small>}
        {line.next_attempt_at && <small class="muted"> {t("next_attempt", { when: fmt.dateTime(line.next_attempt_at) })}</small>}
      </td>
      <td class="num">{line.attempt}</td>
      <td class="num">{line.response_code ?? "–"}</td>
      <td>
        <button type="button" disabled={busy} onClick={replay} aria-label={t("replay_event", { event: line.event_type, when: fmt.dateTime(line.at) })}>
          {t("replay")}
        </button>
        {queued && (
          <small class="notice" role="status">
            {" "}
            {t("replay_queued")}
          </small>
        )}
        <Problem text={error} />
      </td>
    </tr>
  );
}
