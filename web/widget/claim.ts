/**
 * Which widget on the page opens a manage link (`#reservoir_order=...&reservoir_token=...`).
 * The link is the page's, not a widget's: on a designer's page with two of a salon's widgets
 * and a hotel's, every one of them opened it, so the salon's two showed the same booking with
 * a countdown each (cancelled in one, still "Held" with "Confirm" in the other) and the
 * hotel's said "We could not find this booking" (an outside designer's finding).
 *
 * Exactly one widget claims it: the first (in document order) whose key's business owns the
 * order, one pinned to the order's first line's offering before the others of that key. The
 * keys are asked in document order, once each, and no further once one finds the order: its
 * answer is the one the claiming widget shows, so the common page (the owner's key first)
 * makes one request, as a single widget does. No key finds it: the first widget whose key gave
 * another answer than 404 (the network, a 5xx) says that; else the first widget says it could
 * not find it, and the others keep their booking forms.
 *
 * Decided once per link (every widget waits on the same decision) and again after the
 * fragment changes (another link, or the same one opened again).
 */
import type { Api, Order } from "./api";
import { ApiError } from "./api";

/** A widget that may claim the link: its element, its API (base and key) and pinned offering. */
export interface Seat {
  element: Element;
  api: Api;
  /** The same publishable key at the same API: one business's, asked once for all of them. */
  group: string;
  offering: string | null;
}

/** The widget that shows the link, and the answer it shows (taken once: `take`). */
export interface Claim {
  element: Element | null;
  take: () => Promise<Order> | null;
}

const decided = new Map<string, Promise<Claim>>();
// Registered before any widget's own listener (this module runs before the element is
// defined), so a widget that reacts to the new fragment meets no stale decision.
window.addEventListener("hashchange", () => decided.clear());

/** The claim of the link to `orderId` among `seats` (the page's widgets, in document order). */
export function claimOf(orderId: string, token: string, seats: Seat[]): Promise<Claim> {
  const link = `${orderId}\n${token}`;
  let claim = decided.get(link);
  if (!claim) {
    claim = decide(orderId, token, seats);
    decided.set(link, claim);
  }
  return claim;
}

async function decide(orderId: string, token: string, seats: Seat[]): Promise<Claim> {
  let fallback: { element: Element; answer: Promise<Order> } | null = null;
  let notFound: Promise<Order> | null = null;
  for (const group of new Set(seats.map((s) => s.group))) {
    const mine = seats.filter((s) => s.group === group);
    const answer = mine[0]!.api.order(orderId, token);
    try {
      const order = await answer;
      const offering = order.lines[0]?.offering_id;
      return once((mine.find((s) => s.offering === offering) ?? mine[0]!).element, answer);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) notFound ??= answer;
      else fallback ??= { element: mine[0]!.element, answer };
    }
  }
  if (fallback) return once(fallback.element, fallback.answer);
  return once(seats[0]?.element ?? null, notFound);
}

function once(element: Element | null, answer: Promise<Order> | null): Claim {
  let left = answer;
  return {
    element,
    take: () => {
      const taken = left;
      left = null;
      return taken;
    },
  };
}
