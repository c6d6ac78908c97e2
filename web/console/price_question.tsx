/**
 * The question a desk asks before a change that moves an order's price (a room of another
 * type, a stay's new length): what it costs against now, "yes" and "keep". Drawn in place of
 * the button that asked; Escape keeps (an outside tester's Escape did nothing), and `repriced`
 * says why it is asked again: the price changed while the guest was asked. An alert dialog,
 * unlike question.tsx's quiet group before a step that cannot be undone: a price the desk must
 * read out is news, said as it appears. A dialog keeps the keyboard while it is open (Tab and
 * Shift+Tab go round its answers, aria-modal): a keyboard and screen-reader tester's Tab walked
 * out of it onto the page while it stayed open and said it was a dialog.
 */

import type { Ref } from "preact";
import { useId } from "preact/hooks";

export function PriceQuestion(props: {
  title: string;
  said: string;
  repriced: string | null;
  yes: string;
  keep: string;
  busy: boolean;
  keepRef: Ref<HTMLButtonElement>;
  onYes: () => void;
  onKeep: () => void;
}) {
  const { busy, onKeep } = props;
  // Both answers are described by the price: the keyboard lands on "keep", and a screen reader
  // then says what it costs, not only the answer's words.
  const said = useId();
  return (
    <div
      role="alertdialog"
      aria-label={props.title}
      class="move-quote"
      aria-modal="true"
      onKeyDown={(e) => {
        if (e.key === "Escape" && !busy) {
          e.preventDefault();
          onKeep();
        } else if (e.key === "Tab") keepTabInside(e);
      }}
    >
      {props.repriced && <p>{props.repriced}</p>}
      <p id={said}>{props.said}</p>
      <button type="button" disabled={busy} onClick={props.onYes} aria-describedby={said}>
        {props.yes}
      </button>
      <button type="button" class="secondary" ref={props.keepRef} disabled={busy} onClick={onKeep} aria-describedby={said}>
        {props.keep}
      </button>
    </div>
  );
}

/** Tab from the last answer goes to the first, Shift+Tab from the first to the last. */
function keepTabInside(e: KeyboardEvent) {
  const answers = [...(e.currentTarget as HTMLElement).querySelectorAll<HTMLButtonElement>("button:not([disabled])")];
  const first = answers[0];
  const last = answers[answers.length - 1];
  const at = document.activeElement;
  if (!first || !last) return e.preventDefault();
  if (e.shiftKey ? at === first || !answers.includes(at as HTMLButtonElement) : at === last) {
    e.preventDefault();
    (e.shiftKey ? last : first).focus();
  }
}
