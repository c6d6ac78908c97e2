/**
 * Exports (`#/exports`, managers and owners): choose what (orders, customers, payments,
 * figures), the format (CSV or Excel) and the dates, and make it (`POST /v1/exports`, with an
 * Idempotency-Key as every POST of the console). The job is watched every second until it is
 * done, failed or withdrawn; done, its link downloads the file (a presigned link that runs out,
 * so an older export asks for a fresh one). The recent exports are listed under it, newest
 * first. A withdrawn export (a customer's erase deleted its file, since it could name them)
 * says so where its link was, with the reason the API gives.
 */

import { useEffect, useState } from "preact/hooks";
import { addDays, todayIn } from "../shared/format";
import { ApiError } from "./api";
import { useDesk } from "./app";
import type { Key } from "./i18n";
import { Problem, useAction, useLoaded } from "./lines";
import { ReportsNav } from "./report_controls";
import { createExport, type ExportFormat, type ExportJob, type ExportKind, exportJob, recentExports } from "./report_api";

const KINDS: ExportKind[] = ["orders", "customers", "payments", "figures"];
const FORMATS: ExportFormat[] = ["csv", "xlsx"];
const ENDED: ExportJob["status"][] = ["done", "failed", "withdrawn"];

export function ExportsPage() {
  const desk = useDesk();
  const { t, api } = desk;
  const today = todayIn(desk.tenant.timezone);
  const [kind, setKind] = useState<ExportKind>("orders");
  const [format, setFormat] = useState<ExportFormat>("xlsx");
  const [from, setFrom] = useState(addDays(today, -29));
  const [to, setTo] = useState(today);
  const [current, setCurrent] = useState<string | null>(null);
  // Orders and payments are chosen by the day their orders are served (the day index), not
  // the day money moved: the labels say so (PROBE5 defect 6).
  const served = kind === "orders" || kind === "payments";
  const { busy, error, run } = useAction();
  const recent = useLoaded(() => recentExports(api), []);
  const submit = (event: Event) => {
    event.preventDefault();
    const dates = kind === "customers" && !from && !to ? {} : { from, to };
    void run(async () => setCurrent((await createExport(api, { kind, format, ...dates })).id));
  };
  return (
    <section aria-labelledby="exports-title" class="reports exports">
      <ReportsNav current="#/exports" />
      <h1 id="exports-title">{t("exports_title")}</h1>
      <form class="inline export-form" onSubmit={submit} aria-labelledby="export-new">
        <h2 id="export-new" class="wide">
          {t("export_new")}
        </h2>
        <label>
          {t("export_kind")}
          <select value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as ExportKind)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`export_kind_${k}` as Key)}
              </option>
            ))}
          </select>
        </label>
        <fieldset class="choices">
          <legend>{t("export_format")}</legend>
          {FORMATS.map((f) => (
            <label key={f}>
              <input type="radio" name="export-format" value={f} checked={format === f} onChange={() => setFormat(f)} />
              {t(`export_format_${f}` as Key)}
            </label>
          ))}
        </fieldset>
        <label>
          {served ? t("export_served_from") : t("from")}
          <input type="date" value={from} required={kind !== "customers"} onChange={(e) => setFrom((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label>
          {served ? t("export_served_to") : t("to")}
          <input type="date" value={to} required={kind !== "customers"} onChange={(e) => setTo((e.currentTarget as HTMLInputElement).value)} />
        </label>
        {kind === "customers" && <p class="muted wide">{t("export_customers_dates")}</p>}
        {kind === "payments" && <p class="muted wide">{t("export_payments_dates")}</p>}
        <button type="submit" disabled={busy}>
          {t("export_make")}
        </button>
        <Problem text={error} />
      </form>
      {current && <Watched id={current} onFinished={recent.refresh} />}
      <Problem text={recent.error} />
      {recent.data && <Recent jobs={recent.data} />}
    </section>
  );
}

/** The job just made: its status every second until it is done or failed. */
function Watched({ id, onFinished }: { id: string; onFinished: () => void }) {
  const { t, api, fmt } = useDesk();
  const [job, setJob] = useState<ExportJob | null>(null);
  useEffect(() => {
    let live = true;
    let timer = 0;
    const poll = () =>
      exportJob(api, id)
        .then((next) => {
          if (!live) return;
          setJob(next);
          if (ENDED.includes(next.status)) onFinished();
          else timer = window.setTimeout(poll, 1000);
        })
        .catch((e) => {
          // A job that is gone or not ours stays so; a network hiccup is asked again.
          if (live && !(e instanceof ApiError && e.status >= 400 && e.status < 500)) timer = window.setTimeout(poll, 3000);
        });
    poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [id]);
  return (
    <div class="export-job" role="status" data-testid="export-job">
      {!job && <p>{t("loading")}</p>}
      {job && <p>{t(`export_status_${job.status}` as Key, { rows: new Intl.NumberFormat(fmt.locale).format(job.rows ?? 0) })}</p>}
      {(job?.status === "failed" || job?.status === "withdrawn") && job.reason && <p class="error">{job.reason}</p>}
      {job?.status === "done" && job.url && <FileLink job={job} />}
    </div>
  );
}

function fileName(job: ExportJob): string {
  const dates = job.from && job.to ? `-${job.from}-${job.to}` : "";
  return `${job.kind}${dates}.${job.format}`;
}

function FileLink({ job }: { job: ExportJob }) {
  const { t } = useDesk();
  return (
    <a class="button" href={job.url ?? undefined} download={fileName(job)}>
      {t("export_download", { name: fileName(job) })}
    </a>
  );
}

function Recent({ jobs }: { jobs: ExportJob[] }) {
  const { t, fmt } = useDesk();
  if (jobs.length === 0) return <p class="muted">{t("export_none")}</p>;
  return (
    <div class="chart-table" role="region" tabIndex={0} aria-label={t("export_recent")}>
      <table class="records report">
        <caption>{t("export_recent")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("export_made")}</th>
            <th scope="col">{t("export_kind")}</th>
            <th scope="col">{t("export_format")}</th>
            <th scope="col">{t("export_dates")}</th>
            <th scope="col">{t("status")}</th>
            <th scope="col">{t("export_rows")}</th>
            <th scope="col">{t("export_file")}</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <tr key={job.id} data-export={job.id}>
              <td>{fmt.dateTime(job.created_at)}</td>
              <td>{t(`export_kind_${job.kind}` as Key)}</td>
              <td>{t(`export_format_${job.format}` as Key)}</td>
              <td>{job.from && job.to ? t("stay", { from: fmt.day(job.from), to: fmt.day(job.to) }) : t("export_all")}</td>
              <td>{t(`export_state_${job.status}` as Key)}</td>
              <td class="num">{job.rows == null ? "—" : new Intl.NumberFormat(fmt.locale).format(job.rows)}</td>
              <td>
                {job.status === "done" && <FreshLink job={job} />}
                {job.status === "withdrawn" && <span class="muted">{job.reason}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A listed export's file: its link while it lasts, else a fresh one asked for on a press. */
function FreshLink({ job }: { job: ExportJob }) {
  const { t, api } = useDesk();
  const { busy, error, run } = useAction();
  const [fresh, setFresh] = useState<ExportJob | null>(null);
  const usable = (j: ExportJob | null) => j?.url && (!j.expires_at || Date.parse(j.expires_at) > Date.now() + 30_000);
  if (usable(fresh)) return <FileLink job={fresh!} />;
  if (usable(job)) return <FileLink job={job} />;
  return (
    <>
      <button
        type="button"
        class="small"
        disabled={busy}
        aria-label={t("export_get_link_of", { name: fileName(job) })}
        onClick={() => run(async () => setFresh(await exportJob(api, job.id)))}
      >
        {t("export_get_link")}
      </button>
      <Problem text={error} />
    </>
  );
}
