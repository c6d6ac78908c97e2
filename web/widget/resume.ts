/**
 * The hold a visitor is paying for, kept for this browser tab: a reload, or Back to the page
 * before and Forward again, shows "Almost done" for the same hold instead of an empty form.
 * Without it the visitor's own hold (the last room, the last seats) stayed taken until it ran
 * out while they looked for it again, and they could not have it.
 *
 * Kept in `sessionStorage` (this tab only, gone with it; no cookie, nothing sent anywhere):
 * the order's id, its manage token and when the hold ends, under the widget's publishable key
 * and the offering it is pinned to (main.tsx `holdKey`: a page pinned to one offering never
 * shows a hold of another; two businesses' widgets keep one each). Forgotten when the order
 * leaves "held" (booked, released, expired) and when the visitor starts a new booking; kept
 * when it could not be read (the network), for the next load. A page whose storage is refused
 * (a sandboxed frame, a browser's strict mode) simply starts afresh, as before.
 */

export interface KeptHold {
  orderId: string;
  token: string;
  until: string; // the hold's end (ISO), as the API gave it
}

const PREFIX = "reservoir:hold:";

function store(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage refused to this page
  }
}

export function keepHold(widgetKey: string, hold: KeptHold): void {
  try {
    store()?.setItem(PREFIX + widgetKey, JSON.stringify(hold));
  } catch {
    // Full or refused: the visitor keeps their hold on this page, only a reload loses it.
  }
}

export function forgetHold(widgetKey: string): void {
  try {
    store()?.removeItem(PREFIX + widgetKey);
  } catch {
    // Refused: nothing was kept.
  }
}

/** The hold kept for this widget, unless it has ended by `now` (ms, the server's clock). */
export function keptHold(widgetKey: string, now: number): KeptHold | null {
  let text: string | null = null;
  try {
    text = store()?.getItem(PREFIX + widgetKey) ?? null;
  } catch {
    return null;
  }
  if (!text) return null;
  try {
    const kept = JSON.parse(text) as Partial<KeptHold>;
    const ends = Date.parse(kept.until ?? "");
    if (typeof kept.orderId === "string" && typeof kept.token === "string" && ends > now) {
      return { orderId: kept.orderId, token: kept.token, until: kept.until! };
    }
  } catch {
    // Not ours, or written by an older widget: forgotten below.
  }
  forgetHold(widgetKey);
  return null;
}
