/**
 * Who acted, in words, from how the records name them (pure, so node tests it): a login's
 * e-mail or `user:<id>`, a key as `secret_key:<id>`, `widget` for the customer online, and
 * `system:<id>` for the platform's own work (an expired hold given back, a webhook's, a
 * cancellation's refund), which testers saw read as "A staff member".
 */
import type { T } from "./i18n";

export interface ActorName {
  who: string;
  name: string;
  kind: "staff" | "key";
}

/** Who moved a gift card's money, by kind, as the API's ledger says (`by_kind`). */
export type ByKind = "staff" | "key" | "customer" | "system";

/** The words for `who` as a record names it ("" stays ""). */
export function whoSaid(t: T, names: Map<string, ActorName>, who: string): string {
  if (!who) return "";
  // The widget acts by the business's publishable key: that is the customer, online (a
  // coupon a guest applied read "By: API key «Default publishable key»", a tester's).
  if (who === "widget" || who.startsWith("publishable_key:")) return t("who_widget");
  if (who.startsWith("system:")) return t("who_system");
  const known = names.get(who);
  if (known) return known.kind === "key" ? t("who_key", { name: known.name }) : known.name;
  return /^[a-z]+_key:/.test(who) ? t("who_some_key") : t("who_some_staff");
}

/** A gift card movement's maker: the customer and the system by kind, staff and keys by name. */
export function movedBy(t: T, names: Map<string, ActorName>, who: string, kind: ByKind): string {
  if (kind === "system") return t("who_system");
  if (kind === "customer") return t("who_customer");
  return whoSaid(t, names, who);
}
