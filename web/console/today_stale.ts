/**
 * A row's step on Today refused because the order changed meanwhile (the guest cancelled on
 * their manage page, another desk checked them in): the sheet is read again and the line may
 * be gone from it, its own refusal with it. An outside tester's desk pressed "Check in" on an
 * arrival the guest had just cancelled: the API answered 409, the page reloaded, and the
 * arrival simply disappeared without a word. The sheet now says it, naming the guest.
 */

import type { ApiError } from "./api";
import { message } from "./app";
import type { Key, T } from "./i18n";

/** What happened to the order meanwhile, by the status the refusal says it has now. */
const HAPPENED: Readonly<Record<string, Key>> = {
  cancelled: "stale_cancelled",
  checked_in: "stale_checked_in",
  completed: "stale_completed",
  no_show: "stale_no_show",
  expired: "stale_expired",
  confirmed: "stale_confirmed",
  held: "stale_held",
};

/** What the step pressed did not do, by its action (lines.tsx `nextActions`). */
const NOT_DONE: Readonly<Record<string, Key>> = {
  "check-in": "stale_not_check_in",
  complete: "stale_not_complete",
  "no-show": "stale_not_no_show",
  confirm: "stale_not_confirm",
};

/** "Guest Phone's booking was cancelled meanwhile: nothing was checked in."; another stale
 * refusal (a version another desk moved on) in its own words, named the same way. */
export function staleSaid(t: T, e: ApiError, guest: string, action: string): string {
  const nothing = t(NOT_DONE[action] ?? "stale_not_undo");
  const happened = e.code === "illegal_transition" ? HAPPENED[String(e.details?.status ?? "")] : undefined;
  if (happened) return t("stale_line", { guest, happened: t(happened), nothing });
  const refusal = message(t, e).replace(/[.。]$/u, "");
  return t("stale_line_other", { guest, refusal, nothing });
}
