/**
 * The Money panel's stale refusals (order_money.tsx): the API decides each desk payment and
 * refund on the order as it is when the request lands, so a refusal whose figures differ from
 * the panel's means another desk (or the customer online) changed the order meanwhile. The
 * panel then reads the order again, says so, and keeps what was typed: these drafts.
 */

import { ApiError } from "./api";
import type { Tender } from "./order_money";

// Refusals that mean the order is no longer as the panel shows it: the form's own figures
// (what is owed, what can go back) are checked apart, in `staleRefusal`.
const STALE = new Set(["version_mismatch", "online_payment_open", "order_not_confirmed", "hold_expired", "owed_back_changed"]);
const LIMITS: Readonly<Record<string, string>> = { payment_too_large: "owed", refund_too_large: "refundable" };

/** Whether `e` refuses what the panel offered because the order changed since it was read:
 * "at most X" where the panel said `shown` is another desk's doing; where it said X too, the
 * amount typed was simply too large, and the refusal says so alone. */
export function staleRefusal(e: unknown, shown: number): boolean {
  if (!(e instanceof ApiError)) return false;
  if (STALE.has(e.code)) return true;
  const limit = LIMITS[e.code];
  const said = limit ? e.details?.[limit] : undefined;
  return typeof said === "number" && said !== shown;
}

/** What the desk typed in a form, kept over a stale refusal's reload. */
export interface TakeDraft {
  amount: number;
  method: Tender;
  reference: string;
  code: string;
  tip?: number;
}
export interface BackDraft {
  amount: number;
  method: Tender | "online";
  reason: string;
}
export interface Stale {
  why: string; // the refusal itself, said after money_stale
  take?: TakeDraft;
  back?: BackDraft;
}
