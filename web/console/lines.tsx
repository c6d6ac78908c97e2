/**
 * Pieces shared by the console's pages: an order's status and payment as badges, a day-sheet
 * line with the actions its status allows the staff member, and an error line.
 */

import { useEffect, useRef, useState } from "preact/hooks";
import { addDays, todayIn } from "../shared/format";
import { type Answers, ApiError, MAY, type DayLine, type Offering, type Order } from "./api";
import { message, useDesk } from "./app";
import type { Formats } from "../shared/format";
import type { Key, T } from "./i18n";
import { labelIn } from "../widget/questions";
import { NoShowAsk, noShowOpen } from "./order_no_show";
import { LeaveEarlyAsk, type LeavingEarly, leavingEarly } from "./order_check_out";
import { focusIfLost, focusOn } from "./focus";
import { useLatestAlert } from "./latest_alert";
import { staleSaid } from "./today_stale";

export function Status({ status }: { status: string }) {
  const { t } = useDesk();
  return <span class={`badge st-${status}`}>{t(`st_${status}` as Key)}</span>;
}

export function Payment({ status }: { status: string }) {
  const { t } = useDesk();
  return <span class={`badge pay-${status}`}>{t(`pay_${status}` as Key)}</span>;
}

/** The next step a desk takes with an order in this status (the API's transitions). */
export function nextActions(status: string, role: DayLine["role"] | "order"): [string, Key][] {
  switch (status) {
    case "held":
      return [["confirm", "confirm"]];
    case "confirmed":
      return role === "departure" ? [] : [["check-in", "check_in"], ["no-show", "no_show"]];
    case "checked_in":
      return [["complete", "check_out"], ["check-in/undo", "check_in_undo"]]; // the wrong guest, or days early
    case "no_show":
      return [["no-show/undo", "no_show_undo"]]; // managers and owners (the API's rule)
    default:
      return [];
  }
}

/** A balance check-out was refused for, after the order changed (its nights given back): the
 * day sheet reads the order again and may draw its line anew elsewhere (Staying to
 * Departures); that line says it once, then it is forgotten. */
const SAID_OWING = new Map<string, number>();

function sayOwingOnce(orderId: string, balance: number): void {
  SAID_OWING.set(orderId, balance);
  // A line that was not drawn anew (the same section) never takes it: it goes after the
  // re-read, not to come back on a later visit to the day.
  setTimeout(() => SAID_OWING.delete(orderId), 10_000);
}

function takeSaidOwing(orderId: string): number | null {
  const said = SAID_OWING.get(orderId);
  SAID_OWING.delete(orderId);
  return said ?? null;
}

