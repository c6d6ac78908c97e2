/**
 * The week at a glance (`#/week?date=`): a row per resource and a column per day from the
 * Monday of the chosen date, each cell that resource's day (`GET /v1/resources/{id}/day`):
 * a room type's rooms taken of its capacity with its arrivals, a stylist's or a guide's
 * appointments by time, a departure's sessions with their seats. Each booking links to its
 * order; each day's heading opens that day on Today.
 */

import { addDays, todayIn } from "../shared/format";
import type { DaySheet } from "./api";
import { useDesk } from "./app";
import { DayBar, Problem, useLoaded } from "./lines";

function monday(isoDate: string): string {
  const weekday = (new Date(`${isoDate}T12:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
  return addDays(isoDate, -weekday);
}

export function Week({ date }: { date: string }) {
  const desk = useDesk();
  const { t, fmt, api } = desk;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : todayIn(desk.tenant.timezone);
  const first = monday(day);
  const days = Array.from({ length: 7 }, (_, n) => addDays(first, n));
  const { data: rows, error } = useLoaded(
    () =>
      api.resources().then((resources) =>
        Promise.all(
          resources.map(async (resource) => ({
            resource,
            sheets: await Promise.all(days.map((d) => api.day(resource.id, d))),
          })),
        ),
      ),
    [first],
  );

  return (
    <section aria-labelledby="week-title">
      <DayBar day={day} page="#/week" title={t("week_of", { day: fmt.day(first) })} id="week-title" step={7} />
      <Problem text={error} />
      {rows === null && !error && <p role="status">{t("loading")}</p>}
      {rows && (
        // Wider than a phone: the table scrolls in its own box, which takes the keyboard.
        <div class="week-scroll" tabIndex={0} role="region" aria-label={t("week_table")}>
          <table class="week">
            <thead>
              <tr>
                <th scope="col">{t("resource")}</th>
                {days.map((d) => (
                  <th scope="col" key={d}>
                    <a href={`#/today?date=${d}`}>
                      <span>{fmt.dayParts(d).weekday}</span> <span>{fmt.dayParts(d).date}</span>
                    </a>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map(({ resource, sheets }) => (
                <tr key={resource.id}>
                  <th scope="row">{resource.name}</th>
                  {sheets.map((sheet) => (
                    <td key={sheet.date}>
                      <Cell sheet={sheet} capacity={resource.capacity} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Cell({ sheet, capacity }: { sheet: DaySheet; capacity: number }) {
  const { t, fmt } = useDesk();
  if (sheet.kind === "nightly") {
    const staying = [...sheet.arrivals, ...sheet.in_house].reduce((n, l) => n + l.units, 0);
    return (
      <>
        <span class={staying >= capacity ? "badge st-cancelled" : "badge"}>
          {t("rooms_taken", { n: staying, capacity })}
        </span>
        {sheet.arrivals.map((l) => (
          <a class="chip" key={l.order_id + l.start_utc} href={`#/order/${encodeURIComponent(l.order_id)}`}>
            → {l.customer.name}
          </a>
        ))}
      </>
    );
  }
  if (sheet.kind === "session") {
    return (
      <>
        {sheet.sessions.map((s) => (
          <span class="chip" key={s.start_utc}>
            {fmt.time(s.start)} · {t("booked_of", { booked: s.booked, capacity: s.capacity })}
          </span>
        ))}
      </>
    );
  }
  return (
    <>
      {sheet.appointments.map((l) => (
        <a class="chip" key={l.order_id + l.start_utc} href={`#/order/${encodeURIComponent(l.order_id)}`}>
          {fmt.time(l.start)} {l.customer.name}
        </a>
      ))}
    </>
  );
}
