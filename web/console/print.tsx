/**
 * One resource's day as a printable page (`#/print?resource=<id>&date=<d>`): a room type's
 * arrivals and departures, a stylist's appointments, a departure's manifest with every
 * person's answers. The print style sheet leaves out the bar and the buttons; "Download PDF"
 * saves the API's own PDF of the day.
 */

import { useEffect, useState } from "preact/hooks";
import { todayIn } from "../shared/format";
import { useDesk } from "./app";
import { type Labels, Problem, questionLabels, useLoaded } from "./lines";
import { PdfButton } from "./pdf_button";
import { Sheet } from "./today";

export function PrintSheet({ query }: { query: URLSearchParams }) {
  const desk = useDesk();
  const { t, fmt, api } = desk;
  const resource = query.get("resource") ?? "";
  const date = /^\d{4}-\d{2}-\d{2}$/.test(query.get("date") ?? "") ? String(query.get("date")) : todayIn(desk.tenant.timezone);
  const { data: sheet, error, refresh } = useLoaded(() => api.day(resource, date), [resource, date]);
  const [labels, setLabels] = useState<Labels>({});
  useEffect(() => {
    api
      .offerings()
      .then((all) => setLabels(questionLabels(all, t.lang)))
      .catch(() => undefined);
  }, [t.lang]);

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
        <PdfButton path={`/v1/resources/${encodeURIComponent(resource)}/day.pdf`} query={{ date }} name={`${resource}-${date}.pdf`} />
      </div>
      <Sheet sheet={sheet} onChanged={refresh} labels={labels} />
    </section>
  );
}