export function Actions({
  orderId,
  status,
  role,
  onDone,
  starts,
  unplaced,
  guest = "",
  offeringIds = [],
  stayDay,
  onStale,
}: {
  orderId: string;
  status: string;
  role: DayLine["role"] | "order";
  onDone: () => void;
  starts?: string; // the order's start: no one is a no-show before it (the API refuses)
  unplaced?: boolean; // an overbooked guest holds no room: moved or relocated first (the API refuses)
  guest?: string; // named in the no-show question
  offeringIds?: string[]; // their no-show fee is named in it
  stayDay?: string; // a stay's arrival date: a no-show from its check-in time (order_no_show.tsx)
  /** A step refused because the order changed meanwhile, said by the page in a sentence naming
   * the guest (Today: the line may be gone from the sheet read again, and its refusal with it). */
  onStale?: (said: string) => void;
}) {
  const desk = useDesk();
  const { busy, error, run } = useAction();
  const [early, setEarly] = useState(false); // check-in is not open yet: offer it early
  // Check-out found a balance: settle it, or leave it open. Said again by the line drawn anew
  // when the order was read again meanwhile (its nights given back first: see SAID_OWING).
  const [owing, setOwing] = useState<number | null>(() => takeSaidOwing(orderId));
  const [asking, setAsking] = useState(false); // the no-show question is open
  const noShowButton = useRef<HTMLButtonElement>(null);
  const [leaving, setLeaving] = useState<LeavingEarly[] | null>(null); // an early check-out's question
  const checkOutButton = useRef<HTMLButtonElement>(null);
  // What this line says as an alert (a balance at check-out, check-in not open, a refusal):
  // a newer alert elsewhere on the page replaces it.
  const shown = useLatestAlert(owing !== null ? `owing ${owing}` : early ? "early" : error);
  // Check-in refused as not open yet: the keyboard goes to the offer to check in early (the
  // Check in button was disabled while it ran, which drops the focus).
  const earlyButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (early && !busy) focusOn(earlyButton.current); // once enabled again
  }, [early, busy]);
  // Check-out refused for a balance (after the nights were given back, too): the keyboard on
  // the way to settle it, not <body> (the question that asked is gone).
  const settle = useRef<HTMLElement>(null);
  useEffect(() => {
    if (owing !== null && !busy) focusIfLost(() => settle.current);
  }, [owing, busy]);
  if (!MAY.operate(desk.me.role)) return null;
  // A question closed without an answer: the focus goes back to its button, once enabled again.
  const closed = (close: () => void, button: { current: HTMLButtonElement | null }) => {
    close();
    setTimeout(() => button.current?.focus(), 0);
  };
  // Check out: a guest leaving before the stay's last night is asked about those nights first.
  // The nights given back are those of the order as the question read it (`asked`): each is
  // given back over that version (If-Match), so a change made meanwhile at another desk is
  // refused and said, not shortened over unseen (a reviewer's).
  const asked = useRef<number | undefined>(undefined);
  const checkOut = async () => {
    let early: LeavingEarly[] = [];
    await run(async () => {
      const read = await desk.api.order(orderId);
      asked.current = read.version;
      early = leavingEarly(read, todayIn(desk.tenant.timezone));
    });
    if (early.length) setLeaving(early);
    else await act("complete");
  };
  const releaseAndCheckOut = async (early: LeavingEarly[]) => {
    const path = `/v1/orders/${encodeURIComponent(orderId)}/stay`;
    const shortened = await run(async () => {
      let version = asked.current;
      for (const stay of early) {
        version = (await desk.api.post<Order>(path, { line: stay.line, nights: stay.keep }, version)).version;
      }
    });
    if (shortened) await act("complete", {}, true);
  };
  const act = async (action: string, body: object = {}, changedBefore = false) => {
    setEarly(false);
    setOwing(null);
    setAsking(false);
    setLeaving(null);
    let refused = false; // check-out found a balance: nothing changed, nothing to reload
    let stale = false; // another tab or desk changed the order: show it as it is now
    const done = await run(async () => {
      try {
        await desk.api.act(orderId, action, body);
      } catch (e) {
        if (e instanceof ApiError && e.code === "check_in_not_open") setEarly(true);
        if (e instanceof ApiError && ["illegal_transition", "version_mismatch"].includes(e.code)) {
          stale = true; // the refusal is said, and the page reloads the order beside it
          if (onStale) {
            onStale(staleSaid(desk.t, e, guest, action)); // said by the page, not by the line
            return;
          }
        }
        if (e instanceof ApiError && ["balance_outstanding", "refund_due"].includes(e.code)) {
          setOwing(Number(e.details.balance ?? 0));
          // The nights were given back first: the line is read again (it said the old nights,
          // an outside tester's finding), and says the balance again if it is drawn anew.
          if (changedBefore) sayOwingOnce(orderId, Number(e.details.balance ?? 0));
          refused = true; // said below in the desk's words, with the amount
          return;
        }
        throw e;
      }
    });
    if ((done && !refused) || stale || (refused && changedBefore)) onDone();
  };
  return (
    <span class={asking || leaving ? "actions wrap" : "actions"}>
      {nextActions(status, role)
        .filter(([action]) => action !== "no-show" || noShowOpen({ starts, stayDay }, desk.tenant.timezone, desk.tenant.stay_times?.check_in_time))
        .filter(([action]) => action !== "no-show/undo" || MAY.manage(desk.me.role))
        .filter(([action]) => !unplaced || !["check-in", "no-show"].includes(action))
        .map(([action, label]) =>
          action === "no-show" ? (
            <button type="button" key={action} ref={noShowButton} disabled={busy || asking} aria-expanded={asking} onClick={() => setAsking(true)}>
              {desk.t(label)}
            </button>
          ) : action === "complete" ? (
            <button type="button" key={action} ref={checkOutButton} disabled={busy || leaving !== null} onClick={checkOut}>
              {desk.t(label)}
            </button>
          ) : (
            <button type="button" key={action} disabled={busy} onClick={() => act(action)}>
              {desk.t(label)}
            </button>
          ),
        )}
      {leaving && (
        <LeaveEarlyAsk
          orderId={orderId}
          guest={guest}
          early={leaving}
          busy={busy}
          onRelease={() => releaseAndCheckOut(leaving)}
          onKeep={() => act("complete")}
          onClose={() => closed(() => setLeaving(null), checkOutButton)}
        />
      )}
      {asking && (
        <NoShowAsk
          orderId={orderId}
          guest={guest}
          offeringIds={offeringIds}
          stay={stayDay !== undefined}
          busy={busy}
          onYes={() => act("no-show")}
          onClose={() => closed(() => setAsking(false), noShowButton)}
        />
      )}
      {!shown ? null : owing !== null ? (
        <span class="early" role="alert">
          {owing >= 0
            ? desk.t(role === "order" ? "checkout_owing" : "checkout_owing_today", { amount: desk.fmt.money(owing) })
            : desk.t(role === "order" ? "checkout_owed_back" : "checkout_owed_back_today", { amount: desk.fmt.money(-owing) })}{" "}
          {role !== "order" && (
            <>
              <a href={`#/order/${encodeURIComponent(orderId)}?money`} ref={settle as { current: HTMLAnchorElement | null }}>
                {desk.t("checkout_to_money")}
              </a>{" "}
            </>
          )}
          <button
            type="button"
            ref={role === "order" ? (settle as { current: HTMLButtonElement | null }) : undefined}
            disabled={busy}
            onClick={() => act("complete", { leave_balance_open: true })}
          >
            {desk.t("checkout_leave_open")}
          </button>
        </span>
      ) : early ? (
        <span class="early" role="alert">
          {desk.t("check_in_not_open")}{" "}
          <button type="button" ref={earlyButton} disabled={busy} onClick={() => act("check-in", { early: true })}>
            {desk.t("check_in_early")}
          </button>
        </span>
      ) : (
        error && (
          <span class="error" role="alert">
            {error}
          </span>
        )
      )}
    </span>
  );
}

