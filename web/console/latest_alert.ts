/**
 * One refusal at a time on a page. Each control says its own refusal (role=alert) where it
 * is, so a second refusal elsewhere on the page left the first standing beside it, both read
 * as current (the Chinese console showed an old alert beside a new one). A newer alert now
 * takes the place of the ones said before it: those are no longer drawn.
 */

import { useEffect, useState } from "preact/hooks";

let said = 0; // the stamp of the newest alert said, page-wide
const shown = new Set<() => void>(); // each alert's redraw, to hide it when a newer one comes

/** Whether an alert saying `text` (empty: none) is drawn: not once a newer one was said. */
export function useLatestAlert(text: string): boolean {
  const [mine, setMine] = useState(0);
  const [, redraw] = useState(0);
  useEffect(() => {
    const again = () => redraw((n) => n + 1);
    shown.add(again);
    return () => {
      shown.delete(again);
    };
  }, []);
  useEffect(() => {
    if (!text) return;
    said += 1;
    setMine(said);
    for (const again of shown) again(); // the older ones hide themselves
  }, [text]);
  return text !== "" && (mine === 0 || mine === said);
}
