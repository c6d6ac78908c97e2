/**
 * Whether the customer may move their own booking from the manage page: only while cancelling
 * it now would keep no fee (the API's rule, booking/services/own_orders.py; it refuses with
 * 409 `move_needs_the_business` otherwise, which the page says in words too). A hold costs
 * nothing to cancel, nor does a booking not paid for (the fee is kept from what was paid); a
 * paid booking costs a fee once the cancellation tiers it was booked under (else its
 * offering's) give back less than all of it, this many hours before it begins (a stay: at its
 * check-in time).
 *
 * The page asks for free times as the booking's own (`order` and its manage token), so its own
 * units count as free for it; the option that is the booking as it already is is no move.
 */
import { wallInstant } from "../shared/format";
import type { Offering, Option, Order, PublicTenant, Server } from "./api";
import type { Params } from "./when";

/** The refund share (basis points) the tiers give this many hours before the start. */
function refundBp(tiers: Offering["cancellation"], hours: number): number {
  let best = 0;
  for (const tier of [...tiers].sort((a, b) => a.hours_before - b.hours_before)) {
    if (hours >= tier.hours_before) best = tier.refund_bp;
  }
  return best;
}

/** When a line begins for the tiers (the API's booking/domain/line_begins.py): a stay at the
 * business's check-in time on its arrival day, not the midnight its line starts at. */
function begins(line: Order["lines"][number], tenant: PublicTenant): number {
  if (line.nights === 0) return Date.parse(line.start_utc);
  return wallInstant(line.date, tenant.stay_times?.check_in_time ?? "15:00", tenant.timezone);
}

export function cancellingCostsNow(order: Order, offering: Offering, tenant: PublicTenant, now: number): boolean {
  // A cancellation keeps its fee only from what was paid: a booking not paid for moves.
  if (order.status !== "confirmed" || order.totals.total <= 0 || order.totals.paid <= 0) return false;
  return order.lines.some((line) => {
    // The terms the line was booked under, as the API judges it: the offering's as they are
    // now said a fee where the booking kept free cancellation, hid "Change date or time", and
    // the cancel dialog on the same page then said it was free (an outside tester's).
    const kept = line.cancellation?.length ? line.cancellation : offering.cancellation;
    const tiers = kept.length ? kept : [{ hours_before: 0, refund_bp: 10000 }];
    const hours = (begins(line, tenant) - now) / 3_600_000;
    return line.offering_id === offering.id && refundBp(tiers, hours) < 10000;
  });
}

/** Whether `option`, chosen with `p`, is the booked line as it already is: no move. */
export function sameAsBooked(line: Order["lines"][number], option: Option, p: Params): boolean {
  if (p.party !== line.party) return false;
  if (line.nights > 0) return option.date === line.date && p.nights === line.nights;
  const servers = (rs: Server[]) => rs.map((r) => `${r.requirement}:${r.resource_id}`).sort().join(",");
  return Date.parse(option.start) === Date.parse(line.start_utc) && servers(option.resources) === servers(line.resources);
}

/** Who the move puts the booking with, when the customer picked them ("With") and they are not
 * who it is booked with: named in the question, which said only the time (an outside tester
 * switched stylist and was asked "Move to Wed, Dec 9, 2026, 1:00 PM?"). "Anyone" names nobody:
 * whoever the business gives it to is its arrangement. */
export function newServer(line: Order["lines"][number], option: Option, p: Params): string | null {
  if (!p.staff) return null;
  const picked = option.resources.find((r) => r.requirement === 0 && r.resource_id === p.staff);
  const booked = line.resources.find((r) => r.requirement === 0)?.resource_id;
  return picked && picked.resource_id !== booked ? picked.name : null;
}
