/**
 * "Move to Sun 6 Dec, 6:00 PM?" before a booking is moved from the manage page: a tap on a
 * time asks, it does not move. A stylist (or table) the customer switched to is named in it
 * ("… with Jordan Lee?"), the move being to them as much as to the time. The question takes the focus; Escape keeps the booking as it
 * is, as "Keep it" does. `Ask` is the card both this and "Cancel this booking?" are asked in.
 *
 * A move prices the new time at the business's prices now (a weekend's rate, a new price
 * list), so the question says a total that changes before "Yes" can be pressed: the API's
 * quote of the move (`"quote": true`, nothing moved). An outside tester's customer moved by an
 * hour was asked only "Move to …?" and found €40 more to pay after. "Yes" moves at the total
 * said: a price changed while the question was open is refused (409 `price_changed`) and the
 * question is asked again with the new one.
 */
import type { ComponentChildren, RefObject } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, type Order } from "./api";
import type { Choice, Context } from "./app";
import { useFocusReturn, useFocusWhenShown } from "./focus";
import { chooserWords } from "./i18n";
import { newServer } from "./moving";

/** A question in a card, labelled by its first line, what `children` say under it, then its
 * "yes" and "keep" buttons; Escape answers "keep" as its button does. */
export function Ask(props: {
  id: string;
  question: ComponentChildren;
  questionRef: RefObject<HTMLParagraphElement | null>;
  yes: string;
  yesClass?: string;
  yesDisabled: boolean;
  keep: string;
  onYes: () => void;
  onKeep: () => void;
  children?: ComponentChildren;
}) {
  // Kept (the button or Escape): the keyboard goes back to what asked, where it still is.
  const back = useFocusReturn();
  const keep = () => {
    props.onKeep();
    back();
  };
  // The whole card in sight, its buttons too, when it opens and again once "yes" may be
  // pressed (the terms or the price loaded under the question may push them down): on a
  // 667 px phone "Yes, cancel it" and "Keep it" opened below the fold (an outside tester's).
  const card = useRef<HTMLDivElement>(null);
  useEffect(() => card.current?.scrollIntoView({ block: "nearest" }), [props.yesDisabled]);
  return (
    <div
      ref={card}
      class="card"
      role="group"
      aria-labelledby={props.id}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          keep();
        }
      }}
    >
      <p id={props.id} tabIndex={-1} ref={props.questionRef}>
        {props.question}
      </p>
      {props.children}
      <div class="actions">
        <button type="button" class={props.yesClass} disabled={props.yesDisabled} onClick={props.onYes}>
          {props.yes}
        </button>
        <button type="button" class="secondary" onClick={keep}>
          {props.keep}
        </button>
      </div>
    </div>
  );
}

/** How long the question waits for the move's quote before it says the price is unknown. */
const QUOTE_WAIT_MS = 10_000;

/** A refusal the move itself would give (a 4xx but too many requests): said by the move. */
function refusedByTheApi(e: unknown): boolean {
  return e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 429;
}

export function MoveAsk(props: {
  ctx: Context;
  /** The order as booked: who its line is with now, and its total. */
  booked: Order;
  choice: Choice;
  /** The move's quote; refused (the move would be too), the move itself says why. */
  quote: () => Promise<Order>;
  busy: boolean;
  /** `total`: what the quote said, for the move to be made at (none: the quote was refused). */
  onYes: (total?: number) => void;
  onKeep: () => void;
}) {
  const { ctx, choice } = props;
  const { t, fmt } = ctx;
  const question = useRef<HTMLParagraphElement>(null);
  useFocusWhenShown(question, choice, true);
  // undefined: still asked; "refused": the API refuses the move (the move says why);
  // "unknown": no answer (the network, the server, too slow): the price is not known, so
  // "Yes" waits for a try again, never moving at a price unsaid (a reviewer's 503).
  const [priced, setPriced] = useState<Order | "refused" | "unknown" | undefined>(undefined);
  const [tries, setTries] = useState(0);
  useEffect(() => {
    let live = true;
    setPriced(undefined);
    const slow = setTimeout(() => live && setPriced("unknown"), QUOTE_WAIT_MS);
    props.quote().then(
      (o) => live && setPriced(o),
      (e) => live && setPriced(refusedByTheApi(e) ? "refused" : "unknown"),
    ).finally(() => clearTimeout(slow));
    return () => {
      live = false;
      clearTimeout(slow);
    };
  }, [choice, tries]);
  const { offering, option } = choice;
  const when =
    offering.kind === "nightly"
      ? `${fmt.day(option.date)} – ${fmt.day(option.end.slice(0, 10))}`
      : fmt.dateTime(option.start);
  // A quote the API refused (the time taken, a payment asked) is asked again first: a move
  // that the API would now make goes at a total said and checked, never unsaid (a reviewer's:
  // a hold on that time ran out while the question was open); refused again, the move is
  // sent so that the page says why, as before.
  // The question closed meanwhile (Keep it, another time chosen): a late answer does nothing.
  const shown = useRef(true);
  useEffect(() => () => void (shown.current = false), []);
  const yes = () => {
    if (typeof priced === "object") return props.onYes(priced.totals.total);
    setPriced(undefined);
    const slow = setTimeout(() => shown.current && setPriced("unknown"), QUOTE_WAIT_MS);
    props.quote().then(
      (o) => shown.current && setPriced(o),
      (e) => {
        if (!shown.current) return;
        if (refusedByTheApi(e)) props.onYes(undefined);
        else setPriced("unknown");
      },
    ).finally(() => clearTimeout(slow));
  };
  const who = newServer(props.booked.lines[0]!, option, choice.params);
  const before = props.booked.totals.total;
  const after = typeof priced === "object" ? priced.totals.total : before;
  return (
    <Ask
      id="rsv-move-q"
      question={who ? t(chooserWords(ctx.tenant.business_type).move, { when, who }) : t("move_confirm", { when })}
      questionRef={question}
      yes={t("yes_move")}
      yesDisabled={props.busy || priced === undefined || priced === "unknown"}
      keep={t("keep")}
      onYes={yes}
      onKeep={props.onKeep}
    >
      {after !== before ? (
        <p class="move-price" role="status">
          {t("move_price_changes", { total: fmt.money(after), before: fmt.money(before) })}
        </p>
      ) : null}
      {priced === "unknown" ? (
        <p class="move-price" role="status">
          {t("move_price_unknown")}{" "}
          <button type="button" class="link" onClick={() => setTries((n) => n + 1)}>
            {t("try_again")}
          </button>
        </p>
      ) : null}
    </Ask>
  );
}
