/**
 * Segments (`#/segments`, managers and owners): the business's segments (`GET /v1/segments`),
 * each counted on demand (`GET /v1/segments/{id}/count`), and a rule builder whose count and
 * first members follow the rules as they are written (`POST /v1/segment-counts`, a moment
 * after the last change), saved with `POST /v1/segments` or `PUT /v1/segments/{id}`.
 * Every control is a labelled field or a real button; the live count is a polite status.
 */

import { useEffect, useState } from "preact/hooks";
import { ApiError } from "./api";
import { useDesk } from "./app";
import { DecimalField } from "./catalog_parts";
import type { Key } from "./i18n";
import { Problem, useAction, useLoaded } from "./lines";

export type RuleKind =
  | "days_since_last_visit"
  | "visits"
  | "bookings"
  | "cancellations"
  | "no_shows"
  | "spend"
  | "booked_offering"
  | "birthday_this_month"
  | "tag"
  | "language"
  | "consent";

export interface Rule {
  kind: RuleKind;
  op?: string | null;
  number?: number | null;
  text?: string | null;
  days?: number | null;
  flag?: boolean | null;
}

export interface Segment {
  id: string;
  name: string;
  rules: Rule[];
  version: number;
}

interface Member {
  id: string;
  name: string;
  email: string;
  visits: number;
  consent: boolean;
}

interface SegmentCount {
  matched: number;
  read: number;
  complete: boolean;
  preview: Member[];
}

const KINDS: RuleKind[] = [
  "days_since_last_visit",
  "visits",
  "bookings",
  "cancellations",
  "no_shows",
  "spend",
  "booked_offering",
  "birthday_this_month",
  "tag",
  "language",
  "consent",
];
const NUMERIC = new Set<RuleKind>(["days_since_last_visit", "visits", "bookings", "cancellations", "no_shows", "spend"]);
const TEXTUAL = new Set<RuleKind>(["booked_offering", "tag", "language"]);
const OPS = [">=", ">", "<=", "<", "="];

/** A rule as the API takes it: only the fields its kind reads. */
function cleaned(rule: Rule): Rule {
  if (NUMERIC.has(rule.kind)) return { kind: rule.kind, op: rule.op ?? ">=", number: rule.number ?? 0 };
  if (rule.kind === "booked_offering") return { kind: rule.kind, text: rule.text ?? "", days: rule.days ?? null };
  if (TEXTUAL.has(rule.kind)) return { kind: rule.kind, text: rule.text ?? "" };
  if (rule.kind === "consent") return { kind: rule.kind, flag: rule.flag ?? true };
  return { kind: rule.kind };
}

function complete(rules: Rule[]): boolean {
  return rules.length > 0 && rules.every((r) => !TEXTUAL.has(r.kind) || (r.text ?? "").trim() !== "");
}

export function SegmentsPage() {
  const { t, api } = useDesk();
  const { data, error, refresh } = useLoaded(async () => (await api.get<{ segments: Segment[] }>("/v1/segments")).segments);
  const [editing, setEditing] = useState<Segment | null>(null);
  const [said, setSaid] = useState("");
  const [made, setMade] = useState(0); // a saved new segment: an empty builder again
  return (
    <section aria-labelledby="segments-title" class="segments">
      <h1 id="segments-title">{t("segments_title")}</h1>
      <p class="muted">{t("segments_intro")}</p>
      <Problem text={error} />
      {data === null && !error && <p role="status">{t("loading")}</p>}
      {data && data.length === 0 && <p>{t("segments_none")}</p>}
      {data && data.length > 0 && <SegmentTable segments={data} onEdit={setEditing} onChanged={refresh} />}
      <p role="status">{said}</p>
      <Builder
        key={editing?.id ?? `new-${made}`}
        segment={editing}
        onSaved={(s) => {
          setSaid(t("segments_saved", { name: s.name }));
          setEditing(null);
          setMade((n) => n + 1);
          refresh();
        }}
      />
    </section>
  );
}

