/**
 * Campaigns (`#/campaigns`, managers and owners): the business's campaigns, newest first, with
 * their counts (`GET /v1/campaigns`: recipients, sent, bounced, unsubscribed, and the bookings
 * that followed); a new one from a segment and a wording in English and/or Chinese
 * (`POST /v1/campaigns`, a draft); and Send, which asks first (the question names the
 * campaign and the segment, and takes the focus; "Not now" or Escape gives it back) before
 * `POST /v1/campaigns/{id}/send`; a draft can be deleted instead (`DELETE /v1/campaigns/{id}`).
 * Counts and dates through Intl, in the business's zone.
 */

import { useEffect, useRef, useState } from "preact/hooks";
import { useDesk } from "./app";
import type { Key } from "./i18n";
import { Problem, useAction, useLoaded } from "./lines";
import { focusIfLost } from "./focus";
import type { Segment } from "./segments";

interface Counts {
  recipients: number;
  sent: number;
  bounced: number;
  unsubscribed: number;
  bookings: number;
}

interface Campaign {
  id: string;
  name: string;
  segment_id: string;
  status: "draft" | "sending" | "sent";
  follow_days: number;
  created_at: string;
  sent_at: string;
  counts: Counts;
}

const COUNTS: [keyof Counts, Key][] = [
  ["recipients", "campaigns_recipients"],
  ["sent", "campaigns_sent"],
  ["bounced", "campaigns_bounced"],
  ["unsubscribed", "campaigns_unsubscribed"],
  ["bookings", "campaigns_bookings"],
];

export function CampaignsPage() {
  const { t, api } = useDesk();
  const campaigns = useLoaded(async () => (await api.get<{ campaigns: Campaign[] }>("/v1/campaigns")).campaigns);
  const segments = useLoaded(async () => (await api.get<{ segments: Segment[] }>("/v1/segments")).segments);
  const [said, setSaid] = useState("");
  const names = Object.fromEntries((segments.data ?? []).map((s) => [s.id, s.name]));
  return (
    <section aria-labelledby="campaigns-title" class="campaigns">
      <h1 id="campaigns-title">{t("campaigns_title")}</h1>
      <p class="muted">{t("campaigns_intro")}</p>
      <Problem text={campaigns.error || segments.error} />
      {campaigns.data === null && !campaigns.error && <p role="status">{t("loading")}</p>}
      {campaigns.data && campaigns.data.length === 0 && <p>{t("campaigns_none")}</p>}
      {campaigns.data && campaigns.data.length > 0 && (
        <CampaignTable campaigns={campaigns.data} segmentNames={names} onChanged={campaigns.refresh} onSaid={setSaid} />
      )}
      <p role="status" id="campaigns-said">
        {said}
      </p>
      <NewCampaign
        segments={segments.data ?? []}
        onMade={(c) => {
          setSaid(t("campaigns_created", { name: c.name }));
          campaigns.refresh();
          focusIfLost(() => document.getElementById("campaigns-said")); // "Made", not <body>
        }}
      />
    </section>
  );
}

