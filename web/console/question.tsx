/**
 * A question drawn in place of the button that asked it, before a step that cannot be undone
 * (revoke a key, revoke the customer's links, disable a login): a group named by the step, the
 * question, "Yes, ..." and the keep answer, which has the keyboard (`useQuestionFocus` in
 * focus.ts: a second Enter keeps); Escape keeps too. One component, so the three say and
 * behave alike.
 */

import type { ComponentChildren, Ref } from "preact";
import { useId } from "preact/hooks";

export function Question(props: {
  label: string; // the step, naming the group (as its button was named)
  says: string;
  yes: string;
  keep: string;
  busy: boolean;
  keepRef: Ref<HTMLButtonElement>;
  onYes: () => void;
  onKeep: () => void;
  children?: ComponentChildren; // what the step said when refused
}) {
  const { busy, onKeep } = props;
  // The question describes both answers: the focus lands on "keep", and a screen reader then
  // says what is asked (the group's name alone is the step, not that it cannot be undone).
  const asked = useId();
  return (
    <span
      class="confirm"
      role="group"
      aria-label={props.label}
      onKeyDown={(e) => {
        if (e.key === "Escape" && !busy) {
          e.preventDefault();
          onKeep();
        }
      }}
    >
      <span id={asked}>{props.says}</span>
      <button type="button" class="danger" disabled={busy} onClick={props.onYes} aria-describedby={asked}>
        {props.yes}
      </button>
      <button type="button" class="secondary" ref={props.keepRef} disabled={busy} onClick={onKeep} aria-describedby={asked}>
        {props.keep}
      </button>
      {props.children}
    </span>
  );
}
