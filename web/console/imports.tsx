/**
 * Import (`#/imports`, managers and owners): customers or future bookings from another
 * system's CSV export. The file is read in the browser; its header's columns are shown, each
 * with the field it holds (obvious names guessed: import_csv.ts), with the first rows as they
 * will be read. "Check" asks the server what the import would do without writing anything
 * (`POST /v1/imports/check`); "Import" starts it (`POST /v1/imports`) and follows it every
 * second (`GET /v1/imports/{id}`) to its report: rows taken, refused with why, already
 * imported. Recent imports are listed below, each with its report.
 */

import { useEffect, useState } from "preact/hooks";
import { useDesk } from "./app";
import type { Key, T } from "./i18n";
import { type CsvRecord, FIELDS, guessMapping, headerOf, type Kind, readCsv } from "./import_csv";
import { useJob } from "./job_polling";
import { Problem, useAction, useLoaded } from "./lines";
import { focusIfLost } from "./focus";
import { refusalInChinese } from "./words/refusals";

interface RowResult {
  row: number;
  outcome: "taken" | "refused" | "already_imported";
  code: string;
  message: string;
  order_id: string;
}
interface Summary {
  id: string;
  kind: Kind;
  file_name: string;
  status: "queued" | "running" | "done";
  rows: number;
  created_at: string;
}
interface Report extends Summary {
  done: number;
  taken: number;
  refused: number;
  already_imported: number;
  results: RowResult[];
}
interface Checked {
  rows: number;
  taken: number;
  refused: number;
  results: RowResult[];
}
interface Chosen {
  name: string;
  text: string;
  records: CsvRecord[];
  legacy: boolean; // not UTF-8: read as Windows-1252
}

/** The file's text: UTF-8 when it is, else Windows-1252, what an old Windows program saves
 * (an outside tester's "Jürgen Müller" became "J\ufffdrgen M\ufffdller", imported without a
 * word; the API refuses text with characters lost in reading, `not_utf8`). */
export function decoded(bytes: ArrayBuffer): { text: string; legacy: boolean } {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), legacy: false };
  } catch {
    return { text: new TextDecoder("windows-1252").decode(bytes), legacy: true };
  }
}

export function ImportsPage() {
  const { t, api } = useDesk();
  const [kind, setKind] = useState<Kind>("customers");
  const [file, setFile] = useState<Chosen | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  // "": as the business's country writes dates (the API's default: month first in the United
  // States), not day first everywhere (an outside tester's New York salon read 02/03 as 2 March).
  const [dateOrder, setDateOrder] = useState("");
  const [checked, setChecked] = useState<Checked | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const recent = useLoaded(() => api.get<{ imports: Summary[] }>("/v1/imports"), [shown]);
  const header = file ? headerOf(file.records) : [];

  const choose = async (input: HTMLInputElement) => {
    const picked = input.files?.[0];
    setChecked(null);
    setShown(null); // another file: the last import's report would read as this one's
    if (!picked) return setFile(null);
    const { text, legacy } = decoded(await picked.arrayBuffer());
    const records = readCsv(text);
    setFile({ name: picked.name, text, records, legacy });
    setMapping(guessMapping(kind, headerOf(records)));
  };
  const changeKind = (next: Kind) => {
    setKind(next);
    setChecked(null);
    setMapping(guessMapping(next, header));
  };
  const body = () => {
    const mapped = Object.fromEntries(Object.entries(mapping).filter(([, f]) => f));
    const order = dateOrder ? { date_order: dateOrder } : {};
    return { kind, csv: file?.text ?? "", mapping: mapped, file_name: file?.name ?? "", ...order };
  };
  const check = async () => {
    if (await run(async () => setChecked(await api.post<Checked>("/v1/imports/check", body())))) {
      focusIfLost(() => document.getElementById("import-checked")); // what the check found
    }
  };
  const start = () =>
    run(async () => {
      const made = await api.post<Report>("/v1/imports", body());
      setChecked(null);
      setShown(made.id);
    });

  return (
    <section aria-labelledby="imports-title" class="imports">
      <h1 id="imports-title">{t("imports_title")}</h1>
      <p class="muted">{t("imports_intro")}</p>
      <form class="inline" onSubmit={(e) => e.preventDefault()}>
        <fieldset>
          <legend>{t("imports_kind")}</legend>
          {(["customers", "bookings"] as const).map((k) => (
            <label key={k}>
              <input type="radio" name="import-kind" value={k} checked={kind === k} onChange={() => changeKind(k)} />
              {t(`imports_kind_${k}`)}
            </label>
          ))}
        </fieldset>
        <label>
          {t("imports_file")}
          <input type="file" accept=".csv,.txt,text/csv" onChange={(e) => void choose(e.currentTarget)} />
        </label>
        <label>
          {t("imports_date_order")}
          <select value={dateOrder} onChange={(e) => setDateOrder(e.currentTarget.value)}>
            <option value="">{t("imports_country_order")}</option>
            <option value="dmy">{t("imports_dmy")}</option>
            <option value="mdy">{t("imports_mdy")}</option>
          </select>
        </label>
      </form>
      {file && header.length === 0 && <Problem text={t("imports_empty")} />}
      {file?.legacy && (
        <p class="notice" role="status">
          {t("imports_legacy")}
        </p>
      )}
      {file && header.length > 0 && (
        <>
          <Columns kind={kind} header={header} mapping={mapping} setMapping={(m) => (setMapping(m), setChecked(null))} />
          <Preview header={header} rows={file.records.slice(1)} mapping={mapping} />
          <p class="actions wrap">
            <button type="button" disabled={busy} onClick={check}>
              {t("imports_check")}
            </button>
            <button type="button" class="primary" disabled={busy} onClick={start}>
              {t("imports_start")}
            </button>
          </p>
        </>
      )}
      <Problem text={error} />
      {checked && (
        <div role="status" class="import-check">
          <p id="import-checked">{t(kind === "customers" ? "imports_checked_customers" : "imports_checked", { taken: checked.taken, refused: checked.refused })}</p>
          <Rows t={t} results={checked.results} />
        </div>
      )}
      {shown && <Progress id={shown} onDone={recent.refresh} />}
      <Recent t={t} imports={recent.data?.imports ?? null} error={recent.error} show={setShown} />
    </section>
  );
}

