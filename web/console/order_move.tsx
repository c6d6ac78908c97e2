/**
 * "Change the time" on an order's timed line (an appointment, a tour's departure): a date and,
 * for a service with staff, who serves it (a named one or anyone); the free times from
 * `GET /v1/availability` as New booking reads them; then the move as the API would make it
 * (`POST /v1/orders/{id}/reschedule` with `"quote": true`: the new time, who serves it, the
 * total against the old), and the move itself, with the quoted version, once the desk says so.
 * A time taken meanwhile is said and the free times are read again; an order another desk
 * changed (or cancelled) is said, and the page shows the order as it now is.
 */

import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { addDays, wallClock } from "../shared/format";
import type { Offering } from "../widget/api";
import { ApiError, type Availability, type LineIn, type Order } from "./api";
import { message, useDesk } from "./app";
import type { Formats } from "../shared/format";
import type { T } from "./i18n";
import { closeOnEscape, focusId } from "./focus";
import { Problem } from "./lines";

type Option = Availability["options"][number];
type Line = Order["lines"][number];
type MoveLine = LineIn & { quantity?: number };

/** The refusals that mean the page shows an order that is no longer so. */
const STALE = ["illegal_transition", "not_reschedulable", "version_mismatch"];

function serversOf(resources: { requirement: number; resource_id: string }[]): Record<string, string> {
  return Object.fromEntries(resources.map((r) => [String(r.requirement), r.resource_id]));
}

/** A line as it is, sent again beside the one that moves (the API plans every line it is sent,
 * each on the resources it has). */
function lineAsItIs(line: Line): MoveLine {
  const kept: MoveLine =
    line.nights > 0
      ? { offering_id: line.offering_id, check_in: line.date, nights: line.nights, party: line.party }
      : { offering_id: line.offering_id, start: wallClock(line.start), party: line.party };
  if (line.quantity > 1) kept.quantity = line.quantity;
  if (line.resources.length) kept.resource_ids = serversOf(line.resources);
  return kept;
}

/** The order's lines with line `index` at `option`'s time, on the resources it names. */
function linesMoved(order: Order, index: number, option: Option): MoveLine[] {
  return order.lines.map((line, i) => {
    if (i !== index) return lineAsItIs(line);
    const moved: MoveLine = { offering_id: line.offering_id, start: wallClock(option.start), party: line.party };
    if (line.quantity > 1) moved.quantity = line.quantity;
    if (option.resources.length) moved.resource_ids = serversOf(option.resources);
    return moved;
  });
}

/** The move as the quote answered it: the new time (and who serves it), the price against the
 * old, and the deposit when it changes; sentences joined as the language joins them. */
function said(t: T, fmt: Formats, order: Order, after: Order, index: number, timed: boolean, tables: boolean): string {
  const moved = after.lines[index];
  const when = fmt.dateTime(moved.start);
  const who = timed ? moved.resources.map((r) => r.name).join(", ") : "";
  const [total, was] = [after.totals.total, order.totals.total];
  const sentences = [
    who ? t(tables ? "move_to_table" : "move_to_with", { when, who }) : t("move_to", { when }),
    total === was
      ? t("move_same_total", { total: fmt.money(total) })
      : t("move_new_total", { total: fmt.money(total), was: fmt.money(was) }),
  ];
  if (after.totals.deposit_due !== order.totals.deposit_due) {
    sentences.push(t("move_deposit", { deposit: fmt.money(after.totals.deposit_due) }));
  }
  return sentences.join(t.lang === "zh-Hans" ? "" : " ");
}

