/**
 * One tap presses one button. A step's buttons take the place of the last step's, so a double
 * tap (or a double click) pressed the button that appeared under the finger: an outside
 * tester's phone booked without the "Almost done" question ("Book" twice), wiped "The booking
 * is cancelled" with "Book again" ("Yes, cancel it" twice) and, on a slow network, gave a new
 * hold back ("Choose another time"). A tap on a button or link that appeared less than
 * `SETTLE_MS` ago does nothing: no finger aims at a button it has not yet seen, so a single
 * tap is never slower. The keyboard (Enter, Space: a click of `detail` 0) and a mouse's single
 * click are never held back.
 */

/** How long a new button ignores taps: a double tap's second tap comes 100 to 300 ms after its
 * first, and a step drawn at once after the first (nothing to wait for) is that much newer. */
export const SETTLE_MS = 450;

/** A click a finger or pen made, or a double click's second (a mouse's, `detail` 2). */
function tapped(event: MouseEvent): boolean {
  const pointer = (event as PointerEvent).pointerType;
  return pointer === "touch" || pointer === "pen" || event.detail >= 2;
}

/** Holds back taps on what `root` drew less than `SETTLE_MS` ago; the call that stops it. */
export function guardTaps(root: HTMLElement): () => void {
  const born = new WeakMap<Node, number>();
  const observer = new MutationObserver((records) => {
    const now = performance.now();
    for (const record of records) record.addedNodes.forEach((node) => born.set(node, now));
  });
  observer.observe(root, { childList: true, subtree: true });
  const onClick = (event: MouseEvent) => {
    if (!tapped(event)) return;
    const now = performance.now();
    for (const node of event.composedPath()) {
      if (node === root) return;
      const at = born.get(node as Node);
      if (at !== undefined && now - at < SETTLE_MS) {
        event.preventDefault(); // a link is not followed either
        event.stopPropagation(); // the button's own handler never hears it
        return;
      }
    }
  };
  root.addEventListener("click", onClick, true);
  return () => {
    observer.disconnect();
    root.removeEventListener("click", onClick, true);
  };
}