function Columns(props: { kind: Kind; header: string[]; mapping: Record<string, string>; setMapping: (m: Record<string, string>) => void }) {
  const { t } = useDesk();
  const { kind, header, mapping, setMapping } = props;
  return (
    <table class="records import-columns">
      <caption>{t("imports_columns")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("imports_column")}</th>
          <th scope="col">{t("imports_field")}</th>
        </tr>
      </thead>
      <tbody>
        {header.map((column) => (
          <tr key={column}>
            <th scope="row">{column}</th>
            <td>
              <select
                aria-label={t("imports_field_of", { column })}
                value={mapping[column] ?? ""}
                onChange={(e) => setMapping({ ...mapping, [column]: e.currentTarget.value })}
              >
                <option value="">{t("imports_skip")}</option>
                {FIELDS[kind].map((f) => (
                  <option key={f} value={f}>
                    {t(`field_${f}` as Key)}
                  </option>
                ))}
              </select>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Preview({ header, rows, mapping }: { header: string[]; rows: CsvRecord[]; mapping: Record<string, string> }) {
  const { t } = useDesk();
  return (
    <div class="scroll">
      <table class="records import-preview">
        <caption>{t("imports_preview")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("imports_row")}</th>
            {header.map((column) => (
              <th scope="col" key={column}>
                {column}
                <br />
                <span class="muted">{mapping[column] ? t(`field_${mapping[column]}` as Key) : t("imports_skip")}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, 5).map(({ n, cells }) => (
            <tr key={n}>
              <td class="num">{n}</td>
              {header.map((_, j) => (
                <td key={j}>{cells[j] ?? ""}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A row's reason in the desk's words: in Chinese the code's sentence, then the server's own
 * message (which names the cell); in English that message alone. */
function reason(t: T, r: RowResult): string {
  const said = t.lang === "zh-Hans" ? refusalInChinese(r.code) : undefined;
  return said ? `${said}（${r.message}）` : r.message;
}

function Rows({ t, results, outcome = "refused" }: { t: T; results: RowResult[]; outcome?: RowResult["outcome"] }) {
  const rows = results.filter((r) => r.outcome === outcome);
  if (!rows.length) return null;
  return (
    <table class={`records import-${outcome}`}>
      <caption>{t(outcome === "refused" ? "imports_refused" : "imports_already")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("imports_row")}</th>
          <th scope="col">{t("imports_reason")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.row}>
            <td class="num">{r.row}</td>
            <td>
              {r.order_id ? <a href={`#/order/${encodeURIComponent(r.order_id)}`}>{reason(t, r)}</a> : reason(t, r)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** An import followed every second until done (then the list is read again), and its report. */
function Progress({ id, onDone }: { id: string; onDone: () => void }) {
  const { t } = useDesk();
  const report = useJob<Report>(`/v1/imports/${encodeURIComponent(id)}`, onDone);
  const shown = report !== null;
  useEffect(() => {
    // Started (its button gone with the check's results): the keyboard on the import's report.
    if (shown) focusIfLost(() => document.getElementById("import-progress"));
  }, [shown]);
  if (!report) return <p role="status">{t("loading")}</p>;
  const { taken, refused, already_imported: already } = report;
  return (
    <div class="import-report" role="status" aria-live="polite">
      <h2 id="import-progress">{report.file_name || report.id}</h2>
      <p>{report.status === "done" ? t("imports_done", { taken, refused, already }) : t("imports_running", { done: report.done, rows: report.rows })}</p>
      <Rows t={t} results={report.results} />
      <Rows t={t} results={report.results} outcome="already_imported" />
    </div>
  );
}

function Recent(props: { t: T; imports: Summary[] | null; error: string; show: (id: string) => void }) {
  const { fmt } = useDesk();
  const { t, imports, error, show } = props;
  if (error) return <Problem text={error} />;
  if (!imports) return <p role="status">{t("loading")}</p>;
  return (
    <section aria-labelledby="recent-imports">
      <h2 id="recent-imports">{t("imports_recent")}</h2>
      {imports.length === 0 ? (
        <p class="muted">{t("imports_none")}</p>
      ) : (
        <table class="records">
          <thead>
            <tr>
              <th scope="col">{t("imports_when")}</th>
              <th scope="col">{t("imports_file")}</th>
              <th scope="col">{t("imports_kind")}</th>
              <th scope="col">{t("imports_rows")}</th>
              <th scope="col">{t("imports_status")}</th>
            </tr>
          </thead>
          <tbody>
            {imports.map((i) => (
              <tr key={i.id}>
                <td>{fmt.dateTime(i.created_at)}</td>
                <td>
                  <button type="button" class="link" aria-label={t("imports_show", { name: i.file_name || i.id })} onClick={() => show(i.id)}>
                    {i.file_name || i.id}
                  </button>
                </td>
                <td>{t(`imports_kind_${i.kind}`)}</td>
                <td class="num">{i.rows}</td>
                <td>{t(`imports_status_${i.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
