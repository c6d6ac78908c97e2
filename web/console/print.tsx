/**
 * One resource's day as a printable page (`#/print?resource=<id>&date=<d>`): a room type's
 * arrivals and departures, a stylist's appointments, a departure's manifest with every
 * person's answers. The print style sheet leaves out the bar and the buttons; the browser's
 * print dialog also saves it as a PDF file.
 */

import { useEffect, useState } from "preact/hooks";
import { todayIn } from "../shared/format";
import type { DaySheet } from "./api";
import { message, useDesk } from "./app";
import { type Labels, Problem, questionLabels } from "./lines";
import { Sheet } from "./today";

export function PrintSheet({ query }: { query: URLSearchParams }) {
  const desk = useDesk();
  const { t, fmt, api } = desk;
  const resource = query.get("resource") ?? "";
  const date = /^\d{4}-\d{2}-\d{2}$/.test(query.get("date") ?? "") ? String(query.get("date")) : todayIn(desk.tenant.timezone);
  const [sheet, setSheet] = useState<DaySheet | null>(null);
  const [labels, setLabels] = useState<Labels>({});
  const [error, setError] = useState("");
  const [round, setRound] = useState(0);

  useEffect(() => {
    api
      .day(resource, date)
      .then(setSheet)
      .catch((e) => setError(message(t, e)));
  }, [resource, date, round]);
  useEffect(() => {
    api
      .offerings()
      .then((all) => setLabels(questionLabels(all)))
      .catch(() => undefined);
  }, []);

  if (!sheet) return <>{error ? <Problem text={error} /> : <p role="status">{t("loading")}</p>}</>;
  return (
    <section class="printable" aria-labelledby="print-title">
      <div class="toolbar">
        <h1 id="print-title">
          {desk.tenant.name} · {t("print_title", { name: sheet.resource_name, date: fmt.day(date) })}
        </h1>
        <button type="button" onClick={() => window.print()}>
          {t("print")}
        </button>
      </div>
      <Sheet sheet={sheet} onChanged={() => setRound((n) => n + 1)} labels={labels} />
    </section>
  );
}