export function MoveControl(props: {
  order: Order;
  index: number;
  offering: Offering;
  onMoved: (when: string) => void;
  onStale: (why: string) => void;
}) {
  const desk = useDesk();
  const { t, fmt, api } = desk;
  const { order, index, offering } = props;
  const line = order.lines[index];
  // A restaurant's tables are chosen as tables, not as "Who serves it" (an outside tester's).
  const tables = desk.tenant.business_type === "restaurant";
  const staff = offering.kind === "timed" ? (offering.resource_choices.find((c) => c.requirement === 0)?.resources ?? []) : [];
  const serving = line.resources.find((r) => r.requirement === 0)?.resource_id ?? "";
  const [open, setOpen] = useState(false);
  const [date, setDate] = useState(line.date);
  const [who, setWho] = useState(staff.some((s) => s.resource_id === serving) ? serving : "");
  const [options, setOptions] = useState<Option[] | null>(null);
  const [quote, setQuote] = useState<{ lines: MoveLine[]; after: Order } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const confirmRef = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const dateRef = useRef<HTMLInputElement>(null);
  const wasOpen = useRef(false);
  const asked = useRef(false); // "Show free times" was pressed: its answer takes the keyboard
  const id = `move-${index}`;

  useEffect(() => {
    if (quote) confirmRef.current?.focus(); // the question is where the keyboard is
  }, [quote]);
  // The free times read: the keyboard goes to them (or to "no free time"), not left on
  // <body> by the button disabled while they were read.
  useEffect(() => {
    if (!asked.current || options === null) return;
    asked.current = false;
    focusId(options.length ? `${id}-times` : `${id}-none`);
  }, [options]);
  useLayoutEffect(() => {
    // Opened: the keyboard is on the date; closed: back on the button that opened it. In the
    // draw that shows the form, so what is typed at once stays where it is typed.
    if (open) dateRef.current?.focus();
    else if (wasOpen.current) opener.current?.focus();
    wasOpen.current = open;
  }, [open]);

  const find = async () => {
    setBusy(true);
    setQuote(null);
    setOptions(null); // what was free before is not offered while it is read again
    try {
      const answer = await api.availability({
        offering: offering.id,
        from: date,
        to: addDays(date, offering.kind === "session" ? 7 : 1),
        party: String(line.party),
        resource: who || undefined,
        order: order.id, // its own units count as free: half an hour later is open to it
      });
      // Its own time with its own people is no move (the same time with another stylist is).
      const own = (o: Option) =>
        wallClock(o.start) === wallClock(line.start) &&
        JSON.stringify(serversOf(o.resources)) === JSON.stringify(serversOf(line.resources));
      setOptions(answer.options.filter((o) => !own(o)));
    } catch (e) {
      setOptions(null);
      setError(message(t, e));
    } finally {
      setBusy(false);
    }
  };

  const refused = (e: unknown) => {
    setQuote(null);
    if (e instanceof ApiError && STALE.includes(e.code)) {
      setOpen(false);
      // Said on the page, beside the order as it now is.
      props.onStale(e.code === "version_mismatch" ? t("move_stale") : message(t, e));
      return;
    }
    if (e instanceof ApiError && e.code === "unavailable") {
      setError(t("move_taken"));
      void find();
      return;
    }
    setError(message(t, e));
  };

  // The move is made at the total its quote said (`expected_total`): a price changed while
  // the question was open is refused (409 `price_changed`) and quoted again.
  const send = async (lines: MoveLine[], quoted: boolean, agreed?: number): Promise<Order | Error> => {
    setBusy(true);
    setError("");
    try {
      const path = `/v1/orders/${encodeURIComponent(order.id)}/reschedule`;
      const body = quoted ? { lines, quote: true } : { lines, ...(agreed === undefined ? {} : { expected_total: agreed }) };
      return await api.post<Order>(path, body, order.version);
    } catch (e) {
      if (e instanceof ApiError && e.code === "price_changed") return e;
      refused(e);
      return e instanceof Error ? e : new Error(String(e));
    } finally {
      setBusy(false);
    }
  };

  const choose = async (option: Option) => {
    const lines = linesMoved(order, index, option);
    const after = await send(lines, true);
    if (!(after instanceof Error)) setQuote({ lines, after });
  };

  const confirm = async () => {
    if (!quote) return;
    const after = await send(quote.lines, false, quote.after.totals.total);
    if (after instanceof ApiError && after.code === "price_changed") {
      const again = await send(quote.lines, true);
      if (!(again instanceof Error)) setQuote({ lines: quote.lines, after: again });
      setError(t("move_price_moved"));
      return;
    }
    if (after instanceof Error) return;
    setQuote(null);
    setOpen(false);
    props.onMoved(fmt.dateTime(after.lines[index].start));
  };

  if (!open) {
    return (
      <button type="button" class="move-open" ref={opener} onClick={() => setOpen(true)}>
        {t("move_open")}
      </button>
    );
  }
  return (
    <div
      class="move"
      role="group"
      aria-labelledby={id}
      // As its Keep button (an outside tester's Escape left the panel open).
      onKeyDown={closeOnEscape(busy, () => setOpen(false))}
    >
      <strong id={id}>{t("move_title", { what: line.offering_name })}</strong>
      <form
        class="stay"
        onSubmit={(event) => {
          event.preventDefault();
          setError("");
          asked.current = true;
          void find();
        }}
      >
        <label>
          {t("date")}
          <input
            ref={dateRef}
            type="date"
            value={date}
            required
            onChange={(e) => {
              setDate((e.currentTarget as HTMLInputElement).value);
              setOptions(null);
              setQuote(null);
            }}
          />
        </label>
        {staff.length > 0 && (
          <label>
            {t(tables ? "move_table" : "move_who")}
            <select
              value={who}
              onChange={(e) => {
                setWho((e.currentTarget as HTMLSelectElement).value);
                setOptions(null);
                setQuote(null);
              }}
            >
              <option value="">{t(tables ? "move_any_table" : "move_anyone")}</option>
              {staff.map((s) => (
                <option value={s.resource_id} key={s.resource_id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="submit" disabled={busy}>
          {t("move_find")}
        </button>
        <button type="button" class="secondary" onClick={() => setOpen(false)}>
          {t("move_close")}
        </button>
      </form>
      <Problem text={error} />
      {options?.length === 0 && (
        <p role="status" id={`${id}-none`} tabIndex={-1}>
          {t("move_none")}
        </p>
      )}
      {options && options.length > 0 && !quote && (
        <ul class="options" aria-label={t("move_times")} id={`${id}-times`} tabIndex={-1}>
          {options.map((o) => {
            const names = o.resources.map((r) => r.name).join(", ");
            // Who serves it, when anyone may (a named one serves every time listed); the price
            // only where it differs from the line's now.
            const label =
              offering.kind === "session"
                ? `${fmt.dateTime(o.start)} · ${t("remaining", { n: o.remaining })}`
                : `${fmt.time(o.start)}${who ? "" : ` · ${names}`}`;
            return (
              <li key={o.start + names}>
                <button type="button" disabled={busy} onClick={() => void choose(o)}>
                  {label}
                  {o.price.total !== line.price.total && ` · ${fmt.money(o.price.total)}`}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {quote && (
        <div class="move-quote" role="group" aria-labelledby={`${id}-quote`}>
          <p id={`${id}-quote`}>{said(t, fmt, order, quote.after, index, offering.kind === "timed", tables)}</p>
          <button type="button" ref={confirmRef} disabled={busy} onClick={() => void confirm()}>
            {t("move_confirm")}
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={() => setQuote(null)}>
            {t("move_keep")}
          </button>
        </div>
      )}
    </div>
  );
}