/** "1 person" or "3 people", as the language says it. */
export function party(t: T, n: number): string {
  return n === 1 ? t("party_1") : t("party_n", { n });
}

/** A stay's dates, or a timed line's start, as the desk reads them. */
export function when(t: T, fmt: Formats, line: { start: string; end: string; nights: number }): string {
  if (!line.nights) return fmt.dateTime(line.start);
  const nights = line.nights === 1 ? t("night_1") : t("nights_n", { n: line.nights });
  return `${t("stay", { from: fmt.day(line.start.slice(0, 10)), to: fmt.day(line.end.slice(0, 10)) })} · ${nights}`;
}

/** An order's lines in a results table's cell: when, and what, one line each. */
export function LinesCell({ t, fmt, order }: { t: T; fmt: Formats; order: Order }) {
  return (
    <td>
      {order.lines.map((l) => (
        <div key={l.start_utc + l.offering_id}>
          {when(t, fmt, l)} · {l.offering_name}
        </div>
      ))}
    </td>
  );
}

/** What a page reads (`load`), read again on `refresh()` and when `deps` change: the data
 * (null while it loads for other `deps`), the error in the desk's words; an answer that comes
 * back after the page moved on is dropped. */
/** An effect for a change of `deps` after the first render, not for the first render itself.
 * State that starts as what the first render shows must not be set again by an effect after
 * the first paint: that wiped what a quick hand (or a test on a loaded machine) typed in
 * between, a new resource's name, an amount at the desk. */
export function useOnChange(effect: () => void, deps: unknown[]): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    effect();
  }, deps);
}

export function useLoaded<T>(
  load: () => Promise<T>,
  deps: unknown[] = [],
  /** Changes that read the same thing again (an order's new version): shown until it comes. */
  again: unknown[] = [],
): { data: T | null; error: string; refresh: () => void } {
  const { t } = useDesk();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState("");
  const [round, setRound] = useState(0);
  // Another day or week: what was shown is not that one's, so nothing shows until it comes
  // (a refresh of the same one keeps it in view meanwhile).
  useEffect(() => setData(null), deps);
  useEffect(() => {
    let live = true;
    setError("");
    load()
      .then((value) => live && setData(value))
      .catch((e) => live && setError(message(t, e)));
    return () => {
      live = false;
    };
  }, [...deps, ...again, round]);
  return { data, error, refresh: () => setRound((n) => n + 1) };
}

