/**
 * Whether the order page says "Deposit due": only on a booking still on (held or confirmed)
 * whose money has not reached its deposit (P7A 15: not on a paid, authorised or cancelled
 * order). A part payment past the deposit is not short of it: the page said "Deposit due
 * €52.12" after €54.12 was paid (a bookkeeper tester's), the deposit of a moved booking's new
 * total already covered.
 */
import type { Order } from "./api";

const ON = new Set(["held", "confirmed"]);
const SHORT = new Set(["unpaid", "partially_paid"]);

export function depositDue(order: Order): boolean {
  const { deposit_due, paid } = order.totals;
  return deposit_due > 0 && paid < deposit_due && ON.has(order.status) && SHORT.has(order.payment_status);
}

/** What is still due of the deposit (a reviewer's: "Deposit due €52.12" with €20.00 paid,
 * though €32.12 was due). */
export function depositLeft(order: Order): number {
  return Math.max(0, order.totals.deposit_due - order.totals.paid);
}