function CampaignTable(props: {
  campaigns: Campaign[];
  segmentNames: Record<string, string>;
  onChanged: () => void;
  onSaid: (text: string) => void;
}) {
  const { t, fmt } = useDesk();
  const n = new Intl.NumberFormat(t.lang);
  return (
    <>
      <button type="button" onClick={props.onChanged}>
        {t("campaigns_refresh")}
      </button>
      <table class="results campaign-list">
        <thead>
          <tr>
            <th scope="col">{t("campaigns_name")}</th>
            <th scope="col">{t("campaigns_status")}</th>
            {COUNTS.map(([field, key]) => (
              <th scope="col" key={field}>
                {t(key)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.campaigns.map((c) => (
            <tr key={c.id} data-campaign={c.id}>
              <th scope="row">
                {c.name}
                <br />
                <span class="muted">{props.segmentNames[c.segment_id] ?? t("campaigns_segment_gone")}</span>
              </th>
              <td data-status={c.status}>
                {t(`campaigns_status_${c.status}` as Key)}
                {c.sent_at && (
                  <>
                    <br />
                    <span class="muted">{t("campaigns_sent_at", { when: fmt.dateTime(c.sent_at) })}</span>
                  </>
                )}
                {c.status === "draft" && (
                  <SendButton campaign={c} segment={props.segmentNames[c.segment_id] ?? t("campaigns_segment_gone")} onSent={props.onChanged} onSaid={props.onSaid} />
                )}
              </td>
              {COUNTS.map(([field]) => (
                <td class="num" key={field} data-count={field}>
                  {n.format(c.counts[field])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function SendButton(props: { campaign: Campaign; segment: string; onSent: () => void; onSaid: (text: string) => void }) {
  const { t, api } = useDesk();
  const [asking, setAsking] = useState(false);
  const { busy, error, run } = useAction();
  const yes = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) yes.current?.focus();
  }, [asking]);
  const close = () => {
    setAsking(false);
    opener.current?.focus();
  };
  const send = () =>
    run(async () => {
      await api.post(`/v1/campaigns/${encodeURIComponent(props.campaign.id)}/send`, {});
      setAsking(false);
      props.onSaid(t("campaigns_sending", { name: props.campaign.name }));
      props.onSent();
    });
  // A draft nobody will send: deleting it frees its segment (DELETE /v1/campaigns/{id}).
  const remove = () =>
    run(async () => {
      if (!window.confirm(t("campaigns_delete_confirm", { name: props.campaign.name }))) return;
      await api.delete(`/v1/campaigns/${encodeURIComponent(props.campaign.id)}`);
      props.onSaid(t("campaigns_deleted", { name: props.campaign.name }));
      props.onSent();
    });
  const question = `send-question-${props.campaign.id}`;
  return (
    <div>
      {!asking && (
        <>
          <button type="button" ref={opener} onClick={() => setAsking(true)}>
            {t("campaigns_send")}
          </button>{" "}
          <button type="button" disabled={busy} onClick={remove} aria-label={`${t("campaigns_delete")} ${props.campaign.name}`}>
            {t("campaigns_delete")}
          </button>
        </>
      )}
      {asking && (
        <div role="alertdialog" aria-labelledby={question} class="confirm" onKeyDown={(e) => e.key === "Escape" && close()}>
          <p id={question}>{t("campaigns_send_confirm", { name: props.campaign.name, segment: props.segment })}</p>
          <button type="button" ref={yes} disabled={busy} onClick={send}>
            {t("campaigns_send_yes")}
          </button>{" "}
          <button type="button" onClick={close}>
            {t("campaigns_send_no")}
          </button>
        </div>
      )}
      <Problem text={error} />
    </div>
  );
}

function NewCampaign(props: { segments: Segment[]; onMade: (c: Campaign) => void }) {
  const { t, api } = useDesk();
  const { busy, error, run } = useAction();
  // The Chinese e-mail is optional, but begun it needs both its subject and its text: the
  // form asks for the missing one (an outside tester's half-filled one was refused by the API
  // naming the field as `wordings.zh-Hans.body`).
  const [zhBegun, setZhBegun] = useState(false);
  // Spaces alone are no subject or text either (the API trims them away and refuses): the
  // field says so itself, as an empty required one does.
  const zhTyped = (event: Event) => {
    const found = (event.currentTarget as HTMLElement).closest("fieldset")?.querySelectorAll("input, textarea");
    const fields = [...(found ?? [])] as HTMLInputElement[];
    const begun = fields.some((f) => f.value.trim() !== "");
    for (const f of fields) f.setCustomValidity(begun && !f.value.trim() ? t("campaigns_zh_both") : "");
    setZhBegun(begun);
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    const formEl = event.currentTarget as HTMLFormElement;
    const form = new FormData(formEl);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const wordings: Record<string, { subject: string; body: string }> = {
      en: { subject: text("en_subject"), body: text("en_body") },
    };
    if (text("zh_subject") || text("zh_body")) wordings["zh-Hans"] = { subject: text("zh_subject"), body: text("zh_body") };
    const body = {
      name: text("name"),
      segment_id: text("segment_id"),
      follow_days: Number(text("follow_days")) || 7,
      wordings,
    };
    await run(async () => {
      const made = await api.post<Campaign>("/v1/campaigns", body);
      formEl.reset();
      setZhBegun(false);
      props.onMade(made);
    });
  };
  return (
    <form class="customer campaign-form" onSubmit={submit} aria-labelledby="new-campaign-title">
      <h2 id="new-campaign-title" class="wide">
        {t("campaigns_new")}
      </h2>
      <label>
        {t("campaigns_name")}
        <input name="name" maxLength={100} required />
      </label>
      <label>
        {t("campaigns_segment")}
        <select name="segment_id" required>
          <option value="">{t("campaigns_choose_segment")}</option>
          {props.segments.map((s) => (
            <option value={s.id} key={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("campaigns_follow_days")}
        <input name="follow_days" type="number" min={1} max={90} step={1} defaultValue="7" required />
      </label>
      <p class="wide muted">{t("campaigns_placeholders")}</p>
      <fieldset class="wide">
        <legend>{t("campaigns_en")}</legend>
        <label>
          {t("campaigns_subject")}
          <input name="en_subject" maxLength={200} required />
        </label>
        <label>
          {t("campaigns_body")}
          <textarea name="en_body" rows={5} maxLength={20000} required />
        </label>
      </fieldset>
      <fieldset class="wide">
        <legend>{t("campaigns_zh")}</legend>
        <label>
          {t("campaigns_subject")}
          <input name="zh_subject" maxLength={200} lang="zh-Hans" required={zhBegun} onInput={zhTyped} />
        </label>
        <label>
          {t("campaigns_body")}
          <textarea name="zh_body" rows={5} maxLength={20000} lang="zh-Hans" required={zhBegun} onInput={zhTyped} />
        </label>
      </fieldset>
      <Problem text={error} />
      <button type="submit" disabled={busy}>
        {t("campaigns_create")}
      </button>
    </form>
  );
}
