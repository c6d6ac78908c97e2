/**
 * The desk's question before a no-show: it names the guest and the fee the booking's terms
 * keep (the strictest `no_show_fee` of its offerings, as the API records it), takes the focus,
 * and "Keep the booking" or Escape gives the focus back to the button that asked. Also when
 * the question is offered at all: a stay once its arrival day's check-in time has passed in
 * the business's zone, anything else once it started (the API refuses earlier with 409
 * `no_show_too_early` or 422 `not_started`; this only keeps the button away before then).
 */

import { useEffect, useRef, useState } from "preact/hooks";
import type { Offering } from "./api";
import { useDesk } from "./app";

type WithFee = Offering & { deposit?: { no_show_fee?: number } };

/** The fee a no-show of these offerings keeps: the strictest (null: one is not known). */
export function noShowFee(all: Offering[], ids: string[]): number | null {
  let fee = 0;
  for (const id of ids) {
    const found = (all as WithFee[]).find((o) => o.id === id)?.deposit?.no_show_fee;
    if (found === undefined) return null;
    fee = Math.max(fee, found);
  }
  return fee;
}

/** The wall clock in `zone` at `at`, as "YYYY-MM-DDTHH:MM" (compared as text). */
export function wallNow(zone: string, at: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  return `${part("year")}-${part("month")}-${part("day")}T${part("hour")}:${part("minute")}`;
}

/** May the desk say the guest did not come: `stayDay` (a stay's arrival date) once its
 * check-in time (`checkIn`, HH:MM; 15:00 unset) has passed in `zone`; `starts` (an instant)
 * once it has; neither known: yes (the API decides). */
export function noShowOpen(
  when: { starts?: string; stayDay?: string },
  zone: string,
  checkIn: string | undefined,
  at: Date = new Date(),
): boolean {
  if (when.stayDay) return wallNow(zone, at) >= `${when.stayDay}T${checkIn || "15:00"}`;
  return !when.starts || Date.parse(when.starts) <= at.getTime();
}

export function NoShowAsk(props: {
  orderId: string;
  guest: string;
  offeringIds: string[];
  /** A stay keeps its room: only a timed booking's time is given back (booking/domain/no_show.py). */
  stay: boolean;
  busy: boolean;
  onYes: () => void;
  onClose: () => void;
}) {
  const { t, fmt, api } = useDesk();
  const [fee, setFee] = useState<number | null | undefined>(undefined); // undefined: reading
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    yes.current?.focus();
    let live = true;
    api
      .offerings()
      .then((all) => live && setFee(noShowFee(all, props.offeringIds)))
      .catch(() => live && setFee(null));
    return () => {
      live = false;
    };
  }, [props.orderId]);
  const question = `no-show-${props.orderId}`;
  const terms =
    fee === undefined
      ? ""
      : fee === null
        ? t("no_show_ask_fee_unknown")
        : fee > 0
          ? t("no_show_ask_fee", { fee: fmt.money(fee) })
          : t("no_show_ask_no_fee");
  return (
    <div
      role="alertdialog"
      style={{ flexBasis: "100%" }} // under the buttons that asked, not squeezing them
      aria-labelledby={question}
      aria-describedby={`${question}-terms`}
      class="confirm no-show-ask"
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          props.onClose();
        }
      }}
    >
      <p id={question}>{t("no_show_ask", { guest: props.guest })}</p>
      <p id={`${question}-terms`}>
        {terms} {t("no_show_ask_note")}
        {!props.stay && <> {t("no_show_ask_frees")}</>}
      </p>
      <button type="button" ref={yes} class="danger" disabled={props.busy} onClick={props.onYes}>
        {t("no_show_yes")}
      </button>{" "}
      <button type="button" onClick={props.onClose}>
        {t("no_show_keep")}
      </button>
    </div>
  );
}

/** An order's first arrival date (local), when it holds a stay. */
export function arrivalDay(order: { lines: { nights: number; start: string }[] }): string | undefined {
  const days = order.lines.filter((l) => l.nights).map((l) => l.start.slice(0, 10));
  return days.length ? days.sort()[0] : undefined;
}
