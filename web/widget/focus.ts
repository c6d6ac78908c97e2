/**
 * Where the keyboard's focus goes when what the customer acted on goes away: a button pressed
 * that is disabled while it works or gone after it (a declined card, "Cancel booking") drops
 * the focus to the page, and a screen reader hears nothing of what appeared. The message or the
 * question that appeared takes it instead; focus the customer has put elsewhere is left alone.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { RefObject } from "preact";

/** Whether the focus is nowhere in particular: on the page's body, or on a disabled element
 * (inside the widget's shadow root, the document sees only its host). */
export function focusFell(el: Element): boolean {
  const active = document.activeElement;
  if (!active || active === document.body) return true;
  const root = el.getRootNode();
  if (root instanceof ShadowRoot && active === root.host) {
    const inner = root.activeElement as HTMLButtonElement | null;
    return !inner || inner.disabled === true || !inner.isConnected;
  }
  return (active as HTMLButtonElement).disabled === true;
}

/** Focus `ref`'s element (give it tabIndex -1) when `shown` turns truthy and the focus fell
 * (`always`: whatever it is on, for a question the customer just asked for). */
export function useFocusWhenShown(ref: RefObject<HTMLElement | null>, shown: unknown, always = false): void {
  useEffect(() => {
    const el = ref.current;
    if (shown && el && (always || focusFell(el))) el.focus();
  }, [shown]);
}

/** A ref for the button that opened something, and the call that gives it the focus back when
 * that something is dismissed (Escape, "Keep it"): after the render that shows the button. */
export function useFocusBack<T extends HTMLElement>(): [RefObject<T | null>, () => void] {
  const ref = useRef<T>(null);
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    if (asked) ref.current?.focus();
  }, [asked]);
  return [ref, () => setAsked((n) => n + 1)];
}

/** The element the keyboard is on, looking inside shadow roots (the widget lives in one). */
export function activeNow(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

/** What had the keyboard when a question was drawn (the time tapped to move to), and the call
 * that gives it back when the question is dismissed, if it is still on the page: dismissing
 * "Move to …?" left the focus on the page, and the customer started again from the top. */
export function useFocusReturn(): () => void {
  const [before] = useState(activeNow);
  return () =>
    setTimeout(() => {
      if (before?.isConnected) before.focus();
    }, 0);
}
