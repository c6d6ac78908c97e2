/**
 * "Move to Sun 6 Dec, 6:00 PM?" before a booking is moved from the manage page: a tap on a
 * time asks, it does not move. A stylist (or table) the customer switched to is named in it
 * ("… with Jordan Lee?"), the move being to them as much as to the time. The question takes the focus; Escape keeps the booking as it
 * is, as "Keep it" does. `Ask` is the card both this and "Cancel this booking?" are asked in.
 */
import type { ComponentChildren, RefObject } from "preact";
import { useRef } from "preact/hooks";
import type { Order } from "./api";
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
  return (
    <div
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

export function MoveAsk(props: {
  ctx: Context;
  /** The line as booked: who it is with now. */
  booked: Order["lines"][number];
  choice: Choice;
  busy: boolean;
  onYes: () => void;
  onKeep: () => void;
}) {
  const { ctx, choice } = props;
  const { t, fmt } = ctx;
  const question = useRef<HTMLParagraphElement>(null);
  useFocusWhenShown(question, choice, true);
  const { offering, option } = choice;
  const when =
    offering.kind === "nightly"
      ? `${fmt.day(option.date)} – ${fmt.day(option.end.slice(0, 10))}`
      : fmt.dateTime(option.start);
  const who = newServer(props.booked, option, choice.params);
  return (
    <Ask
      id="rsv-move-q"
      question={who ? t(chooserWords(ctx.tenant.business_type).move, { when, who }) : t("move_confirm", { when })}
      questionRef={question}
      yes={t("yes_move")}
      yesDisabled={props.busy}
      keep={t("keep")}
      onYes={props.onYes}
      onKeep={props.onKeep}
    />
  );
}
