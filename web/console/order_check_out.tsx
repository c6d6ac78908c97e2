/**
 * An early check-out asks first: a guest who leaves before the stay's last night leaves nights
 * that stay sold (Rooms shows them held, "Left early"). The question offers to give them back
 * (`POST /v1/orders/{id}/stay` with the nights begun: the stay is priced again for its new
 * length and its later nights and rooms go back on sale, in that one transaction), or to keep
 * them (the guest pays for them), before checking out. It takes the focus; "Not now" or Escape
 * gives it back to the button that asked.
 */

import { useEffect, useRef } from "preact/hooks";
import { addDays } from "../shared/format";
import type { Order } from "./api";
import { useDesk } from "./app";

/** A stay of the order that would end after `today`: its line, its nights, the nights it
 * keeps when it ends today (at least the first, begun), and its departure date. */
export interface LeavingEarly {
  line: number;
  nights: number;
  keep: number;
  departs: string;
}

function daysBetween(from: string, to: string): number {
  const [a, b] = [from, to].map((d) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)));
  return Math.round((b - a) / 86_400_000);
}

/** The order's stays that still have nights after `today` (its local date). */
export function leavingEarly(order: Pick<Order, "lines">, today: string): LeavingEarly[] {
  return order.lines.flatMap((l, line) => {
    if (!l.nights) return [];
    const first = l.start.slice(0, 10);
    const keep = Math.max(1, daysBetween(first, today));
    return keep < l.nights ? [{ line, nights: l.nights, keep, departs: addDays(first, l.nights) }] : [];
  });
}

export function LeaveEarlyAsk(props: {
  orderId: string;
  guest: string;
  early: LeavingEarly[];
  busy: boolean;
  onRelease: () => void;
  onKeep: () => void;
  onClose: () => void;
}) {
  const { t, fmt } = useDesk();
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  const stay = props.early[0];
  const question = `leave-early-${props.orderId}`;
  return (
    <div
      role="alertdialog"
      style={{ flexBasis: "100%" }} // under the buttons that asked, not squeezing them
      aria-labelledby={question}
      class="confirm leave-early"
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          props.onClose();
        }
      }}
    >
      <p id={question}>
        {t("leave_early_ask", { guest: props.guest, date: fmt.day(stay.departs) })}{" "}
        {t(stay.keep === 1 ? "leave_early_release_says_one" : "leave_early_release_says", { n: stay.keep })}
      </p>
      <button type="button" ref={first} disabled={props.busy} onClick={props.onRelease}>
        {t("leave_early_release")}
      </button>{" "}
      <button type="button" disabled={props.busy} onClick={props.onKeep}>
        {t("leave_early_keep")}
      </button>{" "}
      <button type="button" onClick={props.onClose}>
        {t("leave_early_not_now")}
      </button>
    </div>
  );
}
