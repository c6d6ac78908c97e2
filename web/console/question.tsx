/**
 * A question drawn in place of the button that asked it, before a step that cannot be undone
 * (revoke a key, revoke the customer's links, disable a login): a group named by the step, the
 * question, "Yes, ..." and the keep answer, which has the keyboard (`useQuestionFocus` in
 * focus.ts: a second Enter keeps); Escape keeps too. One component, so the three say and
 * behave alike.
 */

import type { ComponentChildren, Ref } from "preact";

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
      <span>{props.says}</span>
      <button type="button" class="danger" disabled={busy} onClick={props.onYes}>
        {props.yes}
      </button>
      <button type="button" class="secondary" ref={props.keepRef} disabled={busy} onClick={onKeep}>
        {props.keep}
      </button>
      {props.children}
    </span>
  );
}
