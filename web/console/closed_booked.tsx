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

import { useRef, useState } from "preact/hooks";
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
  unchecked?: boolean; // its search failed: said, so a date is never silently left out
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
  const latest = useRef(0);
  // One date at a time, each date's searches side by side, and a date whose search fails said
  // as not checked: a season closed in one save sent every date's requests at once (70 for 14
  // dates and 4 room types), and one refused request hid the whole warning (a reviewer's).
  const check = async (dates: string[]) => {
    const run = ++latest.current; // a later save's check replaces this one's
    setFound([]);
    if (!dates.length) return;
    const nightly = desk.rooms
      ? await desk.api.resources().then(
          (rs) => rs.filter((r) => r.kind === "nightly").map((r) => r.id),
          () => null,
        )
      : [];
    const all: BookedDate[] = [];
    for (const date of dates) {
      const one = nightly === null ? null : await bookedOn(desk, date, nightly).catch(() => null);
      all.push(one ?? { date, orders: [], more: false, unchecked: true });
    }
    if (run === latest.current) setFound(all.filter((b) => b.orders.length > 0 || b.unchecked));
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
                {b.unchecked ? t("closed_booked_unchecked", { date: fmt.day(b.date) }) : t(b.orders.length === 1 && !b.more ? "closed_booked_1" : b.more ? "closed_booked_more" : "closed_booked_n", {
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