/** One request a control sends: busy while it runs, its error said in the desk's words. */
export function useAction(): {
  busy: boolean;
  error: string;
  run: (action: () => Promise<unknown>) => Promise<boolean>;
  refusedMarked: (event: Event) => boolean;
} {
  const { t } = useDesk();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  /** A submitted form with a field marked invalid (an amount typed as "15x": DecimalField
   * keeps the last value it could read) is not sent: the refusal is said, and the keyboard
   * goes to the field (an outside tester's coupon was made at 15 % while its field said 15x). */
  const refusedMarked = (event: Event) => {
    const wrong = markedField(event);
    if (!wrong) return false;
    setError(t("cat_fix_fields"));
    wrong.focus();
    return true;
  };
  const run = async (action: () => Promise<unknown>) => {
    // The button pressed is disabled while the request runs, which drops the keyboard on
    // <body>: refused, it goes back there to try again (an outside tester's Tab restarted at
    // the top of the page after each refusal).
    const pressed = document.activeElement;
    setBusy(true);
    setError("");
    try {
      await action();
      return true;
    } catch (e) {
      setError(message(t, e));
      // Not the page itself (a click that focused nothing, a second run after an await).
      if (pressed && pressed !== document.body) focusIfLost(() => pressed);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, refusedMarked };
}

/** The first field of the submitted form marked invalid (aria-invalid), if any. */
export function markedField(event: Event): HTMLElement | null {
  return (event.currentTarget as HTMLFormElement).querySelector<HTMLElement>('[aria-invalid="true"]');
}

/** A refusal where the control is; a newer one said elsewhere on the page replaces it
 * (latest_alert.ts). `id`: for the page to move the keyboard to it. */
export function Problem({ text, id }: { text: string; id?: string }) {
  const latest = useLatestAlert(text);
  return latest ? (
    <p class="error" role="alert" id={id} tabIndex={id ? -1 : undefined}>
      {text}
    </p>
  ) : null;
}

export type Labels = Record<string, Record<string, string>>; // offering -> question id -> label

/** The questions' labels in the console's language (`labelIn`: else the business's `label`). */
export function questionLabels(offerings: Offering[], lang: string): Labels {
  return Object.fromEntries(offerings.map((o) => [o.id, Object.fromEntries(o.questions.map((q) => [q.id, labelIn(q, lang)]))]));
}

/** A line's answers to its booking questions: the booking's own (a pickup point), then each
 * person's (the manifest's people), under the questions' labels. */
export function People({ answers, labels }: { answers: Answers; labels: Record<string, string> }) {
  const { t } = useDesk();
  // A label that ends in its own mark ("Will you bring a laptop?") takes no colon after it
  // (an outside tester read "laptop?: Yes").
  const said = (given: Record<string, string | number>) =>
    Object.entries(given)
      .map(([id, value]) => {
        const label = labels[id] ?? id;
        return /[?:!？：！]$/u.test(label) ? `${label} ${value}` : `${label}: ${value}`;
      })
      .join(" · ");
  return (
    <div class="people">
      {Object.keys(answers.booking).length > 0 && <p>{said(answers.booking)}</p>}
      {answers.people.length > 0 && (
        <ol>
          {answers.people.map((person, i) => (
            <li key={i}>{Object.keys(person).length ? said(person) : t("person_n", { n: i + 1 })}</li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** A page's day and the keys to move it: the day before, today, the day after, any date.
 * `page` is the page's address (`#/today`, `#/rooms`), which takes `?date=`. */
export function DayBar(props: { day: string; page: string; title: string; id: string; step?: number }) {
  const { day, page, title, id } = props;
  const step = props.step ?? 1; // a week's page moves a week
  const desk = useDesk();
  const { t } = desk;
  const goTo = (d: string) => desk.go(`${page}?date=${d}`);
  return (
    <div class="toolbar">
      <h1 id={id}>{title}</h1>
      <button type="button" onClick={() => goTo(addDays(day, -step))} aria-label={t(step === 7 ? "previous_week" : "previous_day")}>
        ‹
      </button>
      <button type="button" onClick={() => goTo(todayIn(desk.tenant.timezone))}>
        {t("today")}
      </button>
      <button type="button" onClick={() => goTo(addDays(day, step))} aria-label={t(step === 7 ? "next_week" : "next_day")}>
        ›
      </button>
      <label>
        <span class="sr-only">{t("date")}</span>
        <input type="date" value={day} onChange={(e) => goTo((e.currentTarget as HTMLInputElement).value)} />
      </label>
    </div>
  );
}
