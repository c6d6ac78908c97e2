/**
 * The bookings on dates just closed, said after the Business page saves them. A closed date
 * closes online booking and keeps what was booked (README "Closed dates do close online
 * bookings"), but an outside tester's owner closed a date with three confirmed appointments on
 * it and neither the API nor the page said so: the guests would have come to a closed door.
 *
 * Only the dates this save added, from today on, are looked at: one `GET /v1/orders?date=`
 * per date (the day's index, its live statuses only), and where nights are sold, the room
 * types' day sheets for the stays begun before it (a night on the date is a booking on it too;
 * the order search finds a stay by its first day). Each date says its count, its guests'
 * orders linked (the first ten) and that day's Today page.
 */

import { useState } from "preact/hooks";
import { todayIn } from "../shared/format";
import type { DayLine, OrderPage } from "./api";
import { type Desk, useDesk } from "./app";

const LIVE = ["held", "confirmed", "checked_in"];
const SHOWN = 10;

interface Booked {
  order_id: string;
  name: string;
}

export interface BookedDate {
  date: string;
  orders: Booked[];
  more: boolean; // the search had more to give than one page
}

/** The dates `after` closes that `before` did not, from today on in the business's zone. */
export function newlyClosed(before: string[], after: string[], zone: string): string[] {
  const today = todayIn(zone);
  return after.filter((d) => d >= today && !before.includes(d));
}

async function bookedOn(desk: Desk, date: string, nightly: string[]): Promise<BookedDate> {
  const [page, ...sheets] = await Promise.all([
    desk.api.get<OrderPage>("/v1/orders", { date, status: LIVE.join(","), limit: 100 }),
    ...nightly.map((id) => desk.api.day(id, date)),
  ]);
  const found = new Map<string, string>(page.data.map((o) => [o.id, o.customer.name]));
  const staying = sheets.flatMap((s) => s.in_house).filter((l: DayLine) => LIVE.includes(l.status));
  for (const line of staying) found.set(line.order_id, line.customer.name);
  return { date, orders: [...found].map(([order_id, name]) => ({ order_id, name })), more: page.next_cursor !== null };
}

/** After a save: the bookings on the dates it closed (none: nothing is said). */
export function useClosedCheck(): { found: BookedDate[]; check: (dates: string[]) => Promise<void> } {
  const desk = useDesk();
  const [found, setFound] = useState<BookedDate[]>([]);
  const check = async (dates: string[]) => {
    setFound([]);
    if (!dates.length) return;
    try {
      const nightly = desk.rooms ? (await desk.api.resources()).filter((r) => r.kind === "nightly").map((r) => r.id) : [];
      const all = await Promise.all(dates.map((d) => bookedOn(desk, d, nightly)));
      setFound(all.filter((b) => b.orders.length > 0));
    } catch {
      // The dates are saved either way; the Today page of each still shows its bookings.
    }
  };
  return { found, check };
}

export function BookedOnClosed({ found }: { found: BookedDate[] }) {
  const { t, fmt } = useDesk();
  return (
    <div role="status" class="closed-booked">
      {found.length > 0 && (
        <div class="warning-box">
          <p>
            <strong>{t("closed_booked_title")}</strong>
            {t.lang === "zh-Hans" ? "" : " "}
            {t("closed_booked_help")}
          </p>
          <ul>
            {found.map((b) => (
              <li key={b.date}>
                {t(b.orders.length === 1 && !b.more ? "closed_booked_1" : b.more ? "closed_booked_more" : "closed_booked_n", {
                  date: fmt.day(b.date),
                  n: b.orders.length,
                })}{" "}
                <a href={`#/today?date=${b.date}`}>{t("closed_booked_day", { date: fmt.day(b.date) })}</a>
                <ul class="inline">
                  {b.orders.slice(0, SHOWN).map((o) => (
                    <li key={o.order_id}>
                      <a href={`#/order/${encodeURIComponent(o.order_id)}`}>{o.name}</a>
                    </li>
                  ))}
                  {b.orders.length > SHOWN && <li>{t("refusal_more", { n: b.orders.length - SHOWN })}</li>}
                </ul>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
