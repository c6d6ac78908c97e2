/**
 * The morning e-mail (`#/report-summary`, managers and owners): whether yesterday's figures
 * are e-mailed each morning, to whom, and at which hour of the business's own clock
 * (`GET`/`PUT /v1/reports/summary`).
 */

import { useEffect, useState } from "preact/hooks";
import { useDesk } from "./app";
import { Problem, useAction, useLoaded } from "./lines";
import { ReportsNav } from "./report_controls";
import { saveSummarySettings, type SummarySettings, summarySettings } from "./report_api";

const HOURS = Array.from({ length: 24 }, (_, h) => h);

export function ReportSummaryPage() {
  const { t, api } = useDesk();
  const { data, error } = useLoaded(() => summarySettings(api), []);
  return (
    <section aria-labelledby="summary-title" class="reports report-summary">
      <ReportsNav current="#/report-summary" />
      <h1 id="summary-title">{t("summary_title")}</h1>
      <Problem text={error} />
      {!data && !error && <p role="status">{t("loading")}</p>}
      {data && <SummaryForm settings={data} />}
    </section>
  );
}

function SummaryForm({ settings }: { settings: SummarySettings }) {
  const { t, api, fmt } = useDesk();
  const [enabled, setEnabled] = useState(settings.enabled);
  const [recipients, setRecipients] = useState(settings.recipients.join("\n"));
  const [hour, setHour] = useState(settings.hour);
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  useEffect(() => setSaved(false), [enabled, recipients, hour]);
  const hourName = (h: number) => fmt.hour(h);
  const submit = async (event: Event) => {
    event.preventDefault();
    const list = recipients.split(/[\s,;]+/).map((r) => r.trim()).filter(Boolean);
    if (await run(() => saveSummarySettings(api, { enabled, recipients: list, hour }))) setSaved(true);
  };
  return (
    <form class="inline summary-form" onSubmit={submit} aria-labelledby="summary-title">
      <p class="muted wide">{t("summary_help", { zone: fmt.zoneName(fmt.zone, undefined, true) })}</p>
      <label class="check wide">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled((e.currentTarget as HTMLInputElement).checked)} />
        {t("summary_enabled")}
      </label>
      <label class="wide">
        {t("summary_recipients")}
        <textarea rows={3} value={recipients} onInput={(e) => setRecipients((e.currentTarget as HTMLTextAreaElement).value)} />
      </label>
      <label>
        {t("summary_hour")}
        <select value={String(hour)} onChange={(e) => setHour(Number((e.currentTarget as HTMLSelectElement).value))}>
          {HOURS.map((h) => (
            <option key={h} value={String(h)}>
              {hourName(h)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={busy}>
        {t("save")}
      </button>
      {saved && (
        <p role="status" class="wide">
          {t("saved")}
        </p>
      )}
      <Problem text={error} />
    </form>
  );
}
