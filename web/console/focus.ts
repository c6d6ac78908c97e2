/**
 * Where the keyboard goes after an action. A button that did its work is often disabled while
 * it runs and gone after (Check in becomes Check out, a form closes, a search's form is drawn
 * again): the browser then leaves the focus on <body>, and a keyboard or screen-reader user
 * starts again from the top of the page. The console moves it instead to what says the
 * outcome: a status line, the heading of what appeared, the button that opened a closed form.
 */

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
