/**
 * Bulk actions (`POST /v1/bulk-jobs`): the orders selected on the Orders page, or every
 * booking of a departure called off, with one action; then the job's progress, read back
 * every second (`GET /v1/bulk-jobs/{id}`) until it is done, with each refusal named.
 */

import { useState } from "preact/hooks";
import { MAY } from "./api";
import { useDesk } from "./app";
import type { Key } from "./i18n";
import { useJob } from "./job_polling";
import { Problem, useAction } from "./lines";

interface Job {
  id: string;
  status: "queued" | "running" | "done";
  total: number;
  done: number;
  unchanged: number;
  failed: number;
  results: { order_id: string; outcome: string; code: string; message: string }[];
}

const ACTIONS = ["check_in", "complete", "no_show", "message", "cancel"] as const;
type Action = (typeof ACTIONS)[number];

/** The form under the Orders page's table: what to do with the selected orders. */
export function BulkBar({ orderIds, onDone }: { orderIds: string[]; onDone: () => void }) {
  const desk = useDesk();
  const { t, api } = desk;
  const [action, setAction] = useState<Action>("check_in");
  const [jobId, setJobId] = useState("");
  const { busy, error, run } = useAction();
  const allowed = ACTIONS.filter((a) => a !== "cancel" || MAY.manage(desk.me.role));
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const body = {
      action,
      order_ids: orderIds,
      reason: text("reason"),
      subject: text("subject"),
      body: text("body"),
      ...(action === "complete" && form.get("leave_open") ? { leave_balance_open: true } : {}),
    };
    await run(async () => setJobId((await api.post<Job>("/v1/bulk-jobs", body)).id));
  };
  return (
    <form class="bulk" onSubmit={submit} aria-labelledby="bulk-title">
      <strong id="bulk-title">{t("bulk_selected", { n: orderIds.length })}</strong>
      <label>
        {t("bulk_action")}
        <select value={action} onChange={(e) => setAction((e.currentTarget as HTMLSelectElement).value as Action)}>
          {allowed.map((a) => (
            <option value={a} key={a}>
              {t(`act_${a}` as Key)}
            </option>
          ))}
        </select>
      </label>
      {action === "cancel" && (
        <label>
          {t("cancel_reason_told")}
          <input name="reason" maxLength={500} required />
        </label>
      )}
      {action === "complete" && (
        <label class="check">
          <input type="checkbox" name="leave_open" />
          {t("bulk_leave_open")}
        </label>
      )}
      {action === "message" && (
        <>
          <label>
            {t("subject")}
            <input name="subject" maxLength={200} required />
          </label>
          <label>
            {t("message_text")}
            <textarea name="body" maxLength={2000} rows={3} required />
          </label>
        </>
      )}
      <button type="submit" disabled={busy || !orderIds.length} class={action === "cancel" ? "danger" : undefined}>
        {t("bulk_apply", { n: orderIds.length })}
      </button>
      <Problem text={error} />
      {jobId && <JobProgress jobId={jobId} onDone={onDone} />}
    </form>
  );
}

/** A session called off (a tour operator's departure): every booking on it cancelled by the
 * business, the reason told. */
export function CancelSession(props: { resourceId: string; start: string; onDone: () => void }) {
  const { t, api, tenant } = useDesk();
  const label = t(tenant.business_type === "tours" ? "cancel_departure" : "cancel_session");
  const [open, setOpen] = useState(false);
  const [jobId, setJobId] = useState("");
  const { busy, error, run } = useAction();
  if (!open) {
    return (
      <button type="button" class="danger" onClick={() => setOpen(true)}>
        {label}
      </button>
    );
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget as HTMLFormElement).get("reason") ?? "").trim();
    const body = { action: "cancel", resource_id: props.resourceId, session: props.start.slice(0, 16), reason };
    await run(async () => setJobId((await api.post<Job>("/v1/bulk-jobs", body)).id));
  };
  return (
    <form class="cancel" onSubmit={submit}>
      <label>
        {t("cancel_reason_told")}
        <input name="reason" maxLength={500} required autofocus />
      </label>
      <button type="submit" class="danger" disabled={busy || !!jobId}>
        {label}
      </button>
      <Problem text={error} />
      {jobId && <JobProgress jobId={jobId} onDone={props.onDone} />}
    </form>
  );
}

export function JobProgress({ jobId, onDone }: { jobId: string; onDone: () => void }) {
  const { t } = useDesk();
  const job = useJob<Job>(`/v1/bulk-jobs/${encodeURIComponent(jobId)}`, onDone);
  if (!job) return <p role="status">{t("loading")}</p>;
  const failed = job.results.filter((r) => r.outcome === "failed");
  return (
    <div class="job" role="status">
      <p>
        {job.status === "done"
          ? t("job_done", { done: job.done, unchanged: job.unchanged, failed: job.failed })
          : t("job_running", { n: job.done + job.unchanged + job.failed, total: job.total })}
      </p>
      {failed.length > 0 && (
        <ul>
          {failed.map((r) => (
            <li key={r.order_id}>
              <a href={`#/order/${encodeURIComponent(r.order_id)}`}>{r.order_id}</a>: {r.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
