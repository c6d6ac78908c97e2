/**
 * Where the keyboard goes after an action. A button that did its work is often disabled while
 * it runs and gone after (Check in becomes Check out, a form closes, a search's form is drawn
 * again): the browser then leaves the focus on <body>, and a keyboard or screen-reader user
 * starts again from the top of the page. The console moves it instead to what says the
 * outcome: a status line, the heading of what appeared, the button that opened a closed form.
 */

import { useLayoutEffect, useRef } from "preact/hooks";

/** Focus `el` now; an element that is not focusable itself (a status line, a heading, a list)
 * is made focusable by script only (tabindex -1), so Tab does not stop on it later. */
export function focusOn(el: Element | null | undefined): void {
  if (!(el instanceof HTMLElement) || !el.isConnected) return;
  if (!el.matches("a[href], button, input, select, textarea, [tabindex]")) el.tabIndex = -1;
  el.focus();
}

/** Focus what `find` names once the state just set is drawn: Preact draws on a microtask,
 * so a task later the element is there. */
export function focusSoon(find: () => Element | null | undefined): void {
  setTimeout(() => focusOn(find()), 0);
}

/** By id, after the next draw. */
export function focusId(id: string): void {
  focusSoon(() => document.getElementById(id));
}

/** A question drawn in place of the button that asked it (revoke links, revoke a key): asked,
 * the keyboard is on its "keep" answer (a second Enter keeps); dismissed, back on the button;
 * answered (`answered()` before closing it), left to what says the outcome. A layout effect,
 * so the focus moves in the same draw that shows the question: an Escape pressed as soon as it
 * appears reaches the question's handler, not <body> (a CI run saw that with useEffect). */
export function useQuestionFocus(asking: boolean) {
  const opener = useRef<HTMLButtonElement>(null);
  const keep = useRef<HTMLButtonElement>(null);
  const was = useRef(false);
  useLayoutEffect(() => {
    if (asking) focusOn(keep.current);
    else if (was.current) focusOn(opener.current);
    was.current = asking;
  }, [asking]);
  return { opener, keep, answered: () => void (was.current = false) };
}

/** A form drawn in place of the button that opens it (Give back, a discount, a void): opened,
 * the keyboard is on its first field; closed, back on the button (`opener`). A layout effect,
 * in the draw that shows the form: after paint, a field typed in at once lost its text to the
 * first one (CI: "Why" typed right after opening Give back landed in Amount). `answered()`
 * before closing it: the caller says where the outcome is instead. */
export function useOpenedForm(open: boolean) {
  const opener = useRef<HTMLButtonElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const wasOpen = useRef(false);
  useLayoutEffect(() => {
    const first = () => form.current?.querySelector("input:not([type=radio])") ?? form.current?.querySelector("select");
    if (open && !wasOpen.current) focusOn(first());
    else if (!open && wasOpen.current) focusOn(opener.current);
    wasOpen.current = open;
  }, [open]);
  // Done (not kept): the caller moves the keyboard to what says the outcome, not the button.
  return { opener, form, answered: () => void (wasOpen.current = false) };
}

/** After an action whose button went away or was disabled while it ran: when the keyboard
 * was left on <body> (and only then: never taken from where the user has moved it since),
 * put it on `find()`'s element. */
export function focusIfLost(find: () => Element | null | undefined): void {
  setTimeout(() => {
    const at = document.activeElement;
    if (!at || at === document.body) focusOn(find());
  }, 0);
}

/** A form's onKeyDown: Escape closes it as its "Keep" button does, wherever in it the keyboard
 * is (not while it is sending), and goes no further (an open question above keeps its own). */
export function closeOnEscape(busy: boolean, close: () => void) {
  return (e: KeyboardEvent) => {
    if (e.key !== "Escape" || busy) return;
    e.preventDefault();
    e.stopPropagation();
    close();
  };
}