function SegmentTable(props: { segments: Segment[]; onEdit: (s: Segment) => void; onChanged: () => void }) {
  const { t, api } = useDesk();
  const [counts, setCounts] = useState<Record<string, SegmentCount>>({});
  const { busy, error, run } = useAction();
  const count = (s: Segment) =>
    run(async () => {
      const n = await api.get<SegmentCount>(`/v1/segments/${encodeURIComponent(s.id)}/count`);
      setCounts((c) => ({ ...c, [s.id]: n }));
    });
  const [refusal, setRefusal] = useState("");
  const remove = (s: Segment) =>
    run(async () => {
      setRefusal("");
      try {
        await api.delete(`/v1/segments/${encodeURIComponent(s.id)}`);
      } catch (e) {
        // Name the campaigns that hold it (the refusal lists their ids).
        if (!(e instanceof ApiError) || e.code !== "segment_in_use") throw e;
        const ids = (e.details?.campaign_ids as string[] | undefined) ?? [];
        const all = (await api.get<{ campaigns: { id: string; name: string }[] }>("/v1/campaigns")).campaigns;
        const names = ids.map((id) => all.find((c) => c.id === id)?.name ?? id);
        setRefusal(t("segments_in_use", { name: s.name, campaigns: names.join(", ") }));
        return;
      }
      props.onChanged();
    });
  return (
    <>
      <Problem text={error || refusal} />
      <table class="results">
        <thead>
          <tr>
            <th scope="col">{t("segments_name")}</th>
            <th scope="col">{t("segments_rules")}</th>
            <th scope="col">{t("segments_count")}</th>
          </tr>
        </thead>
        <tbody>
          {props.segments.map((s) => (
            <tr key={s.id} data-segment={s.id}>
              <th scope="row">
                <button type="button" class="link" onClick={() => props.onEdit(s)}>
                  {s.name}
                </button>
              </th>
              <td>{s.rules.map((r) => <RuleText rule={r} key={JSON.stringify(r)} />)}</td>
              <td>
                {counts[s.id] ? <CountText count={counts[s.id]} /> : null}{" "}
                <button type="button" disabled={busy} onClick={() => count(s)}>
                  {t("segments_count")}
                </button>{" "}
                <button type="button" disabled={busy} onClick={() => remove(s)} aria-label={`${t("segments_delete")} ${s.name}`}>
                  {t("segments_delete")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function RuleText({ rule }: { rule: Rule }) {
  const { t, fmt } = useDesk();
  const what = t(`rule_${rule.kind}` as Key);
  const value =
    rule.kind === "spend" && rule.number != null
      ? `${rule.op} ${fmt.money(rule.number)}`
      : NUMERIC.has(rule.kind)
        ? `${rule.op} ${new Intl.NumberFormat(t.lang).format(rule.number ?? 0)}`
        : TEXTUAL.has(rule.kind)
          ? `${rule.text ?? ""}${rule.days ? ` (${rule.days})` : ""}`
          : rule.kind === "consent"
            ? rule.flag === false
              ? "✗"
              : "✓"
            : "";
  return (
    <span class="rule">
      {what} {value}
      <br />
    </span>
  );
}

function CountText({ count }: { count: SegmentCount }) {
  const { t } = useDesk();
  const n = new Intl.NumberFormat(t.lang);
  const values = { matched: n.format(count.matched), read: n.format(count.read) };
  return <span data-count={count.matched}>{count.complete ? t("segments_live", values) : t("segments_live_partial", values)}</span>;
}

function Builder(props: { segment: Segment | null; onSaved: (s: Segment) => void }) {
  const { t, api } = useDesk();
  const [name, setName] = useState(props.segment?.name ?? "");
  const [rules, setRules] = useState<Rule[]>(props.segment?.rules.map(cleaned) ?? [{ kind: "visits", op: ">", number: 3 }]);
  const [live, setLive] = useState<SegmentCount | null>(null);
  const [counting, setCounting] = useState(false);
  const [liveError, setLiveError] = useState("");
  const { busy, error, run, refusedMarked } = useAction();
  const { data: offerings } = useLoaded(() => api.offerings().catch(() => []));
  const wanted = JSON.stringify(rules.map(cleaned));

  useEffect(() => {
    if (!complete(rules)) return;
    let current = true;
    setCounting(true);
    const timer = setTimeout(() => {
      api
        .post<SegmentCount>("/v1/segment-counts", { rules: rules.map(cleaned) })
        .then((n) => current && (setLive(n), setLiveError("")))
        .catch((e) => current && setLiveError(String((e as Error).message ?? e)))
        .finally(() => current && setCounting(false));
    }, 400);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [wanted]);

  const change = (i: number, next: Rule) => setRules(rules.map((r, j) => (j === i ? next : r)));
  const save = async (event: Event) => {
    event.preventDefault();
    if (refusedMarked(event)) return;
    await run(async () => {
      const body = { name, rules: rules.map(cleaned) };
      const saved = props.segment
        ? await api.put<Segment>(`/v1/segments/${encodeURIComponent(props.segment.id)}`, { ...body, version: props.segment.version })
        : await api.post<Segment>("/v1/segments", body);
      props.onSaved(saved);
    });
  };
  const title = props.segment ? t("segments_edit", { name: props.segment.name }) : t("segments_new");
  return (
    <form class="customer segment-builder" onSubmit={save} aria-labelledby="segment-builder-title">
      <h2 id="segment-builder-title" class="wide">
        {title}
      </h2>
      <label class="wide">
        {t("segments_name")}
        <input name="segment-name" value={name} maxLength={100} required onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <ol class="wide rules">
        {rules.map((rule, i) => (
          <li key={i}>
            <RuleRow n={i + 1} rule={rule} offerings={offerings ?? []} onChange={(r) => change(i, r)} />
            <button type="button" onClick={() => setRules(rules.filter((_, j) => j !== i))} disabled={rules.length === 1}>
              {t("segments_remove_rule", { n: i + 1 })}
            </button>
          </li>
        ))}
      </ol>
      <button type="button" onClick={() => setRules([...rules, { kind: "visits", op: ">=", number: 1 }])} disabled={rules.length >= 20}>
        {t("segments_add_rule")}
      </button>
      <div class="wide live-count" role="status" aria-live="polite">
        {counting ? t("segments_counting") : live ? <CountText count={live} /> : null}
      </div>
      <Problem text={liveError} />
      {live && live.preview.length > 0 && (
        <section class="wide" aria-label={t("segments_preview")}>
          <h3>{t("segments_preview")}</h3>
          <ul class="preview">
            {live.preview.map((m) => (
              <li key={m.id}>
                {m.name} · {m.email} · {t("segments_member_visits", { n: m.visits })} ·{" "}
                {m.consent ? t("segments_member_consent") : t("segments_member_no_consent")}
              </li>
            ))}
          </ul>
        </section>
      )}
      <Problem text={error} />
      <button type="submit" disabled={busy || !complete(rules)}>
        {t("segments_save")}
      </button>
    </form>
  );
}

function RuleRow(props: { n: number; rule: Rule; offerings: { id: string; name: string }[]; onChange: (r: Rule) => void }) {
  const { t } = useDesk();
  const { rule, onChange } = props;
  const set = (changes: Partial<Rule>) => onChange({ ...rule, ...changes });
  const textLabel: Key =
    rule.kind === "booked_offering" ? "segments_text_offering" : rule.kind === "tag" ? "segments_text_tag" : "segments_text_language";
  return (
    <fieldset class="rule-row">
      <legend>{t("segments_rule", { n: props.n })}</legend>
      <label>
        {t("segments_kind")}
        <select value={rule.kind} onChange={(e) => onChange(cleaned({ kind: (e.currentTarget as HTMLSelectElement).value as RuleKind }))}>
          {KINDS.map((k) => (
            <option value={k} key={k}>
              {t(`rule_${k}` as Key)}
            </option>
          ))}
        </select>
      </label>
      {NUMERIC.has(rule.kind) && (
        <>
          <label>
            {t("segments_op")}
            <select value={rule.op ?? ">="} onChange={(e) => set({ op: (e.currentTarget as HTMLSelectElement).value })}>
              {OPS.map((op) => (
                <option value={op} key={op}>
                  {op}
                </option>
              ))}
            </select>
          </label>
          {rule.kind === "spend" ? (
            <DecimalField label={t("segments_amount")} money value={rule.number ?? 0} onChange={(n) => set({ number: Math.max(0, n) })} />
          ) : (
            <label>
              {t("segments_number")}
              <input
                type="number"
                min={0}
                step={1}
                inputMode="numeric"
                value={rule.number ?? 0}
                onInput={(e) => set({ number: Math.max(0, Math.trunc(Number((e.currentTarget as HTMLInputElement).value) || 0)) })}
              />
            </label>
          )}
        </>
      )}
      {rule.kind === "booked_offering" && (
        <label>
          {t(textLabel)}
          <select value={rule.text ?? ""} required onChange={(e) => set({ text: (e.currentTarget as HTMLSelectElement).value })}>
            <option value="">—</option>
            {props.offerings.map((o) => (
              <option value={o.id} key={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {TEXTUAL.has(rule.kind) && rule.kind !== "booked_offering" && (
        <label>
          {t(textLabel)}
          <input value={rule.text ?? ""} maxLength={100} required onInput={(e) => set({ text: (e.currentTarget as HTMLInputElement).value })} />
        </label>
      )}
      {rule.kind === "booked_offering" && (
        <label>
          {t("segments_days")}
          <input
            type="number"
            min={1}
            max={3660}
            value={rule.days ?? ""}
            onInput={(e) => {
              const v = (e.currentTarget as HTMLInputElement).value;
              set({ days: v ? Math.max(1, Math.trunc(Number(v))) : null });
            }}
          />
        </label>
      )}
      {rule.kind === "consent" && (
        <label>
          <input type="checkbox" checked={rule.flag !== false} onChange={(e) => set({ flag: (e.currentTarget as HTMLInputElement).checked })} />
          {t("segments_flag")}
        </label>
      )}
    </fieldset>
  );
}
